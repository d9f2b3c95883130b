"""Write ``metrics.json``, ``errors.json`` and a self-contained ``report.html``.

The HTML page is for people: it opens offline from a single file (inline CSS,
figures as base64 PNG, no scripts), shows every compared system side by side,
and puts the worst errors next to the text they came from.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path
from typing import Any

from . import plots
from .html_errors import narrative_errors, table_errors, validation_table
from .html_scores import (
    SUMMARY_ROWS,
    compare_table,
    img,
    kpis,
    label_table,
    num,
    per_doc_table,
    tables_matrix,
)

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:0;color:#1f2328;background:#f6f8fa;font-size:14px;line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:20px 28px 60px}
h1{font-size:24px;margin:8px 0 2px}h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid #d0d7de}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:#57606a;font-size:12.5px}.meta b{color:#1f2328;font-weight:600}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:14px 16px;margin:10px 0}
table{border-collapse:collapse;font-size:13px;background:#fff}
th,td{padding:4px 10px;border-bottom:1px solid #e6e9ec;text-align:right;vertical-align:top}
th{background:#f0f3f6;font-weight:600}th:first-child,td:first-child{text-align:left}
td.l,th.l{text-align:left}tr.sub td:first-child{padding-left:22px;color:#57606a}
.best{font-weight:700;color:#0a6b2f}.na{color:#aab}
.kpis{display:flex;gap:12px;flex-wrap:wrap}
.kpi{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 14px;min-width:150px}
.kpi .v{font-size:22px;font-weight:700}.kpi .k{color:#57606a;font-size:12px}.kpi .s{font-size:11px;color:#57606a}
.grid{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
img{max-width:100%;height:auto;display:block}.heat{flex:1 1 480px;max-width:560px}
.banner{padding:10px 14px;border-radius:8px;margin:12px 0;font-weight:600}
.pass{background:#dafbe1;border:1px solid #4ac26b}.fail{background:#ffebe9;border:1px solid #ff8182}
.badge{display:inline-block;padding:0 6px;border-radius:9px;font-size:11px;font-weight:600;color:#fff}
.b-missed{background:#cf222e}.b-spurious{background:#bc4c00}.b-label{background:#8250df}.b-boundary{background:#0969da}
.b-wrong{background:#cf222e}.b-missing{background:#bc4c00}.b-extra{background:#8250df}
.ctx{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;text-align:left;max-width:560px}
mark{background:#fff3a3;padding:0 2px;border-radius:3px;font-weight:600}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
details summary{cursor:pointer;color:#0969da;margin:6px 0}
.small{font-size:12px;color:#57606a}.note{max-width:420px}
th[colspan]{text-align:center;border-left:2px solid #fff}
td.ok,td.bad,td.warn{white-space:nowrap}.chart{flex:1 1 420px;max-width:640px}
td.ok{color:#1a7f37;font-weight:600}td.bad{color:#cf222e;font-weight:600}td.warn{color:#bc4c00;font-weight:600}
.wide{flex:1 1 600px}
"""


def _section(title: str, body: str) -> str:
    return f"<h2>{escape(title)}</h2>{body}"


def _per_system(metrics: Mapping[str, Any], fn: Callable[[str, Any], str]) -> str:
    return "".join(fn(n, m) for n, m in metrics["systems"].items())


def render_html(metrics: Mapping[str, Any], errors: Mapping[str, Any]) -> str:
    run, gold, systems = metrics["run"], metrics["gold"], metrics["systems"]
    model = run.get("model") or {}
    model_s = " ".join(x for x in (model.get("name"), model.get("version")) if x) or "—"
    meta = (
        f'<div class="meta"><b>{gold["documents"]}</b> gold reports · <b>{gold["table_cells"]}</b> table cells · '
        f"<b>{gold['mentions']}</b> narrative mentions · systems <b>{escape(', '.join(systems))}</b> · "
        f"model <b>{escape(model_s)}</b><br>gongkai {escape(run['gongkai_version'])} · {escape(run['date'])} · "
        f"gold <code>{escape(run['gold_dir'])}</code><br><code>{escape(run['command'])}</code></div>"
    )
    parts = [f"<h1>gongkai evaluation</h1>{meta}"]
    th = metrics.get("thresholds")
    if th:
        # when some fail, name only those; when all pass, name what was checked
        shown = [c for c in th["checks"] if not c["ok"]] or th["checks"]
        checks = "; ".join(
            f"{c['system']}: {c['label']} {num(c['value'])} {'≥' if c['ok'] else '<'} {c['min']}" for c in shown
        )
        cls, word = ("pass", "Thresholds met") if th["passed"] else ("fail", "Thresholds NOT met")
        parts.append(f'<div class="banner {cls}">{word}: {escape(checks)}</div>')
    parts.append(_per_system(metrics, kpis))
    scores = (
        f'<div class="card"><h3>All scores</h3>{compare_table(systems, SUMMARY_ROWS)}'
        '<p class="small note">Strict: same start, end and label (one-to-one). Partial: overlapping span, '
        "same label. Value: same label and value, offsets ignored. Best system per row in bold.</p></div>"
        f'<div class="card"><h3>Table cells</h3>{tables_matrix(systems)}<p class="small note">Per cell over the '
        "union of gold and predicted field ids: a missing or extra cell is an error, null ≠ 0.</p></div>"
    )
    parts.append(_section("Scores", f'<div class="grid">{scores}</div>'))
    used = [lab for lab in _labels(metrics)]
    bars = plots.label_f1_bars(systems, used)
    parts.append(
        _section(
            "Narrative per label",
            f'<div class="grid"><div class="card chart">{img(bars, "per-label F1")}'
            f'</div><div class="card">{label_table(metrics, used)}</div></div>',
        )
    )
    shared = {lab for m in systems.values() for lab in m["narrative"]["confusion"]["labels"]} - {"NONE"}
    shared_labels = [lab for lab in used if lab in shared] + sorted(shared - set(used)) + ["NONE"]
    heat = [
        plots.confusion_heatmap(m["narrative"]["confusion"], n, shared_labels) for n, m in systems.items()
    ]
    parts.append(
        _section(
            "Label confusion (gold rows × predicted columns)",
            '<div class="grid">'
            + "".join(f'<div class="card heat">{img(h, "confusion")}</div>' for h in heat if h)
            + "</div>",
        )
    )
    rel = plots.reliability_plot(systems)
    cal_rows = [
        ("mentions with confidence", "calibration.n", None),
        ("without (skipped)", "calibration.skipped", None),
        ("ECE", "calibration.ece", "min"),
        ("share correct", "calibration.accuracy", "max"),
        ("mean confidence", "calibration.mean_confidence", None),
    ]
    parts.append(
        _section(
            "Calibration",
            f'<div class="grid"><div class="card chart">{img(rel, "reliability") or "<p class=small>No confidences reported.</p>"}'
            f'</div><div class="card">{compare_table(systems, cal_rows)}</div></div>',
        )
    )
    val_rows = [
        ("true findings", "validation.true", "max"),
        ("false findings", "validation.false", "min"),
        ("missed findings", "validation.missed", "min"),
        ("precision", "validation.precision", "max"),
        ("recall", "validation.recall", "max"),
    ]
    parts.append(
        _section(
            "Validation findings vs gold",
            f'<div class="grid"><div class="card">{compare_table(systems, val_rows)}</div>'
            f'<div class="card wide">{validation_table(errors)}</div></div>',
        )
    )
    parts.append(_section("Per report", f'<div class="card">{per_doc_table(metrics)}</div>'))
    for name in systems:
        parts.append(
            _section(
                f"Worst narrative errors — {name}",
                f'<div class="card">{narrative_errors(errors[name]["narrative"])}</div>',
            )
        )
        parts.append(
            _section(
                f"Table errors — {name}", f'<div class="card">{table_errors(errors[name]["tables"])}</div>'
            )
        )
    files = "".join(
        f"<tr><td><code>{escape(d)}</code></td><td class=l><code>{f['gold_sha256'][:16]}</code></td>"
        f"<td class=l><code>{escape(f['source'])}</code> <code>{f['source_sha256'][:16]}</code></td></tr>"
        for d, f in run["files"].items()
    )
    parts.append(
        f"<details><summary>Input files (sha256)</summary><table><tr><th>doc</th><th class=l>gold</th>"
        f"<th class=l>source</th></tr>{files}</table></details>"
    )
    body = "\n".join(parts)
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>gongkai evaluation</title>'
        f"<style>{CSS}</style></head><body><main>{body}</main></body></html>"
    )


def _labels(metrics: Mapping[str, Any]) -> list[str]:
    """Labels with gold or predicted mentions in any system, in spec order."""
    from gongkai.spec import LABELS

    used = set(metrics["gold"]["mentions_by_label"])
    for m in metrics["systems"].values():
        used |= {k for k, v in m["narrative"]["strict"]["per_label"].items() if v["f1"] is not None}
    return [lab for lab in LABELS if lab in used] + sorted(used - set(LABELS))


def write_outputs(metrics: Mapping[str, Any], errors: Mapping[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write the three files into ``out_dir`` and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "metrics": out_dir / "metrics.json",
        "errors": out_dir / "errors.json",
        "html": out_dir / "report.html",
    }
    paths["metrics"].write_text(
        json.dumps(metrics, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    paths["errors"].write_text(json.dumps(errors, ensure_ascii=False, indent=1), encoding="utf-8")
    paths["html"].write_text(render_html(metrics, errors), encoding="utf-8")
    return paths
