"""Scores of the narrative mentions: strict, partial-overlap, value-level, confusion.

Conventions (all matching is one-to-one, see ``matching``):

- strict: a prediction is a true positive iff a gold mention has the same
  start, end and label (nervaluate "strict", seqeval entity-level). Each gold
  mention is matched once: two identical predictions of one gold mention give
  one TP and one FP; a span annotated twice in gold needs two predictions.
- partial: a prediction is a TP iff its span overlaps a not-yet-matched gold
  mention with the same label (maximum one-to-one matching), so boundary
  errors are forgiven but label errors are not.
- value: per document, the multiset of (label, value) of gold vs prediction,
  offsets ignored; TP = size of the multiset intersection. Two gold mentions
  "2000余条" of NEWMEDIA_POSTS need two predictions of (NEWMEDIA_POSTS, 2000).
- P = TP/(TP+FP), R = TP/(TP+FN), F1 their harmonic mean; 0 when a
  denominator is 0, and all three ``None`` when TP+FP+FN = 0 (nothing to
  score). Micro sums counts over labels; macro averages the per-label
  figures over the labels that have any gold or predicted mention.
- confusion matrix: rows are gold labels, columns predicted labels, plus
  ``NONE``. Pairs are matched first by overlapping span and same label, then
  by overlapping span with any label; a gold mention left unmatched is
  counted in column NONE (missed), a prediction left unmatched in row NONE
  (spurious).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.spec import LABELS

from .matching import any_overlap, max_matching, same_label_overlap, strict_matches

NONE = "NONE"
Mention = Mapping[str, Any]


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    if tp + fp + fn == 0:
        return {"tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None, "f1": None}
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


@dataclass
class LabelCounts:
    """TP/FP/FN per label, summed over documents."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add_matched(
        self, gold: Sequence[Mention], pred: Sequence[Mention], pairs: list[tuple[int, int]]
    ) -> None:
        gi_done = {g for g, _ in pairs}
        pi_done = {p for _, p in pairs}
        for g, _ in pairs:
            self.tp[gold[g]["label"]] += 1
        for i, m in enumerate(gold):
            if i not in gi_done:
                self.fn[m["label"]] += 1
        for i, m in enumerate(pred):
            if i not in pi_done:
                self.fp[m["label"]] += 1

    def to_json(self) -> dict[str, Any]:
        # every spec label is always present (stable keys for diffs); unscored ones have None
        labels = _label_order(set(LABELS) | set(self.tp) | set(self.fp) | set(self.fn))
        per = {lab: prf(self.tp[lab], self.fp[lab], self.fn[lab]) for lab in labels}
        scored = [v for v in per.values() if v["f1"] is not None]
        macro = {
            k: (sum(v[k] for v in scored) / len(scored) if scored else None)
            for k in ("precision", "recall", "f1")
        }
        micro = prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))
        return {"micro": micro, "macro": {**macro, "labels": len(scored)}, "per_label": per}


def _label_order(labels: set[str]) -> list[str]:
    known = [lab for lab in LABELS if lab in labels]
    return known + sorted(labels - set(known))


def _value_key(m: Mention) -> tuple[str, float | None]:
    v = m.get("value")
    return (m["label"], round(float(v), 6) if isinstance(v, int | float) else None)


def value_counts(gold: Sequence[Mention], pred: Sequence[Mention]) -> LabelCounts:
    """Multiset intersection of (label, value) pairs in one document."""
    g, p = Counter(map(_value_key, gold)), Counter(map(_value_key, pred))
    out = LabelCounts()
    for key in g | p:
        hit = min(g[key], p[key])
        out.tp[key[0]] += hit
        out.fn[key[0]] += g[key] - hit
        out.fp[key[0]] += p[key] - hit
    return out


def confusion_pairs(gold: Sequence[Mention], pred: Sequence[Mention]) -> list[tuple[int | None, int | None]]:
    """(gold index | None, pred index | None) for every mention, per the module convention."""
    first = max_matching(gold, pred, same_label_overlap)
    g_left = [i for i in range(len(gold)) if i not in {g for g, _ in first}]
    p_left = [i for i in range(len(pred)) if i not in {p for _, p in first}]
    second = max_matching([gold[i] for i in g_left], [pred[i] for i in p_left], any_overlap)
    pairs: list[tuple[int | None, int | None]] = list(first)
    pairs += [(g_left[g], p_left[p]) for g, p in second]
    g_used = {g for g, _ in pairs}
    p_used = {p for _, p in pairs}
    pairs += [(i, None) for i in range(len(gold)) if i not in g_used]
    pairs += [(None, i) for i in range(len(pred)) if i not in p_used]
    return pairs


def _mention_json(m: Mention | None) -> dict[str, Any] | None:
    if m is None:
        return None
    keys = ("label", "start", "end", "text", "value", "approx", "confidence", "source")
    return {k: m[k] for k in keys if k in m}


def _error_kind(g: Mention | None, p: Mention | None) -> str | None:
    if g is None:
        return "spurious"
    if p is None:
        return "missed"
    if g["label"] != p["label"]:
        return "label"
    if (g["start"], g["end"]) != (p["start"], p["end"]):
        return "boundary"
    return None


def context(text: str | None, start: int, end: int, width: int = 60) -> dict[str, str] | None:
    """The sentence around ``[start, end)`` split into before / span / after, for display."""
    if not text:
        return None
    stops = "。！？\n"
    s = max((text.rfind(ch, 0, start) for ch in stops), default=-1) + 1
    ends = [i for i in (text.find(ch, end) for ch in stops) if i != -1]
    e = min(ends) + 1 if ends else len(text)
    s, e = max(s, start - width), min(e, end + width)
    return {"before": text[s:start].lstrip(), "span": text[start:end], "after": text[end:e].rstrip()}


@dataclass
class NarrativeScores:
    strict: LabelCounts = field(default_factory=LabelCounts)
    partial: LabelCounts = field(default_factory=LabelCounts)
    value: LabelCounts = field(default_factory=LabelCounts)
    confusion: Counter = field(default_factory=Counter)  # (gold label, pred label) -> n
    errors: list[dict[str, Any]] = field(default_factory=list)
    per_doc: dict[str, dict[str, int]] = field(default_factory=dict)

    def add_doc(
        self, doc_id: str, gold: Sequence[Mention], pred: Sequence[Mention], text: str | None
    ) -> None:
        strict = strict_matches(gold, pred)
        self.strict.add_matched(gold, pred, strict)
        self.partial.add_matched(gold, pred, max_matching(gold, pred, same_label_overlap))
        v = value_counts(gold, pred)
        for name in ("tp", "fp", "fn"):
            getattr(self.value, name).update(getattr(v, name))
        self.per_doc[doc_id] = {
            "gold": len(gold),
            "pred": len(pred),
            "tp": len(strict),
            "fp": len(pred) - len(strict),
            "fn": len(gold) - len(strict),
        }
        for gi, pi in confusion_pairs(gold, pred):
            g = gold[gi] if gi is not None else None
            p = pred[pi] if pi is not None else None
            self.confusion[(g["label"] if g else NONE, p["label"] if p else NONE)] += 1
            kind = _error_kind(g, p)
            if kind is None:
                continue
            spans = [m for m in (g, p) if m is not None]
            st, en = min(m["start"] for m in spans), max(m["end"] for m in spans)
            self.errors.append(
                {
                    "doc_id": doc_id,
                    "kind": kind,
                    "gold": _mention_json(g),
                    "pred": _mention_json(p),
                    "context": context(text, st, en),
                }
            )

    def confusion_json(self) -> dict[str, Any]:
        used = {lab for pair in self.confusion for lab in pair} - {NONE}
        labels = [*_label_order(used), NONE]
        matrix = {g: {p: self.confusion.get((g, p), 0) for p in labels} for g in labels}
        return {"labels": labels, "matrix": matrix}

    def to_json(self) -> dict[str, Any]:
        return {
            "strict": self.strict.to_json(),
            "partial": self.partial.to_json(),
            "value": self.value.to_json(),
            "confusion": self.confusion_json(),
            "errors_by_kind": dict(sorted(Counter(e["kind"] for e in self.errors).items())),
        }


def score_narrative(
    docs: Sequence[tuple[str, Sequence[Mention], Sequence[Mention], str | None]],
) -> NarrativeScores:
    """Score ``(doc_id, gold mentions, predicted mentions, source text)`` for every document."""
    out = NarrativeScores()
    for doc_id, gold, pred, text in docs:
        out.add_doc(doc_id, gold, pred, text)
    return out
