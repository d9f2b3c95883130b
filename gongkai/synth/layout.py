"""The three standard tables as grids of spanning cells, shared by the DOCX and PDF renderers.

Both renderers draw the same official templates with real merged cells
(rowspan/colspan), so the layout lives once here. ``reader_rows`` says what a
reader must hand back for each grid row, which is what the round-trip tests
compare against: a vertically merged cell appears only in its first row
(later rows get ""), a horizontally merged cell is one cell.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .tables import T2_GROUPS, printed_tables

Tables = Mapping[str, float | int | None]


@dataclass
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    align: str = "center"  # "left" | "center"


@dataclass
class Grid:
    """One table: its section heading, size, cells and how many header rows repeat on a new page."""

    heading: str
    nrows: int
    ncols: int
    cells: list[GridCell] = field(default_factory=list)
    header_rows: int = 0
    col_widths: list[float] = field(default_factory=list)  # relative widths

    def add(self, text: str, row: int, col: int, rowspan: int = 1, colspan: int = 1, **kw: object) -> None:
        self.cells.append(GridCell(text, row, col, rowspan, colspan, **kw))  # type: ignore[arg-type]

    def owner(self) -> list[list[GridCell | None]]:
        """For every grid slot, the cell covering it (None where no cell was placed)."""
        occ: list[list[GridCell | None]] = [[None] * self.ncols for _ in range(self.nrows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    if occ[r][k] is not None:
                        raise ValueError(f"overlapping cells at ({r},{k}) in {self.heading}")
                    occ[r][k] = c
        return occ

    def filled(self) -> Grid:
        """The grid with an empty cell in every uncovered slot, so renderers draw a full grid."""
        occ = self.owner()
        for r in range(self.nrows):
            for k in range(self.ncols):
                if occ[r][k] is None:
                    self.add("", r, k)
        return self


def reader_rows(grid: Grid) -> list[list[str]]:
    """What a reader returns for each row: merged-cell text once, in its first row and first column."""
    occ = grid.owner()
    rows = []
    for r in range(grid.nrows):
        out: list[str] = []
        for k in range(grid.ncols):
            c = occ[r][k]
            if c is None:
                out.append("")
            elif c.col == k:
                out.append(c.text if c.row == r else "")
        rows.append(out)
    return rows


@dataclass(frozen=True)
class Style:
    """Per-report printing choices, drawn once so a report is internally consistent."""

    null: str = ""  # how a null cell prints: "", "—", "/", "无"
    decimals: int | None = None  # fixed decimals for amounts, or None for as-is
    fullwidth: bool = True  # （一） vs (一)
    span_short_groups: bool = True  # 2021 (五): header spans the free columns vs blank cells


def random_style(rng: random.Random) -> Style:
    return Style(
        null=rng.choice(["", "", "—", "/", "无"]),
        decimals=rng.choice([None, None, 4]),  # the template asks for 4 places: never fewer than the value has
        fullwidth=rng.random() < 0.7,
        span_short_groups=rng.random() < 0.7,
    )


def fmt_value(v: float | int | None, style: Style, decimal: bool = False) -> str:
    """Print a value the way a report does (no exponent, no trailing .0)."""
    if v is None:
        return style.null
    if decimal and style.decimals is not None:
        return f"{float(v):.{style.decimals}f}"
    d = Decimal(str(v))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _br(text: str, style: Style) -> str:
    return text if style.fullwidth else text.replace("（", "(").replace("）", ")").replace("：", ":")


# ---- table 2 -------------------------------------------------------------------------------------

def t2_grid(fmt: str, tables: Tables, style: Style) -> Grid:
    groups = T2_GROUPS[fmt]
    nrows = sum(2 + len(rows) for _, rows, _ in groups)
    g = Grid("二、主动公开政府信息情况", nrows, 4, col_widths=[2.2, 1.6, 1.6, 1.6])
    r = 0
    for heading, rows, cols in groups:
        g.add(_br(heading, style), r, 0, colspan=4, header=True)
        spans = _spans(len(cols), style)
        g.add("信息内容", r + 1, 0, header=True)
        k = 1
        for (_, head), span in zip(cols, spans, strict=True):
            g.add(_br(head, style), r + 1, k, colspan=span, header=True)
            k += span
        for i, (row_key, label) in enumerate(rows):
            rr = r + 2 + i
            g.add(label, rr, 0, align="left")
            k = 1
            for (col_key, _), span in zip(cols, spans, strict=True):
                fid = f"t2.{row_key}.{col_key}"
                if fid in tables:
                    g.add(fmt_value(tables[fid], style, col_key == "amount"), rr, k, colspan=span)
                k += span
        r += 2 + len(rows)
    return g.filled()


def _spans(ncols: int, style: Style) -> list[int]:
    """Column spans of a table-2 group with fewer than three value columns."""
    if ncols == 3 or not style.span_short_groups:
        return [1] * ncols
    return [1] * (ncols - 1) + [3 - (ncols - 1)]


# ---- table 3 -------------------------------------------------------------------------------------

T3_COL_KEYS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def _t3_blocks(fmt: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Result blocks (一)…(六): (block label, [(row key, sub-row label)]); a lone "" sub-label spans."""
    other = (
        [("other_handling", "")]
        if fmt == "2019"
        else [
            ("other_handling.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("other_handling.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other_handling.other", "3.其他"),
        ]
    )
    return [
        ("（一）予以公开", [("granted", "")]),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [("partial", "")]),
        ("（三）不予公开", [
            ("denied.state_secret", "1.属于国家秘密"),
            ("denied.law_forbidden", "2.其他法律行政法规禁止公开"),
            ("denied.safety_stability", "3.危及“三安全一稳定”"),
            ("denied.third_party", "4.保护第三方合法权益"),
            ("denied.internal_affairs", "5.属于三类内部事务信息"),
            ("denied.process_info", "6.属于四类过程性信息"),
            ("denied.enforcement_file", "7.属于行政执法案卷"),
            ("denied.inquiry", "8.属于行政查询事项"),
        ]),
        ("（四）无法提供", [
            ("unable.not_held", "1.本机关不掌握相关政府信息"),
            ("unable.need_create", "2.没有现成信息需要另行制作"),
            ("unable.unclear", "3.补正后申请内容仍不明确"),
        ]),
        ("（五）不予处理", [
            ("not_processed.petition", "1.信访举报投诉类申请"),
            ("not_processed.duplicate", "2.重复申请"),
            ("not_processed.publication", "3.要求提供公开出版物"),
            ("not_processed.massive", "4.无正当理由大量反复申请"),
            ("not_processed.confirm", "5.要求行政机关确认或重新出具已获取信息"),
        ]),
        ("（六）其他处理", other),
        ("（七）总计", [("total", "")]),
    ]


def t3_grid(fmt: str, tables: Tables, style: Style) -> Grid:
    blocks = _t3_blocks(fmt)
    n_results = sum(len(rows) for _, rows in blocks)
    nrows = 3 + 2 + n_results + 1
    g = Grid("三、收到和处理政府信息公开申请情况", nrows, 10, header_rows=3,
             col_widths=[1.0, 1.5, 2.6] + [1.0] * 7)
    g.add(_br("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", style), 0, 0,
          rowspan=3, colspan=3, header=True)
    g.add("申请人情况", 0, 3, colspan=7, header=True)
    g.add("自然人", 1, 3, rowspan=2, header=True)
    g.add("法人或其他组织", 1, 4, colspan=5, header=True)
    g.add("总计", 1, 9, rowspan=2, header=True)
    for i, h in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
        g.add(h, 2, 4 + i, header=True)

    def values(row: int, key: str) -> None:
        for i, c in enumerate(T3_COL_KEYS):
            fid = f"t3.{key}.{c}"
            if fid in tables:
                g.add(fmt_value(tables[fid], style), row, 3 + i)

    g.add("一、本年新收政府信息公开申请数量", 3, 0, colspan=3, align="left")
    values(3, "new_received")
    g.add("二、上年结转政府信息公开申请数量", 4, 0, colspan=3, align="left")
    values(4, "carried_over")
    r = 5
    g.add("三、本年度办理结果", r, 0, rowspan=n_results, align="left")
    for label, rows in blocks:
        label = _br(label, style)
        if len(rows) == 1 and rows[0][1] == "":
            g.add(label, r, 1, colspan=2, align="left")
            values(r, rows[0][0])
            r += 1
            continue
        g.add(label, r, 1, rowspan=len(rows), align="left")
        for key, sub in rows:
            g.add(sub, r, 2, align="left")
            values(r, key)
            r += 1
    g.add("四、结转下年度继续办理", r, 0, colspan=3, align="left")
    values(r, "carried_forward")
    return g.filled()


# ---- table 4 -------------------------------------------------------------------------------------

T4_GROUP_KEYS = ("review", "litigation_direct", "litigation_after_review")
T4_COL_KEYS = ("upheld", "corrected", "other", "pending", "total")
T4_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def t4_grid(tables: Tables, style: Style) -> Grid:
    g = Grid("四、政府信息公开行政复议、行政诉讼情况", 4, 15, header_rows=3, col_widths=[1.0] * 15)
    g.add("行政复议", 0, 0, colspan=5, header=True)
    g.add("行政诉讼", 0, 5, colspan=10, header=True)
    for i, h in enumerate(T4_HEADS):
        g.add(h, 1, i, rowspan=2, header=True)
    g.add("未经复议直接起诉", 1, 5, colspan=5, header=True)
    g.add("复议后起诉", 1, 10, colspan=5, header=True)
    for j in range(10):
        g.add(T4_HEADS[j % 5], 2, 5 + j, header=True)
    for gi, grp in enumerate(T4_GROUP_KEYS):
        for ci, col in enumerate(T4_COL_KEYS):
            fid = f"t4.{grp}.{col}"
            if fid in tables:
                g.add(fmt_value(tables[fid], style), 3, gi * 5 + ci)
    return g.filled()


def report_grids(record: Mapping, style: Style) -> list[Grid]:
    """The tables a record prints (``tables.printed_tables``), as grids of merged cells."""
    fmt = (record.get("meta") or {}).get("format")
    tables: Tables = record.get("tables") or {}
    build = {"t2": lambda: t2_grid(fmt, tables, style), "t3": lambda: t3_grid(fmt, tables, style),
             "t4": lambda: t4_grid(tables, style)}
    return [build[t]() for t in printed_tables(record)]


def grid_field_ids(fmt: str) -> list[str]:
    """Every field id the templates print, in print order (checked against the spec in tests)."""
    ids = []
    for _, rows, cols in T2_GROUPS[fmt]:
        ids += [f"t2.{r}.{c}" for r, _ in rows for c, _ in cols]
    rows3 = ["new_received", "carried_over"]
    rows3 += [k for _, rows in _t3_blocks(fmt) for k, _ in rows]
    rows3 += ["carried_forward"]
    ids += [f"t3.{r}.{c}" for r in rows3 for c in T3_COL_KEYS]
    ids += [f"t4.{g}.{c}" for g in T4_GROUP_KEYS for c in T4_COL_KEYS]
    return ids


def split_grid(grid: Grid, at: int) -> tuple[Grid, Grid]:
    """Cut a grid before row ``at`` the way a word processor breaks a table over a page.

    The second part starts with the header rows again; a cell spanning the cut
    keeps its text in the first part and continues as an empty cell in the second.
    """
    h = grid.header_rows
    if not h < at < grid.nrows:
        raise ValueError(f"cannot split {grid.heading} at row {at}")
    first = Grid(grid.heading, at, grid.ncols, header_rows=h, col_widths=list(grid.col_widths))
    second = Grid(grid.heading, h + grid.nrows - at, grid.ncols, header_rows=h, col_widths=list(grid.col_widths))
    for c in grid.cells:
        end = c.row + c.rowspan
        if c.row < at:
            first.add(c.text, c.row, c.col, min(end, at) - c.row, c.colspan, header=c.header, align=c.align)
        if c.row < h:
            second.add(c.text, c.row, c.col, c.rowspan, c.colspan, header=c.header, align=c.align)
        elif c.row < at < end:
            second.add("", h, c.col, end - at, c.colspan, align=c.align)
        elif c.row >= at:
            second.add(c.text, c.row - at + h, c.col, c.rowspan, c.colspan, header=c.header, align=c.align)
    return first, second
