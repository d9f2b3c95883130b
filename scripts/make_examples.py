#!/usr/bin/env python3
"""Regenerate ``examples/``: eight synthetic reports (every input kind, both table formats) and their gold.

Real reports may not ship with the project, so the README's sample run uses
these. Deterministic: running it twice writes identical files.

usage: python scripts/make_examples.py [OUT_DIR]   (default: examples/ next to this script's folder)
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from gongkai.synth.cli import EXT, TEXT_KINDS, gold_of, render
from gongkai.synth.prose import render_prose
from gongkai.synth.records import random_record
from gongkai.synth.render_html import render_html

# (name, kind, table format, report year, broken arithmetic, blank cells); html-gbk never declares its charset
EXAMPLES = [
    ("tab", "txt", "2019", 2020, False, True),
    ("md", "md", "2021", 2023, False, False),
    ("pipe", "pipe", "2019", 2019, True, False),
    ("lines", "lines", "2021", 2021, False, False),
    ("html", "html", "2021", 2024, False, True),
    ("html_gbk_nocharset", "html-gbk", "2019", 2020, False, False),
    ("docx", "docx", "2021", 2022, True, False),
    ("pdf", "pdf", "2019", 2020, False, False),
]
SEED = 20240601


def main(out: Path) -> int:
    (out / "gold").mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("example_*"), *(out / "gold").glob("example_*.json")]:
        old.unlink()
    total = 0
    for i, (name, kind, fmt, year, broken, blanks) in enumerate(EXAMPLES, 1):
        rng = random.Random(f"{SEED}-{i}")
        doc_id = f"example_{i:02d}_{name}_{year}"
        record = random_record(rng, fmt, doc_id=doc_id, year=year, break_arithmetic=broken, blanks=blanks)
        prose = render_prose(rng, record)
        if kind == "html-gbk":
            data, narrative = render_html(rng, record, prose, encoding="gbk", declare_charset=False), []
        else:
            data, narrative = render(kind, rng, record, prose)
        source = f"{doc_id}.{EXT[kind]}"
        (out / source).write_bytes(data)
        gold = gold_of(record, source, narrative if kind in TEXT_KINDS else [])
        (out / "gold" / f"{doc_id}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", "utf-8")
        total += len(data)
        print(f"{source:45s} {len(data):>8,d} bytes  {len(narrative):>2d} mentions")
    print(f"{len(EXAMPLES)} reports, {total:,d} bytes (+ gold) in {out}")
    return 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "examples"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
