"""HTML pages as government sites publish them: article prose and ``<table>`` rows.

Each ``<tr>`` becomes one line of cells, one cell per ``<td>``/``<th>`` as
printed (a rowspan/colspan cell once, where it starts), so blank cells stay
blank cells. A table that holds other tables is page layout, not data: its
cells are read as blocks.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..document import Document, Line, ReadError
from .text import decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BLOCK = frozenset(
    ["address", "article", "aside", "blockquote", "body", "center", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "br", "title"]
)
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "select", "button", "head"})
_CELL = frozenset({"td", "th"})
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


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
    """Runs of whitespace (&nbsp; and the ideographic space included) to one space, trimmed."""
    return " ".join(text.split())


class _Lines:
    def __init__(self) -> None:
        self.lines: list[tuple[list[str], bool]] = []
        self.buf: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self.buf.append(s)

    def flush(self) -> None:
        if not self.buf:
            return
        t = _clean("".join(self.buf))
        self.buf = []
        if t:
            self.lines.append(([t], False))

    def row(self, cells: list[str]) -> None:
        self.flush()
        if any(cells):
            self.lines.append((cells, True))


def _has_inner_table(table: LexborNode) -> bool:
    return len(table.css("table")) > 1  # css() matches the node itself too


def _walk(node: LexborNode, out: _Lines) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.text(child.text_content)
        elif tag in _SKIP or tag[0] == "-":  # comments, doctype
            continue
        elif tag == "table" and not _has_inner_table(child):
            out.flush()
            for tr in child.css("tr"):
                out.row([_clean(td.text(deep=True)) for td in tr.iter() if td.tag in _CELL])
        else:
            block = tag in _BLOCK
            if block:
                out.flush()
            _walk(child, out)
            if block:
                out.flush()


def read_html(data: bytes, doc_id: str, source: str) -> Document:
    if not data.strip():
        raise ReadError("empty file")
    text, enc = decode_html(data)
    text = _XML_DECL.sub("", text)
    page = LexborHTMLParser(text)
    out = _Lines()
    title = page.css_first("title")
    if title is not None:
        out.text(title.text(deep=True))
        out.flush()
    body = page.body
    if body is not None:
        _walk(body, out)
    out.flush()
    lines, parts, pos = [], [], 0
    for i, (cells, in_table) in enumerate(out.lines, 1):
        t = "\t".join(cells)
        lines.append(Line(cells=cells, start=pos, end=pos + len(t), lineno=i, in_table=in_table))
        parts.append(t)
        pos += len(t) + 1
    return Document(doc_id=doc_id, source=source, kind="html", text="\n".join(parts), lines=lines, encoding=enc)
