"""Where the baseline goes wrong on real text, measured without touching dev.

Why: invented passages are steered at the confusions real text causes
(``annotations/README.md``), and those must not be read off dev. This runs
k-fold cross-validation over the real corpus *train* pages: each fold is
predicted by a baseline fitted on everything else that is train (seeds,
invented passages, the other folds). It prints the confusion counts and
writes every error with its context as JSONL for writers' briefs.

    python -m gongkai.training.train_confusions [--folds 5] [--errors errors.jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from gongkai.models.baseline import BaselineTagger
from gongkai.models.dataset import GoldDoc, build_examples, by_split, in_context, load_gold
from gongkai.models.tagger import OUTSIDE


@dataclass(frozen=True)
class Error:
    doc_id: str
    text: str
    gold: str
    pred: str
    confidence: float
    context: str


def fold_of(doc_id: str, folds: int) -> int:
    return int(hashlib.sha1(f"cv:{doc_id}".encode()).hexdigest(), 16) % folds


def cross_validate(docs: Sequence[GoldDoc], folds: int = 5, context: int = 50) -> tuple[Counter, list[Error]]:
    """(gold, predicted) counts over every candidate of the real train pages, and the errors."""
    train = by_split(docs, "train")
    real = [d for d in train if d.origin == "corpus"]
    rest = [d for d in train if d.origin != "corpus"]
    confusion: Counter = Counter()
    errors: list[Error] = []
    for k in range(folds):
        held = [d for d in real if fold_of(d.doc_id, folds) == k]
        fit = rest + [d for d in real if fold_of(d.doc_id, folds) != k]
        tagger = BaselineTagger().fit(build_examples(fit).examples)
        for doc in held:
            examples = build_examples([doc]).examples
            if not examples:
                continue
            proba = tagger.predict_proba(doc.text, [e.candidate for e in examples])
            for e, p in zip(examples, proba, strict=True):
                pred = tagger.classes[int(p.argmax())]
                confusion[(e.label, pred)] += 1
                if pred != e.label:
                    errors.append(Error(doc.doc_id, e.candidate.text, e.label, pred, float(p.max()),
                                        in_context(doc.text, e.candidate, context, 20)))
        print(f"fold {k + 1}/{folds}: {len(held)} pages", file=sys.stderr)
    return confusion, errors


def micro_f1(confusion: Counter) -> float:
    tp = sum(v for (g, p), v in confusion.items() if g == p != OUTSIDE)
    fp = sum(v for (g, p), v in confusion.items() if g != p and p != OUTSIDE)
    fn = sum(v for (g, p), v in confusion.items() if g != p and g != OUTSIDE)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--errors", type=Path, help="write every error with its context here (JSONL)")
    args = ap.parse_args(argv)
    confusion, errors = cross_validate(load_gold(), args.folds)
    print(f"real train pages, {args.folds}-fold: micro F1 {micro_f1(confusion):.3f}")
    for (gold, pred), n in sorted(confusion.items(), key=lambda kv: -kv[1]):
        if gold != pred:
            print(f"{n:4d}  gold {gold:<22} predicted {pred}")
    if args.errors:
        args.errors.write_text("".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in errors),
                               encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
