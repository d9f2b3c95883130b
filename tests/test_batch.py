"""Batch runs: bad documents never stop a batch, outputs stream to disk, reruns skip unchanged inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from gongkai.extraction.batch import collect_inputs, run_batch


def _folder(tmp_path: Path, seeds_dir: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for f in sorted(seeds_dir.glob("*.txt"))[:3]:
        shutil.copy(f, d / f.name)
    (d / "empty.txt").write_bytes(b"")
    (d / "fake.pdf").write_bytes(b"this is not a pdf at all" * 10)
    (d / "notes.xlsx").write_bytes(b"PK\x03\x04junk")
    (d / "gbk.txt").write_bytes("某县2020年政府信息公开工作年度报告\n一、总体情况\n无表格。\n".encode("gbk"))
    return d


def test_batch_records_every_document_and_goes_on(tmp_path: Path, seeds_dir: Path) -> None:
    src = _folder(tmp_path, seeds_dir)
    out = tmp_path / "out"
    summary = run_batch(collect_inputs([src]), out, narrative="none")
    s = summary.to_json()
    assert s["documents"] == 7
    assert s["ok"] == 3 and s["failed"] == 3 and s["no_tables"] == 1
    errors = {f["source"]: f["error"] for f in s["failures"]}
    assert "empty" in errors["empty.txt"]
    assert "not a PDF" in errors["fake.pdf"]
    assert "not a report file type" in errors["notes.xlsx"]
    rec = json.loads((out / "gbk.json").read_text(encoding="utf-8"))
    assert rec["status"] == "no_tables" and rec["meta"]["year"] == 2020
    table = pd.read_parquet(out / "reports.parquet")
    assert set(table["doc_id"]) == {p.stem for p in sorted(seeds_dir.glob("*.txt"))[:3]}
    one = table[(table.doc_id == "001_9deda7426de2307f") & (table.field == "t2.licensing.decisions")].iloc[0]
    assert one.value == 14358 and one.text == "14358" and one.line > 0
    assert len(pd.read_csv(out / "reports.csv")) == len(table)


def test_rerun_skips_unchanged_and_redoes_changed(tmp_path: Path, seeds_dir: Path) -> None:
    src = _folder(tmp_path, seeds_dir)
    out = tmp_path / "out"
    run_batch(collect_inputs([src]), out, narrative="none")
    (src / "gbk.txt").write_bytes("某县2021年政府信息公开工作年度报告\n".encode("gbk"))
    s = run_batch(collect_inputs([src]), out, narrative="none").to_json()
    assert s["skipped_unchanged"] == 6
    assert json.loads((out / "gbk.json").read_text(encoding="utf-8"))["meta"]["year"] == 2021
    # the tidy table still covers the whole batch, skipped documents included
    assert len(set(pd.read_parquet(out / "reports.parquet")["doc_id"])) == 3
    # another narrative system redoes every document it can read (the 3 unreadable ones have no narrative
    # system to differ), and says which system made each record
    s = run_batch(collect_inputs([src]), out, narrative="rules").to_json()
    assert s["skipped_unchanged"] == 3
    assert json.loads((out / "gbk.json").read_text(encoding="utf-8"))["narrative_system"] == "rules"
    assert run_batch(collect_inputs([src]), out, narrative="rules").to_json()["skipped_unchanged"] == 7


def test_glob_and_missing_inputs(tmp_path: Path, seeds_dir: Path) -> None:
    assert len(collect_inputs([str(seeds_dir / "00[01]_*.txt")])) == 2
    with pytest.raises(FileNotFoundError):
        collect_inputs([str(tmp_path / "nothing*.txt")])


def test_ray_run_equals_local_run(tmp_path: Path, seeds_dir: Path) -> None:
    pytest.importorskip("ray", reason="Ray is an extra: pip install 'gongkai[ray]'")
    from gongkai.extraction.distributed import ray_mapper

    src = _folder(tmp_path, seeds_dir)
    local = run_batch(collect_inputs([src]), tmp_path / "local", narrative="none").to_json()
    dist = run_batch(collect_inputs([src]), tmp_path / "ray", narrative="none",
                     mapper=ray_mapper("none", max_in_flight=2)).to_json()
    for k in ("documents", "ok", "failed", "no_tables"):
        assert local[k] == dist[k]
    for f in (tmp_path / "local").glob("0*.json"):
        a = json.loads(f.read_text(encoding="utf-8"))
        b = json.loads((tmp_path / "ray" / f.name).read_text(encoding="utf-8"))
        assert a["tables"] == b["tables"] and a["meta"] == b["meta"]


def test_batch_runs_with_its_collector_threshold_and_gives_the_callers_back(tmp_path: Path) -> None:
    import gc

    from gongkai.extraction.batch import BATCH_GC_THRESHOLD

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("某县2020年政府信息公开工作年度报告\n一、总体情况\n无表格。\n", encoding="utf-8")
    before = gc.get_threshold()
    assert before != BATCH_GC_THRESHOLD
    seen: list[tuple[int, int, int]] = []
    run_batch(collect_inputs([src]), tmp_path / "out", narrative="none", on_record=lambda r: seen.append(gc.get_threshold()))
    assert seen == [BATCH_GC_THRESHOLD]
    assert gc.get_threshold() == before

    def fail(rec: dict) -> None:
        raise RuntimeError("the caller's callback failed")

    with pytest.raises(RuntimeError):
        run_batch(collect_inputs([src]), tmp_path / "out2", narrative="none", on_record=fail)
    assert gc.get_threshold() == before
