"""Random gold-format records: the numbers a synthetic report prints.

Values follow what real reports show: most cells 0, a few busy rows, table 2
decisions into the tens of thousands, amounts in 万元 with up to 4 decimals.
Tables 3 and 4 satisfy every template relation unless ``break_arithmetic``
asks for one misprinted cell, so the validator and the extractor can be tested
against known answers.
"""

from __future__ import annotations

import random
from typing import Any

from gongkai.extraction.validate import check_arithmetic
from gongkai.spec import T3_APPLICANT_COLS, T4_COLS, T4_GROUPS, field_ids, t3_result_rows

from .names import random_agency

YEARS = {"2019": (2019, 2020), "2021": (2021, 2022, 2023, 2024, 2025)}

# Relative frequency of each result row among handled applications (real reports: mostly
# granted or "not held"; secrets and enforcement files are rare).
_RESULT_WEIGHTS = {
    "granted": 40,
    "partial": 8,
    "denied.state_secret": 0.3,
    "denied.law_forbidden": 1,
    "denied.safety_stability": 0.5,
    "denied.third_party": 3,
    "denied.internal_affairs": 2,
    "denied.process_info": 2,
    "denied.enforcement_file": 0.7,
    "denied.inquiry": 1,
    "unable.not_held": 20,
    "unable.need_create": 2,
    "unable.unclear": 3,
    "not_processed.petition": 3,
    "not_processed.duplicate": 4,
    "not_processed.publication": 1,
    "not_processed.massive": 1,
    "not_processed.confirm": 1,
    "other_handling": 4,
    "other_handling.no_correction": 3,
    "other_handling.no_fee": 0.4,
    "other_handling.other": 2,
}
# Share of applicants by column: natural persons dominate.
_APPLICANT_WEIGHTS = {
    "natural_person": 85,
    "commercial": 9,
    "research": 0.7,
    "social_welfare": 0.6,
    "legal_service": 2.5,
    "other_org": 2.2,
}


def _skewed(rng: random.Random, hi: int, p_zero: float = 0.5) -> int:
    """0 with probability ``p_zero``, else log-uniform in 1..hi (small numbers far more common)."""
    if hi <= 0 or rng.random() < p_zero:
        return 0
    return min(hi, int(10 ** rng.uniform(0, len(str(hi)) - 1 + rng.random())))


def _amount(rng: random.Random, max_yuan: int) -> float:
    """An amount in 万元 from a whole number of 元 (so at most 4 decimals, exactly representable)."""
    yuan = _skewed(rng, max_yuan, p_zero=0.45)
    if yuan and rng.random() < 0.4:  # round sums are common
        yuan = round(yuan, -min(len(str(yuan)) - 1, rng.choice([2, 3, 4])))
    return yuan / 10000 if yuan % 10000 else yuan // 10000


def _t2_2019(rng: random.Random, busy: float) -> dict[str, Any]:
    t: dict[str, Any] = {}
    made = _skewed(rng, 5, 0.9)
    t["t2.regulations.made"] = made
    t["t2.regulations.published"] = made
    t["t2.regulations.total"] = made + _skewed(rng, 60, 0.8)
    made = _skewed(rng, int(40 * busy) + 3, 0.35)
    pub = made if rng.random() < 0.8 else made + _skewed(rng, 5, 0.3)
    t["t2.normative_docs.made"] = made
    t["t2.normative_docs.published"] = pub
    t["t2.normative_docs.total"] = pub + (_skewed(rng, 300, 0.4) if rng.random() < 0.7 else 0)
    for row, hi_items, hi_dec in (
        ("licensing", 1500, 100000),
        ("other_services", 800, 50000),
        ("penalty", 3000, 20000),
        ("coercion", 200, 2000),
    ):
        prev = _skewed(rng, int(hi_items * busy) + 1, 0.45)
        change = 0
        if rng.random() < 0.35:
            change = rng.randint(-min(prev, 60), 60)
        t[f"t2.{row}.prev_items"] = prev
        t[f"t2.{row}.change"] = change
        t[f"t2.{row}.decisions"] = _skewed(rng, int(hi_dec * busy) + 1, 0.5)
    prev = _skewed(rng, 40, 0.5)
    t["t2.fees.prev_items"] = prev
    t["t2.fees.change"] = rng.randint(-min(prev, 5), 3) if rng.random() < 0.3 else 0
    items = _skewed(rng, int(300 * busy) + 1, 0.5)
    t["t2.procurement.items"] = items
    t["t2.procurement.amount"] = _amount(rng, 2_000_000_000) if items else 0
    return t


def _t2_2021(rng: random.Random, busy: float) -> dict[str, Any]:
    t: dict[str, Any] = {}
    for row, hi, p0 in (("regulations", 5, 0.9), ("normative_docs", int(50 * busy) + 3, 0.35)):
        made = _skewed(rng, hi, p0)
        t[f"t2.{row}.made"] = made
        t[f"t2.{row}.repealed"] = _skewed(rng, hi, 0.7)
        t[f"t2.{row}.valid"] = made + _skewed(rng, hi * 8, 0.3)
    t["t2.licensing.decisions"] = _skewed(rng, int(100000 * busy) + 1, 0.45)
    t["t2.penalty.decisions"] = _skewed(rng, int(20000 * busy) + 1, 0.5)
    t["t2.coercion.decisions"] = _skewed(rng, int(2000 * busy) + 1, 0.6)
    t["t2.fees.amount"] = _amount(rng, 500_000_000)
    return t


def _spread(rng: random.Random, n: int, keys: list[str], weights: list[float]) -> dict[str, int]:
    """Split ``n`` over ``keys``: a handful of active keys get everything, the rest stay 0."""
    out = dict.fromkeys(keys, 0)
    if n <= 0:
        return out
    k = min(len(keys), max(1, min(n, rng.choice([1, 2, 2, 3, 3, 4, 5, 7]))))
    active: list[str] = []
    pool, w = list(keys), list(weights)
    while len(active) < k:
        i = rng.choices(range(len(pool)), weights=w)[0]
        active.append(pool.pop(i))
        w.pop(i)
    aw = [weights[keys.index(a)] for a in active]
    for a in active:  # every active key gets at least one
        out[a] += 1
    rest = n - len(active)
    if rest > 2000:  # large counts: proportional shares, remainder randomly
        tot = sum(aw)
        shares = [int(rest * x / tot * rng.uniform(0.7, 1.3)) for x in aw]
        while sum(shares) > rest:
            j = max(range(len(shares)), key=shares.__getitem__)
            shares[j] -= sum(shares) - rest
        for a, s in zip(active, shares, strict=True):
            out[a] += s
        rest -= sum(shares)
    for a in rng.choices(active, weights=aw, k=rest):
        out[a] += 1
    return out


def _t3(rng: random.Random, fmt: str, scale: int) -> dict[str, int]:
    t: dict[str, int] = {}
    cols = list(T3_APPLICANT_COLS)
    cw = [_APPLICANT_WEIGHTS[c] for c in cols]
    new = _spread(rng, scale, cols, cw)
    carried = _spread(rng, _skewed(rng, max(1, scale // 8), 0.6), cols, cw) if scale else dict.fromkeys(cols, 0)
    rows = list(t3_result_rows(fmt))
    rw = [_RESULT_WEIGHTS[r] for r in rows]
    results = {r: dict.fromkeys(cols, 0) for r in rows}
    forward = dict.fromkeys(cols, 0)
    for c in cols:
        avail = new[c] + carried[c]
        fwd = _skewed(rng, max(0, avail // 6), 0.6) if avail else 0
        forward[c] = fwd
        for r, v in _spread(rng, avail - fwd, rows, rw).items():
            results[r][c] = v

    def put(row: str, vals: dict[str, int]) -> None:
        for c in cols:
            t[f"t3.{row}.{c}"] = vals[c]
        t[f"t3.{row}.total"] = sum(vals.values())

    put("new_received", new)
    put("carried_over", carried)
    for r in rows:
        put(r, results[r])
    put("total", {c: sum(results[r][c] for r in rows) for c in cols})
    put("carried_forward", forward)
    return t


def _t4(rng: random.Random, busy: float) -> dict[str, int]:
    t: dict[str, int] = {}
    for g, p0 in zip(T4_GROUPS, (0.6, 0.75, 0.85), strict=True):
        active = rng.random() > p0
        vals = [_skewed(rng, int(20 * busy) + 2, 0.5) if active else 0 for _ in T4_COLS[:-1]]
        for c, v in zip(T4_COLS[:-1], vals, strict=True):
            t[f"t4.{g}.{c}"] = v
        t[f"t4.{g}.total"] = sum(vals)
    return t


def _applications(rng: random.Random) -> int:
    kind = rng.choices(["none", "small", "medium", "large"], weights=[3, 5, 3, 1])[0]
    return {
        "none": lambda: 0,
        "small": lambda: rng.randint(1, 30),
        "medium": lambda: rng.randint(30, 500),
        "large": lambda: rng.randint(500, 6000),
    }[kind]()


def _blank_some(rng: random.Random, tables: dict[str, Any]) -> list[str]:
    """Turn a few zero cells into nulls (printed blank, —, / or 无); nulls count as 0 in every relation."""
    zeros = [k for k, v in tables.items() if v == 0]
    prefer = [k for k in zeros if k.startswith(("t2.", "t4."))]
    chosen = set(rng.sample(prefer, min(len(prefer), rng.randint(1, 4))))
    if zeros and rng.random() < 0.4:
        chosen.add(rng.choice(zeros))
    for k in chosen:
        tables[k] = None
    return sorted(chosen)


def _break_one(rng: random.Random, tables: dict[str, Any], fmt: str) -> tuple[str, list[str]]:
    """Misprint one cell; returns the cell and the relations that now fail.

    A table-4 cell sits in one relation. Every table-3 cell sits in two (its row sum and
    its column balance or results sum) and the relations of table 3 are linearly tied, so
    no change of table 3 can break exactly one of them: a table-3 typo breaks two.
    """
    t3_cells = [
        k for k in tables
        if k.startswith("t3.") and not k.startswith("t3.total.") and tables[k] is not None
    ]
    t4_cells = [k for k in tables if k.startswith("t4.") and tables[k] is not None]
    pool = t4_cells if (rng.random() < 0.5 or not t3_cells) else t3_cells
    cell = rng.choice(pool)
    v = tables[cell]
    delta = rng.choice([1, 1, 1, 2, 3, 10]) * (1 if v == 0 or rng.random() < 0.5 else -1)
    tables[cell] = max(0, v + delta) if v + delta >= 0 else v + abs(delta)
    broken = sorted(f.relation for f in check_arithmetic(tables, fmt))
    assert broken, cell
    return cell, broken


def random_record(
    rng: random.Random,
    fmt: str,
    *,
    doc_id: str,
    year: int | None = None,
    break_arithmetic: bool = False,
    blanks: bool = False,
) -> dict[str, Any]:
    """A gold record (every field id of ``fmt``) with consistent arithmetic unless asked otherwise.

    With ``break_arithmetic`` one cell is misprinted: ``record["_broken"]`` lists the relation ids
    that fail (one for a table-4 typo, two for a table-3 typo) and ``record["_typo"]`` the cell.
    """
    if fmt not in YEARS:
        raise ValueError(f"unknown format {fmt!r}")
    if year is None:
        year = rng.choice(YEARS[fmt])
    busy = rng.choice([0.02, 0.1, 0.3, 1.0])
    tables: dict[str, Any] = {}
    tables.update(_t2_2019(rng, busy) if fmt == "2019" else _t2_2021(rng, busy))
    tables.update(_t3(rng, fmt, _applications(rng)))
    tables.update(_t4(rng, busy))
    tables = {k: tables[k] for k in field_ids(fmt)}  # spec order; KeyError = a field not generated
    if check_arithmetic(tables, fmt):
        raise AssertionError("generator produced inconsistent tables")
    rec: dict[str, Any] = {
        "doc_id": doc_id,
        "source": f"{doc_id}.txt",
        "meta": {"year": year, "agency": random_agency(rng), "format": fmt},
        "tables": tables,
        "narrative": [],
    }
    if blanks:
        rec["_blanks"] = _blank_some(rng, tables)
    if break_arithmetic:
        rec["_typo"], rec["_broken"] = _break_one(rng, tables, fmt)
    return rec
