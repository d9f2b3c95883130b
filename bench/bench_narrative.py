"""Narrative tagging speed on CPU: candidates/s, reports/s and peak RSS per tagger setting.

Why: the default narrative model must keep up with the table extractor
(target >= 20 reports/s on 2 cores). Each setting runs in a fresh subprocess
(load time and peak RSS are its own), with ``torch.set_num_threads(threads)``,
over two sets: the 5 seed reports repeated (whole reports) and the 275 corpus
pages (report beginnings, ~750 chars). Timed per document: building the
``Document``, finding candidates, tagging them (the whole narrative step).

Settings are ``NAME`` (a registry name: rules, baseline, model),
``span:DIR[:DTYPE]`` (a span-model dir; dtype float32 | bfloat16 | int8 | auto)
or ``cascade:DIR[:DTYPE[:THRESHOLD[:MIX]]]`` (``models.cascade``: the baseline
settles candidates it is sure of, the span model, or the mix of both, the rest).

    python bench/bench_narrative.py [--settings baseline span:models/narrative:bfloat16 ...] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared"


def load(setting: str) -> Any:
    parts = setting.split(":")
    if parts[0] == "span":
        from gongkai.models.span_store import load_span_tagger

        return load_span_tagger(parts[1], dtype=parts[2] if len(parts) > 2 else "auto")
    if parts[0] == "cascade":
        from gongkai.models.cascade import CascadeTagger
        from gongkai.models.registry import load_tagger
        from gongkai.models.span_store import load_span_tagger

        span = load_span_tagger(parts[1], dtype=parts[2] if len(parts) > 2 else "auto")
        threshold = float(parts[3]) if len(parts) > 3 else 0.97
        mix = float(parts[4]) if len(parts) > 4 else 0.0
        return CascadeTagger(load_tagger("baseline"), span, threshold, mix)
    from gongkai.models.registry import load_tagger

    return load_tagger(setting)


def texts(which: str, repeat: int, shared: Path) -> list[str]:
    if which == "seeds":
        seeds = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
        return seeds * repeat
    return [p.read_text(encoding="utf-8") for p in sorted((shared / "corpus" / "pages").glob("*.txt"))]


def measure(setting: str, which: str, repeat: int, threads: int, shared: Path) -> dict[str, Any]:
    import torch
    from gongkai.extraction.document import Document, lines_from_text
    from gongkai.models.candidates import document_candidates

    torch.set_num_threads(threads)
    t = time.perf_counter()
    tagger = load(setting)
    load_s = time.perf_counter() - t
    docs = texts(which, repeat, shared)

    def step(i: int, text: str) -> tuple[int, int]:
        doc = Document(doc_id=str(i), source=f"{i}.txt", kind="txt", text=text, lines=lines_from_text(text),
                       encoding="utf-8")
        cands = document_candidates(doc)
        if not cands:
            return 0, 0
        preds = tagger.predict(text, cands)
        return len(cands), sum(p["label"] != "O" for p in preds)

    for i, text in enumerate(docs[:3]):  # warm-up (lazy inits, allocator)
        step(i, text)
    n_cand = n_ment = 0
    t = time.perf_counter()
    for i, text in enumerate(docs):
        c, m = step(i, text)
        n_cand += c
        n_ment += m
    secs = time.perf_counter() - t
    return {
        "setting": setting,
        "set": which,
        "threads": threads,
        "reports": len(docs),
        "candidates": n_cand,
        "load_s": round(load_s, 2),
        "reports_per_s": round(len(docs) / secs, 1),
        "candidates_per_s": round(n_cand / secs, 0),
        "mentions_per_s": round(n_ment / secs, 0),
        "peak_rss_MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settings", nargs="+", default=["rules", "baseline", "span:models/narrative:float32",
                                                      "span:models/narrative:bfloat16"])
    ap.add_argument("--sets", nargs="+", default=["seeds", "pages"])
    ap.add_argument("--repeat", type=int, default=20, help="how many times the 5 seed reports are repeated")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--one", help="internal: run one setting/set and print JSON")
    a = ap.parse_args()
    if a.one:
        setting, which = a.one.rsplit("@", 1)
        print(json.dumps(measure(setting, which, a.repeat, a.threads, a.shared)))
        return
    for setting in a.settings:
        for which in a.sets:
            cmd = [sys.executable, __file__, "--one", f"{setting}@{which}", "--repeat", str(a.repeat),
                   "--threads", str(a.threads), "--shared", str(a.shared)]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode:
                print(json.dumps({"setting": setting, "set": which, "error": r.stderr.strip().splitlines()[-1:]}))
            else:
                print(r.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
