"""Gold from inline markup: ``全年主动公开政府信息【4407条|PROACTIVE_TOTAL】`` → text + mentions.

Why: annotators who write or correct passages by hand mark mentions in place;
offsets counted by hand are where gold goes wrong. The converter strips the
marks, computes the offsets, reads each value with the project's one numeral
reader, and refuses a passage whose marked span is not exactly a candidate
of the finder (``models.candidates``): a span the model could never be
offered is an annotation error, not a training example.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.models.candidates import find_candidates

from gongkai.spec import LABELS

MARK = re.compile(r"【([^【】|]+)\|([A-Z_]+)】")


class MarkupError(ValueError):
    """A passage whose marks cannot become gold."""


@dataclass(frozen=True)
class Passage:
    text: str
    narrative: list[dict[str, Any]]


def parse_marked(marked: str) -> Passage:
    """The plain text and its gold mentions (start/end are ``str`` offsets into the plain text)."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos, length = 0, 0
    for m in MARK.finditer(marked):
        before = marked[pos:m.start()]
        parts.append(before)
        length += len(before)
        span, label = m.group(1), m.group(2)
        if label not in LABELS:
            raise MarkupError(f"unknown label {label!r} at {span!r}")
        spans.append((length, length + len(span), label))
        parts.append(span)
        length += len(span)
        pos = m.end()
    parts.append(marked[pos:])
    text = "".join(parts)
    leftover = re.search(r"【[^】]*\|[^】]*】", text)
    if leftover:
        raise MarkupError(f"malformed mark {leftover.group(0)!r}")
    cands = {(c.start, c.end): c for c in find_candidates(text)}
    narrative = []
    for start, end, label in spans:
        c = cands.get((start, end))
        if c is None:
            raise MarkupError(f"{text[start:end]!r} ({label}) is not a candidate span")
        narrative.append(gold_mention(label, start, end, c.text, c.value, c.approx))
    return Passage(text, narrative)


def gold_mention(label: str, start: int, end: int, text: str, value: float, approx: bool) -> dict[str, Any]:
    """One narrative mention in the gold format (whole values written as integers)."""
    return {"label": label, "start": start, "end": end, "text": text,
            "value": int(value) if value == int(value) else value, "approx": approx}


def gold_record(doc_id: str, narrative: list[dict[str, Any]], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """A prose-only gold file (no tables, format unknown) for ``doc_id``.txt."""
    meta = {"year": None, "agency": None, **(meta or {}), "format": None}
    return {"doc_id": doc_id, "source": f"{doc_id}.txt", "meta": meta, "tables": {},
            "narrative": sorted(narrative, key=lambda m: m["start"])}


def write_passage(doc_id: str, passage: Passage, gold_dir: Path, text_dir: Path) -> Path:
    """The passage's text file and gold file (the gold format of ``shared/spec``)."""
    text_dir.mkdir(parents=True, exist_ok=True)
    gold_dir.mkdir(parents=True, exist_ok=True)
    (text_dir / f"{doc_id}.txt").write_text(passage.text, encoding="utf-8")
    path = gold_dir / f"{doc_id}.json"
    path.write_text(json.dumps(gold_record(doc_id, passage.narrative), ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Turn JSONL of marked passages (``{"id", "text"}`` per line) into gold files; report refusals."""
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("jsonl", nargs="+", type=Path)
    ap.add_argument("--gold-dir", type=Path, required=True)
    ap.add_argument("--text-dir", type=Path, required=True)
    args = ap.parse_args(argv)
    written, refused = 0, 0
    for path in args.jsonl:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                passage = parse_marked(row["text"])
            except MarkupError as e:
                refused += 1
                print(f"{path}:{n} {row['id']}: refused: {e}", file=sys.stderr)
                continue
            write_passage(row["id"], passage, args.gold_dir, args.text_dir)
            written += 1
    print(f"{written} passage(s) written, {refused} refused")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
