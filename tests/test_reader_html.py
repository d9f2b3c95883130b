"""The HTML reader: what becomes a line, a cell, or nothing."""

from __future__ import annotations

from gongkai.extraction.readers.html import read_html

PAGE = """<!DOCTYPE html><html><head><title>某县2023年政府信息公开工作年度报告</title>
<script>var total = 999;</script><style>td {color: red}</style></head>
<body><!-- 注释 12件 -->
<table class="layout"><tr><td><div>一、总体情况</div>
<p>全年主动公开政府信息<b>4407</b>条。<br>收到申请12件。</p>
<table><tr><th>信息内容</th><th>本年制发件数</th></tr>
<tr><td><span>规章</span></td><td>&nbsp;</td></tr>
<tr><td>规范性文件</td><td> 8 <!-- x --></td></tr></table>
</td></tr></table>
<div>尾&#12288;注</div><noscript>请开启脚本 7条</noscript></body></html>"""


def test_lines_cells_and_skipped_parts() -> None:
    doc = read_html(PAGE.encode("utf-8"), "d", "d.html")
    got = [(line.cells, line.in_table) for line in doc.lines]
    assert got == [
        (["某县2023年政府信息公开工作年度报告"], False),  # the title first
        (["一、总体情况"], False),  # the layout table's cell is read as blocks
        (["全年主动公开政府信息4407条。"], False),  # inline tags do not cut a line
        (["收到申请12件。"], False),  # <br> does
        (["信息内容", "本年制发件数"], True),
        (["规章", ""], True),  # a blank (&nbsp;) cell stays a cell
        (["规范性文件", "8"], True),
        (["尾 注"], False),  # the ideographic space is whitespace
    ]
    assert "999" not in doc.text and "注释" not in doc.text and "请开启脚本" not in doc.text
    for line in doc.lines:  # offsets into the document text
        assert doc.text[line.start : line.end] == "\t".join(line.cells)


def test_gbk_without_declaration_and_xml_prolog() -> None:
    page = '<?xml version="1.0" encoding="gbk"?><html><body><p>依申请公开３件</p></body></html>'
    doc = read_html(page.encode("gbk"), "d", "d.html")
    assert [line.cells for line in doc.lines] == [["依申请公开３件"]]
