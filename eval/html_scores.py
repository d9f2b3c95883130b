"""HTML pieces of report.html that show scores: comparison tables, KPI cards, per-label, per-report.

Every table puts the compared systems side by side, one column (group) per
system, so a reader compares them along a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any


def num(v: Any, digits: int = 3) -> str:
    """Floats (rates) with fixed digits, ints (counts) as they are, None as a dash."""
    if v is None:
        return '<span class="na">—</span>'
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return escape(str(v))


def get(d: Any, path: str) -> Any:
    for k in path.split("."):
        if not isinstance(d, Mapping):
            return None
        d = d.get(k)
    return d


def compare_table(systems: Mapping[str, Any], rows: list[tuple[str, str, str | None]]) -> str:
    """Rows of (label, dotted path, "max"/"min"/None best), one column per system, best in bold."""
    names = list(systems)
    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    out = [f"<table><tr><th>metric</th>{head}</tr>"]
    for label, path, best in rows:
        vals = [get(systems[n], path) for n in names]
        nums = [v for v in vals if isinstance(v, int | float)]
        distinct = len(set(nums)) > 1
        target = (max(nums) if best == "max" else min(nums)) if (best and distinct) else None
        cls = ' class="sub"' if label.startswith("  ") else ""
        cells = "".join(
            f"<td{' class=best' if target is not None and v == target else ''}>{num(v)}</td>" for v in vals
        )
        out.append(f"<tr{cls}><td>{escape(label.strip())}</td>{cells}</tr>")
    out.append("</table>")
    return "".join(out)


SUMMARY_ROWS: list[tuple[str, str, str | None]] = [
    ("Table cells: accuracy", "tables.overall.accuracy", "max"),
    ("  表二 t2", "tables.per_table.t2.accuracy", "max"),
    ("  表三 t3", "tables.per_table.t3.accuracy", "max"),
    ("  表四 t4", "tables.per_table.t4.accuracy", "max"),
    ("Reports with every cell right", "tables.reports.share_all_correct", "max"),
    ("Narrative strict F1 (micro)", "narrative.strict.micro.f1", "max"),
    ("  precision", "narrative.strict.micro.precision", "max"),
    ("  recall", "narrative.strict.micro.recall", "max"),
    ("Narrative strict F1 (macro)", "narrative.strict.macro.f1", "max"),
    ("Narrative partial-overlap F1", "narrative.partial.micro.f1", "max"),
    ("Narrative value-level F1", "narrative.value.micro.f1", "max"),
    ("Calibration ECE", "calibration.ece", "min"),
    ("Validation findings: precision", "validation.precision", "max"),
    ("  recall", "validation.recall", "max"),
]

TABLE_PARTS: tuple[tuple[str, str], ...] = (
    ("overall", "all tables"),
    ("per_table.t2", "表二 t2"),
    ("per_table.t3", "表三 t3"),
    ("per_table.t4", "表四 t4"),
)


def tables_matrix(systems: Mapping[str, Any]) -> str:
    """Per table: accuracy and error counts, a column group per system."""
    cols = (("accuracy", "acc."), ("wrong", "wrong"), ("missing", "missing"), ("extra", "extra"))
    head = "".join(f'<th colspan="{len(cols)}">{escape(n)}</th>' for n in systems)
    sub = "".join(f"<th>{c}</th>" for _ in systems for _, c in cols)
    rows = [f'<table><tr><th rowspan="2">table</th>{head}</tr><tr>{sub}</tr>']
    for key, label in TABLE_PARTS:
        cells = ""
        for m in systems.values():
            c = get(m, f"tables.{key}") or {}
            cells += "".join(f"<td>{num(c.get(k))}</td>" for k, _ in cols)
        rows.append(f"<tr><td>{escape(label)}</td>{cells}</tr>")
    rows.append("</table>")
    return "".join(rows)


def kpis(name: str, m: Mapping[str, Any]) -> str:
    t, n = m["tables"], m["narrative"]
    items = [
        (
            "table cell accuracy",
            t["overall"]["accuracy"],
            f"{t['overall']['correct']}/{t['overall']['cells']} cells",
        ),
        (
            "reports all cells right",
            t["reports"]["share_all_correct"],
            f"{t['reports']['all_correct']}/{t['reports']['scored']} reports",
        ),
        (
            "narrative strict F1",
            n["strict"]["micro"]["f1"],
            f"TP {n['strict']['micro']['tp']} · FP {n['strict']['micro']['fp']} · FN {n['strict']['micro']['fn']}",
        ),
        ("narrative value F1", n["value"]["micro"]["f1"], "same label and value"),
        ("ECE", m["calibration"]["ece"], f"{m['calibration']['n']} mentions with confidence"),
    ]
    cells = "".join(
        f'<div class="kpi"><div class="k">{escape(k)}</div><div class="v">{num(v)}</div>'
        f'<div class="s">{escape(s)}</div></div>'
        for k, v, s in items
    )
    return f'<h3>{escape(name)}</h3><div class="kpis">{cells}</div>'


def img(b64: str | None, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{b64}">' if b64 else ""


def label_table(metrics: Mapping[str, Any], labels: list[str]) -> str:
    systems = metrics["systems"]
    gold_by = metrics["gold"]["mentions_by_label"]
    head = "".join(f'<th colspan="3">{escape(n)}</th>' for n in systems)
    sub = "".join("<th>P</th><th>R</th><th>F1</th>" for _ in systems)
    rows = [f'<table><tr><th rowspan="2">label</th><th rowspan="2">gold</th>{head}</tr><tr>{sub}</tr>']
    for lab in labels:
        cells = ""
        for m in systems.values():
            s = m["narrative"]["strict"]["per_label"].get(lab) or {}
            cells += "".join(f"<td>{num(s.get(k))}</td>" for k in ("precision", "recall", "f1"))
        rows.append(f"<tr><td><code>{escape(lab)}</code></td><td>{gold_by.get(lab, 0)}</td>{cells}</tr>")
    rows.append("</table>")
    return "".join(rows)


def per_doc_table(metrics: Mapping[str, Any]) -> str:
    systems = metrics["systems"]
    head = "".join(f'<th colspan="3">{escape(n)}</th>' for n in systems)
    sub = "".join("<th>cells right</th><th>mentions TP/FP/FN</th><th>false findings</th>" for _ in systems)
    rows = [
        f'<table><tr><th rowspan="2">doc</th><th rowspan="2" class=l>agency</th><th rowspan="2">format</th>{head}</tr><tr>{sub}</tr>'
    ]
    for doc_id, f in metrics["run"]["files"].items():
        fmt = f.get("format")
        cells = ""
        for m in systems.values():
            d = m["per_doc"][doc_id]
            t, n = d["tables"], d.get("narrative", {})
            status = d.get("status")
            flag = (
                f' <span class="badge b-missed">{escape(status)}</span>'
                if status in ("failed", "missing")
                else ""
            )
            cells += (
                f"<td>{t['correct']}/{t['cells']}{flag}</td>"
                f"<td>{n.get('tp', 0)}/{n.get('fp', 0)}/{n.get('fn', 0)}</td>"
                f"<td>{d.get('findings', {}).get('false', 0)}</td>"
            )
        agency = escape(f"{f.get('agency') or ''} {f.get('year') or ''}".strip())
        rows.append(
            f"<tr><td><code>{escape(doc_id)}</code></td><td class=l>{agency}</td><td>{escape(str(fmt))}</td>{cells}</tr>"
        )
    rows.append("</table>")
    return "".join(rows)
