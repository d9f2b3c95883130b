"""Render a gold-format record as a text-layer PDF report (reportlab, BSD).

Chinese text uses reportlab's built-in CID font STSong-Light (no font file
ships with the project; the text round-trips exactly through pypdfium2). The
tables are drawn with grid lines and real spanning cells, table 3 always runs
over a page break with its three header rows repeated, and every page carries
furniture (page number, sometimes a running header) that a reader must drop.
"""

from __future__ import annotations

import io
import random
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .body import Block, report_blocks
from .layout import Grid, random_style, split_grid

FONT = "STSong-Light"
# TrueType CJK fonts with Latin glyphs that round-trip exactly (checked); Debian packages, Apache-2.0.
KNOWN_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)


def register_font(path: str | None = None) -> str:
    """The reportlab font name to draw with: STSong-Light (not embedded), or ``path`` embedded as subsets.

    Real reports embed their fonts; a PDF naming STSong-Light makes the reader's
    PDF library substitute a system font on every page, which is several times
    slower to open, so benchmarks should pass an embeddable font.
    """
    if path is None:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        return FONT
    name = "Embedded-" + Path(path).stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    return name


def resolve_font(spec: str) -> str | None:
    """A font option as the CLIs take it: 'none' (STSong-Light, not embedded), 'auto' (an installed
    TrueType CJK font, else none) or a font file path."""
    return {"none": None, "auto": find_cjk_font()}.get(spec, spec)


def find_cjk_font() -> str | None:
    """An installed TrueType CJK font to embed (apt-get install fonts-wqy-microhei), or None."""
    return next((p for p in KNOWN_FONTS if Path(p).exists()), None)


class _StartLow(Flowable):
    """Takes up space so the next flowable starts ``frac`` of a frame above the bottom (forces a split)."""

    def __init__(self, frac: float, min_left: float = 150) -> None:
        super().__init__()
        self.frac = frac
        self.min_left = min_left

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        want = self.frac * A4[1] * 0.8
        if ah > want:
            return aw, ah - want
        if ah >= self.min_left:
            return aw, 0
        return aw, ah + 1  # too little room: moved to the next page, where it is wrapped again

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        pass


def _styles(rng: random.Random, font: str) -> dict[str, ParagraphStyle]:
    size = rng.choice([11, 11.5, 12])
    lead = size * rng.choice([1.5, 1.6, 1.75])
    base = dict(fontName=font, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=12, **base),
        "heading": ParagraphStyle("heading", fontSize=size + 1, leading=lead, spaceBefore=6, spaceAfter=4,
                                  keepWithNext=1, **base),
        "heading_free": ParagraphStyle("heading_free", fontSize=size + 1, leading=lead, spaceBefore=6,
                                       spaceAfter=4, **base),
        "para": ParagraphStyle("para", fontSize=size, leading=lead, firstLineIndent=2 * size, alignment=TA_LEFT,
                               **base),
        "cell": ParagraphStyle("cell", fontSize=8.5, leading=11, alignment=TA_CENTER, **base),
        "cell_left": ParagraphStyle("cell_left", fontSize=8.5, leading=11, alignment=TA_LEFT, **base),
        "cell4": ParagraphStyle("cell4", fontSize=8, leading=10, alignment=TA_CENTER, **base),
    }


class _GridTable(Flowable):
    """A grid drawn as one reportlab Table that splits anywhere, spans included.

    reportlab will not break a table inside a row span (table 3's 三、本年度办理结果
    spans 23+ rows), so this flowable cuts the grid itself with ``split_grid``:
    the header rows repeat and a cut span continues as an empty cell, as in Word.
    """

    def __init__(self, grid: Grid, styles: Mapping[str, ParagraphStyle], width: float) -> None:
        super().__init__()
        self.grid, self.styles, self.table_width = grid, styles, width
        self.table = _table(grid, styles, width)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = self.table.wrap(aw, ah)
        return self.width, self.height

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.table.wrap(aw, ah)
        heights = list(self.table._rowHeights)
        h = self.grid.header_rows
        at, used = None, 0.0
        for r, rh in enumerate(heights):
            used += rh
            if used > ah:
                break
            if r + 1 > h + 1 and r + 1 < self.grid.nrows:
                at = r + 1
        while at is not None:
            first, second = split_grid(self.grid, at)
            t1 = _table(first, self.styles, self.table_width)
            if t1.wrap(aw, ah)[1] <= ah:
                return [_GridTable(first, self.styles, self.table_width),
                        _GridTable(second, self.styles, self.table_width)]
            at = at - 1 if at - 1 > h + 1 else None
        return []


def _table(grid: Grid, styles: Mapping[str, ParagraphStyle], width: float) -> Table:
    small = grid.ncols > 10
    data: list[list[object]] = [[""] * grid.ncols for _ in range(grid.nrows)]
    cmds: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for c in grid.cells:
        st = styles["cell4"] if small else styles["cell_left" if c.align == "left" else "cell"]
        data[c.row][c.col] = Paragraph(escape(c.text), st) if c.text else ""
        if c.rowspan > 1 or c.colspan > 1:
            cmds.append(("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1)))
    total = sum(grid.col_widths)
    widths = [width * w / total for w in grid.col_widths]
    return Table(data, colWidths=widths, style=TableStyle(cmds), repeatRows=grid.header_rows or 0, hAlign="LEFT")


def _furniture(rng: random.Random, header: str | None, font: str):
    style = rng.choice(["dash", "plain", "page"])

    def on_page(canv, doc) -> None:  # noqa: ANN001 - reportlab callback
        canv.saveState()
        canv.setFont(font, 9)
        n = canv.getPageNumber()
        text = {"dash": f"— {n} —", "plain": str(n), "page": f"第 {n} 页"}[style]
        canv.drawCentredString(A4[0] / 2, 1.2 * cm, text)
        if header:
            canv.drawCentredString(A4[0] / 2, A4[1] - 1.3 * cm, header)
            canv.setLineWidth(0.4)
            canv.line(2.5 * cm, A4[1] - 1.45 * cm, A4[0] - 2.5 * cm, A4[1] - 1.45 * cm)
        canv.restoreState()

    return on_page


def render_pdf(rng: random.Random, record: Mapping, prose: str, *, font: str | None = None) -> bytes:
    """A multi-page report: title, sections 一…六, tables 二/三/四 with merged cells and page furniture.

    ``font``: path of a TrueType CJK font to embed (see ``find_cjk_font``); None draws
    with the non-embedded STSong-Light, which needs no font file anywhere.
    """
    fname = register_font(font)
    style = random_style(rng)
    styles = _styles(rng, fname)
    blocks: list[Block] = report_blocks(rng, record, prose, style)
    buf = io.BytesIO()
    margin = rng.choice([2.4, 2.6, 2.8]) * cm
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=margin, rightMargin=margin,
                            topMargin=2.5 * cm, bottomMargin=2.3 * cm,
                            title=blocks[0].text, author="gongkai synth", invariant=1)
    story: list[Flowable] = []
    after_push = False
    for b in blocks:
        if b.kind == "table" and b.grid is not None:
            story.append(_GridTable(b.grid, styles, doc.width))
            story.append(Spacer(1, 8))
        elif b.kind == "push":
            story.append(_StartLow(rng.uniform(0.3, 0.5)))
            after_push = True
            continue
        else:
            # keepWithNext would move the heading and the whole table to a new page instead of splitting it
            st = styles["heading_free" if after_push and b.kind == "heading" else b.kind]
            story.append(Paragraph(escape(b.text), st))
        after_push = False
    meta = record.get("meta") or {}
    header = f"{meta.get('agency') or ''}政府信息公开工作年度报告" if rng.random() < 0.5 else None
    page_cb = _furniture(rng, header, fname)
    doc.build(story, onFirstPage=page_cb, onLaterPages=page_cb)
    return buf.getvalue()
