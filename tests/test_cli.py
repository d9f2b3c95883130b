"""The gongkai command as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gongkai.cli import app

runner = CliRunner()


def test_help_explains_commands() -> None:
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("extract", "validate"):
        assert cmd in r.output
    r = runner.invoke(app, ["extract", "--help"])
    assert "--narrative" in r.output and "--ray" in r.output and "--workers" in r.output


def test_extract_then_validate_the_seeds(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "out"
    r = runner.invoke(app, ["extract", str(seeds_dir), "-o", str(out), "--narrative", "none"])
    assert r.exit_code == 0, r.output
    assert len(list(out.glob("0*.json"))) == 5
    summary = json.loads((out / "summary.json").read_text())
    assert summary["ok"] == 5 and summary["failed"] == 0
    r = runner.invoke(app, ["validate", str(out), "--json"])
    assert r.exit_code == 0
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 5
    # without narrative, the seeds' printed tables break no relation
    assert all(rec["findings"] == [] for rec in lines)


def test_validate_gold_reports_the_prose_contradictions(seeds_gold_dir: Path) -> None:
    r = runner.invoke(app, ["validate", str(seeds_gold_dir), "--json"])
    found = {json.loads(x)["doc_id"]: [f["relation"] for f in json.loads(x)["findings"]]
             for x in r.stdout.splitlines() if x.startswith("{")}
    assert found["004_e313256c520c3bcf"] == ["prose:REVIEWS", "prose:LAWSUITS"]
    assert found["000_49cf817994305ece"] == ["prose:REQUESTS_RECEIVED"]
    assert found["002_1ee472de9be0b35c"] == []


def test_bad_arguments_give_clear_errors(tmp_path: Path) -> None:
    r = runner.invoke(app, ["extract", str(tmp_path / "missing*"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 2 and "no such file" in r.output
    r = runner.invoke(app, ["extract", str(tmp_path), "--narrative", "magic"])
    assert r.exit_code == 2
