"""The scikit-learn baseline: logistic regression over the candidate's character context.

Why this model: it trains in a second on a few hundred examples, needs no
GPU or torch, and sets the bar a transformer has to clear. Features per
candidate (all digits masked, so the model learns words, not numbers):

- left context (``LEFT`` chars before the mention, cut at the start of its
  sentence or ；-clause): char 1-3-grams,
- the near left (``NEAR`` chars): char 1-3-grams again, as their own block,
  because the verb or channel right before the count decides most labels,
- the mention with its number masked (``#余条``, ``#万余人次``): char 1-2-grams,
- right context (``RIGHT`` chars after): char 1-3-grams,
- the measure word and the order of magnitude of the value: one-hot.

Classes are the 17 labels plus "O" (those present in training). Confidence is
the temperature-scaled probability: one temperature T fitted on 5-fold
cross-validated logits of the training set, ``softmax(logits / T)``, the
argmax unchanged; ``training/evaluate_narrative.py`` reports its ECE on dev.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from gongkai.extraction.numbers import CN_NUMERAL_CHARS
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
from threadpoolctl import threadpool_limits

from .calibration import fit_temperature, softmax_t
from .candidates import Candidate
from .dataset import Example
from .tagger import mention_dict

LEFT, NEAR, RIGHT = 30, 8, 15
FEATURE_VERSION = 1
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"

_DIGITS = re.compile(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*")
_NUMBER = re.compile(rf"[0-9０-９.,．{CN_NUMERAL_CHARS}]+")
_SENTENCE_END = re.compile(r"[。;；\n]")  # the left context stops at the sentence (or ；-clause) start
FIELDS = ("left", "near", "mention", "right", "unit", "magnitude")


def _mask(s: str) -> str:
    return _DIGITS.sub("0", s.replace("\n", "¶"))


def candidate_fields(text: str, cand: Candidate) -> list[str]:
    """The feature strings of one candidate, in ``FIELDS`` order."""
    left = _SENTENCE_END.split(text[max(0, cand.start - LEFT): cand.start])[-1]
    mention = _NUMBER.sub("#", cand.text)
    magnitude = "0" if cand.value <= 0 else str(min(int(math.log10(cand.value)), 6))
    right = text[cand.end: cand.end + RIGHT]
    # ^ and $ mark the window edges, so no field is ever empty (an empty vocabulary is an error)
    return [_mask("^" + left), _mask(left[-NEAR:]) + "$", mention, _mask(right) + "$", cand.unit, magnitude]


def _matrix(rows: Sequence[list[str]]) -> np.ndarray:
    return np.array(rows, dtype=object).reshape(len(rows), len(FIELDS))


def _pipeline(c: float, class_weight: str | None) -> Pipeline:
    def chars(lo: int, hi: int) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer="char", ngram_range=(lo, hi), sublinear_tf=True, lowercase=False)

    features = ColumnTransformer(
        [
            ("left", chars(1, 3), 0),
            ("near", chars(1, 3), 1),
            ("mention", chars(1, 2), 2),
            ("right", chars(1, 3), 3),
            ("onehot", OneHotEncoder(handle_unknown="ignore"), [4, 5]),
        ]
    )
    return Pipeline([("features", features), ("lr", LogisticRegression(C=c, solver="newton-cg", max_iter=1000, class_weight=class_weight))])


def _logits(model: Any, X: np.ndarray) -> np.ndarray:
    z = model.decision_function(X)
    return np.stack([np.zeros_like(z), z], axis=1) if z.ndim == 1 else z  # binary: softmax([0, d]) = sigmoid(d)


class TemperatureScaled:
    """A fitted classifier whose probabilities are ``softmax(logits / T)``: same argmax, honest confidence."""

    def __init__(self, model: Any, temperature: float):
        self.model = model
        self.temperature = float(temperature)

    @property
    def classes_(self) -> np.ndarray:
        return self.model.classes_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return softmax_t(_logits(self.model, X), self.temperature)


def _cross_val_logits(base: Pipeline, X: np.ndarray, y: np.ndarray, folds: int) -> np.ndarray:
    """Held-out logits for every example, columns in sorted class order; -inf where a fold lacked the class.

    Written out instead of ``CalibratedClassifierCV`` because that refuses
    classes with fewer examples than folds, and our rarest labels have 1-2.
    """
    classes = np.unique(y)
    out = np.full((len(y), len(classes)), -np.inf)
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class")
        splits = list(skf.split(X, y))
    for tr, te in splits:
        m = clone(base).fit(X[tr], y[tr])
        cols = np.searchsorted(classes, m.classes_)
        out[np.ix_(te, cols)] = _logits(m, X[te])
    return out


class BaselineTagger:
    """Candidate → label (17 labels + "O") with a calibrated confidence; see the module docstring."""

    name = "baseline"
    source = "model"  # a learned model, as the output contract's ``source: model|rule`` means it

    def __init__(self, c: float = 30.0, class_weight: str | None = "balanced", calibrate: bool = True, cv: int = 5):
        self.params = {"c": c, "class_weight": class_weight, "calibrate": calibrate, "cv": cv}
        self.model: Any = None
        self.info: dict[str, Any] = {}

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.model.classes_]

    def fit(self, examples: Sequence[Example]) -> BaselineTagger:
        if not examples:
            raise ValueError("no training examples")
        X = _matrix([candidate_fields(e.text, e.candidate) for e in examples])
        y = np.array([e.label for e in examples])
        base = _pipeline(self.params["c"], self.params["class_weight"])
        counts = Counter(y.tolist())
        folds = min(self.params["cv"], max(counts.values()))
        if self.params["calibrate"] and len(counts) > 1 and folds >= 2:
            with threadpool_limits(1):
                logits = _cross_val_logits(base, X, y, folds)
                self.model = TemperatureScaled(base.fit(X, y), fit_temperature(logits, np.searchsorted(base.classes_, y)))
        else:
            with threadpool_limits(1):
                self.model = base.fit(X, y)
        self.info = {"n_examples": len(examples), "class_counts": dict(sorted(counts.items()))}
        return self

    def predict_proba(self, text: str, candidates: Sequence[Candidate]) -> np.ndarray:
        """Probabilities over ``self.classes``, one row per candidate."""
        if not candidates:
            return np.zeros((0, len(self.classes)))
        return self.model.predict_proba(_matrix([candidate_fields(text, c) for c in candidates]))

    def predict(self, text: str, candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
        proba = self.predict_proba(text, candidates)
        classes = self.classes
        out = []
        for cand, row in zip(candidates, proba, strict=True):
            k = int(np.argmax(row))
            out.append(mention_dict(cand, classes[k], float(row[k])))
        return out

    # ---- persistence -------------------------------------------------------------------

    def save(self, out_dir: Path | str, extra: dict[str, Any] | None = None) -> Path:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.model, out / MODEL_FILE, compress=3)
        meta = {
            "kind": "gongkai.models.baseline.BaselineTagger",
            "feature_version": FEATURE_VERSION,
            "sklearn_version": sklearn.__version__,
            "params": self.params,
            "classes": self.classes,
            "windows": {"left": LEFT, "near": NEAR, "right": RIGHT},
            **self.info,
            **(extra or {}),
        }
        (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return out

    @classmethod
    def load(cls, model_dir: Path | str) -> BaselineTagger:
        d = Path(model_dir)
        meta = json.loads((d / META_FILE).read_text(encoding="utf-8"))
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{d}: feature version {meta.get('feature_version')} != {FEATURE_VERSION}; retrain")
        if meta.get("sklearn_version") != sklearn.__version__:
            warnings.warn(
                f"{d} was trained with scikit-learn {meta.get('sklearn_version')}, "
                f"running {sklearn.__version__}: retrain with training/baseline.py if predictions look off",
                stacklevel=2,
            )
        self = cls(**meta["params"])
        self.model = joblib.load(d / MODEL_FILE)
        self.info = {k: meta[k] for k in ("n_examples", "class_counts") if k in meta}
        return self
