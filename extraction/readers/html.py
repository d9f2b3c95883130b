"""HTML pages as government sites publish them: article prose and ``<table>`` rows.

Each ``<tr>`` becomes one line of cells, one cell per ``<td>``/``<th>`` as
printed (a rowspan/colspan cell once, where it starts), so blank cells stay
blank cells. A table that holds other tables is page layout, not data: its
cells are read as blocks.
"""

from __future__ import annotations

import re

from lxml import etree

from ..document import Document, Line, ReadError
from .text import decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BLOCK = frozenset(
    ["address", "article", "aside", "blockquote", "body", "center", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "br", "title"]
)
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "select", "button", "head"})
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
_WS = re.compile(r"[ \t\r\n\f\v\u3000\xa0]+")


def decode_html(data: bytes) -> tuple[str, str]:
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii").lower()
        if enc in ("gb2312", "gbk", "gb_2312-80"):
            enc = "gb18030"
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Lines:
    def __init__(self) -> None:
        self.lines: list[tuple[list[str], bool]] = []
        self.buf: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self.buf.append(s)

    def flush(self) -> None:
        t = _clean("".join(self.buf))
        self.buf = []
        if t:
            self.lines.append(([t], False))

    def row(self, cells: list[str]) -> None:
        self.flush()
        if any(cells):
            self.lines.append((cells, True))


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _cell_text(td: etree._Element) -> str:
    return _clean(etree.tostring(td, method="text", encoding="unicode", with_tail=False))


def _walk(el: etree._Element, out: _Lines) -> None:
    tag = _tag(el)
    if tag in _SKIP or not tag:
        out.text(el.tail if tag else None)
        return
    if tag == "table" and not el.xpath(".//table"):
        out.flush()
        for tr in el.xpath(".//tr"):
            out.row([_cell_text(td) for td in tr if _tag(td) in ("td", "th")])
        out.text(el.tail)
        return
    block = tag in _BLOCK
    if block:
        out.flush()
    out.text(el.text)
    for child in el:
        _walk(child, out)
    if block:
        out.flush()
    out.text(el.tail)


def read_html(data: bytes, doc_id: str, source: str) -> Document:
    if not data.strip():
        raise ReadError("empty file")
    text, enc = decode_html(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"not parseable as HTML: {e}") from None
    if root is None:
        raise ReadError("not parseable as HTML: no elements")
    out = _Lines()
    title = root.find(".//title")
    if title is not None and title.text:
        out.text(title.text)
        out.flush()
    body = root.find(".//body")
    _walk(body if body is not None else root, out)
    out.flush()
    lines, parts, pos = [], [], 0
    for i, (cells, in_table) in enumerate(out.lines, 1):
        t = "\t".join(cells)
        lines.append(Line(cells=cells, start=pos, end=pos + len(t), lineno=i, in_table=in_table))
        parts.append(t)
        pos += len(t) + 1
    return Document(doc_id=doc_id, source=source, kind="html", text="\n".join(parts), lines=lines, encoding=enc)
