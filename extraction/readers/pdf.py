"""Text-layer PDF reader (pypdfium2, Apache/BSD): characters with boxes → lines of cells.

Every character comes with its box; ruled tables are rebuilt from the page's
drawn lines (``pdf_grid``) so a table row is one ``Line`` whatever its spans
and wrapped cells; the rest of the page is grouped into visual lines by y and
split into cells at wide x gaps. Then, over the whole document: page furniture
(page numbers, running headers/footers) is dropped, a table continued on the
next page loses its repeated header rows, and prose lines wrapped at the right
margin are joined back into paragraphs (so a number is never cut by a wrap).
A scanned PDF (no text layer) is refused: OCR is not supported.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as R

from ..document import Document, ReadError
from .layout_text import Row, build_document, glue
from .pdf_grid import GridTable, HRule, VRule, find_tables

Char = tuple[str, float, float, float, float]  # ch, x0, y0, x1, y1
_RULE_THICK = 3.0  # a filled box thinner than this (points) is a rule
_PAGE_NO = re.compile(
    r"^[\s\-—–－―_·•]*(?:第\s*)?[\d一二三四五六七八九十]+\s*(?:页)?(?:\s*[/／]\s*(?:共\s*)?\d+\s*页?)?[\s\-—–－―_·•]*$"
    r"|^[\s\-—–－―]*(?:page\s*)?\d+(?:\s*(?:/|of)\s*\d+)?[\s\-—–－―]*$",
    re.I,
)
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[、.．](?!\d))")


@dataclass
class _TextLine:
    cells: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    lead: float = 0.0  # width of the first unbreakable piece (a number, a Latin word, a CJK char + punctuation)
    space_after: bool = False  # the line ends with a printed space (a wrap at "2023 年")


@dataclass
class _Item:
    """One thing on a page in reading order: a text line, or a table's rows."""

    top: float
    bottom: float
    text: _TextLine | None = None
    table: GridTable | None = None
    rows: list[list[str]] | None = None


def read_pdf(data: bytes, doc_id: str, source: str) -> Document:
    if not data or not data.strip():
        raise ReadError("empty file")
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF: no %PDF header (a file named .pdf that is something else)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise ReadError("encrypted PDF: it needs a password to open, which gongkai does not have") from None
        raise ReadError(f"corrupt PDF: the file cannot be parsed ({msg})") from None
    try:
        return _read(pdf, doc_id, source)
    except pdfium.PdfiumError as e:
        raise ReadError(f"corrupt PDF: a page cannot be read ({e})") from None
    finally:
        pdf.close()


def _read(pdf: pdfium.PdfDocument, doc_id: str, source: str) -> Document:
    n_pages = len(pdf)
    if n_pages == 0:
        raise ReadError("corrupt PDF: it has no pages")
    pages: list[list[_Item]] = []
    heights: list[float] = []
    n_chars = n_images = 0
    scanned: list[int] = []
    for p in range(n_pages):
        page = pdf[p]
        try:
            heights.append(page.get_height())
            chars, hrules, vrules, images = _page_content(page)
        finally:
            page.close()
        n_chars += len(chars)
        n_images += images
        if images and not chars:
            scanned.append(p + 1)
        pages.append(_layout_page(chars, hrules, vrules))
    if n_chars == 0:
        if n_images:
            raise ReadError("no text layer: the PDF holds only images (a scan?); OCR is not supported")
        raise ReadError("no text layer: the PDF has no text (drawn as outlines?); OCR is not supported")
    warnings = []
    if scanned:
        warnings.append(f"page(s) {', '.join(map(str, scanned))} have no text layer (scanned images): "
                        "their content is missing; OCR is not supported")
    _drop_furniture(pages, heights)
    rows = _document_rows(pages)
    return build_document(doc_id, source, "pdf", rows, pages=n_pages, warnings=warnings)


# ---- extraction ----------------------------------------------------------------------------------


def _page_content(page: pdfium.PdfPage) -> tuple[_PageChars, list[HRule], list[VRule], int]:
    tp = page.get_textpage()
    try:
        chars = _chars(tp.raw)
    finally:
        tp.close()
    hrules, vrules, images = _rules(page.raw)
    return chars, hrules, vrules, images


_SKIP_CH = frozenset(" \t\r\n\f\v\u3000\xa0\ufffe\x00\x02")
_PRINTED = np.ones(0x10000, dtype=bool)  # per UTF-16 unit (pdfium's characters): printed, not whitespace/control
_PRINTED[:32] = False
_PRINTED[[ord(c) for c in _SKIP_CH]] = False


@dataclass
class _PageChars:
    """A page's printed characters, in the order pdfium reads them, as parallel columns."""

    codes: np.ndarray  # (n,) uint32: the character's code point
    box: np.ndarray  # (n, 4) float64: x0, y0, x1, y1 (PDF points, y up)
    spaced: np.ndarray  # (n,) bool: a space the PDF prints follows ("1732 条"), glued onto this character

    @classmethod
    def of(cls, chars: list[Char]) -> _PageChars:
        box = np.array([c[1:] for c in chars], dtype=np.float64).reshape(-1, 4)
        return cls(np.array([ord(c[0][0]) for c in chars], dtype=np.uint32).reshape(-1), box,
                   np.array([len(c[0]) > 1 for c in chars], dtype=bool).reshape(-1))

    def __len__(self) -> int:
        return len(self.codes)


def _page_text(raw: object, n: int) -> str | None:
    """All the page's characters in one call, if they map one to one onto char indices (else None)."""
    buf = (ctypes.c_ushort * (n + 1))()
    got = R.FPDFText_GetText(raw, 0, n, buf)
    text = ctypes.string_at(buf, 2 * max(got - 1, 0)).decode("utf-16-le", "surrogatepass")
    return text if len(text) == n else None


def _unchecked(fn: object, restype: type, *argtypes: type) -> object:
    """The same pdfium entry point without pypdfium2's pointer-type checks: called once per character or
    page object, the argument conversion costs more than the call. Pointers are passed as ints."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)


_VP, _INT = ctypes.c_void_p, ctypes.c_int
_get_box = _unchecked(R.FPDFText_GetLooseCharBox, _INT, _VP, _INT, _VP)
_is_generated = _unchecked(R.FPDFText_IsGenerated, _INT, _VP, _INT)
_get_object = _unchecked(R.FPDFPage_GetObject, _VP, _VP, _INT)
_object_type = _unchecked(R.FPDFPageObj_GetType, _INT, _VP)
_get_bounds = _unchecked(R.FPDFPageObj_GetBounds, _INT, _VP, _VP, _VP, _VP, _VP)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _address(ptr: object) -> int:
    return ctypes.cast(ptr, ctypes.c_void_p).value or 0


def _chars(raw: object) -> _PageChars:
    n = R.FPDFText_CountChars(raw)
    if n <= 0:
        return _PageChars(np.empty(0, dtype=np.uint32), np.empty((0, 4)), np.empty(0, dtype=bool))
    text = _page_text(raw, n)
    if text is None:  # a character outside the BMP (two UTF-16 units) or text pdfium left out
        text = "".join(chr(R.FPDFText_GetUnicode(raw, k)) for k in range(n))
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    printed = np.flatnonzero(_PRINTED[np.minimum(codes, 0xFFFF)])  # beyond the BMP: printed
    at = printed.tolist()
    # boxes of the printed characters, written by pdfium straight into one array: left, top, right, bottom
    # (``map`` over the C entry point: no Python loop per character)
    boxes = np.zeros((n, 4), dtype=np.float32)
    tp = _address(raw)
    list(map(_get_box, repeat(tp, len(at)), at, (boxes.ctypes.data + 16 * printed).tolist()))
    # a space the PDF itself prints ("1732 条") is kept by gluing it to the character before it; pdfium's own
    # inserted spaces and line breaks are dropped (spacing is rebuilt from the boxes)
    spaces = np.flatnonzero(codes == 32)
    generated = np.fromiter(map(_is_generated, repeat(tp, len(spaces)), spaces.tolist()), np.int32, len(spaces))
    spaces = spaces[generated == 0]
    if _fake_bold(codes, printed, boxes) or _SURROGATE.search(text):
        out = _chars_one_by_one(text, boxes.tolist(), set(spaces.tolist()))
        return _PageChars.of(_join_surrogates(out))
    spaced = np.zeros(len(at), dtype=bool)
    glued = np.searchsorted(printed, spaces) - 1  # onto the printed character before it, once
    spaced[glued[glued >= 0]] = True
    return _PageChars(codes[printed], boxes[printed][:, [0, 3, 2, 1]].astype(np.float64), spaced)


def _fake_bold(codes: np.ndarray, printed: np.ndarray, box: np.ndarray) -> bool:
    """Some printed character drawn twice in a row at (almost) the same place (fake bold)?"""
    if len(printed) < 2:
        return False
    same = codes[printed[1:]] == codes[printed[:-1]]
    if not same.any():
        return False
    sel = box[printed]
    near = (np.abs(sel[1:, 0] - sel[:-1, 0]) < 1.0) & (np.abs(sel[1:, 3] - sel[:-1, 3]) < 1.0)
    return bool((same & near).any())


def _chars_one_by_one(text: str, box: list[list[float]], printed_spaces: set[int]) -> list[Char]:
    """The general path: printed spaces glued on, fake-bold repeats dropped."""
    out: list[Char] = []
    append = out.append
    pch, px, py = "", 0.0, 0.0
    for k, ch in enumerate(text):
        if ch in _SKIP_CH or ch < " ":
            if k in printed_spaces and pch:
                last = out[-1]
                out[-1] = (last[0] + " ", last[1], last[2], last[3], last[4])
                pch = ""
            continue
        left, top, right, bottom = box[k]
        if ch == pch and -1.0 < left - px < 1.0 and -1.0 < bottom - py < 1.0:
            continue  # fake bold: the same glyph drawn twice, shifted a little
        append((ch, left, bottom, right, top))
        pch, px, py = ch, left, bottom
    return out


def _join_surrogates(chars: list[Char]) -> list[Char]:
    """pdfium reports characters outside the BMP as two UTF-16 halves; join them."""
    if not any("\ud800" <= c[0] <= "\udbff" for c in chars):
        return chars
    out: list[Char] = []
    for c in chars:
        if out and "\udc00" <= c[0] <= "\udfff" and "\ud800" <= out[-1][0][-1] <= "\udbff":
            p = out[-1]
            s = (p[0] + c[0]).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
            out[-1] = (s, p[1], min(p[2], c[2]), max(p[3], c[3]), max(p[4], c[4]))
        else:
            out.append(c)
    return out


def _rules(page_raw: object) -> tuple[list[HRule], list[VRule], int]:
    """Horizontal and vertical rules drawn on the page (thin boxes, and straight path segments)."""
    hs: list[HRule] = []
    vs: list[VRule] = []
    bounds = (ctypes.c_float * 4)()  # left, bottom, right, top
    at = [ctypes.addressof(bounds) + 4 * k for k in range(4)]
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    mat = R.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()
    n = R.FPDFPage_CountObjects(page_raw)
    objects = list(map(_get_object, repeat(_address(page_raw), n), range(n)))
    kinds = np.fromiter(map(_object_type, objects), np.int32, n)
    images = int(((kinds == R.FPDF_PAGEOBJ_IMAGE) | (kinds == R.FPDF_PAGEOBJ_FORM)).sum())  # a scan may sit in a form
    for k in np.flatnonzero(kinds == R.FPDF_PAGEOBJ_PATH).tolist():
        addr = objects[k]
        if not _get_bounds(addr, *at):
            continue
        left, bottom, right, top = bounds
        w, h = right - left, top - bottom
        if w < _RULE_THICK and h >= _RULE_THICK:
            vs.append(((left + right) / 2, bottom, top))
            continue
        if h < _RULE_THICK and w >= _RULE_THICK:
            hs.append(((bottom + top) / 2, left, right))
            continue
        if w < _RULE_THICK and h < _RULE_THICK:
            continue
        obj = ctypes.cast(addr, R.FPDF_PAGEOBJECT)
        R.FPDFPath_GetDrawMode(obj, fill, stroke)
        if stroke.value or fill.value:
            _segments(obj, mat, px, py, hs, vs, bool(stroke.value))
    return hs, vs, images


def _segments(obj: object, mat: R.FS_MATRIX, px: ctypes.c_float, py: ctypes.c_float,
              hs: list[HRule], vs: list[VRule], stroked: bool) -> None:
    """Rules inside one path object, in page coordinates: the axis-parallel segments of a stroked path, and
    the thin boxes among a filled path's subpaths (Word and WPS fill many border boxes as one path)."""
    if not R.FPDFPageObj_GetMatrix(obj, mat):
        return
    a, b, c, d, e, f = mat.a, mat.b, mat.c, mat.d, mat.e, mat.f
    subpaths: list[list[tuple[float, float]]] = []
    for s in range(R.FPDFPath_CountSegments(obj)):
        seg = R.FPDFPath_GetPathSegment(obj, s)
        if not R.FPDFPathSegment_GetPoint(seg, px, py):
            continue
        x, y = px.value, py.value
        pt = (a * x + c * y + e, b * x + d * y + f)
        kind = R.FPDFPathSegment_GetType(seg)
        if kind == R.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([pt])
            continue
        cur = subpaths[-1]
        if stroked and kind == R.FPDF_SEGMENT_LINETO:
            _add_segment(cur[-1], pt, hs, vs)
        cur.append(pt)
        if R.FPDFPathSegment_GetClose(seg):
            if stroked:
                _add_segment(pt, cur[0], hs, vs)
            cur.append(cur[0])
    if stroked:
        return
    for pts in subpaths:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if w < _RULE_THICK <= h:
            vs.append(((max(xs) + min(xs)) / 2, min(ys), max(ys)))
        elif h < _RULE_THICK <= w:
            hs.append(((max(ys) + min(ys)) / 2, min(xs), max(xs)))


def _add_segment(p: tuple[float, float], q: tuple[float, float], hs: list[HRule], vs: list[VRule]) -> None:
    if abs(p[1] - q[1]) < 0.5 and abs(p[0] - q[0]) >= 1:
        hs.append((p[1], min(p[0], q[0]), max(p[0], q[0])))
    elif abs(p[0] - q[0]) < 0.5 and abs(p[1] - q[1]) >= 1:
        vs.append((p[0], min(p[1], q[1]), max(p[1], q[1])))


# ---- one page ------------------------------------------------------------------------------------

_FREE = -1  # the group of characters outside every table; a table cell's group is a key >= 0
_CELL_KEY = 1 << 20  # table index * _CELL_KEY + cell id


def _layout_page(chars: _PageChars, hrules: list[HRule], vrules: list[VRule]) -> list[_Item]:
    """The page's items top to bottom. Every character belongs to one group (a table cell, or the free text
    around the tables); each group is cut into visual lines, and free lines into cells at wide gaps. The
    work runs on whole-page columns, with Python loops only over lines."""
    tables = find_tables(hrules, vrules) if hrules and vrules else []
    group = _cell_groups(chars.box, tables)
    lines = _lines(chars, group)
    items: list[_Item] = []
    texts: dict[int, str] = {}
    for g, text in lines.cell_lines():
        texts[g] = glue(texts.get(g, ""), text.strip())
    for k, t in enumerate(tables):
        first, last = k * _CELL_KEY, (k + 1) * _CELL_KEY
        cells = {g - first: s for g, s in texts.items() if first <= g < last}
        if not cells:
            continue  # rules with no text in them: a frame or a decoration, not a table
        rows = [r for i in range(t.nrows) if (r := t.row_cells(i, cells)) is not None]
        items.append(_Item(t.top, t.bottom, table=t, rows=rows))
    items += [_Item(tl.top, tl.bottom, text=tl) for tl in lines.text_lines()]
    items.sort(key=lambda it: -it.top)
    return items


def _cell_groups(box: np.ndarray, tables: list[GridTable]) -> np.ndarray:
    """Per character: the table cell its centre falls in (the first table that has a slot there), else
    ``_FREE``."""
    group = np.full(len(box), _FREE, dtype=np.int64)
    if not tables or not len(box):
        return group
    cx = (box[:, 0] + box[:, 2]) * 0.5
    cy = (box[:, 1] + box[:, 3]) * 0.5
    for k, t in enumerate(tables):
        idx = np.flatnonzero((group == _FREE) & (cx >= t.xs[0]) & (cx <= t.xs[-1])
                             & (cy >= t.ys[-1]) & (cy <= t.ys[0]))
        if not len(idx):
            continue
        j = np.searchsorted(t.xs, cx[idx], side="right") - 1
        i = np.searchsorted([-y for y in t.ys], -cy[idx], side="right") - 1
        ok = (i >= 0) & (i < t.nrows) & (j >= 0) & (j < t.ncols)
        group[idx[ok]] = k * _CELL_KEY + np.asarray(t.owner, dtype=np.int64)[i[ok], j[ok]]
    return group


@dataclass
class _Lines:
    """A page's visual lines, each its characters left to right, grouped (free text, then cell by cell)."""

    # per line: its characters, "\x1f" where a free line is cut into cells. Whitespace in it is only single
    # spaces (control characters, tabs, ideographic and no-break spaces are never kept as characters), so a
    # stripped piece is already a clean cell
    text: list[str]
    group: list[int]
    starts: list[int]  # per line: index of its first character in the sorted columns below (plus the end)
    codes: list[int]  # the characters in line order, as in ``_PageChars``
    box: np.ndarray
    spaced: np.ndarray

    def cell_lines(self) -> Iterator[tuple[int, str]]:
        for g, text in zip(self.group, self.text, strict=True):
            if g != _FREE:
                yield g, text

    def text_lines(self) -> list[_TextLine]:
        free = [k for k, g in enumerate(self.group) if g == _FREE]
        if not free:
            return []
        starts = np.asarray(self.starts[:-1])
        b = self.box
        x1 = np.maximum.reduceat(b[:, 2], starts)
        top = np.maximum.reduceat(b[:, 3], starts)
        bottom = np.minimum.reduceat(b[:, 1], starts)
        # the tallest box: loose boxes of Latin glyphs are lower than CJK ones
        size = np.maximum.reduceat(b[:, 3] - b[:, 1], starts)
        x0s, x1s, tops, bottoms, sizes = (a.tolist() for a in (b[starts, 0], x1, top, bottom, size))
        spaced = self.spaced.tolist()
        out = []
        for k in free:
            cells = [s for s in (s.strip() for s in self.text[k].split("\x1f")) if s] or [""]
            a, e = self.starts[k], self.starts[k + 1]
            out.append(_TextLine(cells, x0s[k], x1s[k], tops[k], bottoms[k], sizes[k],
                                 self._lead_width(a, e, spaced), spaced[e - 1]))
        return out

    def _lead_width(self, a: int, e: int, spaced: list[bool]) -> float:
        """How wide the line's first piece is that a line breaker would not split: a run of digits/Latin, or
        one CJK character with the punctuation that may not start a line after it. A character with a printed
        space after it ends the piece."""
        codes = self.codes
        k = a + 1
        c = chr(codes[a])
        if not spaced[a] and c.isascii() and c.isalnum():
            while k < e and not spaced[k] and (c := chr(codes[k])).isascii() and (c.isalnum() or c in ".%"):
                k += 1
        while k < e and not spaced[k] and chr(codes[k]) in _NO_LINE_START:
            k += 1
        return float(self.box[k - 1, 2] - self.box[a, 0])


_NO_LINE_START = set("，。、；：？！）》」』】〕”’…—,.;:?!)%")


def _line_starts(s: np.ndarray, g: np.ndarray, need: np.ndarray) -> list[int]:
    """Where lines start among characters sorted by group, then top to bottom (``s``: twice the vertical
    centre; ``need``: how far below a line's first character one may sit and still join it).

    The same as walking the characters one by one, without the walk: a drop from the character before
    that exceeds ``need`` starts a line whatever the line's first character was; between two such starts,
    a stretch whose whole drop is within every ``need`` in it is one line. Only other stretches are walked.
    """
    n = len(s)
    certain = np.empty(n, dtype=bool)
    certain[0] = True
    certain[1:] = (g[1:] != g[:-1]) | (s[:-1] - s[1:] > need[1:])
    first = np.flatnonzero(certain)
    drop = s[first] - np.minimum.reduceat(s, first)
    walk = np.flatnonzero(drop > np.minimum.reduceat(need, first)).tolist()
    starts = first.tolist()
    if walk:
        ends = starts[1:] + [n]
        s_list, need_list = s.tolist(), need.tolist()
        more = []
        for r in walk:
            ref = s_list[starts[r]]
            for k in range(starts[r] + 1, ends[r]):
                if ref - s_list[k] > need_list[k]:
                    more.append(k)
                    ref = s_list[k]
        starts = sorted(starts + more)
    return starts


def _lines(chars: _PageChars, group: np.ndarray) -> _Lines:
    """Visual lines: within a group, top to bottom, a character joins the line whose first character's
    vertical centre is within 0.9 × its own height of its centre; then each line left to right, with a space
    where a gap is wider than 0.3 × the height and a cell cut where a free line's gap is wider than 1.8 ×."""
    n = len(chars)
    if not n:
        return _Lines([], [], [0], [], np.empty((0, 4)), np.empty(0, dtype=bool))
    box = chars.box
    cy2 = box[:, 1] + box[:, 3]  # twice the centre
    order = np.lexsort((-cy2, group))  # stable: pdfium's order among equals
    s, g = cy2[order], group[order]
    need = 0.9 * np.maximum(box[order, 3] - box[order, 1], 1.0)
    starts = _line_starts(s, g, need)
    line_of = np.zeros(n, dtype=np.int64)
    line_of[starts[1:]] = 1
    line_of = np.cumsum(line_of)
    # each line left to right, stably: one sort on a key that keeps the lines apart
    x = box[order, 0] - box[:, 0].min()
    order = order[np.argsort(line_of * (x.max() + 1.0) + x, kind="stable")]
    b, sp, codes = box[order], chars.spaced[order], chars.codes[order]  # g stays: a line is one group
    # spaces and cuts from the gaps between neighbours on a line
    h = np.maximum(b[1:, 3] - b[1:, 1], 1.0)
    gap = b[1:, 0] - b[:-1, 2]
    same_line = np.ones(n - 1, dtype=bool)
    same_line[np.asarray(starts[1:], dtype=np.int64) - 1] = False
    cut = same_line & (g[1:] == _FREE) & (gap > 1.8 * h)
    space = same_line & ~cut & (gap > 0.3 * h) & ~sp[:-1]
    # the page's text in one string: before a character a line break, a cut ("\x1f") or a space; after it its
    # printed space
    before = np.zeros(n, dtype=np.uint32)
    before[1:][space] = 32
    before[1:][cut] = 31
    before[starts[1:]] = 10
    has = before != 0
    end = np.cumsum(1 + has + sp)
    at = end - 1 - sp
    out = np.full(int(end[-1]), 32, dtype=np.uint32)  # the printed spaces stay as filled
    out[at] = codes
    out[at[has] - 1] = before[has]
    text = out.tobytes().decode("utf-32-le", "surrogatepass").split("\n")
    return _Lines(text, g[starts].tolist(), starts + [n], codes.tolist(), b, sp)


# ---- the whole document --------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _body_box(pages: list[list[_Item]]) -> tuple[float, float]:
    """Top and bottom of the body frame: the extreme full-width prose lines over the document."""
    left, right = _margins(pages)
    tops, bottoms = [], []
    for items in pages:
        for it in items:
            t = it.text
            if t is not None and len(t.cells) == 1 and len(t.cells[0]) >= 12 and t.x1 >= right - 2 * t.size:
                tops.append(t.top)
                bottoms.append(t.bottom)
    if not tops:
        return float("inf"), float("-inf")
    return max(tops) + 2.0, min(bottoms) - 2.0


def _drop_furniture(pages: list[list[_Item]], heights: list[float]) -> None:
    """Remove page numbers and running headers/footers: text lines in a page's top or bottom band, outside
    the body frame, that are a page number or whose text (digits aside) recurs there on other pages."""
    body_top, body_bottom = _body_box(pages)
    bands: list[list[tuple[int, str]]] = []  # per page: (item index, normalised text) in the bands
    for items, height in zip(pages, heights, strict=True):
        zone = 0.1 * height
        cand = []
        for k, it in enumerate(items):
            if it.text is None:
                continue
            if (it.top > height - zone and it.bottom > body_top) or (it.bottom < zone and it.top < body_bottom):
                cand.append((k, _norm(" ".join(it.text.cells))))
        bands.append(cand)
    seen = Counter(t for cand in bands for t in {t for _, t in cand})
    need = 2 if len(pages) >= 2 else 99
    for items, cand in zip(pages, bands, strict=True):
        drop = set()
        for k, t in cand:
            text = " ".join(items[k].text.cells)  # type: ignore[union-attr]
            if _PAGE_NO.match(text) or (t and seen[t] >= need):
                drop.add(k)
        if drop:
            items[:] = [it for k, it in enumerate(items) if k not in drop]


def _same_width(a: GridTable, b: GridTable) -> bool:
    """Same overall width: the second part of a table broken over a page (which may shift sideways on
    mirrored pages, and may lack a column rule the first part never needed, or the reverse)."""
    return abs((a.xs[-1] - a.xs[0]) - (b.xs[-1] - b.xs[0])) <= 2.0


def _document_rows(pages: list[list[_Item]]) -> list[Row]:
    rows: list[Row] = []
    margins = _margins(pages)
    prev_item: _Item | None = None
    table_head: list[list[str]] = []  # first rows of the table being continued
    for p, items in enumerate(pages, 1):
        for k, it in enumerate(items):
            if it.table is not None and it.rows is not None:
                body = it.rows
                cont = (k == 0 and prev_item is not None and prev_item.table is not None
                        and _same_width(prev_item.table, it.table))
                if cont:
                    n = 0
                    while n < min(len(table_head), len(body) - 1, 6) and body[n] == table_head[n]:
                        n += 1
                    body = body[n:]
                else:
                    table_head = it.rows[:6]
                rows += [Row(r, p, True) for r in body]
            elif it.text is not None:
                if prev_item is not None and prev_item.text is not None and rows and not rows[-1].in_table \
                        and _continues(prev_item.text, it.text, margins):
                    head = rows[-1].cells[0] + (" " if prev_item.text.space_after else "")
                    rows[-1].cells = [glue(head, it.text.cells[0])]
                else:
                    rows.append(Row(list(it.text.cells), p, False))
            prev_item = it
    return rows


def _margins(pages: list[list[_Item]]) -> tuple[float, float]:
    """The body text's left and right edges: the most common line start and the 90th-percentile end."""
    starts, ends = [], []
    for items in pages:
        for it in items:
            if it.text is not None and len(it.text.cells) == 1 and len(it.text.cells[0]) >= 12:
                starts.append(round(it.text.x0))
                ends.append(it.text.x1)
    if not starts:
        return 0.0, float("inf")
    ends.sort()
    return float(Counter(starts).most_common(1)[0][0]), ends[int(0.9 * (len(ends) - 1))]


def _continues(a: _TextLine, b: _TextLine, margins: tuple[float, float]) -> bool:
    """``b`` carries on the paragraph of ``a``: ``a`` runs to the right margin, ``b`` is not indented,
    both are single-cell prose of one size, and ``b`` does not open a numbered heading."""
    left, right = margins
    if len(a.cells) != 1 or len(b.cells) != 1 or abs(a.size - b.size) > 0.1 * a.size:
        return False
    h = a.size
    # a wrapped line stops where the next piece would not fit: the room left is less than that piece
    full = right - a.x1 < b.lead + 1.2 * h
    return full and abs(b.x0 - left) <= 0.6 * h and not _HEADING.match(b.cells[0])
