"""Plain text and Markdown dumps: decode, keep the text untouched, split into cells."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from ..document import Document, ReadError, lines_from_text

# encodings a Chinese government text can come in, tried strictly in this order
_CANDIDATES = ("utf-8-sig", "gb18030")


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312), else a detector's guess."""
    for enc in _CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and not _looks_chinese(text):
            break
        return text, ("utf-8" if enc == "utf-8-sig" else enc)
    best = from_bytes(data).best()
    if best is None:
        raise ReadError("not a text file (binary content, no text encoding fits)")
    return str(best), best.encoding


_CJK_RUN = re.compile("[\u4e00-\u9fff]+")


def _looks_chinese(text: str) -> bool:
    head = text[:4000]
    cjk = sum(map(len, _CJK_RUN.findall(head)))  # runs, not characters: half the matching work
    return cjk >= max(1, len(head) // 20)


def read_text(data: bytes, doc_id: str, source: str, kind: str = "txt") -> Document:
    if not data.strip():
        raise ReadError("empty file")
    if b"\x00" in data[:4096]:
        raise ReadError("binary content in a text file (NUL bytes)")
    text, enc = decode(data)
    return Document(doc_id=doc_id, source=source, kind=kind, text=text, lines=lines_from_text(text), encoding=enc)
