"""What every reader produces: the document's plain text plus its lines as cells.

Readers differ (txt, HTML, DOCX, PDF, DOC) but all hand the table finder the
same thing: a sequence of lines, each a list of cell strings in print order,
with where it sits in the text. A table row printed as one line of
tab-separated cells, as one ``<tr>``, or as one row of positioned words on a
PDF page all become one ``Line`` with several cells; a layout that prints one
cell per line (the pipe dumps) becomes several one-cell lines, and the table
finder reads the cells as a stream, so both come out the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    cells: list[str]  # cell texts in print order, empty cells kept ("")
    start: int  # offset of the line in Document.text
    end: int
    lineno: int  # 1-based line number in Document.text
    page: int | None = None  # 1-based page (PDF/DOCX page breaks where known)
    in_table: bool = False  # the reader knows this line is a table row (HTML/DOCX/PDF grid)


@dataclass
class Document:
    doc_id: str
    source: str  # file name, as gold's "source"
    kind: str  # txt | md | html | docx | pdf | doc
    text: str  # the text narrative offsets point into (for txt/md: the file, decoded, untouched)
    lines: list[Line] = field(default_factory=list)
    encoding: str | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


class ReadError(Exception):
    """A document that cannot be read at all; the message is the one-line reason shown to the user."""


def lines_from_text(text: str, sep: str = "\t") -> list[Line]:
    """Split plain text into lines of cells (tab-separated, or ``|``-separated for pipe dumps)."""
    out: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n"), 1):
        end = pos + len(raw)
        body = raw.rstrip("\r")
        if "|" in body and sep == "\t" and "\t" not in body:
            cells = [c.strip() for c in body.split("|")]
            # "规章 |" → ["规章", ""]: the trailing separator closes the cell, it is not an empty cell
            if cells and cells[-1] == "" and body.rstrip().endswith("|"):
                cells.pop()
        else:
            cells = [c.strip() for c in body.split(sep)]
        out.append(Line(cells=cells, start=pos, end=end, lineno=i))
        pos = end + 1
    return out
