"""Render a gold-format record as a Word report (python-docx, MIT).

Tables use real merges (``w:gridSpan`` / ``w:vMerge``) and table 3's three
header rows are marked to repeat on each page (``w:tblHeader``), as in the
official Word templates. The quirks a reader must survive are put in on
purpose: text split over several runs, a merged label typed as two
paragraphs in its cell, empty paragraphs, an explicit page break, and (in
some reports) section headings numbered by Word's list numbering instead of
typed "一、", so the heading text is not in the document XML at all.
"""

from __future__ import annotations

import io
import random
from collections.abc import Mapping

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from .body import Block, report_blocks
from .layout import Grid, random_style

_FONTS = ("仿宋_GB2312", "宋体", "仿宋", "方正仿宋_GBK")
_HEADING_NUM = "一二三四五六七八九十"


def _set_east_asian(run_or_style_rpr: object, font: str) -> None:
    rpr = run_or_style_rpr
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), font)


def _runs(rng: random.Random, par: object, text: str, *, bold: bool = False, size: float | None = None) -> None:
    """Add ``text`` as one or several runs (Word splits runs at edits and proofing marks)."""
    pieces = [text]
    if len(text) > 8 and rng.random() < 0.5:
        cuts = sorted(rng.sample(range(1, len(text)), min(3, len(text) - 1)))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    for piece in pieces:
        r = par.add_run(piece)  # type: ignore[attr-defined]
        r.bold = bold or None
        if size:
            r.font.size = Pt(size)


def _numbering_part(doc: object) -> int:
    """Define one list (一、二、…, chineseCounting) in numbering.xml and return its numId."""
    numbering = doc.part.numbering_part.element  # type: ignore[attr-defined]
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, val in (("w:start", "1"), ("w:numFmt", "chineseCounting"), ("w:lvlText", "%1、")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    return 90


def _numbered(par: object, num_id: int) -> None:
    ppr = par._p.get_or_add_pPr()  # type: ignore[attr-defined]
    numpr = OxmlElement("w:numPr")
    for tag, val in (("w:ilvl", "0"), ("w:numId", str(num_id))):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        numpr.append(el)
    ppr.append(numpr)


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    if parent is not None:
        parent.append(el)
    return el


def _cell_par(rng: random.Random, tc: etree._Element, text: str, *, left: bool, bold: bool, size: int) -> None:
    p = _el("w:p", tc)
    _el("w:jc", _el("w:pPr", p), val="left" if left else "center")
    pieces = [text]
    if len(text) > 8 and rng.random() < 0.3:
        cut = rng.randrange(1, len(text))
        pieces = [text[:cut], text[cut:]]
    for piece in pieces:
        r = _el("w:r", p)
        rpr = _el("w:rPr", r)
        if bold:
            _el("w:b", rpr)
        _el("w:sz", rpr, val=str(size * 2))
        t = _el("w:t", r)
        t.text = piece
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _table(rng: random.Random, doc: object, grid: Grid) -> None:
    """The grid as a ``w:tbl`` built directly (python-docx's merge() is ~10x slower): gridSpan for column
    spans, vMerge restart/continue for row spans, tblHeader on the rows that repeat on a new page."""
    width = 8300  # twentieths of a point: A4 less margins
    total = sum(grid.col_widths)
    cols = [int(width * w / total) for w in grid.col_widths]
    tbl = _el("w:tbl")
    tblpr = _el("w:tblPr", tbl)
    _el("w:tblStyle", tblpr, val="TableGrid")
    _el("w:tblW", tblpr, w=str(width), type="dxa")
    _el("w:jc", tblpr, val="center")
    borders = _el("w:tblBorders", tblpr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(f"w:{side}", borders, val="single", sz="4", space="0", color="000000")
    tgrid = _el("w:tblGrid", tbl)
    for w in cols:
        _el("w:gridCol", tgrid, w=str(w))
    occ = grid.owner()
    size = 8 if grid.ncols > 10 else 9
    for r in range(grid.nrows):
        tr = _el("w:tr", tbl)
        if r < grid.header_rows:
            _el("w:tblHeader", _el("w:trPr", tr))
        for k in range(grid.ncols):
            c = occ[r][k]
            if c is None or c.col != k:
                continue
            tc = _el("w:tc", tr)
            tcpr = _el("w:tcPr", tc)
            _el("w:tcW", tcpr, w=str(sum(cols[k:k + c.colspan])), type="dxa")
            if c.colspan > 1:
                _el("w:gridSpan", tcpr, val=str(c.colspan))
            if c.rowspan > 1:
                if r == c.row:
                    _el("w:vMerge", tcpr, val="restart")
                else:
                    _el("w:vMerge", tcpr)
            _el("w:vAlign", tcpr, val="center")
            text = c.text if r == c.row else ""
            left = c.align == "left"
            if c.rowspan > 3 and len(text) > 6 and rng.random() < 0.5:
                cut = len(text) // 2  # a tall merged label typed as two lines
                _cell_par(rng, tc, text[:cut], left=left, bold=c.header, size=size)
                text = text[cut:]
            _cell_par(rng, tc, text, left=left, bold=c.header, size=size)
    body = doc.element.body  # type: ignore[attr-defined]
    body.insert(len(body) - 1, tbl)  # before the final sectPr


def render_docx(rng: random.Random, record: Mapping, prose: str) -> bytes:
    """A Word report: title, sections 一…六, tables 二/三/四 with merged cells."""
    style = random_style(rng)
    blocks: list[Block] = report_blocks(rng, record, prose, style)
    doc = new_document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(rng.choice([12, 14, 16]))
    _set_east_asian(normal.element.get_or_add_rPr(), rng.choice(_FONTS))
    num_id = _numbering_part(doc) if rng.random() < 0.3 else None
    page_break_before = rng.choice([None, "五", "三"])
    for b in blocks:
        if b.kind == "title":
            par = doc.add_paragraph()
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _runs(rng, par, b.text, bold=True, size=18)
        elif b.kind == "heading":
            if page_break_before and b.text.startswith(page_break_before):
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            par = doc.add_paragraph()
            text = b.text
            if num_id is not None and text[0] in _HEADING_NUM and text[1] == "、":
                _numbered(par, num_id)
                text = text[2:]
            _runs(rng, par, text, bold=True)
        elif b.kind == "para":
            par = doc.add_paragraph()
            par.paragraph_format.first_line_indent = Pt(24)
            _runs(rng, par, b.text)
            if rng.random() < 0.1:
                doc.add_paragraph()
        elif b.kind == "table" and b.grid is not None:
            _table(rng, doc, b.grid)
            if rng.random() < 0.5:
                doc.add_paragraph()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
