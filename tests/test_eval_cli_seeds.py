"""CI gate: ``gongkai eval`` on the real seeds, its metrics.json checked against the issue thresholds."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gongkai.cli import app


def test_eval_on_seeds_meets_thresholds(tmp_path: Path, seeds_dir: Path, seeds_gold_dir: Path) -> None:
    out = tmp_path / "eval-out"
    r = CliRunner().invoke(app, ["eval", "--gold", str(seeds_gold_dir), "--docs", str(seeds_dir), "-o", str(out),
                                 "--compare", "model", "--min-table-accuracy", "1.0", "--min-narrative-f1", "0.95"])
    assert r.exit_code == 0, r.output
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    s = m["systems"]["model"]
    assert s["tables"]["overall"]["accuracy"] == 1.0
    assert s["tables"]["reports"]["share_all_correct"] == 1.0
    assert s["narrative"]["strict"]["micro"]["f1"] >= 0.95
    assert s["narrative"]["value"]["micro"]["f1"] >= 0.95
    assert (out / "report.html").stat().st_size > 10_000
    from gongkai.models.registry import describe

    assert m["run"]["narrative_systems"] == {"model": [describe("model")]}  # e.g. "hybrid 1.0.1"
