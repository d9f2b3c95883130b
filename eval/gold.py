"""Load a directory of gold files and refuse bad ones before anything is scored.

Scores computed against broken gold are worse than no scores, so every check
of ``shared/tools/check_gold.py`` that is an error there is an error here, and
all problems of all files are collected into one ``GoldError`` so that an
annotator can fix them in one pass.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from gongkai.spec import field_ids, gold_schema

TEXT_SUFFIXES = (".txt", ".md")


class GoldError(Exception):
    """One or more gold files are unusable; ``problems`` lists ``file: problem`` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in gold files:\n{lines}")


@dataclass
class GoldDoc:
    doc_id: str
    path: Path
    source_path: Path
    data: dict[str, Any]
    text: str | None  # decoded source, for .txt/.md sources only
    sha256: str
    source_sha256: str

    @property
    def fmt(self) -> str | None:
        return self.data["meta"].get("format")

    @property
    def tables(self) -> dict[str, float | None]:
        return self.data["tables"]

    @property
    def narrative(self) -> list[dict[str, Any]]:
        return self.data["narrative"]


@dataclass
class _Check:
    """Problems found in one file, each prefixed with the file name."""

    name: str
    problems: list[str] = field(default_factory=list)

    def add(self, msg: str) -> None:
        self.problems.append(f"{self.name}: {msg}")


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_to_int(t: str) -> int | None:
    total, cur = 0, 0
    for ch in t:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (cur or 1) * _CN_UNITS[ch]
            cur = 0
        else:
            return None
    return total + cur


def span_value(text: str) -> tuple[float | None, bool | None]:
    """The value and approx flag a mention span implies (same rules as check_gold.py)."""
    m = re.match(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([万亿]?)\s*(余|多)?", text)
    if m:
        v = float(m.group(1)) * {"": 1, "万": 10000, "亿": 100000000}[m.group(2)]
        return v, bool(m.group(3))
    m = re.match(r"^([零〇一二两三四五六七八九十百千]+)(余|多)?", text)
    if m:
        v = _cn_to_int(m.group(1))
        return (float(v) if v is not None else None), bool(m.group(2))
    return None, None


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _find_source(source: str, gold_dir: Path, docs_dir: Path | None) -> Path | None:
    """``source`` under ``docs_dir`` (directly, then anywhere below), else beside the gold file."""
    if docs_dir is not None:
        direct = docs_dir / source
        if direct.is_file():
            return direct
        found = sorted(p for p in docs_dir.rglob(Path(source).name) if p.is_file())
        if found:
            return found[0]
    beside = gold_dir / source
    return beside if beside.is_file() else None


def _check_tables(chk: _Check, data: dict[str, Any]) -> None:
    fmt = data["meta"].get("format")
    tables = data["tables"]
    if fmt is None:
        if tables:
            chk.add(f"meta.format is null but {len(tables)} table cells are present")
        return
    valid = set(field_ids(fmt))
    for key, v in tables.items():
        if key not in valid:
            chk.add(f"table field id {key!r} is not a field of format {fmt}")
        elif v is not None and not key.endswith(".amount") and float(v) != int(v):
            chk.add(f"non-integer value {v} in integer field {key}")


def _check_narrative(chk: _Check, narrative: list[dict[str, Any]], text: str | None) -> None:
    prev_end = -1
    for m in sorted(narrative, key=lambda m: (m["start"], m["end"])):
        st, en, tx = m["start"], m["end"], m["text"]
        where = f"narrative {m['label']} {tx!r} at {st}:{en}"
        if en <= st:
            chk.add(f"{where}: end is not after start")
        if text is not None and text[st:en] != tx:
            chk.add(f"{where}: offsets do not match the source, which has {text[st:en]!r} there")
        if st < prev_end:
            chk.add(f"{where}: overlaps the previous mention")
        prev_end = max(prev_end, en)
        if tx != tx.strip():
            chk.add(f"{where}: span has leading/trailing whitespace")
        v, approx = span_value(tx)
        if v is None:
            chk.add(f"{where}: no number can be read from the span")
            continue
        if v != m["value"]:
            chk.add(f"{where}: value {m['value']} but the span says {v:g}")
        if approx != bool(m.get("approx", False)):
            chk.add(f"{where}: approx={m.get('approx', False)} inconsistent with the span")


def _load_one(
    path: Path, docs_dir: Path | None, validator: jsonschema.Validator
) -> tuple[GoldDoc | None, list[str]]:
    chk = _Check(str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        chk.add(f"not valid JSON: {e}")
        return None, chk.problems
    for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        loc = "/".join(map(str, e.absolute_path)) or "(top level)"
        chk.add(f"schema violation at {loc}: {e.message}")
    if chk.problems:  # the checks below rely on the schema's shape
        return None, chk.problems
    doc_id, source = data["doc_id"], data["source"]
    if path.stem != doc_id:
        chk.add(f"doc_id {doc_id!r} does not match the file name (expected {path.stem!r})")
    if Path(source).stem != doc_id:
        chk.add(f"source {source!r} is not the doc_id {doc_id!r} plus an extension")
    src = _find_source(source, path.parent, docs_dir)
    text: str | None = None
    if src is None:
        where = f"under {docs_dir} or " if docs_dir else ""
        chk.add(f"source file {source!r} not found {where}beside the gold file in {path.parent}")
    elif src.suffix.lower() in TEXT_SUFFIXES:
        try:
            text = src.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            chk.add(f"source {src} is not UTF-8: {e}")
    elif data["narrative"]:
        chk.add(f"narrative offsets are defined for .txt/.md sources only, source is {src.name}")
    _check_tables(chk, data)
    _check_narrative(chk, data["narrative"], text)
    if chk.problems or src is None:
        return None, chk.problems
    doc = GoldDoc(doc_id, path, src, data, text, sha256_file(path), sha256_file(src))
    return doc, []


def load_gold(gold_dir: Path, docs_dir: Path | None = None) -> list[GoldDoc]:
    """Every ``*.json`` in ``gold_dir``, checked; raises ``GoldError`` listing all problems."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise GoldError([f"{gold_dir}: gold directory not found"])
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise GoldError([f"{gold_dir}: no gold files (*.json)"])
    validator = jsonschema.Draft202012Validator(gold_schema())
    docs: list[GoldDoc] = []
    problems: list[str] = []
    for path in files:
        doc, errs = _load_one(path, Path(docs_dir) if docs_dir else None, validator)
        problems += errs
        if doc is not None:
            docs.append(doc)
    if problems:
        raise GoldError(problems)
    return docs
