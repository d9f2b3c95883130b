"""Gold documents, the fixed train/dev split, and candidate-level examples.

Three gold sources share one format: the seed reports (``shared/gold/seeds`` over
``shared/seeds``), the annotated corpus pages (``annotations/corpus`` over
``shared/corpus/pages``), and invented passages (``annotations/invented``,
text and gold both in the repo: they are not real reports). Real texts are
read from ``shared`` only (they must not be copied into the repo); the repo
keeps their offsets and labels.

The split is a pure function of the document id, so it never drifts when
pages are added: seeds are always train (they are whole reports, the few
long examples we have), invented passages are always train (the model is
judged on real text only), and a corpus page is dev iff
``int(sha1(id).hexdigest(), 16) % 10 < 3``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gongkai.extraction.document import Document, lines_from_text

from .candidates import Candidate, document_candidates
from .tagger import OUTSIDE

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SPLITS_PATH = REPO / "annotations" / "splits.json"
INVENTED = REPO / "annotations" / "invented"  # invented passages with gold (annotations/README.md): train only


Split = Literal["train", "dev"]


@dataclass(frozen=True)
class GoldSource:
    """One set of gold files and the folder their ``source`` names point into."""

    name: str  # "seeds" | "corpus"
    gold_dir: Path
    text_dir: Path


def default_sources(shared: Path | None = None, corpus_gold: Path | None = None) -> list[GoldSource]:
    shared = Path(shared) if shared is not None else SHARED
    return [
        GoldSource("seeds", shared / "gold" / "seeds", shared / "seeds"),
        GoldSource("corpus", Path(corpus_gold) if corpus_gold else REPO / "annotations" / "corpus",
                   shared / "corpus" / "pages"),
        GoldSource("invented", INVENTED, INVENTED / "texts"),
    ]


@dataclass
class GoldDoc:
    doc_id: str
    origin: str  # which GoldSource
    text: str
    narrative: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)

    def document(self) -> Document:
        """The document as the pipeline's text reader builds it (same lines, same table region)."""
        return Document(doc_id=self.doc_id, source=f"{self.doc_id}.txt", kind="txt", text=self.text,
                        lines=lines_from_text(self.text), encoding="utf-8")


def load_gold(sources: Sequence[GoldSource] | None = None) -> list[GoldDoc]:
    """Every gold document of every source, with its text (offsets are into the UTF-8 decoded file)."""
    out = []
    for src in sources if sources is not None else default_sources():
        if not src.gold_dir.is_dir():
            raise FileNotFoundError(f"gold folder missing: {src.gold_dir}")
        for path in sorted(src.gold_dir.glob("*.json")):
            g = json.loads(path.read_text(encoding="utf-8"))
            text = (src.text_dir / g["source"]).read_text(encoding="utf-8")
            for m in g.get("narrative", []):
                if text[m["start"]:m["end"]] != m["text"]:
                    raise ValueError(f"{path}: gold span {m['start']}:{m['end']} does not match its text")
            out.append(GoldDoc(g["doc_id"], src.name, text, list(g.get("narrative", [])), g.get("meta", {})))
    return out


# ---- split ------------------------------------------------------------------------------


def split_of(doc_id: str, origin: str) -> Split:
    """Only real corpus pages are ever dev: seeds and invented passages always train."""
    if origin != "corpus":
        return "train"
    return "dev" if int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 10 < 3 else "train"


def make_splits(docs: Iterable[GoldDoc]) -> dict[str, Any]:
    train, dev = [], []
    for d in docs:
        (dev if split_of(d.doc_id, d.origin) == "dev" else train).append(d.doc_id)
    return {
        "rule": "seeds and invented passages always train; a corpus page is dev iff int(sha1(id).hexdigest(), 16) % 10 < 3",
        "train": sorted(train),
        "dev": sorted(dev),
    }


def write_splits(docs: Iterable[GoldDoc], path: Path = SPLITS_PATH) -> dict[str, Any]:
    splits = make_splits(docs)
    path.write_text(json.dumps(splits, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return splits


def by_split(docs: Sequence[GoldDoc], split: Split) -> list[GoldDoc]:
    return [d for d in docs if split_of(d.doc_id, d.origin) == split]


# ---- examples ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One candidate with its gold label ("O" when gold has no mention there)."""

    doc_id: str
    text: str  # the whole document text (shared, not copied): classifiers read context from it
    candidate: Candidate
    label: str


@dataclass
class ExampleSet:
    examples: list[Example]
    misses: list[tuple[str, dict[str, Any]]]  # (doc_id, gold mention) that no candidate matches exactly

    @property
    def n_gold(self) -> int:
        return sum(1 for e in self.examples if e.label != OUTSIDE) + len(self.misses)


def doc_examples(doc: GoldDoc) -> tuple[list[Example], list[dict[str, Any]]]:
    """Candidates of one document labelled from gold, and the gold mentions no candidate matches."""
    cands = document_candidates(doc.document())
    gold = {(m["start"], m["end"]): m["label"] for m in doc.narrative}
    seen = {(c.start, c.end) for c in cands}
    ex = [Example(doc.doc_id, doc.text, c, gold.get((c.start, c.end), OUTSIDE)) for c in cands]
    misses = [m for m in doc.narrative if (m["start"], m["end"]) not in seen]
    return ex, misses


def in_context(text: str, cand: Candidate, left: int, right: int) -> str:
    """The candidate marked 【…】 between its neighbours, on one line: how people read an error or a disagreement."""
    ctx = f"{text[max(0, cand.start - left):cand.start]}【{cand.text}】{text[cand.end:cand.end + right]}"
    return ctx.replace("\n", " ")


def build_examples(docs: Iterable[GoldDoc]) -> ExampleSet:
    out = ExampleSet([], [])
    for d in docs:
        ex, misses = doc_examples(d)
        out.examples.extend(ex)
        out.misses.extend((d.doc_id, m) for m in misses)
    return out
