"""Diffing two metrics.json files: flattening, direction of change, printed table."""

from __future__ import annotations

import json

from gongkai.eval.diff import Change, diff_metrics, flatten, print_diff
from rich.console import Console

OLD = {
    "run": {"date": "2025-01-01", "files": {"a": {"year": 2020}}},
    "systems": {
        "model": {
            "tables": {"overall": {"accuracy": 0.90, "wrong": 10, "cells": 100}},
            "narrative": {"strict": {"micro": {"f1": 0.70, "fp": 5}}},
            "calibration": {"ece": 0.10, "bins": [{"count": 3}]},
        }
    },
}
NEW = {
    "run": {"date": "2025-02-01", "files": {"a": {"year": 2021}}},
    "systems": {
        "model": {
            "tables": {"overall": {"accuracy": 0.95, "wrong": 5, "cells": 100}},
            "narrative": {"strict": {"micro": {"f1": 0.60, "fp": 5}}, "partial": {"micro": {"f1": 0.8}}},
            "calibration": {"ece": 0.12, "bins": [{"count": 4}]},
        }
    },
}


def test_flatten_numeric_leaves_only():
    flat = flatten({"a": {"b": 1, "c": True, "d": None, "e": "x"}, "l": [{"n": 2.5}]})
    assert flat == {"a.b": 1.0, "l.0.n": 2.5}


def test_diff_directions_and_order():
    changes = diff_metrics(OLD, NEW)
    by_key = {c.key: c for c in changes}
    p = "systems.model."
    assert by_key[p + "tables.overall.accuracy"].verdict == "better"  # 0.90 → 0.95
    assert by_key[p + "tables.overall.wrong"].verdict == "better"  # 10 → 5, fewer errors
    assert by_key[p + "narrative.strict.micro.f1"].verdict == "worse"  # 0.70 → 0.60
    assert by_key[p + "calibration.ece"].verdict == "worse"  # 0.10 → 0.12
    assert by_key[p + "calibration.bins.0.count"].verdict == "changed"  # neutral size
    assert by_key[p + "narrative.partial.micro.f1"].verdict == "added"
    # unchanged keys and run metadata are left out
    assert p + "tables.overall.cells" not in by_key and p + "narrative.strict.micro.fp" not in by_key
    assert not any(k.startswith("run.") for k in by_key)
    # headline scores first, then other rates, then counts, each by |delta|; added keys last:
    # f1 (0.1) > accuracy (0.05) > ece (0.02) | wrong (5) > bins count (1) | partial f1 (added)
    assert [c.key.removeprefix(p) for c in changes] == [
        "narrative.strict.micro.f1",
        "tables.overall.accuracy",
        "calibration.ece",
        "tables.overall.wrong",
        "calibration.bins.0.count",
        "narrative.partial.micro.f1",
    ]
    assert Change("x.f1", 0.5, 0.5).verdict == "same"


def test_print_diff_shows_old_new_delta(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(OLD))
    b.write_text(json.dumps(NEW))
    console = Console(record=True, width=200)
    print_diff(a, b, console)
    out = console.export_text()
    assert "2 better, 2 worse, 6 changed" in out
    line = next(ln for ln in out.splitlines() if "tables.overall.accuracy" in ln)
    assert "0.9000" in line and "0.9500" in line and "+0.0500" in line and "better" in line
    line = next(ln for ln in out.splitlines() if "narrative.strict.micro.f1" in ln)
    assert "-0.1000" in line and "worse" in line


def test_print_diff_identical(tmp_path):
    a = tmp_path / "a.json"
    a.write_text(json.dumps(OLD))
    console = Console(record=True, width=120)
    assert print_diff(a, a, console) == []
    assert "no numeric differences" in console.export_text()
