"""Reader speed: docs/s and peak memory reading N generated DOCX and PDF reports (about six pages each).

Each kind is read in its own process (so peak RSS is that reader's alone), all
files loaded into memory first, one warm-up read, then the timed loop on one
core. PDFs embed a TrueType CJK font when one is installed, as real reports
do (``--font none`` draws with the non-embedded STSong-Light, which makes
pdfium substitute a system font on every page and read several times slower).

    .venv/bin/python bench/bench_readers.py --n 100 [--font auto|none|PATH] [--pdfplumber]

``--pdfplumber`` also times pdfplumber's ``extract_tables`` on the same PDFs
(for comparison only; gongkai does not use it; ``pip install pdfplumber``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _record_and_prose(rng: random.Random, fmt: str, doc_id: str) -> tuple[dict, str]:
    from gongkai.synth.prose import render_prose
    from gongkai.synth.records import random_record

    record = random_record(rng, fmt, doc_id=doc_id)
    prose, _ = render_prose(rng, record)
    return record, prose


def generate(out: Path, n: int, font: str | None) -> dict[str, float]:
    from gongkai.synth.render_docx import render_docx
    from gongkai.synth.render_pdf import render_pdf

    spent = {"docx": 0.0, "pdf": 0.0}
    for i in range(n):
        rng = random.Random(i)
        record, prose = _record_and_prose(rng, "2019" if i % 2 else "2021", f"b{i:04d}")
        t = time.perf_counter()
        (out / f"b{i:04d}.docx").write_bytes(render_docx(random.Random(i), record, prose))
        spent["docx"] += time.perf_counter() - t
        t = time.perf_counter()
        (out / f"b{i:04d}.pdf").write_bytes(render_pdf(random.Random(i), record, prose, font=font))
        spent["pdf"] += time.perf_counter() - t
    return spent


def child(kind: str, folder: Path) -> None:
    """Runs in its own process: time one reader over every file of its kind."""
    ext = "pdf" if kind in ("pdf", "pdfplumber") else "docx"
    files = [(p.name, p.read_bytes()) for p in sorted(folder.glob(f"*.{ext}"))]
    if kind == "docx":
        from gongkai.extraction.readers.docx import read_docx as read
    elif kind == "pdf":
        from gongkai.extraction.readers.pdf import read_pdf as read
    else:
        import io

        import pdfplumber

        def read(data: bytes, doc_id: str, source: str) -> int:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                return sum(len(page.extract_tables()) for page in pdf.pages)

    read(files[0][1], "warm", files[0][0])
    pages = lines = 0
    t, cpu = time.perf_counter(), time.process_time()
    for name, data in files:
        doc = read(data, name.rsplit(".", 1)[0], name)
        if not isinstance(doc, int):
            pages += doc.pages or 0
            lines += len(doc.lines)
    dt, dcpu = time.perf_counter() - t, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    # docs/s per core from CPU time: wall time on a shared machine counts other processes' turns
    print(json.dumps({"kind": kind, "docs": len(files), "wall_s": round(dt, 3), "cpu_s": round(dcpu, 3),
                      "docs_per_s_wall": round(len(files) / dt, 1), "docs_per_cpu_s": round(len(files) / dcpu, 1),
                      "pages_per_doc": round(pages / len(files), 1), "lines_per_doc": round(lines / len(files), 1),
                      "peak_rss_mib": round(rss, 1)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--font", default="auto", help="auto (an installed TTF CJK font, if any), none, or a path")
    ap.add_argument("--pdfplumber", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    ap.add_argument("--generate", nargs=2, metavar=("DIR", "FONT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    if args.generate:
        from gongkai.synth.render_pdf import resolve_font

        font = resolve_font(args.generate[1])
        spent = generate(Path(args.generate[0]), args.n, font)
        print(f"generated {args.n} DOCX in {spent['docx']:.1f} s, {args.n} PDF in {spent['pdf']:.1f} s "
              f"(PDF font: {font or 'STSong-Light, not embedded'})")
        return
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        # generation runs in its own process too: peak RSS (ru_maxrss) survives exec, so a parent that had
        # imported reportlab and python-docx would hand its high-water mark to every reader process
        subprocess.run([sys.executable, __file__, "--n", str(args.n), "--generate", tmp, args.font], check=True)
        kinds = ["docx", "pdf"] + (["pdfplumber"] if args.pdfplumber else [])
        for kind in kinds:
            r = subprocess.run([sys.executable, __file__, "--child", kind, tmp], capture_output=True, text=True,
                               check=False)
            print(r.stdout.strip() or f"{kind}: failed\n{r.stderr[-2000:]}")


if __name__ == "__main__":
    main()
