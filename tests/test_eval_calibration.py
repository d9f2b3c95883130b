"""ECE and reliability bins against hand-computed values."""

from __future__ import annotations

import pytest
from gongkai.eval.calibration import calibration, ece, reliability


def test_ece_by_hand_one_per_bin():
    # bins (width 0.1): 0.95→9 |1-0.95|=0.05; 0.85→8 |0-0.85|=0.85; 0.15→1 |0-0.15|=0.15; 0.55→5 |1-0.55|=0.45
    # each weight 1/4 → ECE = (0.05 + 0.85 + 0.15 + 0.45) / 4 = 0.375
    assert ece([0.95, 0.85, 0.15, 0.55], [True, False, False, True]) == pytest.approx(0.375)


def test_ece_by_hand_shared_bin():
    # bin 9 now holds 0.95 (right) and 0.92 (wrong): mean conf 0.935, accuracy 0.5 → gap 0.435, weight 2/5
    # ECE = (2*0.435 + 0.85 + 0.15 + 0.45) / 5 = 2.32 / 5 = 0.464
    confs, ok = [0.95, 0.92, 0.85, 0.15, 0.55], [True, False, False, False, True]
    assert ece(confs, ok) == pytest.approx(0.464)
    bins = reliability(confs, ok)
    assert bins[9]["count"] == 2 and bins[9]["accuracy"] == 0.5
    assert bins[9]["confidence"] == pytest.approx(0.935)
    assert bins[0]["count"] == 0 and bins[0]["accuracy"] is None


def test_confidence_one_goes_to_last_bin_and_bounds_checked():
    assert reliability([1.0], [True])[-1]["count"] == 1
    with pytest.raises(ValueError):
        reliability([1.2], [True])
    assert ece([], []) is None


def test_calibration_uses_strict_matches_and_skips_missing_confidence():
    gold = [{"label": "REVIEWS", "start": 0, "end": 2, "value": 2}]
    pred = [
        {"label": "REVIEWS", "start": 0, "end": 2, "value": 2, "confidence": 0.6},
        {
            "label": "REVIEWS",
            "start": 0,
            "end": 2,
            "value": 2,
            "confidence": 0.9,
        },  # duplicate: the surer one is right
        {"label": "REVIEWS", "start": 0, "end": 2, "value": 2},  # rule output, no confidence
    ]
    c = calibration([(gold, pred)])
    # 0.9 right (bin 9, gap 0.1), 0.6 wrong (bin 6, gap 0.6): ECE = (0.1 + 0.6) / 2 = 0.35
    assert (c["n"], c["skipped"]) == (2, 1)
    assert c["ece"] == pytest.approx(0.35)
    assert c["accuracy"] == 0.5
