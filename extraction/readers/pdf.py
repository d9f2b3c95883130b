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
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as R

from ..document import Document, ReadError
from .layout_text import Row, build_document, clean_cell, glue
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


def _page_content(page: pdfium.PdfPage) -> tuple[list[Char], list[HRule], list[VRule], int]:
    tp = page.get_textpage()
    try:
        chars = _chars(tp.raw)
    finally:
        tp.close()
    hrules, vrules, images = _rules(page.raw)
    return chars, hrules, vrules, images


_SKIP_CH = frozenset(" \t\r\n\f\v\u3000\xa0\ufffe\x00\x02")


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
_get_object = _unchecked(R.FPDFPage_GetObject, _VP, _VP, _INT)
_object_type = _unchecked(R.FPDFPageObj_GetType, _INT, _VP)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _address(ptr: object) -> int:
    return ctypes.cast(ptr, ctypes.c_void_p).value or 0


def _chars(raw: object) -> list[Char]:
    n = R.FPDFText_CountChars(raw)
    if n <= 0:
        return []
    text = _page_text(raw, n)
    if text is None:  # a character outside the BMP (two UTF-16 units) or text pdfium left out
        text = "".join(chr(R.FPDFText_GetUnicode(raw, k)) for k in range(n))
    printed = [k for k, ch in enumerate(text) if not (ch in _SKIP_CH or ch < " ")]
    # boxes of the printed characters, into one float array: left, top, right, bottom per char index
    boxes = (ctypes.c_float * (4 * n))()
    base, tp = ctypes.addressof(boxes), _address(raw)
    for k in printed:
        _get_box(tp, k, base + 16 * k)
    box = np.frombuffer(boxes, dtype=np.float32).reshape(n, 4)
    # a space the PDF itself prints ("1732 条") is kept by gluing it to the character before it; pdfium's own
    # inserted spaces and line breaks are dropped (spacing is rebuilt from the boxes)
    spaces = [k for k in _spaces(text) if not R.FPDFText_IsGenerated(raw, k)]
    if _fake_bold(text, printed, box):
        out = _chars_one_by_one(text, box.tolist(), set(spaces))
    else:
        sel = box[printed]
        out = list(zip([text[k] for k in printed], sel[:, 0].tolist(), sel[:, 3].tolist(), sel[:, 2].tolist(),
                       sel[:, 1].tolist(), strict=True))
        glued = -1
        for k in spaces:  # onto the printed character before it, once
            j = bisect_left(printed, k) - 1
            if j >= 0 and j != glued:
                c = out[j]
                out[j] = (c[0] + " ", c[1], c[2], c[3], c[4])
                glued = j
    return _join_surrogates(out) if _SURROGATE.search(text) else out


def _spaces(text: str) -> list[int]:
    out, k = [], text.find(" ")
    while k >= 0:
        out.append(k)
        k = text.find(" ", k + 1)
    return out


def _fake_bold(text: str, printed: list[int], box: np.ndarray) -> bool:
    """Some printed character drawn twice in a row at (almost) the same place (fake bold)?"""
    if len(printed) < 2:
        return False
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)[printed]
    sel = box[printed]
    same = codes[1:] == codes[:-1]
    if not same.any():
        return False
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
    images = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    mat = R.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()
    page = _address(page_raw)
    image, form, path = R.FPDF_PAGEOBJ_IMAGE, R.FPDF_PAGEOBJ_FORM, R.FPDF_PAGEOBJ_PATH
    for k in range(R.FPDFPage_CountObjects(page_raw)):
        addr = _get_object(page, k)
        kind = _object_type(addr)
        if kind in (image, form):
            images += 1  # a scan may sit inside a form XObject
            continue
        if kind != path:
            continue
        obj = ctypes.cast(addr, R.FPDF_PAGEOBJECT)
        if not R.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        w, h = right.value - left.value, top.value - bottom.value
        if w < _RULE_THICK and h >= _RULE_THICK:
            vs.append(((left.value + right.value) / 2, bottom.value, top.value))
            continue
        if h < _RULE_THICK and w >= _RULE_THICK:
            hs.append(((bottom.value + top.value) / 2, left.value, right.value))
            continue
        if w < _RULE_THICK and h < _RULE_THICK:
            continue
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


def _layout_page(chars: list[Char], hrules: list[HRule], vrules: list[VRule]) -> list[_Item]:
    tables = find_tables(hrules, vrules) if hrules and vrules else []
    per_table: list[dict[int, list[Char]]] = [{} for _ in tables]
    if tables:
        free: list[Char] = []
        boxes = [(t.xs[0], t.xs[-1], t.ys[-1], t.ys[0], t, per_table[k]) for k, t in enumerate(tables)]
        for c in chars:
            cx, cy = (c[1] + c[3]) * 0.5, (c[2] + c[4]) * 0.5
            for x0, x1, y0, y1, t, cells in boxes:
                if x0 <= cx <= x1 and y0 <= cy <= y1:
                    s = t.slot(cx, cy)
                    if s is not None:
                        cid = t.owner[s[0]][s[1]]
                        if cid in cells:
                            cells[cid].append(c)
                        else:
                            cells[cid] = [c]
                        break
            else:
                free.append(c)
    else:
        free = chars
    items: list[_Item] = []
    for t, cell_chars in zip(tables, per_table, strict=True):
        if not cell_chars:
            continue  # rules with no text in them: a frame or a decoration, not a table
        texts = {cid: clean_cell(_text_of(cs)) for cid, cs in cell_chars.items()}
        rows = [r for i in range(t.nrows) if (r := t.row_cells(i, texts)) is not None]
        items.append(_Item(t.top, t.bottom, table=t, rows=rows))
    items += [_Item(tl.top, tl.bottom, text=tl) for tl in _text_lines(free)]
    items.sort(key=lambda it: -it.top)
    return items


_X = itemgetter(1)


def _group_lines(chars: list[Char]) -> list[list[Char]]:
    """Visual lines, top to bottom, each left to right: characters whose vertical centres are close."""
    if not chars:
        return []
    order = sorted(chars, key=lambda c: -(c[2] + c[4]))
    lines: list[list[Char]] = []
    cur = [order[0]]
    cy2 = order[0][2] + order[0][4]  # twice the centre: no division in the loop
    for c in order[1:]:
        d = cy2 - c[2] - c[4]
        h = c[4] - c[2]
        if d <= 0.9 * (h if h > 1.0 else 1.0):
            cur.append(c)
        else:
            lines.append(cur)
            cur, cy2 = [c], c[2] + c[4]
    lines.append(cur)
    for ln in lines:
        ln.sort(key=_X)
    return lines


def _pieces(line: list[Char], split_gap: float | None) -> list[str]:
    """A visual line's text, cut into cells where a gap is wider than ``split_gap`` × char height."""
    cells: list[str] = []
    first = line[0]
    buf = [first[0]]
    px1, space = first[3], first[0][-1] == " "
    split = split_gap if split_gap is not None else 1e9
    for k in range(1, len(line)):
        c = line[k]
        h = c[4] - c[2]
        if h < 1.0:
            h = 1.0
        gap = c[1] - px1
        if gap > split * h:
            cells.append("".join(buf))
            buf = []
        elif gap > 0.3 * h and not space:
            buf.append(" ")
        t = c[0]
        buf.append(t)
        px1, space = c[3], t[-1] == " "
    cells.append("".join(buf))
    return cells


def _text_of(chars: list[Char]) -> str:
    """A table cell's text: its visual lines glued (a label wrapped inside a narrow cell)."""
    if len(chars) == 1:
        return chars[0][0]
    out = ""
    for ln in _group_lines(chars):
        out = glue(out, "".join(_pieces(ln, None)).strip())
    return out


def _text_lines(chars: list[Char]) -> list[_TextLine]:
    out = []
    for ln in _group_lines(chars):
        cells = [clean_cell(s) for s in _pieces(ln, 1.8)]
        cells = [s for s in cells if s] or [""]
        x1 = top = size = -1e9
        bottom = 1e9
        for c in ln:
            if c[3] > x1:
                x1 = c[3]
            if c[4] > top:
                top = c[4]
            if c[2] < bottom:
                bottom = c[2]
            if c[4] - c[2] > size:
                size = c[4] - c[2]  # the tallest box: loose boxes of Latin glyphs are lower than CJK ones
        out.append(_TextLine(cells, ln[0][1], x1, top, bottom, size, _lead_width(ln), ln[-1][0][-1] == " "))
    return out


_NO_LINE_START = set("，。、；：？！）》」』】〕”’…—,.;:?!)%")


def _lead_width(ln: list[Char]) -> float:
    """How wide the line's first piece is that a line breaker would not split: a run of digits/Latin, or one
    CJK character with the punctuation that may not start a line after it."""
    k = 1
    if ln[0][0].isascii() and ln[0][0].isalnum():
        while k < len(ln) and (ln[k][0].isascii() and (ln[k][0].isalnum() or ln[k][0] in ".%")):
            k += 1
    while k < len(ln) and ln[k][0] in _NO_LINE_START:
        k += 1
    return ln[k - 1][3] - ln[0][1]


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
