"""The three standard tables as rows of spanning cells, with the wording variants real reports use.

One model serves every layout: HTML prints the spans, the text layouts flatten
them (``full_rows``: every grid slot a cell, as a Word table pasted to text;
``reader_rows``: a merged cell once, vertical continuations empty). Value cells
carry their field id so a renderer decides how each number, unit or null prints.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.spec import T3_COLS, T4_COLS, T4_GROUPS


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    field: str | None = None  # field id of a value cell
    header: bool = False


@dataclass
class Row:
    cells: list[Cell]  # the cells that start in this row, left to right
    kind: str = "data"  # "group" (t2 第二十条 heading) | "header" | "data"


@dataclass
class Table:
    section: int  # 2, 3 or 4
    ncols: int
    rows: list[Row] = field(default_factory=list)

    def slots(self) -> list[list[tuple[Cell, bool] | None]]:
        """Grid slot → (covering cell, is its top-left slot); None where nothing was placed."""
        grid: list[list[tuple[Cell, bool] | None]] = [[None] * self.ncols for _ in self.rows]
        for r, row in enumerate(self.rows):
            k = 0
            for c in row.cells:
                while k < self.ncols and grid[r][k] is not None:
                    k += 1
                if k + c.colspan > self.ncols:
                    raise ValueError(f"table {self.section} row {r} overflows")
                for rr in range(r, r + c.rowspan):
                    for kk in range(k, k + c.colspan):
                        grid[rr][kk] = (c, rr == r and kk == k)
                k += c.colspan
        return grid


def full_rows(t: Table, text: Callable[[Cell], str]) -> list[list[str]]:
    """Every slot a cell: a merged cell's text in its top-left slot, "" elsewhere."""
    return [[text(s[0]) if s and s[1] else "" for s in row] for row in t.slots()]


def reader_rows(t: Table, text: Callable[[Cell], str]) -> list[list[str]]:
    """A horizontally merged cell is one cell; a vertically merged one is "" below its first row."""
    out = []
    for row in t.slots():
        cells: list[str] = []
        prev: Cell | None = None
        for s in row:
            if s is None:
                cells.append("")
                prev = None
                continue
            c, origin = s
            if c is prev:
                continue
            cells.append(text(c) if origin else "")
            prev = c
        out.append(cells)
    return out


# ---- wording ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """Per-report label choices, drawn once so a report is consistent with itself."""

    fullwidth: bool = True  # （一） vs (一)
    space_after_num: bool = False  # "(一) 予以公开"
    partial: str = "long"  # long | spaced | short
    law: str = "2.其他法律行政法规禁止公开"
    not_held: str = "1.本机关不掌握相关政府信息"
    normative_2021: str = "行政规范性文件"
    amount_head: str = "（单位：万元）"  # suffix of the amount column header
    span_short_groups: bool = True  # 2021 (五): header spans the free columns vs blank cells
    t4_header: str = "three"  # three | two
    t4_spaced: bool = False  # "结果 维持"


def random_wording(rng: random.Random) -> Wording:
    return Wording(
        fullwidth=rng.random() < 0.6,
        space_after_num=rng.random() < 0.35,
        partial=rng.choice(["long", "long", "spaced", "short"]),
        law=rng.choice(["2.其他法律行政法规禁止公开", "2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开"]),
        not_held=rng.choice(["1.本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息", "1.本机关不掌握相关信息"]),
        normative_2021=rng.choice(["行政规范性文件", "行政规范性文件", "规范性文件"]),
        amount_head=rng.choice(["（单位：万元）", "（单位：万元，保留4位小数）", "（万元）", "（单位:万元）", ""]),
        span_short_groups=rng.random() < 0.6,
        t4_header="three",
        t4_spaced=rng.random() < 0.25,
    )


def _br(text: str, w: Wording) -> str:
    if w.fullwidth:
        return text
    return text.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")


def _num(label: str, w: Wording) -> str:
    """（一）予以公开 → (一) 予以公开 etc."""
    s = _br(label, w)
    if w.space_after_num:
        s = s.replace("）", "） ", 1) if w.fullwidth else s.replace(")", ") ", 1)
    return s


# ---- table 2 ------------------------------------------------------------------------------------

# (group heading, [(row key, label)], [(col key, header)]) per format, in print order; the one copy the
# text/HTML renderers (here) and the DOCX/PDF grids (layout.py) share
T2_GROUPS: dict[str, list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]] = {
    "2019": [
        ("第二十条第（一）项", [("regulations", "规章"), ("normative_docs", "规范性文件")],
         [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量")]),
        ("第二十条第（五）项", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
         [("prev_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        ("第二十条第（六）项", [("penalty", "行政处罚"), ("coercion", "行政强制")],
         [("prev_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        ("第二十条第（八）项", [("fees", "行政事业性收费")],
         [("prev_items", "上一年项目数量"), ("change", "本年增/减")]),
        ("第二十条第（九）项", [("procurement", "政府集中采购")],
         [("items", "采购项目数量"), ("amount", "采购总金额")]),
    ],
    "2021": [
        ("第二十条第（一）项", [("regulations", "规章"), ("normative_docs", "行政规范性文件")],
         [("made", "本年制发件数"), ("repealed", "本年废止件数"), ("valid", "现行有效件数")]),
        ("第二十条第（五）项", [("licensing", "行政许可")], [("decisions", "本年处理决定数量")]),
        ("第二十条第（六）项", [("penalty", "行政处罚"), ("coercion", "行政强制")],
         [("decisions", "本年处理决定数量")]),
        ("第二十条第（八）项", [("fees", "行政事业性收费")], [("amount", "本年收费金额")]),
    ],
}


def t2_table(fmt: str, tables: Mapping[str, Any], w: Wording, amount_head: str | None = None) -> Table:
    """Table 2 (4 columns). ``amount_head`` overrides the unit suffix (HTML prints 单位：元 sometimes)."""
    t = Table(2, 4)
    for heading, rows, cols in T2_GROUPS[fmt]:
        t.rows.append(Row([Cell(_br(heading, w), colspan=4, header=True)], "group"))
        spans = [1] * len(cols)
        if len(cols) < 3 and (w.span_short_groups and fmt == "2021"):
            spans[-1] = 4 - len(cols)
        pad = 3 - sum(spans)
        head = [Cell("信息内容", header=True)]
        for (key, label), span in zip(cols, spans, strict=True):
            if key == "amount":
                label += amount_head if amount_head is not None else w.amount_head
            head.append(Cell(_br(label, w), colspan=span, header=True))
        head += [Cell("", header=True) for _ in range(pad)]
        t.rows.append(Row(head, "header"))
        for row_key, label in rows:
            if row_key == "normative_docs" and fmt == "2021":
                label = w.normative_2021
            cells = [Cell(label)]
            for (col_key, _), span in zip(cols, spans, strict=True):
                fid = f"t2.{row_key}.{col_key}"
                cells.append(Cell("", colspan=span, field=fid if fid in tables else None))
            cells += [Cell("") for _ in range(pad)]
            t.rows.append(Row(cells))
    return t


# ---- table 3 ------------------------------------------------------------------------------------

_PARTIAL = {
    "long": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "spaced": "（二）部分公开 （区分处理的, 只计这一情形, 不计其他情形）",
    "short": "（二）部分公开",
}
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def t3_blocks(fmt: str, w: Wording) -> list[tuple[str, list[tuple[str, str]]]]:
    """Result blocks (一)…(七): (block label, [(row key, sub-row label or "")])."""
    other = [("other_handling", "")] if fmt == "2019" else [
        ("other_handling.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_handling.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_handling.other", "3.其他"),
    ]
    return [
        (_num("（一）予以公开", w), [("granted", "")]),
        (_num(_PARTIAL[w.partial], w), [("partial", "")]),
        (_num("（三）不予公开", w), [
            ("denied.state_secret", "1.属于国家秘密"),
            ("denied.law_forbidden", w.law),
            ("denied.safety_stability", "3.危及“三安全一稳定”"),
            ("denied.third_party", "4.保护第三方合法权益"),
            ("denied.internal_affairs", "5.属于三类内部事务信息"),
            ("denied.process_info", "6.属于四类过程性信息"),
            ("denied.enforcement_file", "7.属于行政执法案卷"),
            ("denied.inquiry", "8.属于行政查询事项"),
        ]),
        (_num("（四）无法提供", w), [
            ("unable.not_held", w.not_held),
            ("unable.need_create", "2.没有现成信息需要另行制作"),
            ("unable.unclear", "3.补正后申请内容仍不明确"),
        ]),
        (_num("（五）不予处理", w), [
            ("not_processed.petition", "1.信访举报投诉类申请"),
            ("not_processed.duplicate", "2.重复申请"),
            ("not_processed.publication", "3.要求提供公开出版物"),
            ("not_processed.massive", "4.无正当理由大量反复申请"),
            ("not_processed.confirm", "5.要求行政机关确认或重新出具已获取信息"),
        ]),
        (_num("（六）其他处理", w), other),
        (_num("（七）总计", w), [("total", "")]),
    ]


def t3_table(fmt: str, tables: Mapping[str, Any], w: Wording) -> Table:
    """Table 3 as the official template draws it: 3 label columns + 7 value columns."""
    t = Table(3, 10)

    def vals(key: str) -> list[Cell]:
        return [Cell("", field=f"t3.{key}.{c}" if f"t3.{key}.{c}" in tables else None) for c in T3_COLS]

    t.rows.append(Row([Cell(_br(T3_NOTE, w), rowspan=3, colspan=3, header=True),
                       Cell("申请人情况", colspan=7, header=True)], "header"))
    t.rows.append(Row([Cell("自然人", rowspan=2, header=True), Cell("法人或其他组织", colspan=5, header=True),
                       Cell("总计", rowspan=2, header=True)], "header"))
    t.rows.append(Row([Cell(h, header=True) for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
                      "header"))
    t.rows.append(Row([Cell("一、本年新收政府信息公开申请数量", colspan=3), *vals("new_received")]))
    t.rows.append(Row([Cell("二、上年结转政府信息公开申请数量", colspan=3), *vals("carried_over")]))
    blocks = t3_blocks(fmt, w)
    n = sum(len(rows) for _, rows in blocks)
    first = True
    for label, rows in blocks:
        for i, (key, sub) in enumerate(rows):
            cells = [Cell("三、本年度办理结果", rowspan=n)] if first else []
            first = False
            if sub == "":
                cells.append(Cell(label, colspan=2))
            else:
                if i == 0:
                    cells.append(Cell(label, rowspan=len(rows)))
                cells.append(Cell(sub))
            t.rows.append(Row(cells + vals(key)))
    t.rows.append(Row([Cell("四、结转下年度继续办理", colspan=3), *vals("carried_forward")]))
    return t


# ---- table 4 ------------------------------------------------------------------------------------

_T4_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def t4_table(tables: Mapping[str, Any], w: Wording) -> Table:
    t = Table(4, 15)
    heads = [h[:2] + " " + h[2:] if w.t4_spaced and h != "总计" else h for h in _T4_HEADS]
    if w.t4_header == "three":
        t.rows.append(Row([Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True)],
                          "header"))
        t.rows.append(Row([*(Cell(h, rowspan=2, header=True) for h in heads),
                           Cell("未经复议直接起诉", colspan=5, header=True),
                           Cell("复议后起诉", colspan=5, header=True)], "header"))
        t.rows.append(Row([Cell(h, header=True) for h in heads * 2], "header"))
    else:
        t.rows.append(Row([Cell("行政复议", colspan=5, header=True),
                           Cell(_br("行政诉讼（未经复议直接起诉）", w), colspan=5, header=True),
                           Cell(_br("行政诉讼（复议后起诉）", w), colspan=5, header=True)], "header"))
        t.rows.append(Row([Cell(h, header=True) for h in heads * 3], "header"))
    t.rows.append(Row([Cell("", field=f"t4.{g}.{c}" if f"t4.{g}.{c}" in tables else None)
                       for g in T4_GROUPS for c in T4_COLS]))
    return t


def printed_tables(record: Mapping[str, Any]) -> list[str]:
    """Which of t2, t3, t4 a record prints, in order: those with a field in it (none for an unknown format)."""
    if (record.get("meta") or {}).get("format") not in T2_GROUPS:
        return []
    tables = record.get("tables") or {}
    return [t for t in ("t2", "t3", "t4") if any(k.startswith(t + ".") for k in tables)]


def record_tables(record: Mapping[str, Any], w: Wording) -> list[Table]:
    """The tables the record prints, as cell text tables."""
    fmt, tables = record["meta"]["format"], record.get("tables") or {}
    build = {"t2": lambda: t2_table(fmt, tables, w), "t3": lambda: t3_table(fmt, tables, w),
             "t4": lambda: t4_table(tables, w)}
    return [build[t]() for t in printed_tables(record)]


SECTION_TITLES = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


# ---- values -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Numbers:
    """How a report prints its numbers and nulls."""

    null: str = "—"
    decimals: int | None = None  # fixed decimals for amounts (None: as-is)
    plus_sign: bool = False  # 2019 本年增/减 printed "+3"
    thousands: bool = False  # "14,358" in table-2 decision counts


def random_numbers(rng: random.Random, nulls: tuple[str, ...] = ("—", "/", "无", "—")) -> Numbers:
    return Numbers(
        null=rng.choice(nulls),
        decimals=rng.choice([None, None, None, 4, 2]),
        plus_sign=rng.random() < 0.2,
        thousands=rng.random() < 0.08,
    )


def value_text(fid: str, v: float | int | None, n: Numbers) -> str:
    """A value as the report prints it; read back it gives ``v`` exactly."""
    if v is None:
        return n.null
    if fid.endswith(".amount"):
        d = Decimal(str(v))
        if n.decimals is not None and d == round(d, n.decimals):
            return f"{d:.{n.decimals}f}"
        return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    v = int(v)
    if fid.endswith(".change") and n.plus_sign and v > 0:
        return f"+{v}"
    if n.thousands and fid.startswith("t2.") and v >= 1000:
        return f"{v:,}"
    return str(v)
