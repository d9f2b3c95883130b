"""HTML reports the way government sites publish them.

Site chrome (header, nav, breadcrumb, footer with filing numbers) around an
article: prose in ``<p>``/``<div>``, the tables with real rowspan/colspan, cells
wrapped the way Word exports wrap them, ``&nbsp;`` in blank cells, amounts
sometimes printed in 元 (header 单位：元) or with their unit in the cell. The
tables are one per section, or one big table for all three, and table 3 is
sometimes cut in two by page furniture. GBK pages with or without a charset
declaration. Gold keeps amounts in 万元 whatever the page prints.
"""

from __future__ import annotations

import html
import random
from decimal import Decimal
from typing import Any

from .names import place
from .prose import Mention, is_subheading, other_matters_text, preamble_text, problems_text
from .render_text import title_of
from .tables import (
    SECTION_TITLES,
    Cell,
    Numbers,
    Table,
    random_numbers,
    random_wording,
    t2_table,
    t3_table,
    t4_table,
    value_text,
)

_NBSP = "&nbsp;"


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


class _Cells:
    """Prints one report's cells: value formatting, units, nulls and the cell markup style."""

    def __init__(self, rng: random.Random, record: dict[str, Any]) -> None:
        self.rng = rng
        self.tables = record["tables"]
        self.nums: Numbers = random_numbers(rng, nulls=(_NBSP, "", "—", "/", "无", _NBSP))
        self.unit = rng.choice(["wan", "wan", "wan", "yuan", "yuan_in_cell", "wan_in_cell"])
        self.markup = rng.choice(["plain", "plain", "word", "div"])
        self.th = rng.random() < 0.3

    def amount_head(self) -> str | None:
        return {"yuan": "（单位：元）", "yuan_in_cell": "（单位：元）", "wan_in_cell": "（万元）"}.get(self.unit)

    def text(self, c: Cell) -> str:
        """The cell's inner HTML."""
        if c.field is None:
            return _esc(c.text) if c.text else self.rng.choice([_NBSP, ""])
        v = self.tables[c.field]
        if v is None:
            return self.nums.null if self.nums.null == _NBSP else _esc(self.nums.null)
        if c.field.endswith(".amount") and self.unit != "wan":
            if self.unit.startswith("yuan"):
                yuan = Decimal(str(v)) * 10000  # exact: amounts have at most 4 decimals
                s = str(int(yuan)) if yuan == yuan.to_integral_value() else format(yuan.normalize(), "f")
                return s + ("元" if self.unit == "yuan_in_cell" else "")
            return value_text(c.field, v, self.nums) + "万元"
        return _esc(value_text(c.field, v, self.nums))

    def td(self, c: Cell, rowspan: int) -> str:
        attrs = ""
        if rowspan > 1:
            attrs += f' rowspan="{rowspan}"'
        if c.colspan > 1:
            attrs += f' colspan="{c.colspan}"'
        inner = self.text(c)
        tag = "th" if self.th and c.header else "td"
        if self.markup == "word":
            return (f'<{tag}{attrs} valign="center" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">'
                    f'<p align="center" style="text-align:center"><span style="font-family:宋体;font-size:10.5pt">'
                    f"{inner}</span></p></{tag}>")
        if self.markup == "div":
            return f'<{tag}{attrs}><div align="center">{inner}</div></{tag}>'
        return f"<{tag}{attrs}>{inner}</{tag}>"


def _rows_html(t: Table, cells: _Cells, start: int = 0, stop: int | None = None) -> list[str]:
    """``<tr>``s for rows [start, stop): rowspans clipped at the cut, cells of earlier rows dropped."""
    stop = len(t.rows) if stop is None else stop
    out = []
    for r in range(start, stop):
        tds = "".join(cells.td(c, min(c.rowspan, stop - r)) for c in t.rows[r].cells)
        out.append(f"<tr>{tds}</tr>")
    return out


def _table_open(rng: random.Random) -> str:
    return rng.choice([
        '<table border="1" cellspacing="0" cellpadding="0" width="100%">',
        '<table class="MsoNormalTable" border="1" cellspacing="0" style="border-collapse:collapse;border:none">',
        '<table style="width:100%;border-collapse:collapse" border="1">',
        "<table>",
    ])


def _heading(rng: random.Random, text: str, style: str) -> str:
    if style == "h":
        return f"<h3>{_esc(text)}</h3>"
    if style == "strong":
        return f'<p style="text-indent:2em"><strong>{_esc(text)}</strong></p>'
    return f"<p><b>{_esc(text)}</b></p>"


def _para(rng: random.Random, text: str, style: str) -> str:
    if style == "indent":
        return f'<p style="text-indent:2em;line-height:1.8">{_esc(text)}</p>'
    if style == "nbsp":
        return f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{_esc(text)}</p>"
    if style == "div":
        return f"<div>{_esc(text)}</div>"
    return f"<p>{_esc(text)}</p>"


def _furniture(rng: random.Random, page: int) -> str:
    return rng.choice([
        f'<p style="text-align:center">- {page} -</p>',
        "<p>&nbsp;</p>",
        f'<p align="center">第{page}页</p>',
        "<p>（续表）</p>",
        '<div style="page-break-after:always"></div>',
    ])


def _tables_html(rng: random.Random, record: dict[str, Any], cells: _Cells, head_style: str) -> list[str]:
    fmt = record["meta"]["format"]
    w = random_wording(rng)
    tabs = {
        2: t2_table(fmt, record["tables"], w, amount_head=cells.amount_head()),
        3: t3_table(fmt, record["tables"], w),
        4: t4_table(record["tables"], w),
    }
    mode = rng.choice(["separate", "separate", "merged", "split"])
    out: list[str] = []
    if mode == "merged":
        out.append(_heading(rng, SECTION_TITLES[2], head_style))
        out.append(_table_open(rng))
        for sec in (2, 3, 4):
            if sec != 2:
                out.append(f'<tr><td colspan="{tabs[sec].ncols}"><strong>{_esc(SECTION_TITLES[sec])}</strong></td></tr>')
            out += _rows_html(tabs[sec], cells)
        out.append("</table>")
        return out
    for sec in (2, 3, 4):
        out.append(_heading(rng, SECTION_TITLES[sec], head_style))
        t = tabs[sec]
        if mode == "split" and sec == 3:
            # cut before a block label: only 三、本年度办理结果's rowspan crosses the cut
            cuts = [r for r in range(6, len(t.rows) - 1) if any(c.rowspan > 1 for c in t.rows[r].cells[:1])
                    or (t.rows[r].cells and t.rows[r].cells[0].colspan == 2)]
            cut = rng.choice(cuts)
            out += [_table_open(rng), *_rows_html(t, cells, 0, cut), "</table>", _furniture(rng, rng.randint(2, 5))]
            out.append(_table_open(rng))
            if rng.random() < 0.5:
                out += _rows_html(t, cells, 0, 3)  # header rows repeated on the new page
            out += [*_rows_html(t, cells, cut), "</table>"]
            continue
        out += [_table_open(rng), *_rows_html(t, cells), "</table>"]
    return out


def _article(rng: random.Random, record: dict[str, Any], prose: tuple[str, list[Mention]], title: str) -> list[str]:
    head_style = rng.choice(["h", "strong", "b"])
    para_style = rng.choice(["indent", "nbsp", "plain", "div"])
    cells = _Cells(rng, record)
    out = [f"<h1>{_esc(title)}</h1>" if rng.random() < 0.5 else f'<div class="title">{_esc(title)}</div>']
    year = record["meta"]["year"]
    out.append(f'<div class="info">发布时间：{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}　'
               f'来源：{_esc(record["meta"]["agency"] or "")}　浏览次数：{rng.randint(10, 9999)}　【字体：大 中 小】</div>')
    out.append(rng.choice(['<div class="TRS_Editor">', '<div class="article-content" id="zoom">', "<div>"]))
    pre = preamble_text(rng, record)
    if pre:
        out.append(_para(rng, pre, para_style))
    out.append(_heading(rng, SECTION_TITLES[1], head_style))
    for line in prose[0].split("\n"):
        if is_subheading(line):
            out.append(f"<p><strong>{_esc(line)}</strong></p>")
        else:
            out.append(_para(rng, line, para_style))
    out += _tables_html(rng, record, cells, head_style)
    out.append(_heading(rng, SECTION_TITLES[5], head_style))
    out += [_para(rng, p, para_style) for p in problems_text(rng, record).split("\n")]
    out.append(_heading(rng, SECTION_TITLES[6], head_style))
    out.append(_para(rng, other_matters_text(rng, record), para_style))
    out.append("</div>")
    return out


def _charset_meta(rng: random.Random, encoding: str, page: str) -> str:
    if encoding == "utf-8":
        return rng.choice(['<meta charset="utf-8">',
                           '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'])
    labels = ["gbk", "GBK"]
    try:
        page.encode("gb2312")
        labels.append("gb2312")
    except UnicodeEncodeError:
        pass
    label = rng.choice(labels)
    return rng.choice([f'<meta charset="{label}">',
                       f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'])


def render_html(
    rng: random.Random,
    record: dict[str, Any],
    prose: tuple[str, list[Mention]],
    *,
    encoding: str = "utf-8",
    declare_charset: bool = True,
) -> bytes:
    """The report as a web page in ``encoding`` ("utf-8" or "gbk")."""
    if encoding not in ("utf-8", "gbk"):
        raise ValueError(f"unsupported encoding {encoding!r}")
    site = f"{place(rng)}市人民政府门户网站"
    title = title_of(record, rng)
    nav = "".join(f'<li><a href="/{i}/">{_esc(x)}</a></li>'
                  for i, x in enumerate(["首页", "政务公开", "政务服务", "互动交流", "走进" + site[:2]]))
    body = [
        f'<div class="header"><div class="logo">{_esc(site)}</div><ul class="nav">{nav}</ul></div>',
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>',
        *_article(rng, record, prose, title),
        '<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>',
        f'<div class="footer"><p>主办：{_esc(site[:-6])}人民政府办公室　网站标识码：{rng.randint(10**9, 10**10 - 1)}</p>'
        f"<p>{_esc(place(rng, 1))}ICP备{rng.randint(10**7, 10**8 - 1)}号　公安机关备案号：{rng.randint(10**13, 10**14 - 1)}</p></div>",
    ]
    if rng.random() < 0.25:  # old sites lay the page out with a table around everything
        body = ['<table width="1000" align="center"><tr><td>', *body, "</td></tr></table>"]
    head = [f"<title>{_esc(title)}</title>", '<link rel="stylesheet" href="/css/style.css">',
            "<script>var _hmt = _hmt || [];</script>"]
    page = "\n".join(["<!DOCTYPE html>", "<html>", "<head>", *head, "</head>", "<body>", *body, "</body>", "</html>"])
    if declare_charset:
        page = page.replace("<head>", "<head>\n" + _charset_meta(rng, encoding, page), 1)
    return page.encode(encoding, errors="xmlcharrefreplace")
