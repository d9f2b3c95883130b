"""Extraction speed per input kind: docs/s and peak RSS, one process per kind.

Run by hand (not a test):  .venv/bin/python bench/bench_extract.py [-n 200] [--kinds txt,html,docx,pdf]
Generates N synthetic reports per kind with the project's synthesizer (both
templates), then times read + tables + meta + validation (no narrative model:
that has its own benchmark) in a fresh process per kind, single-threaded, with the
garbage-collector threshold a batch run sets (`extraction.batch.batch_gc`).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def reference_loop_s() -> float:
    """Seconds for a fixed pure-Python loop (best of 3): this machine's speed at the time of the run.

    The project's 2-core VM wanders by ±30 % over minutes; figures taken with a slower reference loop
    are proportionally lower (0.55 s is this VM on a quiet moment).
    """
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        s = 0
        for i in range(10_000_000):
            s += i
        best = min(best, time.perf_counter() - t0)
    return best


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would carry over the
    high-water mark of the parent that forked it (the benchmark's parent holds every generated report)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _passes(files: list[Path], golds: dict[str, dict], repeat: int) -> tuple[float, float, int]:
    """The best of ``repeat`` timed passes (this machine's speed wanders): wall s, CPU s, reports with a wrong
    cell."""
    from gongkai.extraction.pipeline import extract_path

    best: tuple[float, float, int] | None = None
    for _ in range(repeat):
        wrong = 0
        t0, c0 = time.perf_counter(), time.process_time()
        for f in files:  # each report is checked and dropped, as a batch run writes and drops it
            r = extract_path(f, narrative="none")
            g = golds.get(r.doc_id)
            if g is not None and g["tables"] != r.tables:
                wrong += 1
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        if best is None or dt < best[0]:
            best = (dt, cpu, wrong)
    assert best is not None
    return best


def _measure(folder: str, kind: str, repeat: int) -> None:
    from gongkai.extraction.batch import batch_gc
    from gongkai.extraction.pipeline import extract_path

    files = sorted(p for p in Path(folder).iterdir() if p.is_file())
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (Path(folder) / "gold").glob("*.json")}
    extract_path(files[0], narrative="none")  # warm up: lazy imports of the kind's reader
    with batch_gc():  # the garbage collector set as `gongkai extract` sets it for a batch
        dt, cpu, wrong = _passes(files, golds, repeat)
    rss = peak_rss_mb()
    print(json.dumps({"kind": kind, "docs": len(files), "seconds": round(dt, 3), "docs_per_s": round(len(files) / dt, 1),
                      "docs_per_cpu_s": round(len(files) / cpu, 1),
                      "peak_rss_mb": round(rss, 1), "docs_with_a_wrong_cell": wrong,
                      "reference_loop_s": round(reference_loop_s(), 3)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="reports per kind")
    ap.add_argument("--kinds", default="txt,pipe,html,html-gbk,docx,pdf")
    ap.add_argument("--font", default="auto",
                    help="PDF font: auto (an installed TrueType CJK font embedded, as real reports do), none "
                         "(non-embedded STSong-Light: pdfium substitutes a system font on every page, ~1.7x slower), "
                         "or a path")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes per kind; the fastest is reported")
    ap.add_argument("--rounds", type=int, default=1,
                    help="measure every kind this many times, PAUSE seconds apart, and print each kind's best: "
                         "on a VM whose speed wanders over minutes, the best round is the machine's own speed")
    ap.add_argument("--pause", type=float, default=60.0, help="seconds between rounds")
    ap.add_argument("--measure", nargs=2, metavar=("FOLDER", "KIND"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        _measure(*args.measure, args.repeat)
        return
    from gongkai.synth import synthesize
    from gongkai.synth.render_pdf import resolve_font

    font = resolve_font(args.font)
    if "pdf" in args.kinds:
        print(f"PDF font: {font or 'STSong-Light, not embedded'}")

    kinds = args.kinds.split(",")
    best: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            synthesize(Path(tmp) / kind, args.n, kinds=[kind], formats=["2019", "2021"], seed=7, pdf_font=font)
        for r in range(args.rounds):
            if r:
                time.sleep(args.pause)
            for kind in kinds:
                out = subprocess.run([sys.executable, __file__, "--measure", str(Path(tmp) / kind), kind,
                                      "--repeat", str(args.repeat)], check=True, capture_output=True, text=True).stdout
                print(out, end="", flush=True)
                line = json.loads(out)
                if kind not in best or line["docs_per_s"] > best[kind]["docs_per_s"]:
                    best[kind] = line
    if args.rounds > 1:
        print(f"best of {args.rounds} rounds:")
        for kind in kinds:
            print(json.dumps(best[kind]))


if __name__ == "__main__":
    main()
