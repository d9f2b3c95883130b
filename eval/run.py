"""Orchestration: gold + predictions (saved, or extracted now) → scores → eval-out/.

Predictions are either read from a directory of per-document JSON files
(``<doc_id>.json``, anywhere below it) or produced by running the extractor on
each gold document's source, once per compared system (narrative component
``rules`` / ``baseline`` / ``model`` / ``none``). A document with no prediction,
or whose extraction failed, is scored as an empty prediction: every gold cell
missing, every gold mention missed.
"""

from __future__ import annotations

import platform
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gongkai

from . import tables as tables_mod
from . import validation as validation_mod
from .calibration import calibration
from .gold import GoldDoc, load_gold
from .narrative import score_narrative

SYSTEMS = ("rules", "baseline", "model", "none")
# threshold name -> (path into a system's metrics, label for messages)
THRESHOLDS: dict[str, tuple[tuple[str, ...], str]] = {
    "table_accuracy": (("tables", "overall", "accuracy"), "table cell accuracy"),
    "narrative_f1": (("narrative", "strict", "micro", "f1"), "narrative strict micro F1"),
}


class EvalError(Exception):
    """A problem with the inputs of an evaluation (not with the gold files)."""


def _mentions(pred: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Predicted mentions that can be scored (label and integer offsets present)."""
    out = []
    for m in pred.get("narrative") or []:
        if (
            isinstance(m, Mapping)
            and isinstance(m.get("start"), int)
            and isinstance(m.get("end"), int)
            and m.get("label")
        ):
            out.append(dict(m))
    return out


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _checkable(pred: Mapping[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """The prediction with only numeric cells and valued mentions, which the validator can sum."""
    tables = {k: v for k, v in (pred.get("tables") or {}).items() if v is None or _is_num(v)}
    narrative = [m for m in mentions if _is_num(m.get("value"))]
    return {"meta": pred.get("meta") or {}, "tables": tables, "narrative": narrative}


def load_predictions(pred_dir: Path, golds: Sequence[GoldDoc]) -> dict[str, dict[str, Any] | None]:
    """``doc_id -> prediction`` from ``pred_dir``; ``None`` where no file was found."""
    import json

    pred_dir = Path(pred_dir)
    if not pred_dir.is_dir():
        raise EvalError(f"prediction directory not found: {pred_dir}")
    index: dict[str, Path] = {}
    for p in sorted(pred_dir.rglob("*.json")):
        index.setdefault(p.stem, p)
    out: dict[str, dict[str, Any] | None] = {}
    for g in golds:
        path = index.get(g.doc_id)
        if path is None:
            out[g.doc_id] = None
            continue
        try:
            out[g.doc_id] = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise EvalError(f"{path}: prediction is not valid JSON: {e}") from None
    return out


def extract_predictions(system: str, golds: Sequence[GoldDoc]) -> dict[str, dict[str, Any] | None]:
    """Run the extractor on every gold document with narrative component ``system``."""
    try:
        from gongkai.extraction.pipeline import extract_file
    except ImportError as e:
        raise EvalError(
            f"the extractor (gongkai.extraction.pipeline.extract_file) is not available ({e}); "
            "pass --pred DIR to score saved predictions"
        ) from None
    out: dict[str, dict[str, Any] | None] = {}
    for g in golds:
        try:
            out[g.doc_id] = extract_file(g.source_path, narrative=system)
        except Exception as e:  # one broken document must not stop the evaluation
            out[g.doc_id] = {"doc_id": g.doc_id, "status": "failed", "error": f"{type(e).__name__}: {e}"}
    return out


def _get(d: Mapping[str, Any], path: Sequence[str]) -> Any:
    for k in path:
        if not isinstance(d, Mapping):
            return None
        d = d.get(k)  # type: ignore[assignment]
    return d


def score_system(golds: Sequence[GoldDoc], preds: Mapping[str, dict[str, Any] | None]) -> tuple[dict, dict]:
    """(metrics, errors) of one system's predictions."""
    empty: dict[str, Any] = {}
    doc_tables, narr_docs, calib_docs, findings, per_doc = [], [], [], {}, {}
    for g in golds:
        pred = preds.get(g.doc_id) or empty
        pm = _mentions(pred)
        dt = tables_mod.score_doc(
            g.doc_id, g.tables, pred.get("tables") or {}, pred.get("provenance"), g.text
        )
        doc_tables.append(dt)
        narr_docs.append((g.doc_id, g.narrative, pm, g.text))
        calib_docs.append((g.narrative, pm))
        findings[g.doc_id] = validation_mod.compare_doc(g.data, _checkable(pred, pm), g.text)
        per_doc[g.doc_id] = {
            "status": pred.get("status", "missing" if preds.get(g.doc_id) is None else None),
            "tables": dt.overall.to_json(),
        }
    narr = score_narrative(narr_docs)
    for doc_id, counts in narr.per_doc.items():
        per_doc[doc_id]["narrative"] = counts
        per_doc[doc_id]["findings"] = {k: len(v) for k, v in findings[doc_id].items()}
    statuses = Counter(d["status"] for d in per_doc.values() if d["status"])
    metrics = {
        "documents": {
            "scored": len(golds),
            "missing_predictions": sum(preds.get(g.doc_id) is None for g in golds),
            "failed": statuses.get("failed", 0),
            "errors": {k: p.get("error") for k, p in preds.items() if p and p.get("status") == "failed"},
            "status": dict(sorted(statuses.items())),
        },
        "tables": tables_mod.summarize(doc_tables),
        "narrative": narr.to_json(),
        "calibration": calibration(calib_docs),
        "validation": validation_mod.summarize(findings),
        "per_doc": per_doc,
    }
    errors = {
        "tables": [e.to_json() for d in doc_tables for e in d.errors],
        "narrative": narr.errors,
        "validation": {k: v for k, v in findings.items() if any(v.values())},
        "failed": {
            k: (p or {}).get("error") for k, p in preds.items() if (p or {}).get("status") == "failed"
        },
    }
    return metrics, errors


def gold_summary(golds: Sequence[GoldDoc]) -> dict[str, Any]:
    labels = Counter(m["label"] for g in golds for m in g.narrative)
    return {
        "documents": len(golds),
        "table_cells": sum(len(g.tables) for g in golds),
        "mentions": sum(labels.values()),
        "mentions_by_label": dict(sorted(labels.items())),
        "formats": dict(sorted(Counter(str(g.fmt) for g in golds).items())),
    }


def check_thresholds(
    systems: Mapping[str, Mapping[str, Any]], thresholds: Mapping[str, float | None]
) -> dict:
    """Every system must reach every given minimum; a missing score fails."""
    checks = []
    for name, minimum in thresholds.items():
        if minimum is None:
            continue
        if name not in THRESHOLDS:
            raise EvalError(f"unknown threshold {name!r}; expected one of {sorted(THRESHOLDS)}")
        path, label = THRESHOLDS[name]
        for sys_name, m in systems.items():
            value = _get(m, path)
            ok = value is not None and value >= minimum
            checks.append(
                {"system": sys_name, "metric": name, "label": label, "min": minimum, "value": value, "ok": ok}
            )
    return {"passed": all(c["ok"] for c in checks), "checks": checks}


def _run_meta(golds, gold_dir, docs_dir, pred_dirs, systems, preds, model, command) -> dict[str, Any]:
    def seen(key: str) -> dict[str, list[str]]:
        """Per system, the distinct values of ``key`` in its prediction records."""
        return {s: sorted({str(p[key]) for p in ps.values() if p and p.get(key)}) for s, ps in preds.items()}

    return {
        "gongkai_version": gongkai.__version__,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command if command is not None else " ".join(sys.argv),
        "python": platform.python_version(),
        "model": {"name": (model or {}).get("name"), "version": (model or {}).get("version")},
        "systems": list(systems),
        "extractor_versions": seen("extractor_version"),
        "narrative_systems": seen("narrative_system"),  # which tagger (and version) made the mentions
        "gold_dir": str(gold_dir),
        "docs_dir": str(docs_dir) if docs_dir else None,
        "pred_dirs": {k: str(v) for k, v in (pred_dirs or {}).items()},
        "files": {
            g.doc_id: {
                "gold": g.path.name,
                "gold_sha256": g.sha256,
                "source": g.source_path.name,
                "source_sha256": g.source_sha256,
                "format": g.fmt,
                "year": g.data["meta"].get("year"),
                "agency": g.data["meta"].get("agency"),
            }
            for g in golds
        },
    }


def run_eval(
    gold_dir: Path,
    docs_dir: Path | None = None,
    pred_dir: Path | Mapping[str, Path] | None = None,
    out_dir: Path | None = Path("eval-out"),
    systems: Sequence[str] = ("model",),
    thresholds: Mapping[str, float | None] | None = None,
    *,
    model: Mapping[str, str | None] | None = None,
    command: str | None = None,
) -> dict[str, Any]:
    """Score predictions against gold, write ``out_dir`` (unless None), return the metrics.

    ``pred_dir``: one directory (system name "pred") or ``{system: directory}``;
    without it the extractor runs once per name in ``systems``. Raises
    ``GoldError`` for bad gold and ``EvalError`` for other bad inputs.
    """
    golds = load_gold(Path(gold_dir), Path(docs_dir) if docs_dir else None)
    pred_dirs: dict[str, Path] | None = None
    if pred_dir is not None:
        pred_dirs = dict(pred_dir) if isinstance(pred_dir, Mapping) else {"pred": Path(pred_dir)}
    else:
        bad = [s for s in systems if s not in SYSTEMS]
        if bad or not systems:
            raise EvalError(f"unknown system(s) {bad or list(systems)}; expected some of {list(SYSTEMS)}")
    preds: dict[str, dict[str, dict[str, Any] | None]] = {}
    timing: dict[str, float] = {}
    for name in pred_dirs or systems:
        t0 = time.perf_counter()
        preds[name] = (
            load_predictions(pred_dirs[name], golds) if pred_dirs else extract_predictions(name, golds)
        )
        timing[name] = round(time.perf_counter() - t0, 3)
    scored = {name: score_system(golds, p) for name, p in preds.items()}
    metrics: dict[str, Any] = {
        "schema_version": 1,
        "run": _run_meta(golds, gold_dir, docs_dir, pred_dirs, list(preds), preds, model, command),
        "gold": gold_summary(golds),
        "systems": {name: m for name, (m, _) in scored.items()},
    }
    metrics["run"]["seconds"] = timing
    if thresholds and any(v is not None for v in thresholds.values()):
        metrics["thresholds"] = check_thresholds(metrics["systems"], thresholds)
    if out_dir is not None:
        from .report import write_outputs

        write_outputs(metrics, {name: e for name, (_, e) in scored.items()}, Path(out_dir))
    return metrics
