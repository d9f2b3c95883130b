#!/usr/bin/env python3
"""Turn hand annotations written as marked context into gold files with exact offsets.

Input: a JSONL file, one object per page:
  {"id": "p0001", "year": 2020, "agency": "河包镇人民政府" | null,
   "mentions": [{"label": "NEWMEDIA_POSTS", "ctx": "政务动态【68余条】"}, ...]}
Each ``ctx`` is a piece of the page text, copied exactly, with the mention
wrapped in 【】; the piece must occur exactly once in the page (make it longer
if not). The mention's value and approx flag are read from the span.

Writes OUT_DIR/<id>.json in the gold format (tables {}, format null: the
corpus pages are report beginnings without complete tables).

usage: .venv/bin/python scripts/mark_mentions.py INPUT.jsonl SOURCE_DIR OUT_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from gongkai.annotations.inline import gold_mention, gold_record
from gongkai.extraction.numbers import parse_quantity  # the project's one numeral reader


def span_value(text: str) -> tuple[float | None, bool]:
    q = parse_quantity(text)
    return (None, False) if q is None else q


def main() -> int:
    inp, src_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    out_dir.mkdir(parents=True, exist_ok=True)
    errors = 0
    for n, line in enumerate(inp.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        pid = rec["id"]
        text = (src_dir / f"{pid}.txt").read_text(encoding="utf-8")
        mentions = []
        for m in rec.get("mentions", []):
            ctx = m["ctx"]
            mm = re.search(r"【(.+?)】", ctx)
            if not mm:
                print(f"line {n} {pid}: no 【】 in {ctx!r}")
                errors += 1
                continue
            plain = ctx.replace("【", "").replace("】", "")
            hits = [i for i in range(len(text)) if text.startswith(plain, i)]
            if len(hits) != 1:
                print(f"line {n} {pid}: context {plain!r} found {len(hits)} times (need exactly 1)")
                errors += 1
                continue
            start = hits[0] + mm.start()
            span = mm.group(1)
            end = start + len(span)
            assert text[start:end] == span
            value, approx = span_value(span)
            if value is None:
                print(f"line {n} {pid}: cannot read a number from {span!r}")
                errors += 1
                continue
            mentions.append(gold_mention(m["label"], start, end, span, value, approx))
        gold = gold_record(pid, mentions, {"year": rec.get("year"), "agency": rec.get("agency")})
        (out_dir / f"{pid}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
