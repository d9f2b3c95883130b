"""Helpers shared by the layout readers (DOCX, PDF): joining text pieces and building the Document.

Both readers produce rows of cells in reading order; turning them into the
``Document`` text (cells joined by tabs, lines by newlines, offsets kept) is the
same for both, and so is the rule for gluing wrapped text back together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, Line

_WS = re.compile(r"[\t\n\r\f\v\u3000\xa0 ]+")


@dataclass
class Row:
    cells: list[str]
    page: int | None = None
    in_table: bool = False


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def glue(a: str, b: str) -> str:
    """Join two pieces of one cell or paragraph: no space between CJK, one space between Latin words."""
    if not a:
        return b
    if not b:
        return a
    if _latin(a[-1]) and _latin(b[0]) and not (a[-1].isdigit() and b[0].isdigit()):
        return a + " " + b
    return a + b


def clean_cell(text: str) -> str:
    """One cell's text on one line: tabs/newlines (which separate cells and lines) become spaces."""
    return _WS.sub(" ", text).strip()


def build_document(doc_id: str, source: str, kind: str, rows: list[Row], *, pages: int | None = None,
                   warnings: list[str] | None = None) -> Document:
    """``Document.text`` is the rows' cells joined by tabs, rows joined by newlines; offsets match."""
    lines: list[Line] = []
    parts: list[str] = []
    pos = 0
    for i, r in enumerate(rows, 1):
        t = "\t".join(r.cells)
        lines.append(Line(cells=list(r.cells), start=pos, end=pos + len(t), lineno=i, page=r.page,
                          in_table=r.in_table))
        parts.append(t)
        pos += len(t) + 1
    return Document(doc_id=doc_id, source=source, kind=kind, text="\n".join(parts), lines=lines,
                    pages=pages, warnings=list(warnings or []))
