"""The evaluator on the real seed gold (skipped when ../shared is absent)."""

from __future__ import annotations

import pytest
from gongkai.eval import load_gold, run_eval

pytestmark = pytest.mark.shared


def test_seed_gold_loads(seeds_gold_dir, seeds_dir):
    docs = load_gold(seeds_gold_dir, seeds_dir)
    assert len(docs) == 5 and all(d.text for d in docs)


def test_gold_scored_against_itself_is_perfect(seeds_gold_dir, seeds_dir):
    m = run_eval(seeds_gold_dir, seeds_dir, pred_dir=seeds_gold_dir, out_dir=None)
    s = m["systems"]["pred"]
    assert s["tables"]["overall"]["accuracy"] == 1.0 and s["tables"]["reports"]["share_all_correct"] == 1.0
    assert s["narrative"]["strict"]["micro"]["f1"] == 1.0 and s["narrative"]["value"]["micro"]["f1"] == 1.0
    # the reports' own broken relations are found on both sides: all true, none false or missed
    assert s["validation"]["false"] == 0 and s["validation"]["missed"] == 0
    assert s["narrative"]["confusion"]["matrix"]["NONE"]["NONE"] == 0
    assert m["gold"]["mentions"] == sum(
        s["narrative"]["strict"]["per_label"][k]["tp"] for k in m["gold"]["mentions_by_label"]
    )
