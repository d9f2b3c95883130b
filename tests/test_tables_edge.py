"""Hand-made layouts that real reports come in, each with its answer worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from gongkai.extraction.pipeline import extract_path
from gongkai.extraction.readers import read_bytes
from gongkai.extraction.tables import find_tables

T3_ROWS_2019 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "(一) 予以公开",
    "(二) 部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "(六) 其他处理", "(七) 总计", "四、结转下年度继续办理",
]
T3_KEYS_2019 = [
    "new_received", "carried_over", "granted", "partial",
    "denied.state_secret", "denied.law_forbidden", "denied.safety_stability", "denied.third_party",
    "denied.internal_affairs", "denied.process_info", "denied.enforcement_file", "denied.inquiry",
    "unable.not_held", "unable.need_create", "unable.unclear",
    "not_processed.petition", "not_processed.duplicate", "not_processed.publication", "not_processed.massive",
    "not_processed.confirm", "other_handling", "total", "carried_forward",
]


def t3_block(rows: dict[str, list[str]]) -> str:
    """Table 3 as tab rows; rows not given print seven zeros."""
    out = ["三、收到和处理政府信息公开申请情况", "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况",
           "\t自然人\t法人或其他组织\t\t\t\t\t总计", "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"]
    for label, key in zip(T3_ROWS_2019, T3_KEYS_2019, strict=True):
        cells = rows.get(key, ["0"] * 7)
        out.append("\t".join([label, *cells]))
    return "\n".join(out)


T2_2019 = """二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t1\t2\t3
规范性文件\t4\t5\t6
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t7\t-1\t9
其他对外管理服务事项\t10\t11\t12
第二十条第（六）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t13\t14\t15
行政强制\t16\t17\t18
第二十条第（八）项
信息内容\t上一年项目数量\t本年增/减
行政事业性收费\t19\t20
第二十条第（九）项
信息内容\t采购项目数量\t采购总金额（单位：万元）
政府集中采购\t21\t22.5"""

T4 = """四、政府信息公开行政复议、行政诉讼情况
行政复议\t\t\t\t\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
1\t0\t0\t1\t2\t0\t1\t0\t0\t1\t0\t0\t0\t0\t0
五、存在的主要问题及改进情况
无"""


def doc_of(text: str, name: str = "x.txt"):
    return read_bytes(text.encode("utf-8"), Path(name).stem, name, Path(name).suffix)


def report(t3rows: dict[str, list[str]] | None = None, t2: str = T2_2019, t4: str = T4) -> str:
    return "临川区人民政府办公室2020年政府信息公开工作年度报告\n一、总体情况\n略。\n" + "\n".join(
        [t2, t3_block(t3rows or {}), t4]
    )


def test_clean_2019_report_reads_every_cell() -> None:
    res = find_tables(doc_of(report({"new_received": list("2000002"), "granted": list("1000001"),
                                     "total": list("1000001"), "carried_forward": list("1000001")})))
    assert res.format == "2019"
    assert res.tables["t2.licensing.change"] == -1
    assert res.tables["t2.procurement.amount"] == 22.5
    assert res.tables["t2.fees.change"] == 20
    assert res.tables["t3.new_received.total"] == 2
    assert res.tables["t3.carried_forward.natural_person"] == 1
    assert [res.tables[f"t4.review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 0, 1, 2]
    assert res.tables["t4.litigation_direct.corrected"] == 1
    assert len([k for k in res.tables if k.startswith("t3.")]) == 23 * 7
    assert res.problems == []


def test_missing_row_does_not_shift_later_rows() -> None:
    text = report({"granted": list("3000003"), "total": list("3000003"), "new_received": list("3000003")})
    text = "\n".join(line for line in text.split("\n") if not line.startswith("(二) 部分公开"))
    res = find_tables(doc_of(text))
    assert "t3.partial.total" not in res.tables
    assert res.tables["t3.granted.total"] == 3
    assert res.tables["t3.denied.state_secret.total"] == 0
    assert res.tables["t3.total.total"] == 3
    assert any("t3.partial" in p for p in res.problems)


def test_row_with_one_surplus_number_is_aligned_by_row_sum() -> None:
    # 5, 1, 0, 0, 0, 0 | 6 printed with a stray 0 after the label: drop where the row sum holds
    res = find_tables(doc_of(report({"new_received": ["0", "5", "1", "0", "0", "0", "0", "6"],
                                     "granted": list("5100006"), "total": list("5100006")})))
    assert [res.tables[f"t3.new_received.{c}"] for c in ("natural_person", "commercial", "total")] == [5, 1, 6]
    assert "surplus" in res.provenance["t3.new_received.total"].inferred


def test_blank_cells_in_text_are_placed_by_arithmetic_as_null() -> None:
    # legal_service cell printed blank: six numbers for seven cells
    res = find_tables(doc_of(report({"granted": ["4", "1", "0", "0", "", "0", "5"],
                                     "new_received": list("4100005"), "total": list("4100005")})))
    # tabs collapse, so "4 1 0 0 0 5": the blank is where the row sum still holds; several places fit
    vals = [res.tables[f"t3.granted.{c}"] for c in ("natural_person", "commercial", "total")]
    assert vals == [4, 1, 5]
    assert None in [res.tables[f"t3.granted.{c}"] for c in ("research", "social_welfare", "legal_service", "other_org")]


def test_null_marks_are_null_not_zero() -> None:
    res = find_tables(doc_of(report({"carried_over": ["—", "/", "无", "-", "—", "—", "—"]})))
    assert all(res.tables[f"t3.carried_over.{c}"] is None for c in
               ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"))


def test_split_labels_and_lost_indentation() -> None:
    text = report().replace("(一) 予以公开", "三、本 年度办 理结果\t(一) 予以公 开").replace(
        "1.属于国家秘密", "(三) 不予公 开\t1.属于国家秘密")
    res = find_tables(doc_of(text))
    assert res.tables["t3.granted.total"] == 0
    assert res.tables["t3.denied.state_secret.total"] == 0
    assert len([k for k in res.tables if k.startswith("t3.")]) == 161


def test_pipe_layout_one_cell_per_line() -> None:
    tab = report({"new_received": list("3000003"), "granted": list("3000003"), "total": list("3000003")})
    pipe = "\n".join(c + " |" for line in tab.split("\n") for c in line.split("\t") if c)
    a, b = find_tables(doc_of(tab)), find_tables(doc_of(pipe))
    assert a.tables == b.tables
    assert b.tables["t3.new_received.total"] == 3


def test_2021_template_with_three_other_handling_rows() -> None:
    t2 = """二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t2\t1\t30
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t120
第二十条第（六）项
信息内容\t本年处理决定数量
行政处罚\t8
行政强制\t0
第二十条第（八）项
信息内容\t本年收费金额（单位：万元）
行政事业性收费\t1.2345"""
    text = report({"total": list("1000001"), "new_received": list("1000001")}, t2=t2).replace(
        "(六) 其他处理\t0\t0\t0\t0\t0\t0\t0",
        "(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1\n"
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n"
        "3.其他\t0\t0\t0\t0\t0\t0\t0",
    )
    res = find_tables(doc_of(text))
    assert res.format == "2021"
    assert res.tables["t2.normative_docs.valid"] == 30
    assert res.tables["t2.fees.amount"] == 1.2345
    assert res.tables["t3.other_handling.no_correction.total"] == 1
    assert res.tables["t3.other_handling.other.total"] == 0
    assert "t3.other_handling.total" not in res.tables
    assert not [p for p in res.problems if "not found" in p]


def test_amount_printed_in_yuan_is_converted_to_wanyuan() -> None:
    t2 = T2_2019.replace("采购总金额（单位：万元）", "采购总金额（单位：元）").replace("22.5", "251000")
    res = find_tables(doc_of(report(t2=t2)))
    assert res.tables["t2.procurement.amount"] == pytest.approx(25.1)
    assert "元" in res.provenance["t2.procurement.amount"].inferred
    t2b = T2_2019.replace("22.5", "251000元")
    assert find_tables(doc_of(report(t2=t2b))).tables["t2.procurement.amount"] == pytest.approx(25.1)


HTML = """<html><head><meta charset="gbk"><title>临川县人民政府2020年政府信息公开工作年度报告</title></head><body>
<div class="nav">首页 &gt; 政务公开</div><h1>临川县人民政府2020年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>全年主动公开政府信息100条。</p>
<p>二、主动公开政府信息情况</p>
<table><tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr><tr><td>规范性文件</td><td>3</td><td>&nbsp;</td><td>9</td></tr></table>
<p>三、收到和处理政府信息公开申请情况</p>
<table><tr><td rowspan="3" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="2">一、本年新收政府信息公开申请数量</td><td>2</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
<tr><td rowspan="20">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>2</td><td>1</td><td>0</td><td>&nbsp;</td><td>0</td><td>0</td><td>3</td></tr>
</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>&nbsp;</td><td>0</td><td>0</td><td>0</td><td>0</td></tr></table>
<p>五、存在的主要问题及改进情况</p><div class="footer">主办单位：临川县人民政府</div></body></html>"""


def test_gbk_html_with_spans_and_blank_cells(tmp_path: Path) -> None:
    p = tmp_path / "r.html"
    p.write_bytes(HTML.encode("gbk"))
    rep = extract_path(p, narrative="none")
    assert rep.meta.format == "2019" and rep.meta.year == 2020 and rep.meta.agency == "临川县人民政府"
    t = rep.tables
    assert (t["t2.normative_docs.made"], t["t2.normative_docs.published"], t["t2.normative_docs.total"]) == (3, None, 9)
    assert t["t3.new_received.total"] == 3
    assert t["t3.granted.social_welfare"] is None and t["t3.granted.total"] == 3
    assert t["t4.litigation_direct.total"] == 1 and t["t4.litigation_after_review.upheld"] is None
    # the rows this page does not print are reported, never invented
    assert "t3.partial.total" not in t
    assert any("rows not found" in x for x in rep.problems)


def test_gbk_html_without_charset_declaration(tmp_path: Path) -> None:
    p = tmp_path / "r.htm"
    p.write_bytes(HTML.replace('<meta charset="gbk">', "").encode("gbk"))
    rep = extract_path(p, narrative="none")
    assert rep.tables["t3.new_received.total"] == 3


def test_report_without_tables_is_recorded_with_reason(tmp_path: Path) -> None:
    p = tmp_path / "old.txt"
    p.write_text("XX县2012年政府信息公开工作年度报告\n一、概述\n全年主动公开政府信息300条。\n", encoding="utf-8")
    rep = extract_path(p, narrative="none")
    assert rep.status == "no_tables" and rep.tables == {} and rep.meta.format is None
    assert any("no standard tables" in x for x in rep.problems)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("junk.pdf", b"\x89garbage\x00\x01" * 100, "not a PDF"),
        ("junk.docx", b"hello", "not a DOCX"),
        ("bin.txt", b"\x00\x01\x02\x03" * 50, "binary"),
    ],
)
def test_bad_input_fails_with_one_line_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    rep = extract_path(p, narrative="none")
    assert rep.status == "failed"
    assert reason in rep.error and "\n" not in rep.error


def test_fifty_megabyte_files_get_a_reason_not_a_hang(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.write(("行政许可\t1\t2\t3\n" * 1000).encode("utf-8") * 2700)
    junk = tmp_path / "big.pdf"
    junk.write_bytes(b"\x00" * 50_000_000)
    assert big.stat().st_size > 50_000_000
    rep = extract_path(big, narrative="none")
    assert rep.status == "failed" and "too large" in rep.error
    rep = extract_path(junk, narrative="none")
    assert rep.status == "failed" and "not a PDF" in rep.error
