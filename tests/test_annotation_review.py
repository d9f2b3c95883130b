"""The second-annotator pass: blind worksheets, agreement, disagreements."""

from __future__ import annotations

import json

import pytest
from gongkai.annotations.review import cohen_kappa, compare, first_labels, marked_text, read_labels, worksheet
from gongkai.models.dataset import GoldDoc

TEXT = "本年度主动公开信息1024条，其中门户网站发布300条。收到申请5件，办结4件，涉及3个部门。"


def _doc() -> GoldDoc:
    def m(span: str, label: str) -> dict:
        start = TEXT.index(span)
        return {"label": label, "text": span, "start": start, "end": start + len(span), "value": 0, "approx": False}

    return GoldDoc("d1", "corpus", TEXT, [m("1024条", "PROACTIVE_TOTAL"), m("300条", "PORTAL_POSTS"),
                                         m("5件", "REQUESTS_RECEIVED")])


def test_worksheet_marks_every_candidate_and_hides_the_gold() -> None:
    ws = worksheet(_doc())
    assert ws["candidates"] == {"c0": "1024条", "c1": "300条", "c2": "5件", "c3": "4件", "c4": "3个"}
    assert ws["marked_text"] == (
        "本年度主动公开信息[[c0:1024条]]，其中门户网站发布[[c1:300条]]。收到申请[[c2:5件]]，办结[[c3:4件]]，涉及[[c4:3个]]部门。"
    )
    assert "PROACTIVE" not in json.dumps(ws, ensure_ascii=False)
    assert first_labels(_doc()) == {"c0": "PROACTIVE_TOTAL", "c1": "PORTAL_POSTS", "c2": "REQUESTS_RECEIVED",
                                    "c3": "O", "c4": "O"}


def test_marked_text_without_candidates_is_the_text() -> None:
    assert marked_text("无数字", []) == "无数字"


def test_kappa_known_values() -> None:
    assert cohen_kappa([("A", "A"), ("B", "B")]) == 1.0
    # observed 0.5; both annotators say A half the time -> expected 0.5 -> kappa 0
    assert cohen_kappa([("A", "A"), ("A", "B"), ("B", "A"), ("B", "B")]) == 0.0
    # observed 3/4; first A,A,B,B second A,A,A,B -> expected (2*3 + 2*1)/16 = 0.5 -> kappa 0.5
    assert cohen_kappa([("A", "A"), ("A", "A"), ("B", "A"), ("B", "B")]) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        cohen_kappa([])


def test_compare_lists_each_disagreement_with_context() -> None:
    second = {"d1": {"c0": "PROACTIVE_TOTAL", "c1": "PORTAL_POSTS", "c2": "REQUESTS_RECEIVED",
                     "c3": "REQUESTS_ANSWERED"}}  # c4 left out: counts as O
    cmp = compare([_doc()], second, context=4)
    assert cmp.n_items == 5
    assert [(d.cand, d.first, d.second) for d in cmp.disagreements] == [("c3", "O", "REQUESTS_ANSWERED")]
    assert cmp.disagreements[0].context == "件，办结【4件】，涉及3"
    assert cmp.per_label["REQUESTS_ANSWERED"] == {"first": 0, "second": 1, "both": 0}
    assert cmp.per_label["PORTAL_POSTS"] == {"first": 1, "second": 1, "both": 1}
    assert 0 < cmp.kappa < 1
    assert cmp.to_json()["agreement"] == 0.8


def test_compare_refuses_a_missing_page_and_read_labels_a_duplicate() -> None:
    with pytest.raises(KeyError, match="d1"):
        compare([_doc()], {})
    rows = ['{"doc_id": "d1", "labels": {"c0": "O"}}', "", '{"doc_id": "d1", "labels": {}}']
    with pytest.raises(ValueError, match="line 3"):
        read_labels(rows)
    assert read_labels(rows[:2]) == {"d1": {"c0": "O"}}


def test_every_adjudication_stands_in_the_gold() -> None:
    """The log of the 2026-11 second pass and the gold files say the same thing."""
    from pathlib import Path

    from conftest import shared_path

    pages = shared_path("corpus", "pages")
    repo = Path(__file__).resolve().parents[1]
    rows = [json.loads(x) for x in (repo / "annotations" / "review-2026-11.jsonl").read_text().splitlines()]
    assert len(rows) == 14
    for row in rows:
        gold = json.loads((repo / "annotations" / "corpus" / f"{row['doc_id']}.json").read_text())
        assert (pages / gold["source"]).read_text(encoding="utf-8")[row["start"]:row["end"]] == row["text"]
        labels = [m["label"] for m in gold["narrative"] if (m["start"], m["end"]) == (row["start"], row["end"])]
        assert labels == ([] if row["decision"] == "O" else [row["decision"]]), row
        assert row["decision"] in (row["first"], row["second"])


def test_inline_marks_become_gold_at_exact_offsets() -> None:
    from gongkai.annotations.inline import parse_marked

    p = parse_marked("全年主动公开【4407条|PROACTIVE_TOTAL】，其中工作动态2679条；微信推送【2000余条|NEWMEDIA_POSTS】，"
                     "共【两次|PRESS_EVENTS】。")
    assert p.text == "全年主动公开4407条，其中工作动态2679条；微信推送2000余条，共两次。"
    assert [(p.text[m["start"]:m["end"]], m["label"], m["value"], m["approx"]) for m in p.narrative] == [
        ("4407条", "PROACTIVE_TOTAL", 4407, False),
        ("2000余条", "NEWMEDIA_POSTS", 2000, True),
        ("两次", "PRESS_EVENTS", 2, False),
    ]


@pytest.mark.parametrize(
    ("marked", "message"),
    [
        ("发布【4407条|PORTAL】", "unknown label"),
        ("共【约1543条|PORTAL_POSTS】", "not a candidate span"),  # 约 stays outside the span
        ("共【1543|PORTAL_POSTS】条", "not a candidate span"),  # the measure word belongs inside
        ("共【1543条|PORTAL_POSTS】】和【12条|Portal_posts】", "malformed mark"),
    ],
)
def test_inline_refuses_what_cannot_be_gold(marked: str, message: str) -> None:
    from gongkai.annotations.inline import MarkupError, parse_marked

    with pytest.raises(MarkupError, match=message):
        parse_marked(marked)


def test_invented_passages_are_exact_gold_and_never_dev() -> None:
    """Every invented mention is a candidate with its value; invented text only ever trains."""
    from gongkai.models.dataset import INVENTED, GoldSource, doc_examples, load_gold, split_of

    docs = load_gold([GoldSource("invented", INVENTED, INVENTED / "texts")])
    assert len(docs) == 989  # rounds 1-4 (annotations/README.md)
    for doc in docs:
        examples, misses = doc_examples(doc)
        assert misses == [], doc.doc_id
        by_span = {(e.candidate.start, e.candidate.end): e.candidate for e in examples}
        for m in doc.narrative:
            c = by_span[(m["start"], m["end"])]
            assert (c.value, c.approx) == (m["value"], m["approx"]), (doc.doc_id, m)
        assert split_of(doc.doc_id, doc.origin) == "train"
    assert split_of("p0006", "corpus") == "dev" and split_of("p0006", "invented") == "train"  # origin decides, not id
