"""report.html is self-contained and renders in a headless browser."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from eval_helpers import prediction, write_corpus, write_prediction
from gongkai.eval import run_eval


@pytest.fixture
def report(tmp_path):
    gold_dir, docs_dir = write_corpus(tmp_path)
    worse = prediction()
    worse["narrative"] = worse["narrative"][:5]
    preds = {
        "model": write_prediction(tmp_path / "model"),
        "rules": write_prediction(tmp_path / "rules", worse),
    }
    out = tmp_path / "eval-out"
    run_eval(gold_dir, docs_dir, pred_dir=preds, out_dir=out, model={"name": "tiny-ner", "version": "1"})
    return out / "report.html"


def test_html_is_self_contained_and_side_by_side(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html), "report must open offline"
    assert "<script" not in html
    assert html.count("data:image/png;base64,") >= 4  # F1 bars, 2 confusion maps, reliability
    assert "<th>model</th><th>rules</th>" in html  # one column per compared system
    assert "<mark>356条</mark>" in html  # the label error shown in its sentence
    assert "t3.new_received.total" in html and "tiny-ner 1" in html


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="chromium is not on PATH (apt-get install -y chromium)"
)
def test_html_renders_in_headless_chromium(report, tmp_path):
    shot = tmp_path / "report.png"
    cmd = [
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        report.as_uri(),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    assert shot.exists()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # a blank or error page compresses to a few KB; the report has text, tables and plots
    assert len(data) > 50_000
