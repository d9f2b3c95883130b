"""A second annotator's blind pass over the gold, and where the two disagree.

Why: the corpus gold was written by one annotator, and the dev score is only
as good as its gold. A second pass labels every candidate of every page
without seeing the first labels (``worksheets``); ``compare`` then measures
agreement (Cohen's kappa over candidates, per-label counts) and lists every
disagreement for adjudication by the label rules. The worksheet marks each
candidate in the text as ``[[c3:4407条]]`` so the annotator only chooses a
label (or O) per candidate: the spans are the candidate finder's, which
reproduces every gold span exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.models.dataset import Example, GoldDoc, doc_examples, in_context
from gongkai.models.tagger import OUTSIDE


def cand_id(i: int) -> str:
    """The worksheet's name for a document's ``i``-th candidate: the one id scheme of marks, labels and answers."""
    return f"c{i}"


def numbered(doc: GoldDoc) -> list[tuple[str, Example]]:
    """The document's candidates, labelled from its gold, with their worksheet ids."""
    examples, _ = doc_examples(doc)
    return [(cand_id(i), e) for i, e in enumerate(examples)]


def marked_text(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with candidate ``i`` written ``[[ci:span]]`` in place (spans in text order)."""
    out, pos = [], 0
    for i, (start, end) in enumerate(spans):
        out.append(text[pos:start])
        out.append(f"[[{cand_id(i)}:{text[start:end]}]]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def worksheet(doc: GoldDoc) -> dict[str, Any]:
    """One page for the second annotator: its marked text and candidates, no gold labels."""
    cands = numbered(doc)
    return {
        "doc_id": doc.doc_id,
        "marked_text": marked_text(doc.text, [(e.candidate.start, e.candidate.end) for _, e in cands]),
        "candidates": {cid: e.candidate.text for cid, e in cands},
    }


def first_labels(doc: GoldDoc) -> dict[str, str]:
    """The gold's label per worksheet candidate id (O where gold has no mention)."""
    return {cid: e.label for cid, e in numbered(doc)}


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Chance-corrected agreement of two annotators over the same items."""
    n = len(pairs)
    if n == 0:
        raise ValueError("no items to compare")
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return 1.0 if expected == 1.0 else (observed - expected) / (1.0 - expected)


@dataclass(frozen=True)
class Disagreement:
    doc_id: str
    cand: str
    start: int
    end: int
    text: str
    first: str
    second: str
    context: str


@dataclass
class Comparison:
    n_items: int
    kappa: float
    per_label: dict[str, dict[str, int]]  # label -> first, second, both
    disagreements: list[Disagreement]

    def to_json(self) -> dict[str, Any]:
        return {
            "n_items": self.n_items,
            "kappa": round(self.kappa, 4),
            "agreement": round(1 - len(self.disagreements) / self.n_items, 4) if self.n_items else None,
            "per_label": self.per_label,
            "disagreements": [d.__dict__ for d in self.disagreements],
        }


def compare(docs: Iterable[GoldDoc], second: Mapping[str, Mapping[str, str]], context: int = 40) -> Comparison:
    """Agreement of the gold with a second annotator's labels (doc_id -> candidate id -> label).

    A page the second annotator did not return is an error, not a silent gap;
    a candidate left out of a returned page counts as O.
    """
    pairs: list[tuple[str, str]] = []
    disagreements: list[Disagreement] = []
    counts: dict[str, Counter[str]] = {}
    for doc in docs:
        if doc.doc_id not in second:
            raise KeyError(f"second annotator has no labels for {doc.doc_id}")
        theirs = second[doc.doc_id]
        for cid, ex in numbered(doc):
            a, b = ex.label, theirs.get(cid, OUTSIDE)
            pairs.append((a, b))
            for who, lab in (("first", a), ("second", b)):
                if lab != OUTSIDE:
                    counts.setdefault(lab, Counter())[who] += 1
            if a == b:
                if a != OUTSIDE:
                    counts[a]["both"] += 1
                continue
            c = ex.candidate
            disagreements.append(Disagreement(doc.doc_id, cid, c.start, c.end, c.text, a, b,
                                              in_context(doc.text, c, context, context)))
    per_label = {k: {w: v[w] for w in ("first", "second", "both")} for k, v in sorted(counts.items())}
    return Comparison(len(pairs), cohen_kappa(pairs), per_label, disagreements)


def read_labels(lines: Iterable[str]) -> dict[str, dict[str, str]]:
    """A second annotator's JSONL: one ``{"doc_id": ..., "labels": {"c0": "O", ...}}`` per line."""
    out: dict[str, dict[str, str]] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["doc_id"] in out:
            raise ValueError(f"line {n}: {row['doc_id']} labelled twice")
        out[row["doc_id"]] = dict(row["labels"])
    return out
