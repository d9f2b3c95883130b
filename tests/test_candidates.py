"""Quantity candidates: spans cut as the annotation convention cuts them, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gongkai.extraction.document import Document, lines_from_text
from gongkai.models.candidates import document_candidates, find_candidates, table_spans


def spans(text: str) -> list[str]:
    return [c.text for c in find_candidates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年主动公开政府信息约4407条，其中规范性文件8条。", ["4407条", "8条"]),
        ("累计发布2000余条，达10万余人次，共10余万条。", ["2000余条", "10万余人次", "10余万条"]),
        ("发布各类政府信息 1732 条。", ["1732 条"]),
        ("召开两次会议，办结十二件，设置一百零五个，培训三千多人。", ["两次", "十二件", "一百零五个", "三千多人"]),
        ("发布1.2万条，收取信息处理费400元，回应咨询达千条。", ["1.2万条", "400元", "千条"]),
        ("推送１２３４条，解读1,234篇，参训120人次，发布稿件50篇次。", ["１２３４条", "1,234篇", "120人次", "50篇次"]),
        ("发布1万2千条。", ["1万2千条"]),
    ],
)
def test_spans_are_number_plus_measure_word(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2020年3月5日，依据〔2020〕5号文件，",  # dates and document numbers
        "同比增长5.26%，提高2个百分点。",  # percentages and rates
        "召开第3次会议，第二十条第(一)项。",  # ordinals
        "在15个工作日内答复，3个月内办结。",  # durations
        "报告由总体情况等六个部分组成，涉及5部门。",  # outline, 部门
        "采购总金额（单位：万元，保留4位小数）",  # table header words
        "五六个单位，一两次，唯一一个。",  # ranges and words, not counts
    ],
)
def test_never_mentions(text: str) -> None:
    assert spans(text) == []


def test_values_and_flags() -> None:
    (c,) = find_candidates("共10万余人次")
    assert (c.value, c.approx, c.unit, c.number_text()) == (100000, True, "人次", "10万余")
    (c,) = find_candidates("约1543条")
    assert (c.text, c.approx) == ("1543条", False)  # 约 stands outside the span and leaves approx false


def test_spans_to_skip() -> None:
    text = "收到申请12件，办结10件。"
    i = text.index("10件")
    assert [c.text for c in find_candidates(text, [(i, i + 3)])] == ["12件"]


def test_table_region_lines_are_skipped_but_its_prose_is_not() -> None:
    text = (
        "一、总体情况\n全年收到申请12件。\n二、主动公开政府信息情况\n"
        "本年度通过门户网站主动公开政府信息共计88条，其中规章2件。\n"
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t3件\t0\t5件\n"
        "五、存在的主要问题及改进情况\n培训3期。\n"
    )
    doc = Document("t", "t.txt", "txt", text, lines_from_text(text))
    assert table_spans(doc), "the invented report has a table region"
    assert [c.text for c in document_candidates(doc)] == ["12件", "88条", "2件", "3期"]


def test_a_short_sentence_inside_the_region_is_prose() -> None:
    text = (
        "二、主动公开政府信息情况\n规章\t3件\n三、依申请公开情况\n本年度受理申请0件。\n"
        "四、收费及减免情况\n收取复印费24元；\n12件\n五、其他\n"
    )
    doc = Document("t", "t.txt", "txt", text, lines_from_text(text))
    assert [c.text for c in document_candidates(doc)] == ["0件", "24元"]  # not 3件 (a cell) nor 12件 (a bare line)


# ---- the real seed reports (read from ../shared only) ---------------------------------------


def _seed_golds(seeds_gold_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(seeds_gold_dir.glob("*.json"))]


def test_offsets_are_faithful_on_every_seed(seeds_dir: Path) -> None:
    n = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for c in find_candidates(text):
            assert text[c.start:c.end] == c.text
            n += 1
    assert n > 50


def test_every_seed_gold_mention_is_a_prose_candidate(seeds_dir: Path, seeds_gold_dir: Path) -> None:
    for gold in _seed_golds(seeds_gold_dir):
        text = (seeds_dir / gold["source"]).read_text(encoding="utf-8")
        doc = Document(gold["doc_id"], gold["source"], "txt", text, lines_from_text(text))
        found = {(c.start, c.end): c for c in document_candidates(doc)}
        for m in gold["narrative"]:
            c = found.get((m["start"], m["end"]))
            assert c is not None, (gold["doc_id"], m)
            assert (c.value, c.approx) == (m["value"], m["approx"]), (gold["doc_id"], m)
