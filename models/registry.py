"""The one place that decides which narrative tagger a system name means.

``load_tagger("rules")`` is the keyword rules, ``load_tagger("baseline")`` the
shipped scikit-learn model (``models/baseline/``), and ``load_tagger("model")``
the best shipped tagger. No transformer tagger is shipped yet, so "model"
returns the baseline for now: to wire the transformer in, register its loader
in ``_LOADERS`` (it must return a ``models.tagger.Tagger``; import torch inside
the loader, never at module level) and point ``BEST`` at its name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from .tagger import Tagger

MODELS_DIR = Path(__file__).resolve().parent
BASELINE_DIR = MODELS_DIR / "baseline"
BEST = "baseline"  # what "model" means; becomes the transformer's name once it ships


def _rules() -> Tagger:
    from .rules import RuleTagger

    return RuleTagger()


def _baseline() -> Tagger:
    from .baseline import BaselineTagger

    if not (BASELINE_DIR / "model.joblib").exists():
        raise FileNotFoundError(f"no baseline model at {BASELINE_DIR}: run `python -m gongkai.training.baseline`")
    return BaselineTagger.load(BASELINE_DIR)


_LOADERS: dict[str, Callable[[], Tagger]] = {"rules": _rules, "baseline": _baseline}


def names() -> list[str]:
    return [*_LOADERS, "model"]


@cache
def load_tagger(name: str) -> Tagger:
    """The tagger for a system name (loaded once per process)."""
    key = BEST if name == "model" else name
    if key not in _LOADERS:
        raise ValueError(f"unknown narrative tagger {name!r}; known: {', '.join(names())}")
    return _LOADERS[key]()
