"""How far the narrative model's confidences can be trusted (ECE, reliability curve).

A predicted mention is correct iff it strictly matches gold (same start, end,
label; one-to-one, see ``matching.strict_matches``). Bins are equal-width on
[0, 1]: bin k holds confidences in [k/n, (k+1)/n), the last bin also holds 1.0.
ECE = sum over bins of (bin size / N) * |accuracy(bin) - mean confidence(bin)|.
Mentions without a confidence (rules, baselines) are counted as ``skipped``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .matching import strict_matches


def correctness(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]) -> list[bool]:
    """For each prediction, whether it strictly matches gold."""
    hit = {pi for _, pi in strict_matches(gold, pred)}
    return [i in hit for i in range(len(pred))]


def reliability(
    confidences: Sequence[float], correct: Sequence[bool], n_bins: int = 10
) -> list[dict[str, Any]]:
    """Per bin: bounds, count, mean confidence and accuracy (``None`` for empty bins)."""
    if len(confidences) != len(correct):
        raise ValueError("confidences and correct differ in length")
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(n_bins)]
    for c, ok in zip(confidences, correct, strict=True):
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"confidence {c} outside [0, 1]")
        bins[min(int(c * n_bins), n_bins - 1)].append((c, ok))
    out = []
    for k, b in enumerate(bins):
        out.append(
            {
                "lo": k / n_bins,
                "hi": (k + 1) / n_bins,
                "count": len(b),
                "confidence": sum(c for c, _ in b) / len(b) if b else None,
                "accuracy": sum(ok for _, ok in b) / len(b) if b else None,
            }
        )
    return out


def ece(confidences: Sequence[float], correct: Sequence[bool], n_bins: int = 10) -> float | None:
    """Expected calibration error; ``None`` when there is nothing to measure."""
    n = len(confidences)
    if n == 0:
        return None
    bins = reliability(confidences, correct, n_bins)
    return sum(b["count"] / n * abs(b["accuracy"] - b["confidence"]) for b in bins if b["count"])


def calibration(
    docs: Sequence[tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]]], n_bins: int = 10
) -> dict[str, Any]:
    """ECE and reliability bins over ``(gold mentions, predicted mentions)`` of every document."""
    confs: list[float] = []
    oks: list[bool] = []
    skipped = 0
    for gold, pred in docs:
        for m, ok in zip(pred, correctness(gold, pred), strict=True):
            c = m.get("confidence")
            if c is None:
                skipped += 1
                continue
            confs.append(float(c))
            oks.append(ok)
    return {
        "n": len(confs),
        "skipped": skipped,
        "n_bins": n_bins,
        "ece": ece(confs, oks, n_bins),
        "accuracy": sum(oks) / len(oks) if oks else None,
        "mean_confidence": sum(confs) / len(confs) if confs else None,
        "bins": reliability(confs, oks, n_bins),
    }
