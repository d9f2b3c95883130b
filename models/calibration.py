"""Temperature scaling, shared by every learned tagger (baseline, span model, char CNN).

Why one place: the three taggers promise the same thing, a confidence that is
``softmax(logits / T)`` with one T fitted on held-out logits (the argmax does
not change), so they fit and apply T the same way.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import minimize_scalar


def softmax_t(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise ``softmax(logits / temperature)``."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The T in [e^-3, e^3] minimising the held-out log loss; ``y``: the true column per row. Rows whose true
    column is not finite (a cross-validation fold that never saw the class) are left out."""
    if not len(y):
        return 1.0
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(y, dtype=np.int64)
    keep = np.isfinite(z[np.arange(len(t)), t])
    z, t = z[keep], t[keep]
    if not len(t):
        return 1.0

    def nll(log_t: float) -> float:
        p = softmax_t(z, math.exp(log_t))
        return float(-np.mean(np.log(np.clip(p[np.arange(len(t)), t], 1e-12, None))))

    return math.exp(minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded").x)
