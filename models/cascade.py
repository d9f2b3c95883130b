"""Two taggers as one: a cheap model settles what it is sure of; the rest get the expensive one (or both).

Why: on CPU the span model's encoder is the cost of the narrative step, and
the scikit-learn baseline is confidently right about many candidates. With
``threshold < 1`` only candidates whose calibrated baseline confidence is below
it go to the span model, so the encoder reads fewer windows. With ``mix > 0``
the answer for those candidates is the average of both models' calibrated
probabilities (``mix`` of the first, ``1 - mix`` of the second): the two make
different mistakes (character n-grams vs a pretrained encoder), so the average
is better than either on dev. Whether each part pays is measured in
``bench/bench_narrative.py`` (speed) and ``training/evaluate_narrative.py`` (dev).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .candidates import Candidate
from .span_model import CLASSES
from .tagger import mentions_from_proba


def aligned_proba(tagger: Any, text: str, candidates: Sequence[Candidate], **kw: Any) -> np.ndarray:
    """``tagger.predict_proba`` with columns in ``CLASSES`` order (0 for classes it never saw)."""
    p = np.asarray(tagger.predict_proba(text, candidates, **kw), dtype=np.float64)
    cols = list(tagger.classes)
    if cols == list(CLASSES):
        return p
    out = np.zeros((len(candidates), len(CLASSES)))
    for j, c in enumerate(cols):
        out[:, CLASSES.index(c)] = p[:, j]
    return out


class CascadeTagger:
    """``first`` settles candidates with confidence >= ``threshold``; the rest get ``mix``·first + (1-mix)·second."""

    name = "hybrid"
    source = "model"

    def __init__(self, first: Any, second: Any, threshold: float = 1.01, mix: float = 0.0):
        self.first, self.second = first, second
        self.threshold, self.mix = float(threshold), float(mix)
        self.classes = list(CLASSES)
        self.info = {"first": getattr(first, "name", "?"), "second": getattr(second, "name", "?"),
                     "threshold": self.threshold, "mix": self.mix, **getattr(second, "info", {})}

    def predict_proba(self, text: str, candidates: Sequence[Candidate]) -> np.ndarray:
        if not candidates:
            return np.zeros((0, len(CLASSES)))
        p = aligned_proba(self.first, text, candidates)
        unsure = np.flatnonzero(p.max(axis=1) < self.threshold)
        if len(unsure):
            if getattr(self.second, "reads_windows", False):
                # the span model sees every candidate, as in training (its windows depend on them all), and
                # runs only the windows that hold an unsure one; given only the unsure candidates its windows
                # would be cut differently from training (dev strict F1 0.851 instead of 0.860)
                p2 = aligned_proba(self.second, text, candidates, need=unsure)[unsure]
            else:
                p2 = aligned_proba(self.second, text, [candidates[i] for i in unsure])
            p[unsure] = self.mix * p[unsure] + (1 - self.mix) * p2
        return p

    def predict(self, text: str, candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
        return mentions_from_proba(candidates, self.predict_proba(text, candidates), CLASSES)
