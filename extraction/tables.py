"""The table finder: the three standard tables from a document's lines, by their labels.

Every layout is read as one stream of cells (a tab row, a ``<tr>``, a PDF row
of words, or one cell per line all flatten the same way). A row label opens
a row and the numbers that follow it are that row's, up to the next label or
text; so a missing row or a row with one number too many never shifts the
cells of the rows after it. Rows whose count of numbers is off are aligned by
the template's own arithmetic, and such cells say so in their provenance.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from gongkai.spec import T3_COLS, T4_COLS, T4_GROUPS, field_ids, field_index

from . import labels as L
from .document import Document, Line
from .numbers import CellValue, normalize, read_cell
from .record import CellSource
from .validate import check_arithmetic

MAX_REALIGN = 2  # at most this many surplus or missing numbers are realigned in one row


@dataclass(slots=True)
class Token:
    text: str
    norm: str
    cell: CellValue
    line: Line


@dataclass
class Row:
    table: str  # "t2" | "t3" | "t4"
    key: str  # row key without the table prefix ("" for table 4's single row)
    label: Token | None
    values: list[Token] = field(default_factory=list)
    amount_unit: str | None = None  # unit printed in the amount column's header


@dataclass
class TablesResult:
    format: str | None
    tables: dict[str, float | None] = field(default_factory=dict)
    provenance: dict[str, CellSource] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # informative: how something was decided
    found: set[str] = field(default_factory=set)


# ---- tokens and regions --------------------------------------------------------------


def tokenize(lines: Sequence[Line]) -> list[Token]:
    out = []
    for line in lines:
        read = [(cell, *read_cell(cell)) for cell in line.cells]
        first = next((j for j, (_, _, cv) in enumerate(read) if cv.kind != "blank"), None)
        if first is None:
            continue
        for j, (cell, norm, cv) in enumerate(read):
            # Blank cells of a text dump may be printed-blank cells or mere layout (indentation, spans):
            # keep those after a row label or among numbers, and let the row's width and arithmetic decide.
            # Blanks before a label are indentation.
            if cv.kind == "blank" and not line.in_table and j < first and read[first][2].kind == "text":
                continue
            out.append(Token(cell, norm, cv, line))
    return out


def _line_norm(line: Line) -> str:
    return normalize("".join(line.cells)[:200]).lstrip("#*").rstrip("*")


def find_region(lines: Sequence[Line]) -> tuple[int, int] | None:
    """Line range [start, end) holding the tables: from 二、主动公开… (or the first table anchor) to 五、."""
    start = None
    for i, line in enumerate(lines):
        if sum(len(c) for c in line.cells) > 160:
            continue  # prose, not a heading or a table row's label
        n = _line_norm(line)
        if len(n) > 60:
            continue
        if L.SECTION_HEADINGS["t2"].match(n) or L.T2_START.search(n) or L.SECTION_HEADINGS["t3"].match(n):
            start = i
            break
        if L.T3_START.search(n) or any(L.T2_ROWS[k].match(normalize(c)) for c in line.cells for k in ("regulations",)):
            start = i
            break
    if start is None:
        return None
    end = len(lines)
    for j in range(start + 1, len(lines)):
        n = _line_norm(lines[j])
        if len(n) <= 40 and L.SECTION_HEADINGS["end"].match(n):
            end = j
            break
    return start, end


def detect_format(region_text: str, year: int | None) -> tuple[str | None, list[str]]:
    """The template a report follows, from the words only one template prints; year breaks ties."""
    scores = {f: sum(region_text.count(w) for w in words) for f, words in L.FORMAT_EVIDENCE.items()}
    notes = []
    if scores["2019"] and scores["2021"]:
        notes.append(f"report mixes both templates (evidence 2019:{scores['2019']} 2021:{scores['2021']})")
    if scores["2019"] > scores["2021"]:
        return "2019", notes
    if scores["2021"] > scores["2019"]:
        return "2021", notes
    if year is not None:
        return ("2019" if year <= 2020 else "2021"), notes + [f"format decided by report year {year}"]
    return None, notes


# ---- the stream walk ------------------------------------------------------------------


@lru_cache(maxsize=1 << 14)
def _t3_matches(norm: str) -> tuple[bool, tuple[tuple[str, str | None], ...]]:
    """(is a bare 总计, the t3 labels the cell matches in catalogue order); cached: labels repeat across reports."""
    if len(norm) > L.T3_MAX_LABEL_LEN or "。" in norm:
        return False, ()
    if L.T3_BARE_TOTAL.match(norm):
        return True, ()
    return False, tuple((lab.key, lab.group) for lab in L.T3_LABELS if lab.pattern.search(norm))


@lru_cache(maxsize=1 << 14)
def _t2_key(norm: str) -> str | None:
    return next((k for k, p in L.T2_ROWS.items() if p.match(norm)), None)


def _t3_label(norm: str, group: str | None, results_seen: bool) -> tuple[str, str | None] | None:
    bare_total, hits = _t3_matches(norm)
    if bare_total:
        return ("total", None) if results_seen else None
    for key, grp in hits:
        if key == "other_handling.other" and group != "other_handling":
            continue
        return key, grp
    return None


@lru_cache(maxsize=1 << 12)
def _is_t4_header(norm: str) -> bool:
    if norm in L.T4_HEADER_WORDS:
        return True
    # "结果维持", "其他结果" … or a header cell glued from several header words
    rest = norm
    for w in sorted(L.T4_HEADER_WORDS, key=len, reverse=True):
        rest = rest.replace(w, "")
    return rest == "" and bool(norm)


def walk(tokens: Sequence[Token]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    problems: list[str] = []
    cur: Row | None = None
    table: str | None = None
    group: str | None = None
    results_seen = False
    amount_unit: str | None = None

    def close() -> None:
        nonlocal cur
        if cur is not None:
            rows.append(cur)
        cur = None

    # a blank cell can be a value only on a line that prints values (not in a header row)
    value_lines = {id(t.line) for t in tokens if t.cell.kind in ("num", "null")}
    for i, tok in enumerate(tokens):
        kind, norm = tok.cell.kind, tok.norm
        if kind == "rule" or (kind == "blank" and id(tok.line) not in value_lines):
            continue
        if kind in ("num", "null", "blank"):
            if cur is not None:
                cur.values.append(tok)
            elif kind == "num":
                problems.append(f"line {tok.line.lineno}: number {tok.text!r} outside any table row, ignored")
            continue
        # text
        if table != "t4" and norm == "行政复议" and any(
            t.norm == "行政诉讼" for t in tokens[i + 1 : i + 14] if t.cell.kind == "text"
        ):
            close()
            table = "t4"
            cur = Row("t4", "", tok)
            continue
        if table == "t4":
            if _is_t4_header(norm):
                continue
            if cur is not None and cur.values:
                close()
                table = None
            continue
        t2key = _t2_key(norm)
        if t2key is not None:
            close()
            table = "t2"
            cur = Row("t2", t2key, tok, amount_unit=amount_unit if t2key in ("fees", "procurement") else None)
            continue
        if table == "t2" or table is None:
            m = L.AMOUNT_HEADER.search(norm)
            if m:
                amount_unit = m.group("unit") or "万元"
        if L.T3_START.search(norm) and len(norm) < 80:
            close()
            table, group, results_seen = "t3", None, False
            continue
        hit = _t3_label(norm, group, results_seen)
        if hit is not None:
            key, grp = hit
            if cur is not None and cur.table == "t3" and not cur.values and key and key == cur.key:
                continue  # the label went on in the next cell ("确认或" / "重新出具…")
            close()
            table = "t3"
            if grp is not None:
                group = grp
            if grp in ("results", "denied", "unable", "not_processed", "other_handling"):
                results_seen = True
            if key:
                if key in ("new_received", "carried_over"):
                    group = None
                cur = Row("t3", key, tok)
            continue
        # any other text ends a row that already has its numbers; before them it is label or header text
        if cur is not None and cur.values:
            close()
    close()
    return rows, problems


# ---- aligning numbers with columns -------------------------------------------------------

Slot = Token | None  # None: a cell printed blank


def _as_value(t: Slot) -> float | None:
    if t is None or t.cell.kind != "num":
        return None
    return t.cell.value


def candidates(values: Sequence[Token], n: int, check: Callable[[list[Slot]], bool] | None) -> tuple[list[list[Slot]], str | None]:
    """Ways to read a row's tokens as exactly ``n`` cells, and a note if the reading was inferred."""
    strong = [t for t in values if t.cell.kind in ("num", "null")]
    if len(strong) == n:
        return [[t if t.cell.kind == "num" else None for t in strong]], None
    # blank cells are cells when they make the row exactly as wide as the template's (and fit its arithmetic)
    seq = list(values)
    exact: list[Slot] | None = None
    while seq:
        if len(seq) == n:
            exact = [t if t.cell.kind == "num" else None for t in seq]
            if check is None or check(exact):
                return [exact], None
            break
        if seq[-1].cell.kind == "blank":
            seq.pop()
        elif seq[0].cell.kind == "blank":
            seq.pop(0)
        else:
            break
    seq = [t for t in seq if t.cell.kind != "blank"] if len(seq) > n else seq
    if len(strong) > n and len(strong) - n <= MAX_REALIGN:
        extra = len(strong) - n
        outs = []
        for drop in itertools.combinations(range(len(strong)), extra):
            cand = [None if t.cell.kind == "null" else t for j, t in enumerate(strong) if j not in drop]
            if check is None or check(cand):
                outs.append(cand)
        if not outs and exact is not None:
            return [exact], "row as wide as the template with its blank cells; its arithmetic does not hold as printed"
        return outs, f"row printed {len(strong)} numbers for {n} cells; {extra} surplus dropped where the row's arithmetic holds"
    # too few: the cells printed blank were lost (a text dump, a PDF); the blanks we did see stay in place
    base = seq if len(seq) < n and any(t.cell.kind == "blank" for t in seq) else strong
    missing = n - len(base)
    if 0 < missing <= MAX_REALIGN or (check is None and missing > 0):
        if check is None:
            # no arithmetic to go by: read in print order, the lost blanks at the row's end
            cand = [None if t.cell.kind != "num" else t for t in base] + [None] * missing
            return [cand], f"row printed {len(strong)} numbers for {n} cells; read in print order, blank cells at the end"
        # text dumps drop a row's trailing blank cells and keep the inner ones: try the end first
        tail = [None if t.cell.kind != "num" else t for t in base] + [None] * missing
        if check(tail):
            return [tail], f"row printed {len(strong)} numbers for {n} cells; blank cells at the row's end fit its arithmetic"
        outs = []
        for holes in itertools.combinations(range(n), missing):
            it = iter(base)
            cand: list[Slot] = [None if j in holes else next(it) for j in range(n)]
            cand = [None if (t is not None and t.cell.kind != "num") else t for t in cand]
            if check(cand):
                outs.append(cand)
        if not outs and exact is not None:
            return [exact], "row as wide as the template with its blank cells; its arithmetic does not hold as printed"
        return outs, f"row printed {len(strong)} numbers for {n} cells; blank cells placed where the row's arithmetic holds"
    if exact is not None:
        return [exact], "row as wide as the template with its blank cells; its arithmetic does not hold as printed"
    return [], f"row printed {len(strong)} numbers for {n} cells"


def _distinct(cands: list[list[Slot]]) -> list[list[Slot]]:
    seen, out = set(), []
    for c in cands:
        k = tuple(_as_value(t) for t in c)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def _t3_row_check(c: list[Slot]) -> bool:
    vals = [_as_value(t) or 0 for t in c]
    return abs(sum(vals[:6]) - vals[6]) < 1e-9


def _t4_check(c: list[Slot]) -> bool:
    vals = [_as_value(t) or 0 for t in c]
    return all(abs(sum(vals[g * 5 : g * 5 + 4]) - vals[g * 5 + 4]) < 1e-9 for g in range(3))


# ---- the whole finder ---------------------------------------------------------------------


def find_tables(doc: Document, year: int | None = None) -> TablesResult:
    region = find_region(doc.lines)
    if region is None:
        return TablesResult(format=None, problems=["no standard tables found (no 主动公开/申请 table labels in the document)"])
    lines = doc.lines[region[0] : region[1]]
    region_text = normalize("".join(c for ln in lines for c in ln.cells))
    fmt, notes = detect_format(region_text, year)
    tokens = tokenize(lines)
    rows, problems = walk(tokens)
    res = TablesResult(format=fmt, problems=problems, notes=notes)
    if fmt is None:
        res.problems.append("standard table labels found but the template (2019/2021) could not be decided")
        return res
    _assign(rows, fmt, res)
    if not res.tables:
        res.format = None
        res.problems.append("no table rows with numbers found")
    return res


@cache
def _valid_ids(fmt: str) -> frozenset[str]:
    return frozenset(field_ids(fmt))


def _assign(rows: list[Row], fmt: str, res: TablesResult) -> None:
    valid = _valid_ids(fmt)
    index = field_index(fmt)
    seen: set[str] = set()
    pending: list[tuple[Row, list[list[Slot]], str | None, list[str]]] = []
    for row in rows:
        if row.table == "t3" and row.key == "other_handling" and not row.values:
            continue  # (六)其他处理 heading three sub-rows
        if row.table == "t2":
            cols = L.T2_COLS[fmt].get(row.key)
            if cols is None:
                res.problems.append(f"表二 row {row.key!r} belongs to the other template; {len(row.values)} values not kept")
                continue
            ids = [f"t2.{row.key}.{c}" for c in cols]
            check = None
        elif row.table == "t3":
            ids = [f"t3.{row.key}.{c}" for c in T3_COLS]
            check = _t3_row_check
        else:
            ids = [f"t4.{g}.{c}" for g in T4_GROUPS for c in T4_COLS]
            check = _t4_check
        if not set(ids) <= valid:
            res.problems.append(
                f"row {row.table}.{row.key} belongs to the other template ({fmt} report); values not kept: "
                + " ".join(t.text for t in row.values if t.cell.kind == "num")
            )
            continue
        rid = f"{row.table}.{row.key}" if row.key else row.table
        if rid in seen:
            res.problems.append(f"row {rid} printed twice (line {row.label.line.lineno if row.label else '?'}); first kept")
            continue
        seen.add(rid)
        res.found.add(row.table)
        if not row.values:
            # a labelled row with every cell blank
            cands, note = [[None] * len(ids)], None
        else:
            cands, note = candidates(row.values, len(ids), check)
            cands = _distinct(cands)
            if not cands:
                # nothing fits the arithmetic: read in order, say it is uncertain
                strong = [t for t in row.values if t.cell.kind in ("num", "null")]
                cands = [[(t if t.cell.kind == "num" else None) for t in strong[: len(ids)]] + [None] * max(0, len(ids) - len(strong))]
                note = (note or "row does not fit") + "; read in print order, uncertain"
        pending.append((row, cands, note, ids))

    for row, cands, _note, ids in pending:
        res.tables.update(_values(index, row, cands[0], ids))
    # a row with several readings: the one that breaks fewest relations of the whole table wins
    chosen: list[tuple[list[Slot], bool]] = []
    for row, cands, _note, ids in pending:
        if len(cands) < 2:
            chosen.append((cands[0], False))
            continue
        scored = []
        for c in cands:
            res.tables.update(_values(index, row, c, ids))
            scored.append((len(check_arithmetic(res.tables, fmt)), c))
        best_score = min(sc for sc, _ in scored)
        best = [c for sc, c in scored if sc == best_score]
        res.tables.update(_values(index, row, best[0], ids))
        chosen.append((best[0], len(best) > 1))
        if len(best) > 1:
            res.problems.append(
                f"row {ids[0].rsplit('.', 1)[0]}: {len(best)} readings fit the arithmetic equally; first kept, marked uncertain"
            )
    for (row, _cands, note, ids), (cand, tie) in zip(pending, chosen, strict=True):
        _record(res, index, row, cand, note, ids, uncertain=tie or "uncertain" in (note or ""))
    _report_gaps(res, fmt)


def _from_yuan(index: dict, fid: str, row: Row, slot: Slot) -> bool:
    if slot is None or index[fid].type != "decimal":
        return False
    return slot.cell.unit == "元" or (slot.cell.unit is None and row.amount_unit == "元")


def _values(index: dict, row: Row, cand: list[Slot], ids: list[str]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    money = row.table == "t2"
    for fid, slot in zip(ids, cand, strict=True):
        v = None if slot is None or slot.cell.kind != "num" else slot.cell.value
        if v is None:
            out[fid] = None
        elif money and _from_yuan(index, fid, row, slot):
            out[fid] = round(v / 10_000, 6)
        else:
            out[fid] = int(v) if (v == int(v) and index[fid].type == "int") else v
    return out


def _record(
    res: TablesResult, index: dict, row: Row, cand: list[Slot], note: str | None, ids: list[str], uncertain: bool
) -> None:
    """Where each value of a row's chosen reading came from (the values are already in ``res.tables``)."""
    label_line = row.label.line if row.label else None
    for fid, slot in zip(ids, cand, strict=True):
        cell_note = note
        if row.table == "t2" and _from_yuan(index, fid, row, slot):
            cell_note = (note + "; " if note else "") + "converted from 元 to 万元"
        v = res.tables[fid]
        if v is not None and type(v) is float and index[fid].type == "int":
            res.problems.append(f"{fid}: non-integer count {slot.text!r} kept as printed")
        line = slot.line if slot is not None else label_line
        res.provenance[fid] = CellSource(
            slot.text if slot is not None else "",
            line.lineno if line else None,
            line.page if line else None,
            cell_note,
            uncertain,
        )


_TABLE_NAMES = {"t2": "表二 主动公开", "t3": "表三 收到和处理申请", "t4": "表四 行政复议/诉讼"}


@cache
def _table_field_ids(fmt: str, table: str) -> tuple[str, ...]:
    return tuple(i for i in field_ids(fmt) if i.startswith(table + "."))


def _report_gaps(res: TablesResult, fmt: str) -> None:
    for t, name in _TABLE_NAMES.items():
        ids = _table_field_ids(fmt, t)
        got = [i for i in ids if i in res.tables]
        if not got:
            res.problems.append(f"{name}: table not found")
        elif len(got) < len(ids):
            rows = sorted({i.rsplit(".", 1)[0] for i in ids if i not in res.tables})
            res.problems.append(f"{name}: rows not found: {', '.join(rows)}")
    inferred = sorted({s.inferred for s in res.provenance.values() if s.inferred})
    for note in inferred:
        cells = [f for f, s in res.provenance.items() if s.inferred == note]
        target = res.problems if "uncertain" in note else res.notes
        target.append(f"inferred alignment ({len(cells)} cells, e.g. {cells[0]}): {note}")
