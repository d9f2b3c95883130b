"""Readers: one per input kind, each returning a ``Document``; ``read_path`` picks by content and name."""

from __future__ import annotations

from pathlib import Path

from ..document import Document, ReadError

MAX_BYTES = 200 * 1024 * 1024  # larger files are refused rather than read into memory
# a text or HTML report is tens of kilobytes; megabytes of text are a dump or junk, not one report
MAX_TEXT_BYTES = 16 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf", ".doc"}


def sniff_kind(data: bytes, suffix: str) -> str:
    """The input kind, from the bytes first (a .pdf that is not a PDF is junk), then the name."""
    head = data[:1024].lstrip()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if suffix in (".docx", ".doc", "") else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if suffix in HTML_SUFFIXES or head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix == ".pdf":
        return "badpdf"
    if suffix == ".docx":
        return "baddocx"
    if suffix == ".md":
        return "md"
    return "txt"


def read_bytes(data: bytes, doc_id: str, source: str, suffix: str) -> Document:
    kind = sniff_kind(data, suffix)
    if not data:
        raise ReadError("empty file")
    if kind in ("txt", "md"):
        from .text import read_text

        return read_text(data, doc_id, source, kind)
    if kind == "html":
        from .html import read_html

        return read_html(data, doc_id, source)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data, doc_id, source)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, doc_id, source)
    if kind == "doc":
        raise ReadError("legacy .doc: needs conversion (see read_path)")
    if kind == "badpdf":
        raise ReadError("not a PDF: the file is named .pdf but does not start with %PDF")
    if kind == "baddocx":
        raise ReadError("not a DOCX: the file is named .docx but is not a zip package")
    raise ReadError(f"unsupported input ({kind})")


def read_path(path: Path) -> Document:
    doc_id, source, suffix = path.stem, path.name, path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ReadError(f"cannot read file: {e.strerror}") from None
    if size > MAX_BYTES:
        raise ReadError(f"file too large ({size / 1e6:.0f} MB > {MAX_BYTES / 1e6:.0f} MB)")
    if size > MAX_TEXT_BYTES and suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise ReadError(
            f"file too large for one report ({size / 1e6:.0f} MB of text; reports are well under 1 MB, "
            f"limit {MAX_TEXT_BYTES / 1e6:.0f} MB)"
        )
    data = path.read_bytes()
    if sniff_kind(data, suffix) == "doc" or (suffix == ".doc" and not data.startswith(b"PK")):
        from .doc import read_doc

        return read_doc(path)
    return read_bytes(data, doc_id, source, suffix)
