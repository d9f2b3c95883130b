"""The one place that decides which narrative tagger a system name means.

``load_tagger("rules")`` is the keyword rules, ``load_tagger("baseline")`` the
shipped scikit-learn model (``models/baseline/``), ``load_tagger("transformer")``
the fine-tuned span model alone (``models/narrative/``), ``load_tagger("hybrid")``
the span model served as its ``config.json`` says (``runtime.cascade``: the
baseline settles candidates it is sure of, the rest get a mix of both,
``models.cascade``), and ``load_tagger("model")`` the best shipped tagger
(``BEST``, chosen on dev; see ``models/narrative/README.md``). Loaders import
torch inside, never at module level.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from .tagger import Tagger

MODELS_DIR = Path(__file__).resolve().parent
BASELINE_DIR = MODELS_DIR / "baseline"
NARRATIVE_DIR = MODELS_DIR / "narrative"
BEST = "hybrid"  # what "model" means


def _rules(narrative_dir: Path, baseline_dir: Path) -> Tagger:
    from .rules import RuleTagger

    return RuleTagger()


def _baseline(narrative_dir: Path, baseline_dir: Path) -> Tagger:
    from .baseline import BaselineTagger

    if not (baseline_dir / "model.joblib").exists():
        raise FileNotFoundError(f"no baseline model at {baseline_dir}: run `python -m gongkai.training.baseline`")
    return BaselineTagger.load(baseline_dir)


def _transformer(narrative_dir: Path, baseline_dir: Path) -> Tagger:
    from .span_store import load_span_tagger, model_config

    if not (narrative_dir / "config.json").exists():
        raise FileNotFoundError(f"no span model at {narrative_dir}: run `gongkai train`")
    dtype = model_config(narrative_dir).get("runtime", {}).get("dtype", "auto")
    return load_span_tagger(narrative_dir, dtype=dtype)


def _hybrid(narrative_dir: Path, baseline_dir: Path) -> Tagger:
    from .cascade import CascadeTagger
    from .span_store import model_config

    span = build_tagger("transformer", narrative_dir, baseline_dir)  # the cached one: one span model in memory
    casc = model_config(narrative_dir).get("runtime", {}).get("cascade")
    if not casc:
        return span
    return CascadeTagger(build_tagger(casc["first"], narrative_dir, baseline_dir), span, casc["threshold"], casc["mix"])


_LOADERS: dict[str, Callable[[Path, Path], Tagger]] = {
    "rules": _rules, "baseline": _baseline, "transformer": _transformer, "hybrid": _hybrid,
}


def names() -> list[str]:
    return [*_LOADERS, "model"]


def build_tagger(name: str, narrative_dir: Path | None = None, baseline_dir: Path | None = None) -> Tagger:
    """The tagger for a system name over these model folders (default: the shipped ones), loaded once per process."""
    key = BEST if name == "model" else name
    if key not in _LOADERS:
        raise ValueError(f"unknown narrative tagger {name!r}; known: {', '.join(names())}")
    return _load(key, Path(narrative_dir or NARRATIVE_DIR).resolve(), Path(baseline_dir or BASELINE_DIR).resolve())


@cache
def _load(key: str, narrative_dir: Path, baseline_dir: Path) -> Tagger:
    return _LOADERS[key](narrative_dir, baseline_dir)


def load_tagger(name: str) -> Tagger:
    """The tagger for a system name, from the shipped models (loaded once per process)."""
    return build_tagger(name)


@cache
def describe(name: str) -> str:
    """The system name with the version of what it loads, for the record ("hybrid 1.0.1", "rules")."""
    key = BEST if name == "model" else name
    if key in ("transformer", "hybrid") and (NARRATIVE_DIR / "config.json").exists():
        from .span_store import model_config

        return f"{key} {model_config(NARRATIVE_DIR).get('version', '?')}"
    return key

