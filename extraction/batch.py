"""Batch runs: many documents in, one JSON each plus one tidy table, streaming and resumable.

Documents are processed one at a time (or by a worker pool) and each record
is written as soon as it is made, so a run over tens of thousands of files
holds one document in memory per worker and can be stopped and resumed: a
record whose input file (same size and sha1), extractor version and narrative system are unchanged is not redone.
"""

from __future__ import annotations

import gc
import glob
import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.models.registry import describe

from gongkai import __version__

from .pipeline import extract_path
from .readers import SUFFIXES
from .record import Report

TIDY_COLUMNS = (
    "doc_id", "source", "year", "agency", "format", "kind", "field", "value", "approx",
    "text", "start", "end", "line", "page", "inferred", "uncertain", "confidence",
)


def collect_inputs(specs: Iterable[str | Path]) -> list[Path]:
    """Files named by folders (recursively; ``*.json`` skipped), files or glob patterns, in a stable order, once each."""
    out: dict[Path, None] = {}
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                # JSON beside reports is gold or gongkai's own output, never a report: not an input
                if f.is_file() and not f.name.startswith(".") and f.suffix.lower() != ".json":
                    out[f] = None
        elif p.is_file():
            out[p] = None
        else:
            hits = sorted(glob.glob(str(spec), recursive=True))
            if not hits:
                raise FileNotFoundError(f"no such file, folder or glob match: {spec}")
            for h in hits:
                if Path(h).is_file():
                    out[Path(h)] = None
    return list(out)


def file_sha1(path: Path) -> str:
    h = hashlib.sha1()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# Python runs its cycle collector every 700 net allocations; one report allocates tens of thousands of small
# objects (cells, tokens, provenance), next to none of them in reference cycles, so in a batch the collector
# mostly rescans what is still alive. A batch raises the first threshold: bench_extract's reports, A/B in one
# process, txt x1.4, GBK HTML x1.35, HTML and PDF x1.1, DOCX x1.0, peak RSS +4-6 MB (the objects are still
# freed by reference counting as before).
BATCH_GC_THRESHOLD = (10_000, 10, 10)


@contextmanager
def batch_gc() -> Iterator[None]:
    """The batch's collector threshold while the block runs; the caller's afterwards."""
    old = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def process_one(path: Path, narrative: str) -> dict[str, Any]:
    """One document to its JSON record; never raises for a bad document."""
    if path.suffix.lower() not in SUFFIXES:
        rec = Report(
            doc_id=path.stem, source=path.name, status="failed", extractor_version=__version__,
            error=f"not a report file type ({path.suffix or 'no extension'}); expected one of "
                  + " ".join(sorted(SUFFIXES)),
        ).to_json()
    else:
        rec = extract_path(path, narrative=narrative).to_json()
    try:
        rec["input"] = {"path": str(path), "bytes": path.stat().st_size, "sha1": file_sha1(path)}
    except OSError:
        rec["input"] = {"path": str(path)}
    return rec


def tidy_rows(rec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A record as rows of the batch table: one per table cell, one per narrative mention."""
    meta = rec.get("meta") or {}
    base = {"doc_id": rec["doc_id"], "source": rec.get("source"), "year": meta.get("year"),
            "agency": meta.get("agency"), "format": meta.get("format")}
    prov = rec.get("provenance") or {}
    for fid, value in (rec.get("tables") or {}).items():
        p = prov.get(fid) or {}
        yield {**base, "kind": "table", "field": fid, "value": value, "approx": None, "text": p.get("text"),
               "start": None, "end": None, "line": p.get("line"), "page": p.get("page"),
               "inferred": p.get("inferred"), "uncertain": p.get("uncertain"), "confidence": None}
    for m in rec.get("narrative") or []:
        yield {**base, "kind": "narrative", "field": m["label"], "value": m["value"], "approx": m.get("approx"),
               "text": m.get("text"), "start": m.get("start"), "end": m.get("end"), "line": None, "page": None,
               "inferred": None, "uncertain": None, "confidence": m.get("confidence")}


@dataclass
class Summary:
    documents: int = 0
    statuses: Counter = field(default_factory=Counter)
    skipped: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs_per_s(self) -> float:
        done = self.documents - self.skipped
        return done / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"documents": self.documents, "ok": self.statuses["ok"], "with_problems": self.statuses["problems"],
                "no_tables": self.statuses["no_tables"], "failed": self.statuses["failed"],
                "skipped_unchanged": self.skipped, "seconds": round(self.seconds, 3),
                "docs_per_s": round(self.docs_per_s, 2),
                "failures": [{"source": s, "error": e} for s, e in self.failures]}


class TableWriter:
    """Streams tidy rows to ``reports.csv`` and ``reports.parquet`` without holding the batch in memory."""

    def __init__(self, out_dir: Path, chunk: int = 20_000) -> None:
        import pyarrow as pa

        self.pa = pa
        self.schema = pa.schema([
            ("doc_id", pa.string()), ("source", pa.string()), ("year", pa.int64()), ("agency", pa.string()),
            ("format", pa.string()), ("kind", pa.string()), ("field", pa.string()), ("value", pa.float64()),
            ("approx", pa.bool_()), ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
            ("line", pa.int64()), ("page", pa.int64()), ("inferred", pa.string()), ("uncertain", pa.bool_()),
            ("confidence", pa.float64()),
        ])
        self.out_dir = out_dir
        self.rows: list[dict[str, Any]] = []
        self.chunk = chunk
        self.parquet_tmp = out_dir / "reports.parquet.partial"
        self.csv_tmp = out_dir / "reports.csv.partial"
        self._pq = None
        self._csv_started = False

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        import csv

        import pyarrow.parquet as pq

        if not self.rows and self._pq is not None:
            return
        table = self.pa.Table.from_pylist(self.rows, schema=self.schema)
        if self._pq is None:
            self._pq = pq.ParquetWriter(self.parquet_tmp, self.schema)
        self._pq.write_table(table)
        with self.csv_tmp.open("a", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=TIDY_COLUMNS)
            if not self._csv_started:
                w.writeheader()
                self._csv_started = True
            w.writerows(self.rows)
        self.rows = []

    def close(self) -> None:
        self.flush()
        if self._pq is not None:
            self._pq.close()
        os.replace(self.parquet_tmp, self.out_dir / "reports.parquet")
        os.replace(self.csv_tmp, self.out_dir / "reports.csv")


def _record_path(out_dir: Path, rec: dict[str, Any], taken: set[str]) -> Path:
    name = rec["doc_id"]
    if name in taken:  # two inputs with the same stem in different folders
        name = f"{name}__{hashlib.sha1(rec.get('input', {}).get('path', '').encode()).hexdigest()[:8]}"
    taken.add(name)
    return out_dir / f"{name}.json"


def _unchanged(out_file: Path, path: Path, made_by: dict[str, Any]) -> dict[str, Any] | None:
    """The earlier record, if its input file and what made it (extractor version, narrative system) are
    the same; a new release or another ``--narrative`` redoes the document."""
    if not out_file.exists():
        return None
    try:
        old = json.loads(out_file.read_text(encoding="utf-8"))
        inp = old.get("input") or {}
        if any(old.get(k) != v for k, v in made_by.items() if k != "narrative_system" or old.get("status") != "failed"):
            return None  # (a document that could not be read has no narrative system to compare)
        if inp.get("bytes") == path.stat().st_size and inp.get("sha1") == file_sha1(path):
            return old
    except (OSError, ValueError):
        return None
    return None


def run_batch(
    inputs: list[Path],
    out_dir: Path,
    *,
    narrative: str = "model",
    workers: int = 1,
    resume: bool = True,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    mapper: Callable[[Callable[[Path], dict[str, Any]], list[Path]], Iterable[dict[str, Any]]] | None = None,
) -> Summary:
    """Extract every input into ``out_dir``; ``mapper`` lets Ray (or a pool) do the per-document work."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = Summary(documents=len(inputs))
    writer = TableWriter(out_dir)
    taken: set[str] = set()
    todo: list[Path] = []
    t0 = time.perf_counter()
    made_by = {"extractor_version": __version__,
               "narrative_system": None if narrative == "none" else describe(narrative)}
    for path in inputs:
        old = _unchanged(out_dir / f"{path.stem}.json", path, made_by) if resume else None
        if old is not None:
            taken.add(path.stem)
            summary.skipped += 1
            summary.statuses[old.get("status", "ok")] += 1
            writer.add(tidy_rows(old))
            if on_record:
                on_record(old)
        else:
            todo.append(path)
    work = _Work(narrative)
    if mapper is not None:
        results: Iterable[dict[str, Any]] = mapper(work, todo)
    elif workers > 1 and len(todo) > 1:
        results = _pool_map(work, todo, workers)
    else:
        results = map(work, todo)
    with batch_gc():
        for rec in results:
            target = _record_path(out_dir, rec, taken)
            tmp = target.with_suffix(".json.partial")
            tmp.write_text(json.dumps(rec, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, target)
            summary.statuses[rec.get("status", "ok")] += 1
            if rec.get("status") == "failed":
                summary.failures.append((rec.get("source", ""), rec.get("error", "")))
            writer.add(tidy_rows(rec))
            if on_record:
                on_record(rec)
    writer.close()
    summary.seconds = time.perf_counter() - t0
    (out_dir / "summary.json").write_text(json.dumps(summary.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


class _Work:
    """Picklable per-document function for worker pools."""

    def __init__(self, narrative: str) -> None:
        self.narrative = narrative

    def __call__(self, path: Path) -> dict[str, Any]:
        return process_one(path, self.narrative)


def _pool_map(work: _Work, paths: list[Path], workers: int) -> Iterator[dict[str, Any]]:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, initializer=gc.set_threshold, initargs=BATCH_GC_THRESHOLD) as ex:
        yield from ex.map(work, paths, chunksize=8)
