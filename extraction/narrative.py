"""Narrative counts of one document: prose candidates → tagger → mentions.

Candidates come from ``models.candidates`` (the table region's lines are
skipped); a tagger from ``models.registry`` labels each one; candidates
labelled "O" are dropped. The system names are the pipeline's: ``rules``,
``baseline``, ``model`` (the registry decides what "model" is).
"""

from __future__ import annotations

from gongkai.models.candidates import document_candidates
from gongkai.models.registry import load_tagger
from gongkai.models.tagger import OUTSIDE, Tagger

from .document import Document
from .record import Mention


def tag_candidates(doc: Document, tagger: Tagger) -> list[Mention]:
    """Mentions the given tagger finds in the document's prose, in text order."""
    cands = document_candidates(doc)
    if not cands:
        return []
    out = []
    for p in tagger.predict(doc.text, cands):
        if p["label"] == OUTSIDE:
            continue
        out.append(
            Mention(
                label=p["label"],
                start=p["start"],
                end=p["end"],
                text=p["text"],
                value=p["value"],
                approx=p["approx"],
                confidence=p.get("confidence"),
                source=tagger.source,
            )
        )
    return out


def tag_narrative(doc: Document, system: str = "model") -> list[Mention]:
    """Narrative mentions of ``doc`` by the named system (``rules`` | ``baseline`` | ``model``)."""
    return tag_candidates(doc, load_tagger(system))
