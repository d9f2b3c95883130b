"""End to end: run_eval on the invented report, the extractor hook, thresholds, the CLI."""

from __future__ import annotations

import hashlib
import json

import pytest
import typer
from eval_helpers import DOC_ID, prediction, write_corpus, write_prediction
from gongkai.eval import run_eval
from gongkai.eval.cli import eval_command
from gongkai.eval.run import EvalError
from gongkai.eval.validation import compare_doc
from typer.testing import CliRunner


@pytest.fixture
def corpus(tmp_path):
    gold_dir, docs_dir = write_corpus(tmp_path)
    pred_dir = write_prediction(tmp_path / "pred")
    return gold_dir, docs_dir, pred_dir


def test_run_eval_scores_saved_predictions(corpus, tmp_path):
    gold_dir, docs_dir, pred_dir = corpus
    out = tmp_path / "out"
    m = run_eval(gold_dir, docs_dir, pred_dir=pred_dir, out_dir=out, command="test")
    s = m["systems"]["pred"]
    # worked out in eval_helpers.prediction: 12 cells in the union, 2 wrong, 1 missing, 1 extra
    t = s["tables"]["overall"]
    assert (t["cells"], t["correct"], t["wrong"], t["missing"], t["extra"]) == (12, 8, 2, 1, 1)
    assert s["tables"]["per_table"]["t2"]["cells"] == 3
    # narrative: gold 9, pred 10, strict tp 7 → P 0.7, R 7/9, F1 14/19
    n = s["narrative"]["strict"]["micro"]
    assert (n["tp"], n["fp"], n["fn"]) == (7, 3, 2)
    assert n["f1"] == pytest.approx(14 / 19)
    # macro over 10 labels: PORTAL 0.5, six labels 1.0, NEWMEDIA/INTERPRETATIONS/CONSULTATIONS 0 → 6.5/10
    assert s["narrative"]["strict"]["macro"]["f1"] == pytest.approx(0.65)
    assert s["narrative"]["strict"]["macro"]["labels"] == 10
    assert s["narrative"]["errors_by_kind"] == {"label": 1, "missed": 1, "spurious": 2}
    # ECE: bins 3 (.30 F), 4 (.40 F), 7 (.70 F), 8 (.80,.85 T), 9 (.90×3,.95,.99 T)
    # = .1*.3 + .1*.4 + .1*.7 + .2*.175 + .5*.072 = 0.211
    assert s["calibration"]["ece"] == pytest.approx(0.211)
    # validation: the report's own t4 sum fails on both sides (true); 16 vs prose 15件 is made up (false)
    assert (s["validation"]["true"], s["validation"]["false"], s["validation"]["missed"]) == (1, 1, 0)
    # metadata and outputs
    files = m["run"]["files"][DOC_ID]
    assert files["gold_sha256"] == hashlib.sha256((gold_dir / f"{DOC_ID}.json").read_bytes()).hexdigest()
    assert m["run"]["command"] == "test" and m["run"]["extractor_versions"] == {"pred": ["test"]}
    on_disk = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert on_disk["systems"]["pred"]["tables"]["overall"]["accuracy"] == pytest.approx(8 / 12)
    errors = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    wrong = next(e for e in errors["pred"]["tables"] if e["field"] == "t3.new_received.total")
    assert wrong["snippet"].startswith("全年受理依申请公开15件")
    assert (out / "report.html").stat().st_size > 10_000


def test_missing_prediction_scores_as_empty(corpus, tmp_path):
    gold_dir, docs_dir, _ = corpus
    (tmp_path / "empty").mkdir()
    m = run_eval(gold_dir, docs_dir, pred_dir=tmp_path / "empty", out_dir=None)
    s = m["systems"]["pred"]
    assert s["documents"]["missing_predictions"] == 1
    assert s["tables"]["overall"]["missing"] == 11 and s["narrative"]["strict"]["micro"]["fn"] == 9


def test_validation_missed_finding():
    gold = {
        "meta": {"format": "2019"},
        "tables": {
            "t4.review.upheld": 1,
            "t4.review.corrected": 0,
            "t4.review.other": 0,
            "t4.review.pending": 0,
            "t4.review.total": 2,
        },
        "narrative": [],
    }
    pred = {
        "meta": {"format": "2019"},
        "tables": dict(gold["tables"], **{"t4.review.upheld": 2}),
        "narrative": [],
    }
    # gold breaks total = upheld + ... (2 ≠ 1); the misread 2 makes it add up → the finding is missed
    r = compare_doc(gold, pred, None)
    assert (
        [f["relation"] for f in r["missed"]] == ["t4.group_total:review"] and not r["true"] and not r["false"]
    )


def test_extractor_runs_once_per_system(corpus, tmp_path, monkeypatch):
    import gongkai.extraction.pipeline as pipeline

    gold_dir, docs_dir, _ = corpus
    calls = []

    def fake_extract(path, *, narrative):
        calls.append((path.name, narrative))
        if narrative == "rules":
            raise RuntimeError("boom")
        pred = prediction()
        if narrative == "none":
            pred["narrative"] = []
        return pred

    monkeypatch.setattr(pipeline, "extract_file", fake_extract)
    m = run_eval(gold_dir, docs_dir, out_dir=tmp_path / "o", systems=("rules", "none", "model"))
    assert calls == [(f"{DOC_ID}.txt", s) for s in ("rules", "none", "model")]
    assert list(m["systems"]) == ["rules", "none", "model"]
    assert m["systems"]["rules"]["documents"]["failed"] == 1
    assert m["systems"]["none"]["narrative"]["strict"]["micro"]["recall"] == 0.0
    assert m["systems"]["model"]["narrative"]["strict"]["micro"]["tp"] == 7
    errors = json.loads((tmp_path / "o" / "errors.json").read_text(encoding="utf-8"))
    assert "boom" in errors["rules"]["failed"][DOC_ID]
    with pytest.raises(EvalError, match="unknown system"):
        run_eval(gold_dir, docs_dir, out_dir=None, systems=("gpt",))


def _cli():
    app = typer.Typer()
    app.command()(eval_command)
    return app


def test_cli_thresholds_set_exit_code(corpus, tmp_path):
    gold_dir, docs_dir, pred_dir = corpus
    base = [
        "--gold",
        str(gold_dir),
        "--docs",
        str(docs_dir),
        "--pred",
        str(pred_dir),
        "-o",
        str(tmp_path / "o"),
    ]
    r = CliRunner().invoke(_cli(), [*base, "--min-table-accuracy", "0.5", "--min-narrative-f1", "0.7"])
    assert r.exit_code == 0, r.output
    assert "table cell accuracy" in r.output
    r = CliRunner().invoke(_cli(), [*base, "--min-narrative-f1", "0.9"])
    assert r.exit_code == 1
    assert "threshold not met" in r.output and "0.7368 < 0.9" in r.output
    saved = json.loads((tmp_path / "o" / "metrics.json").read_text(encoding="utf-8"))
    assert saved["thresholds"]["passed"] is False


def test_cli_bad_gold_exit_2_without_traceback(tmp_path):
    gold_dir, docs_dir = write_corpus(tmp_path, with_source=False)
    r = CliRunner().invoke(
        _cli(), ["--gold", str(gold_dir), "--docs", str(docs_dir), "-o", str(tmp_path / "o")]
    )
    assert r.exit_code == 2
    assert "bad gold" in r.output and f"{DOC_ID}.json" in r.output and "not found" in r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / "o").exists()


def test_cli_diff_only(corpus, tmp_path):
    gold_dir, docs_dir, pred_dir = corpus
    run_eval(gold_dir, docs_dir, pred_dir=pred_dir, out_dir=tmp_path / "a")
    better = prediction()
    better["tables"]["t3.new_received.total"] = 15
    run_eval(gold_dir, docs_dir, pred_dir=write_prediction(tmp_path / "p2", better), out_dir=tmp_path / "b")
    r = CliRunner().invoke(
        _cli(),
        ["--diff", str(tmp_path / "a" / "metrics.json"), str(tmp_path / "b" / "metrics.json")],
        env={"COLUMNS": "200"},
    )
    assert r.exit_code == 0, r.output
    # one cell fixed: correct 8 → 9, and the made-up prose finding disappears
    line = next(ln for ln in r.output.splitlines() if "tables.overall.correct" in ln)
    assert "8" in line and "9" in line and "better" in line
    assert "validation.false" in r.output


def test_malformed_prediction_parts_are_scored_not_fatal(corpus, tmp_path):
    gold_dir, docs_dir, _ = corpus
    pred = prediction()
    pred["tables"]["t3.total.total"] = "14件"  # a string where a number belongs: a wrong cell
    pred["narrative"].append({"label": "REVIEWS", "text": "2起"})  # no offsets: cannot be scored, dropped
    pred["narrative"][3]["value"] = None  # 15件 with no value: strict hit, value-level miss
    m = run_eval(gold_dir, docs_dir, pred_dir=write_prediction(tmp_path / "p", pred), out_dir=None)
    s = m["systems"]["pred"]
    assert s["tables"]["overall"]["wrong"] == 3  # the two of the fixture plus the string
    assert s["narrative"]["strict"]["micro"]["tp"] == 7 and s["narrative"]["strict"]["micro"]["fp"] == 3
    assert s["narrative"]["value"]["micro"]["tp"] == 6
