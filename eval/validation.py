"""Are the validator's findings on extracted data the report's own, or extraction errors?

The same checks (``gongkai.extraction.validate.check_report``) run on the gold
and on the predicted tables/narrative of each report. Findings are compared by
their relation id: a finding also raised on gold is *true* (the report itself
breaks the relation), one raised only on the prediction is *false* (an
extraction error made it up), one raised only on gold is *missed*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from gongkai.extraction.validate import check_report


def _findings(
    tables: Mapping[str, Any], fmt: str | None, narrative: Sequence[Mapping[str, Any]], text: str | None
):
    return {f.relation: f for f in check_report(tables, fmt, narrative, text)}


def compare_doc(
    gold: Mapping[str, Any], pred: Mapping[str, Any], text: str | None
) -> dict[str, list[dict[str, Any]]]:
    """``{"true": [...], "false": [...], "missed": [...]}`` of finding dicts for one report."""
    g = _findings(
        gold.get("tables") or {}, (gold.get("meta") or {}).get("format"), gold.get("narrative") or [], text
    )
    p = _findings(
        pred.get("tables") or {}, (pred.get("meta") or {}).get("format"), pred.get("narrative") or [], text
    )
    return {
        "true": [dict(asdict(p[r]), gold_message=g[r].message) for r in sorted(p.keys() & g.keys())],
        "false": [asdict(p[r]) for r in sorted(p.keys() - g.keys())],
        "missed": [asdict(g[r]) for r in sorted(g.keys() - p.keys())],
    }


def summarize(per_doc: Mapping[str, Mapping[str, list]]) -> dict[str, Any]:
    """Corpus counts, precision (true / raised) and recall (true / in gold)."""
    t = sum(len(d["true"]) for d in per_doc.values())
    f = sum(len(d["false"]) for d in per_doc.values())
    m = sum(len(d["missed"]) for d in per_doc.values())
    by_kind: dict[str, dict[str, int]] = {}
    for d in per_doc.values():
        for outcome in ("true", "false", "missed"):
            for finding in d[outcome]:
                k = by_kind.setdefault(finding["kind"], {"true": 0, "false": 0, "missed": 0})
                k[outcome] += 1
    return {
        "true": t,
        "false": f,
        "missed": m,
        "precision": t / (t + f) if t + f else None,
        "recall": t / (t + m) if t + m else None,
        "by_kind": dict(sorted(by_kind.items())),
        "reports_with_false_findings": sum(bool(d["false"]) for d in per_doc.values()),
    }
