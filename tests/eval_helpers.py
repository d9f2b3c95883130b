"""A tiny invented report with gold and predictions, for the evaluator's tests.

The text is made up (no real report may be copied into the repo); offsets are
computed from it, so the gold files always agree with their source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DOC_ID = "900_invented"
TEXT = (
    "一、总体情况\n"
    "本年度通过门户网站发布信息1024条，公众号推送356条，其中政策解读12篇。\n"
    "全年受理依申请公开15件，按期办结14件，1件结转下年度办理。\n"
    "发生行政复议2起，均维持原行政行为。组织专题培训3期，参训人员120人次。\n"
)

GOLD_TABLES: dict[str, float | None] = {
    "t2.normative_docs.made": 3,
    "t2.procurement.amount": 12.5,
    "t3.new_received.total": 15,
    "t3.total.total": 14,
    "t3.carried_forward.total": 1,
    # the report's own table 4 does not add up: 2 != 1 + 0 + 0 + 0 (gold keeps it as printed)
    "t4.review.upheld": 1,
    "t4.review.corrected": 0,
    "t4.review.other": 0,
    "t4.review.pending": 0,
    "t4.review.total": 2,
    "t4.litigation_direct.total": None,
}


def mention(label: str, text: str, value: float, *, nth: int = 0, approx: bool = False, **extra: Any) -> dict:
    """A mention of ``text`` (its ``nth`` occurrence in TEXT) with computed offsets."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(text, start + 1)
    return {
        "label": label,
        "start": start,
        "end": start + len(text),
        "text": text,
        "value": value,
        "approx": approx,
        **extra,
    }


GOLD_NARRATIVE = [
    mention("PORTAL_POSTS", "1024条", 1024),
    mention("NEWMEDIA_POSTS", "356条", 356),
    mention("INTERPRETATIONS", "12篇", 12),
    mention("REQUESTS_RECEIVED", "15件", 15),
    mention("REQUESTS_ANSWERED", "14件", 14),
    mention("REQUESTS_CARRIED_OVER", "1件", 1),
    mention("REVIEWS", "2起", 2),
    mention("TRAININGS", "3期", 3),
    mention("TRAINEES", "120人次", 120),
]


def gold_record(**overrides: Any) -> dict[str, Any]:
    rec = {
        "doc_id": DOC_ID,
        "source": f"{DOC_ID}.txt",
        "meta": {"year": 2020, "agency": "虚构县人民政府办公室", "format": "2019"},
        "tables": dict(GOLD_TABLES),
        "narrative": [dict(m) for m in GOLD_NARRATIVE],
    }
    rec.update(overrides)
    return rec


def write_corpus(
    root: Path, gold: dict[str, Any] | None = None, *, with_source: bool = True
) -> tuple[Path, Path]:
    """gold/<doc_id>.json and docs/<doc_id>.txt under ``root``; returns (gold_dir, docs_dir)."""
    gold = gold or gold_record()
    gold_dir, docs_dir = root / "gold", root / "docs"
    gold_dir.mkdir(parents=True, exist_ok=True)
    docs_dir.mkdir(parents=True, exist_ok=True)
    (gold_dir / f"{gold['doc_id']}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    if with_source:
        (docs_dir / f"{DOC_ID}.txt").write_text(TEXT, encoding="utf-8")
    return gold_dir, docs_dir


def prediction() -> dict[str, Any]:
    """An imperfect extraction of the invented report.

    Tables: t3.new_received.total 16 (wrong), t4.litigation_direct.total 0 (gold null: wrong),
    t2.procurement.amount missing, one extra cell; 11 gold cells + 1 extra = 12, 8 right.
    Narrative: 12篇 missed, 356条 labelled PORTAL_POSTS (label error), 1024条 predicted twice
    (one TP, one FP), a spurious 3期 CONSULTATIONS overlapping the TRAININGS gold, which is also
    predicted correctly.
    """
    tables = dict(GOLD_TABLES)
    tables["t3.new_received.total"] = 16
    tables["t4.litigation_direct.total"] = 0
    del tables["t2.procurement.amount"]
    tables["t2.regulations.made"] = 0
    narr = [
        mention("PORTAL_POSTS", "1024条", 1024, confidence=0.95, source="model"),
        mention("PORTAL_POSTS", "1024条", 1024, confidence=0.40, source="model"),
        mention("PORTAL_POSTS", "356条", 356, confidence=0.70, source="model"),
        mention("REQUESTS_RECEIVED", "15件", 15, confidence=0.90, source="model"),
        mention("REQUESTS_ANSWERED", "14件", 14, confidence=0.90, source="model"),
        mention("REQUESTS_CARRIED_OVER", "1件", 1, confidence=0.80, source="model"),
        mention("REVIEWS", "2起", 2, confidence=0.85, source="model"),
        mention("TRAININGS", "3期", 3, confidence=0.90, source="model"),
        mention("CONSULTATIONS", "3期", 3, confidence=0.30, source="model"),
        mention("TRAINEES", "120人次", 120, confidence=0.99, source="model"),
    ]
    line = TEXT.splitlines().index("全年受理依申请公开15件，按期办结14件，1件结转下年度办理。") + 1
    return {
        "doc_id": DOC_ID,
        "source": f"{DOC_ID}.txt",
        "meta": {"year": 2020, "agency": "虚构县人民政府办公室", "format": "2019"},
        "tables": tables,
        "narrative": narr,
        "provenance": {"t3.new_received.total": {"text": "16", "line": line}},
        "findings": [],
        "problems": [],
        "status": "ok",
        "extractor_version": "test",
    }


def write_prediction(pred_dir: Path, pred: dict[str, Any] | None = None) -> Path:
    pred_dir.mkdir(parents=True, exist_ok=True)
    pred = pred or prediction()
    (pred_dir / f"{pred['doc_id']}.json").write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    return pred_dir
