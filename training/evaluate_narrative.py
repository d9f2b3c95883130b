"""Score narrative taggers on gold: dev split and seeds, strict and value-level, per label.

Runs the real entry point (``extraction.narrative.tag_candidates``: prose
candidates → tagger → mentions without "O"), so candidate recall, the table
region skip and the classifier are measured together. Scores come from
``gongkai.eval.narrative`` (strict = same offsets and label, one-to-one;
value = label+value multiset per document) and ``gongkai.eval.calibration``.

    python -m gongkai.training.evaluate_narrative [--systems rules,baseline] [--candidates] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from gongkai.eval.calibration import ece
from gongkai.eval.narrative import score_narrative
from gongkai.extraction.narrative import tag_candidates
from gongkai.models.candidates import document_candidates
from gongkai.models.dataset import GoldDoc, build_examples, by_split, default_sources, load_gold
from gongkai.models.registry import build_tagger, load_tagger
from gongkai.models.tagger import Tagger

from gongkai.spec import LABELS


def evaluation_sets(docs: Sequence[GoldDoc]) -> dict[str, list[GoldDoc]]:
    """dev: held-out corpus pages; seeds: the 5 whole reports (training data, so a fit check)."""
    return {"dev": by_split(docs, "dev"), "seeds": [d for d in docs if d.origin == "seeds"]}


def candidate_ece(tagger: Tagger, docs: Sequence[GoldDoc]) -> float | None:
    """ECE of the top-class confidence over every candidate ("O" included)."""
    examples = build_examples(docs).examples
    confs, ok = [], []
    for _, grp in groupby(examples, key=lambda e: e.doc_id):
        grp = list(grp)
        for e, p in zip(grp, tagger.predict(grp[0].text, [e.candidate for e in grp]), strict=True):
            if p["confidence"] is None:
                return None
            confs.append(p["confidence"])
            ok.append(p["label"] == e.label)
    return ece(confs, ok)


def evaluate(tagger: Tagger, docs: Sequence[GoldDoc]) -> dict[str, Any]:
    rows = []
    confs, ok = [], []
    for d in docs:
        pred = [m.__dict__ for m in tag_candidates(d.document(), tagger)]
        rows.append((d.doc_id, d.narrative, pred, d.text))
        hits = {(m["start"], m["end"], m["label"]) for m in d.narrative}
        for p in pred:
            if p["confidence"] is not None:
                confs.append(p["confidence"])
                ok.append((p["start"], p["end"], p["label"]) in hits)
    scores = score_narrative(rows).to_json()
    return {
        "docs": len(docs),
        "gold": sum(len(d.narrative) for d in docs),
        "strict": scores["strict"],
        "value": scores["value"],
        "ece_mentions": ece(confs, ok) if len(confs) == sum(len(r[2]) for r in rows) else None,
        "ece_candidates": candidate_ece(tagger, docs),
    }


def candidate_stats(docs: Sequence[GoldDoc]) -> dict[str, Any]:
    """Boundary-exact recall of gold spans by the prose candidates, candidates per gold, speed."""
    t0 = time.perf_counter()
    n_cand = sum(len(document_candidates(d.document())) for d in docs)
    seconds = time.perf_counter() - t0
    ex = build_examples(docs)
    n_gold = ex.n_gold
    return {
        "docs": len(docs),
        "gold": n_gold,
        "candidates": n_cand,
        "recall": (n_gold - len(ex.misses)) / n_gold if n_gold else None,
        "candidates_per_gold": n_cand / n_gold if n_gold else None,
        "seconds": seconds,
        "misses": [{"doc_id": doc_id, **m} for doc_id, m in ex.misses],
    }


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def format_table(results: dict[str, dict[str, dict[str, Any]]]) -> str:
    """results[system][set] -> one table: micro strict P/R/F1, value F1, ECE; then strict F1 per label."""
    sets = sorted({s for r in results.values() for s in r})
    lines = [f"{'system':<10} {'set':<6} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6} {'valF1':>6} {'ECEm':>6} {'ECEc':>6}"]
    for system, per in results.items():
        for s in sets:
            r = per[s]
            m, v = r["strict"]["micro"], r["value"]["micro"]
            lines.append(
                f"{system:<10} {s:<6} {r['gold']:>5} {_f(m['precision']):>6} {_f(m['recall']):>6} {_f(m['f1']):>6} "
                f"{_f(v['f1']):>6} {_f(r['ece_mentions']):>6} {_f(r['ece_candidates']):>6}"
            )
    lines.append("")
    cols = [(system, s) for system in results for s in sets]
    lines.append(f"{'strict F1 per label':<22}" + "".join(f"{(sy[:8] + '/' + s)[:14]:>15}" for sy, s in cols))
    for lab in LABELS:
        cells = []
        for system, s in cols:
            per_label = results[system][s]["strict"]["per_label"].get(lab)
            if per_label is None:
                cells.append(f"{'':>15}")
                continue
            n_gold = per_label["tp"] + per_label["fn"]
            cells.append(f"{_f(per_label['f1']) + f' ({n_gold})':>15}")
        lines.append(f"{lab:<22}" + "".join(cells))
    return "\n".join(lines)


def run(systems: Sequence[str], shared: Path | None = None, taggers: dict[str, Tagger] | None = None) -> dict[str, Any]:
    docs = load_gold(default_sources(shared))
    sets = evaluation_sets(docs)
    results: dict[str, dict[str, Any]] = {}
    for system in systems:
        tagger = (taggers or {}).get(system) or load_tagger(system)
        results[system] = {name: evaluate(tagger, ds) for name, ds in sets.items()}
    return results


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", default="rules,baseline", help="comma-separated registry names")
    ap.add_argument("--shared", type=Path, default=None, help="the shared data folder (default ../shared)")
    ap.add_argument("--candidates", action="store_true", help="also report candidate recall on all gold")
    ap.add_argument("--json", type=Path, default=None, help="write the full results here")
    ap.add_argument("--narrative", type=Path, default=None,
                    help="score this span-model folder instead of models/narrative (e.g. a `gongkai train --out` run)")
    ap.add_argument("--baseline", type=Path, default=None, help="and this baseline folder instead of models/baseline")
    args = ap.parse_args(argv)
    out: dict[str, Any] = {}
    if args.candidates:
        stats = candidate_stats(load_gold(default_sources(args.shared)))
        out["candidates"] = stats
        print(
            f"candidates: {stats['candidates']} for {stats['gold']} gold mentions in {stats['docs']} docs; "
            f"recall {stats['recall']:.4f}, {stats['candidates_per_gold']:.2f} per gold, {stats['seconds'] * 1000:.0f} ms"
        )
        for m in stats["misses"]:
            print(f"  missed {m['doc_id']} {m['label']} {m['text']!r} at {m['start']}")
    systems = args.systems.split(",")
    results = run(systems, args.shared, {s: build_tagger(s, args.narrative, args.baseline) for s in systems})
    out["results"] = results
    print(format_table(results))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
