"""Per-cell exact-match scoring of the three standard tables.

The unit is the cell, over the union of the gold and predicted field ids of a
report: a gold cell the extractor did not produce is an error ("missing"), and
so is a cell it produced that gold does not have ("extra"), so a whole table
that is missing or invented counts every one of its cells. ``null`` (printed
blank, —, /, 无) is a value of its own: ``null`` vs ``0`` is an error. Amounts
(``*.amount``, 万元 as decimals) match within 1e-6; every other cell must be
equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

AMOUNT_TOL = 1e-6
TABLES = ("t2", "t3", "t4")

ErrorKind = Literal["wrong", "missing", "extra"]


@dataclass
class TableError:
    doc_id: str
    field: str
    kind: ErrorKind
    gold: Any
    pred: Any
    cell_text: str | None = None  # what the extractor read, from its provenance
    line: int | None = None
    snippet: str | None = None  # the source line the cell came from

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Counts:
    cells: int = 0
    correct: int = 0
    wrong: int = 0
    missing: int = 0
    extra: int = 0

    def add(self, kind: ErrorKind | None) -> None:
        self.cells += 1
        if kind is None:
            self.correct += 1
        else:
            setattr(self, kind, getattr(self, kind) + 1)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = asdict(self)
        d["accuracy"] = self.correct / self.cells if self.cells else None
        return d


@dataclass
class DocTables:
    """Scores of one report."""

    doc_id: str
    overall: Counts = field(default_factory=Counts)
    per_table: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TABLES})
    errors: list[TableError] = field(default_factory=list)

    @property
    def all_correct(self) -> bool:
        return self.overall.cells > 0 and self.overall.correct == self.overall.cells


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def cells_equal(field_id: str, gold: Any, pred: Any) -> bool:
    """Exact match, except amounts within ``AMOUNT_TOL``; ``None`` equals only ``None``."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if not (_is_number(gold) and _is_number(pred)):
        return gold == pred
    if field_id.endswith(".amount"):
        return abs(float(gold) - float(pred)) <= AMOUNT_TOL
    return float(gold) == float(pred)


def _source_line(text: str | None, line: int | None) -> str | None:
    if not text or not line or line < 1:
        return None
    lines = text.splitlines()
    return lines[line - 1].strip()[:200] if line <= len(lines) else None


def score_doc(
    doc_id: str,
    gold: Mapping[str, Any],
    pred: Mapping[str, Any],
    provenance: Mapping[str, Any] | None = None,
    text: str | None = None,
) -> DocTables:
    """Score one report's predicted cells against its gold cells."""
    out = DocTables(doc_id)
    provenance = provenance or {}
    for fid in sorted(set(gold) | set(pred)):
        table = fid.split(".", 1)[0]
        kind: ErrorKind | None
        if fid not in pred:
            kind = "missing"
        elif fid not in gold:
            kind = "extra"
        else:
            kind = None if cells_equal(fid, gold[fid], pred[fid]) else "wrong"
        out.overall.add(kind)
        out.per_table.setdefault(table, Counts()).add(kind)
        if kind is not None:
            prov = provenance.get(fid) or {}
            line = prov.get("line") if isinstance(prov, Mapping) else None
            out.errors.append(
                TableError(
                    doc_id=doc_id,
                    field=fid,
                    kind=kind,
                    gold=gold.get(fid),
                    pred=pred.get(fid),
                    cell_text=prov.get("text") if isinstance(prov, Mapping) else None,
                    line=line,
                    snippet=_source_line(text, line),
                )
            )
    return out


def summarize(docs: Sequence[DocTables]) -> dict[str, Any]:
    """Corpus totals. ``reports`` counts only reports with at least one cell on either side."""
    overall, per_table = Counts(), {t: Counts() for t in TABLES}
    for d in docs:
        for k in ("cells", "correct", "wrong", "missing", "extra"):
            setattr(overall, k, getattr(overall, k) + getattr(d.overall, k))
            for t, c in d.per_table.items():
                acc = per_table.setdefault(t, Counts())
                setattr(acc, k, getattr(acc, k) + getattr(c, k))
    scored = [d for d in docs if d.overall.cells]
    all_ok = sum(d.all_correct for d in scored)
    return {
        "overall": overall.to_json(),
        "per_table": {t: c.to_json() for t, c in per_table.items()},
        "reports": {
            "scored": len(scored),
            "all_correct": all_ok,
            "share_all_correct": all_ok / len(scored) if scored else None,
        },
    }
