"""The report's own arithmetic (勾稽关系) and prose-vs-table contradictions.

A failed relation is a finding about the report, not an extraction error: real
reports print totals that are not the sums of their parts. The relations are
the ones the templates state; a relation is checked only when every cell it
names is present (a blank cell, ``null``, counts as 0, as the templates do).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from gongkai.spec import T3_APPLICANT_COLS, T3_COLS, T4_COLS, T4_GROUPS, t3_result_rows, t3_rows

from .record import Finding

Tables = Mapping[str, float | None]


def _sum(tables: Tables, keys: Sequence[str]) -> float:
    return sum((tables[k] or 0) for k in keys)


def _relation(
    tables: Tables, relation: str, desc: str, lhs: Sequence[str], rhs: Sequence[str]
) -> Finding | None:
    if any(k not in tables for k in (*lhs, *rhs)):
        return None
    lv, rv = _sum(tables, lhs), _sum(tables, rhs)
    if abs(lv - rv) < 1e-9:
        return None
    return Finding(
        kind="arithmetic",
        relation=relation,
        message=f"{desc}: {lv:g} ≠ {rv:g}",
        lhs=lv,
        rhs=rv,
        fields=[*lhs, *rhs],
    )


@cache
def relations(fmt: str) -> tuple[tuple[str, str, list[str], list[str]], ...]:
    """Every relation of a format as (id, description, lhs fields, rhs fields); built once per format."""
    return tuple(_relations(fmt))


def _relations(fmt: str) -> Iterable[tuple[str, str, list[str], list[str]]]:
    for r in t3_rows(fmt):
        yield (
            f"t3.row_sum:{r}",
            f"表三 {r}: 六类申请人之和 = 总计",
            [f"t3.{r}.{c}" for c in T3_APPLICANT_COLS],
            [f"t3.{r}.total"],
        )
    for c in T3_COLS:
        yield (
            f"t3.balance:{c}",
            f"表三 {c}列: 第一项 + 第二项 = 第三项(七)总计 + 第四项",
            [f"t3.new_received.{c}", f"t3.carried_over.{c}"],
            [f"t3.total.{c}", f"t3.carried_forward.{c}"],
        )
        yield (
            f"t3.results_sum:{c}",
            f"表三 {c}列: (七)总计 = (一)至(六)之和",
            [f"t3.total.{c}"],
            [f"t3.{r}.{c}" for r in t3_result_rows(fmt)],
        )
    for g in T4_GROUPS:
        yield (
            f"t4.group_total:{g}",
            f"表四 {g}: 总计 = 维持 + 纠正 + 其他 + 尚未审结",
            [f"t4.{g}.total"],
            [f"t4.{g}.{c}" for c in T4_COLS[:-1]],
        )


def check_arithmetic(tables: Tables, fmt: str | None) -> list[Finding]:
    if fmt is None:
        return []
    out = []
    for rel, desc, lhs, rhs in relations(fmt):
        f = _relation(tables, rel, desc, lhs, rhs)
        if f is not None:
            out.append(f)
    return out


# label -> (table expression, alternative expression the prose may mean)
_PROSE_CHECKS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "REQUESTS_RECEIVED": (("t3.new_received.total",), ("t3.new_received.total", "t3.carried_over.total")),
    "REQUESTS_ANSWERED": (("t3.total.total",), None),
    "REQUESTS_CARRIED_OVER": (("t3.carried_forward.total",), None),
    "REVIEWS": (("t4.review.total",), None),
    "LAWSUITS": (("t4.litigation_direct.total", "t4.litigation_after_review.total"), None),
}


def _table_value(tables: Tables, keys: Sequence[str] | None) -> float | None:
    if not keys or any(tables.get(k) is None for k in keys):
        return None
    return sum(tables[k] for k in keys)  # type: ignore[misc]


def _sentence(text: str | None, start: int, end: int) -> str | None:
    if not text:
        return None
    stops = "。！？\n；;"
    s = max((text.rfind(ch, 0, start) for ch in stops), default=-1) + 1
    ends = [i for i in (text.find(ch, end) for ch in stops) if i != -1]
    e = min(ends) + 1 if ends else len(text)
    return text[s:e].strip()


def check_prose(tables: Tables, narrative: Sequence[Mapping[str, Any]], text: str | None = None) -> list[Finding]:
    """Exact prose counts that disagree with the table cell that counts the same thing.

    The largest exact mention of a label is taken as the report's figure;
    smaller ones are usually breakdowns (e.g. per department).
    """
    out = []
    for label, (expr, alt) in _PROSE_CHECKS.items():
        ms = [m for m in narrative if m["label"] == label and not m.get("approx")]
        tv = _table_value(tables, expr)
        if not ms or tv is None:
            continue
        altv = _table_value(tables, alt)
        top = max(ms, key=lambda m: m["value"])
        if top["value"] in (tv, altv):
            continue
        msg = f"正文 {label} {top['text']!r} = {top['value']:g}，表格 {' + '.join(expr)} = {tv:g}"
        if altv is not None:
            msg += f"（含上年结转 {altv:g}）"
        out.append(
            Finding(
                kind="contradiction",
                relation=f"prose:{label}",
                message=msg,
                lhs=float(top["value"]),
                rhs=float(tv),
                fields=list(expr),
                sentence=_sentence(text, top["start"], top["end"]),
            )
        )
    return out


def check_report(
    tables: Tables, fmt: str | None, narrative: Sequence[Mapping[str, Any]] = (), text: str | None = None
) -> list[Finding]:
    return check_arithmetic(tables, fmt) + check_prose(tables, narrative, text)
