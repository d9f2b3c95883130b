"""The one interface every narrative classifier implements (rules, baseline, transformer).

Candidates are found once (``models.candidates``); a tagger only labels them.
Shaped like a Label Studio ML backend model: ``predict`` takes the document
text and its candidates and returns one mention-like dict per candidate, in
order, with ``label`` possibly ``"O"`` (the caller drops those; keeping them
lets active learning see how sure the model was that a number is not a count).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol, runtime_checkable

from .candidates import Candidate

OUTSIDE = "O"
Source = Literal["model", "rule", "baseline"]


@runtime_checkable
class Tagger(Protocol):
    name: str  # registry name ("rules", "baseline", "e5" …)
    source: Source  # what Mention.source says for its predictions

    def predict(self, text: str, candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
        """One dict per candidate: label, start, end, text, value, approx, confidence."""
        ...


def mention_dict(cand: Candidate, label: str, confidence: float | None) -> dict[str, Any]:
    return {
        "label": label,
        "start": cand.start,
        "end": cand.end,
        "text": cand.text,
        "value": cand.value,
        "approx": cand.approx,
        "confidence": confidence,
    }


def mentions_from_proba(candidates: Sequence[Candidate], proba: Any, classes: Sequence[str]) -> list[dict[str, Any]]:
    """Each candidate with its most probable class and that probability as the confidence."""
    out = []
    for cand, row in zip(candidates, proba, strict=True):
        k = max(range(len(row)), key=row.__getitem__)
        out.append(mention_dict(cand, classes[k], float(row[k])))
    return out
