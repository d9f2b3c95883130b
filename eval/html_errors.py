"""HTML pieces of report.html that show errors next to the text they came from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from html import escape
from typing import Any

from .html_scores import num

MAX_ERRORS = 40


def ctx(c: Mapping[str, str] | None) -> str:
    if not c:
        return '<span class="na">(no text)</span>'
    return f"{escape(c['before'])}<mark>{escape(c['span'])}</mark>{escape(c['after'])}"


def mention(m: Mapping[str, Any] | None, conf: bool = False) -> str:
    if not m:
        return '<span class="na">—</span>'
    extra = (
        f' <span class="small">{m["confidence"]:.2f}</span>'
        if conf and m.get("confidence") is not None
        else ""
    )
    return f"<code>{escape(m['label'])}</code> {escape(str(m.get('text', '')))}{extra}"


_KIND_ORDER = {"label": 0, "spurious": 1, "missed": 2, "boundary": 3}


def narrative_errors(errs: list[dict[str, Any]]) -> str:
    """Most damaging first: confident label errors and spurious mentions, then misses."""
    if not errs:
        return "<p class=small>No narrative errors.</p>"
    ranked = sorted(
        errs,
        key=lambda e: (
            _KIND_ORDER[e["kind"]],
            -((e.get("pred") or {}).get("confidence") or 0.0),
            e["doc_id"],
        ),
    )
    rows = [
        "<table><tr><th>kind</th><th class=l>doc</th><th class=l>gold</th><th class=l>predicted (conf.)</th>"
        "<th class=l>context</th></tr>"
    ]
    for e in ranked[:MAX_ERRORS]:
        rows.append(
            f'<tr><td class=l><span class="badge b-{e["kind"]}">{e["kind"]}</span></td>'
            f"<td class=l><code>{escape(e['doc_id'])}</code></td><td class=l>{mention(e['gold'])}</td>"
            f'<td class=l>{mention(e["pred"], conf=True)}</td><td class="ctx">{ctx(e["context"])}</td></tr>'
        )
    rows.append("</table>")
    more = len(ranked) - MAX_ERRORS
    if more > 0:
        rows.append(f"<p class=small>{more} more in errors.json.</p>")
    return "".join(rows)


def table_errors(errs: list[dict[str, Any]]) -> str:
    """Wrong values first; a table missing or invented as a whole is one row, not fifteen."""
    if not errs:
        return "<p class=small>No table errors.</p>"
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in errs:
        groups[(e["doc_id"], e["field"].split(".", 1)[0], e["kind"])].append(e)
    shown: list[tuple[int, str]] = []
    for (doc, table, kind), es in groups.items():
        badge = f'<span class="badge b-{kind}">{kind}</span>'
        if kind != "wrong" and len(es) > 3:
            shown.append(
                (
                    1,
                    f"<tr><td class=l>{badge}</td><td class=l><code>{escape(doc)}</code></td>"
                    f"<td class=l><code>{table}.*</code></td><td colspan=3 class=l>"
                    f"{len(es)} cells {kind} (e.g. <code>{escape(es[0]['field'])}</code>)</td></tr>",
                )
            )
            continue
        for e in es:
            snip = escape(e.get("snippet") or e.get("cell_text") or "")
            if e.get("line"):
                snip = f'<span class="small">line {e["line"]}:</span> {snip}'
            shown.append(
                (
                    0 if kind == "wrong" else 2,
                    f"<tr><td class=l>{badge}</td><td class=l><code>{escape(doc)}</code></td>"
                    f"<td class=l><code>{escape(e['field'])}</code></td><td>{num(e['gold'])}</td>"
                    f"<td>{num(e['pred'])}</td><td class=ctx>{snip}</td></tr>",
                )
            )
    shown.sort(key=lambda x: x[0])
    rows = [
        "<table><tr><th>kind</th><th class=l>doc</th><th class=l>field</th><th>gold</th><th>pred</th>"
        "<th class=l>source</th></tr>"
    ]
    rows += [r for _, r in shown[:MAX_ERRORS]]
    rows.append("</table>")
    if len(shown) > MAX_ERRORS:
        rows.append(f"<p class=small>{len(shown) - MAX_ERRORS} more rows; all errors in errors.json.</p>")
    return "".join(rows)


_OUTCOME = {"true": ("raised ✓", "ok"), "false": ("raised ✗", "bad"), "missed": ("missed", "warn")}


def validation_table(errors: Mapping[str, Any]) -> str:
    """One row per (report, relation) found on either side; one column per system."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for name, errs in errors.items():
        for doc, d in errs["validation"].items():
            for outcome, findings in d.items():
                for f in findings:
                    r = rows.setdefault((doc, f["relation"]), {"in_gold": False, "message": None, "by": {}})
                    r["by"][name] = outcome
                    if outcome != "false":
                        r["in_gold"] = True
                        r["message"] = f.get("gold_message") or f["message"]
                    r["message"] = r["message"] or f["message"]
    if not rows:
        return "<p class=small>No findings on gold or on any system's output.</p>"
    names = list(errors)
    order = sorted(rows.items(), key=lambda kv: (not kv[1]["in_gold"], -len(kv[1]["by"]), kv[0]))
    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    out = [
        f"<table><tr><th class=l>doc</th><th class=l>relation</th><th>in gold</th>{head}"
        "<th class=l>message (gold's where it has one)</th></tr>"
    ]
    for (doc, rel), r in order[:MAX_ERRORS]:
        cells = ""
        for n in names:
            text, cls = _OUTCOME.get(r["by"].get(n, ""), ("", ""))
            cells += f'<td class="{cls}">{text}</td>'
        out.append(
            f"<tr><td class=l><code>{escape(doc)}</code></td><td class=l><code>{escape(rel)}</code></td>"
            f"<td>{'yes' if r['in_gold'] else ''}</td>{cells}<td class=l>{escape(r['message'] or '')}</td></tr>"
        )
    out.append("</table>")
    if len(order) > MAX_ERRORS:
        out.append(f"<p class=small>{len(order) - MAX_ERRORS} more in errors.json.</p>")
    return "".join(out)
