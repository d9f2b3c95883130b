"""Narrative scores on hand-made mentions; the right answers are worked out in comments."""

from __future__ import annotations

import pytest
from gongkai.eval.matching import max_matching, same_label_overlap
from gongkai.eval.narrative import NONE, context, prf, score_narrative


def m(label: str, start: int, end: int, value: float = 1, **kw) -> dict:
    return {"label": label, "start": start, "end": end, "text": "x" * (end - start), "value": value, **kw}


def scores(gold, pred):
    return score_narrative([("d", gold, pred, None)]).to_json()


def test_duplicate_prediction_matches_gold_once():
    gold = [m("PORTAL_POSTS", 0, 4)]
    pred = [m("PORTAL_POSTS", 0, 4), m("PORTAL_POSTS", 0, 4)]
    s = scores(gold, pred)["strict"]["micro"]
    # tp 1, fp 1 (the copy), fn 0 → P 1/2, R 1, F1 2/3
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 0)
    assert s["f1"] == pytest.approx(2 / 3)


def test_same_quantity_twice_in_gold_needs_two_predictions():
    # "2000余条" mentioned twice at different places, both NEWMEDIA_POSTS
    gold = [m("NEWMEDIA_POSTS", 10, 16, 2000), m("NEWMEDIA_POSTS", 40, 46, 2000)]
    pred = [m("NEWMEDIA_POSTS", 10, 16, 2000)]
    s = scores(gold, pred)
    assert (s["strict"]["micro"]["tp"], s["strict"]["micro"]["fn"]) == (1, 1)
    # value level: gold {(N,2000)×2}, pred {(N,2000)×1} → tp 1, fn 1
    assert (s["value"]["micro"]["tp"], s["value"]["micro"]["fn"], s["value"]["micro"]["fp"]) == (1, 1, 0)


def test_value_level_ignores_offsets_but_counts_multiplicity():
    gold = [m("NEWMEDIA_POSTS", 10, 16, 2000), m("NEWMEDIA_POSTS", 40, 46, 2000), m("REVIEWS", 60, 62, 2)]
    # both 2000s at wrong offsets, a third 2000, and REVIEWS with the wrong value
    pred = [
        m("NEWMEDIA_POSTS", 11, 16, 2000),
        m("NEWMEDIA_POSTS", 50, 56, 2000),
        m("NEWMEDIA_POSTS", 70, 76, 2000),
        m("REVIEWS", 60, 62, 3),
    ]
    s = scores(gold, pred)
    # strict looks at offsets and label only: REVIEWS 60-62 is a hit despite its value → tp 1, fp 3, fn 2
    assert (s["strict"]["micro"]["tp"], s["strict"]["micro"]["fp"], s["strict"]["micro"]["fn"]) == (1, 3, 2)
    # value: (N,2000) gold 2 / pred 3 → tp 2, fp 1; (REVIEWS,2) missed, (REVIEWS,3) spurious
    v = s["value"]["micro"]
    assert (v["tp"], v["fp"], v["fn"]) == (2, 2, 1)
    assert v["precision"] == pytest.approx(2 / 4) and v["recall"] == pytest.approx(2 / 3)
    assert s["value"]["per_label"]["NEWMEDIA_POSTS"]["f1"] == pytest.approx(0.8)  # P 2/3, R 1


def test_overlapping_spans_partial_vs_strict():
    gold = [m("PROACTIVE_TOTAL", 0, 5), m("MESSAGES", 6, 9)]
    # a boundary error on the first, and a long span overlapping both gold mentions
    pred = [m("PROACTIVE_TOTAL", 1, 5), m("MESSAGES", 0, 9)]
    s = scores(gold, pred)
    # strict: no exact span → 0 tp, 2 fp, 2 fn; partial: each pred overlaps a same-label gold → 2 tp
    assert (s["strict"]["micro"]["tp"], s["strict"]["micro"]["fp"], s["strict"]["micro"]["fn"]) == (0, 2, 2)
    assert (s["partial"]["micro"]["tp"], s["partial"]["micro"]["fp"], s["partial"]["micro"]["fn"]) == (
        2,
        0,
        0,
    )


def test_partial_matching_is_maximal_not_greedy():
    gold = [m("PORTAL_POSTS", 0, 4), m("PORTAL_POSTS", 4, 8)]
    # p0 overlaps both gold mentions (2 chars each); p1 overlaps only the first.
    # Greedy p0→g0 would strand p1; the maximum matching is p0→g1, p1→g0.
    pred = [m("PORTAL_POSTS", 2, 6), m("PORTAL_POSTS", 0, 3)]
    assert max_matching(gold, pred, same_label_overlap) == [(0, 1), (1, 0)]
    assert scores(gold, pred)["partial"]["micro"]["tp"] == 2


def test_touching_spans_do_not_overlap():
    s = scores([m("REVIEWS", 0, 4)], [m("REVIEWS", 4, 6)])
    assert s["partial"]["micro"]["tp"] == 0


def test_micro_and_macro_by_hand():
    gold = [m("REVIEWS", 0, 2), m("REVIEWS", 10, 12), m("LAWSUITS", 20, 22)]
    pred = [m("REVIEWS", 0, 2), m("REVIEWS", 10, 12), m("LAWSUITS", 30, 32)]
    s = scores(gold, pred)["strict"]
    # REVIEWS: tp 2 → F1 1; LAWSUITS: tp 0, fp 1, fn 1 → F1 0. macro F1 = 0.5
    # micro: tp 2, fp 1, fn 1 → P = R = F1 = 2/3
    assert s["macro"]["f1"] == pytest.approx(0.5) and s["macro"]["labels"] == 2
    assert s["micro"]["f1"] == pytest.approx(2 / 3)
    assert s["per_label"]["LAWSUITS"]["precision"] == 0.0


def test_nothing_to_score_is_none_not_zero():
    assert prf(0, 0, 0)["f1"] is None
    assert prf(0, 2, 0) == {"tp": 0, "fp": 2, "fn": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    s = scores([], [])
    assert s["strict"]["micro"]["f1"] is None and s["strict"]["macro"]["f1"] is None


def test_confusion_matrix_and_error_kinds():
    gold = [m("PORTAL_POSTS", 0, 4), m("REVIEWS", 10, 12), m("TRAININGS", 20, 22), m("FEES", 30, 33)]
    pred = [
        m("NEWMEDIA_POSTS", 0, 4, confidence=0.9),  # same span, other label → PORTAL row, NEWMEDIA column
        m("REVIEWS", 10, 12),  # right
        m("TRAININGS", 19, 22),  # boundary error, same label → diagonal
        m("CONSULTATIONS", 40, 42),  # spurious → NONE row
    ]  # FEES is missed → NONE column
    r = score_narrative([("d", gold, pred, None)])
    cm = r.confusion_json()
    assert cm["labels"][-1] == NONE
    mat = cm["matrix"]
    assert mat["PORTAL_POSTS"]["NEWMEDIA_POSTS"] == 1
    assert mat["REVIEWS"]["REVIEWS"] == 1 and mat["TRAININGS"]["TRAININGS"] == 1
    assert mat["FEES"][NONE] == 1 and mat[NONE]["CONSULTATIONS"] == 1
    assert sum(sum(row.values()) for row in mat.values()) == 5  # 3 pairs + 1 miss + 1 spurious
    assert sorted(e["kind"] for e in r.errors) == ["boundary", "label", "missed", "spurious"]


def test_confusion_prefers_same_label_pairing():
    # gold A at 0-4; pred B on the exact span and pred A overlapping: A pairs with A, B is spurious
    gold = [m("REVIEWS", 0, 4)]
    pred = [m("LAWSUITS", 0, 4), m("REVIEWS", 2, 6)]
    mat = score_narrative([("d", gold, pred, None)]).confusion_json()["matrix"]
    assert mat["REVIEWS"]["REVIEWS"] == 1 and mat[NONE]["LAWSUITS"] == 1 and mat["REVIEWS"]["LAWSUITS"] == 0


def test_context_is_the_sentence_around_the_span():
    text = "第一句。全年受理申请15件，办结14件。第三句"
    start = text.index("15件")
    c = context(text, start, start + 3)
    assert c == {"before": "全年受理申请", "span": "15件", "after": "，办结14件。"}
