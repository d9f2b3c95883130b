"""Per-cell table scoring on hand-made cases; expected numbers worked out in comments."""

from __future__ import annotations

import pytest
from gongkai.eval.tables import cells_equal, score_doc, summarize


def test_null_is_not_zero_and_amount_tolerance():
    gold = {
        "t3.granted.total": 1,
        "t3.partial.total": None,
        "t3.denied.inquiry.total": 0,
        "t2.procurement.amount": 1.5,
    }
    pred = {
        "t3.granted.total": 1,
        "t3.partial.total": 0,
        "t3.denied.inquiry.total": None,
        "t2.procurement.amount": 1.5000004,
    }
    d = score_doc("d", gold, pred)
    # granted right; partial null→0 wrong; inquiry 0→null wrong; amount within 1e-6 right: 2/4
    assert (d.overall.cells, d.overall.correct, d.overall.wrong) == (4, 2, 2)
    assert sorted(e.field for e in d.errors) == ["t3.denied.inquiry.total", "t3.partial.total"]
    assert {e.field: (e.gold, e.pred) for e in d.errors}["t3.partial.total"] == (None, 0)


def test_cells_equal_edges():
    assert cells_equal("t2.procurement.amount", 12.5, 12.5000009)  # |Δ| = 9e-7 ≤ 1e-6
    assert not cells_equal("t2.procurement.amount", 12.5, 12.50001)  # |Δ| = 1e-5
    assert not cells_equal("t3.granted.total", 3, 3.0000001)  # counts get no tolerance
    assert cells_equal("t3.granted.total", 3, 3.0)
    assert cells_equal("t3.granted.total", None, None)
    assert not cells_equal("t3.granted.total", 0, None)


def test_report_missing_a_whole_table():
    gold = {
        "t3.total.total": 5,
        "t3.new_received.total": 5,
        "t4.review.total": 0,
        "t4.review.upheld": 0,
        "t4.review.pending": 0,
    }
    pred = {"t3.total.total": 5, "t3.new_received.total": 5}
    d = score_doc("d", gold, pred)
    # 5 cells in the union; the 3 of table 4 are missing → 2/5
    assert (d.overall.cells, d.overall.correct, d.overall.missing) == (5, 2, 3)
    assert d.per_table["t4"].to_json()["accuracy"] == 0.0
    assert d.per_table["t3"].to_json()["accuracy"] == 1.0
    assert {e.kind for e in d.errors} == {"missing"}
    assert not d.all_correct


def test_spurious_extra_cell_is_an_error():
    gold = {"t2.regulations.made": 0, "t2.regulations.published": 1}
    pred = {"t2.regulations.made": 0, "t2.regulations.published": 1, "t2.regulations.total": 1}
    d = score_doc("d", gold, pred)
    # union has 3 cells, 2 right, 1 extra → accuracy 2/3
    assert d.overall.to_json()["accuracy"] == pytest.approx(2 / 3)
    assert [(e.field, e.kind, e.gold, e.pred) for e in d.errors] == [
        ("t2.regulations.total", "extra", None, 1)
    ]


def test_summary_share_of_reports_all_right():
    right = score_doc("a", {"t2.fees.change": 1}, {"t2.fees.change": 1})
    wrong = score_doc(
        "b", {"t2.fees.change": 1, "t2.penalty.change": 2}, {"t2.fees.change": 1, "t2.penalty.change": 3}
    )
    empty = score_doc("c", {}, {})  # no tables on either side: not counted as a report with tables
    s = summarize([right, wrong, empty])
    # cells: 1 + 2 = 3, correct 1 + 1 = 2; reports with cells: 2, of which 1 all right
    assert s["overall"]["cells"] == 3 and s["overall"]["correct"] == 2
    assert s["overall"]["accuracy"] == pytest.approx(2 / 3)
    assert s["reports"] == {"scored": 2, "all_correct": 1, "share_all_correct": 0.5}
    assert s["per_table"]["t2"]["wrong"] == 1
    assert s["per_table"]["t3"]["accuracy"] is None  # no t3 cells anywhere


def test_error_carries_source_snippet_from_provenance():
    text = "表头\n一、本年新收政府信息公开申请数量 16 0 0\n"
    d = score_doc(
        "d",
        {"t3.new_received.total": 15},
        {"t3.new_received.total": 16},
        provenance={"t3.new_received.total": {"text": "16", "line": 2}},
        text=text,
    )
    (e,) = d.errors
    assert (e.cell_text, e.line) == ("16", 2)
    assert e.snippet == "一、本年新收政府信息公开申请数量 16 0 0"
    assert e.to_json()["doc_id"] == "d"
