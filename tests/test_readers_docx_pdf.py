"""DOCX and PDF: render generated reports, read them back, and check every table row and paragraph.

The expected rows come from the same grid the renderer drew (``reader_rows``):
a merged cell's text once, in its first row and column, "" in the rows it
continues into. PDFs put table 3 over a page break with its header rows
repeated, and carry page numbers and running headers that must disappear.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from docx import Document as new_docx
from docx.enum.text import WD_BREAK
from gongkai.extraction.document import Document, ReadError
from gongkai.extraction.readers import doc as doc_reader
from gongkai.extraction.readers.docx import read_docx
from gongkai.extraction.readers.docx_numbering import format_number
from gongkai.extraction.readers.pdf import read_pdf
from gongkai.extraction.readers.pdf_grid import find_tables

from gongkai.spec import T3_COLS, field_ids
from gongkai.synth.body import report_blocks
from gongkai.synth.layout import grid_field_ids, random_style, reader_rows, report_grids, split_grid, t3_grid
from gongkai.synth.render_docx import render_docx
from gongkai.synth.render_pdf import register_font, render_pdf

PROSE = ("一、总体情况\n2021年，本机关主动公开政府信息1234条，其中通过门户网站发布567条。\n"
         "全年共收到政府信息公开申请12件，办结11件，结转下年度1件。开展培训3次，培训120人次。")


def make_record(seed: int, fmt: str, *, nulls: bool = False) -> dict:
    """A gold-format record with every field of the format; a few big numbers, decimals, nulls."""
    rng = random.Random(seed)
    tables: dict[str, float | int | None] = {}
    for fid in field_ids(fmt):
        if fid.endswith(".amount"):
            tables[fid] = rng.choice([0, 12.5, 3071.2345, 88])
        else:
            tables[fid] = rng.choice([0, 0, 0, 1, 2, 7, 35, 268, 14358])
        if nulls and rng.random() < 0.08:
            tables[fid] = None
    meta = {"year": 2020 if fmt == "2019" else 2022, "agency": "某市某区人民政府办公室", "format": fmt}
    return {"doc_id": f"r{seed}", "source": f"r{seed}", "meta": meta, "tables": tables, "narrative": []}


def table_runs(doc: Document) -> list[list[list[str]]]:
    """The document's tables: each a run of consecutive table lines."""
    out: list[list[list[str]]] = []
    cur: list[list[str]] = []
    for line in doc.lines:
        if line.in_table:
            cur.append(line.cells)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def expected(seed: int, record: dict, *, pdf: bool) -> tuple[list[list[list[str]]], list[str]]:
    """Replay the renderer's draws: style first, (PDF: paragraph styles,) then the blocks."""
    rng = random.Random(seed)
    style = random_style(rng)
    if pdf:
        from gongkai.synth.render_pdf import _styles

        _styles(rng, register_font(None))
    blocks = report_blocks(rng, record, PROSE, style)
    grids = [reader_rows(g) for g in report_grids(record, style)]
    return grids, [b.text for b in blocks if b.kind in ("title", "heading", "para")]


def assert_offsets(doc: Document) -> None:
    for i, line in enumerate(doc.lines, 1):
        assert line.lineno == i
        assert doc.text[line.start:line.end] == "\t".join(line.cells)
    assert doc.text.count("\n") == len(doc.lines) - 1


def test_layout_prints_every_field_of_both_formats() -> None:
    for fmt in ("2019", "2021"):
        assert grid_field_ids(fmt) == list(field_ids(fmt))


def test_split_grid_repeats_header_and_continues_spans() -> None:
    grid = t3_grid("2021", make_record(1, "2021")["tables"], random_style(random.Random(0)))
    first, second = split_grid(grid, 10)
    rows1, rows2 = reader_rows(first), reader_rows(second)
    full = reader_rows(grid)
    assert rows1 == full[:10]
    assert rows2[:3] == full[:3]
    assert rows2[3:] == full[10:]  # the cut spans continue as "" cells, as in an unbroken table


@pytest.mark.parametrize("seed,fmt", [(0, "2021"), (1, "2019"), (2, "2021")])
def test_docx_round_trip(seed: int, fmt: str) -> None:
    record = make_record(seed, fmt, nulls=seed == 2)
    doc = read_docx(render_docx(random.Random(seed), record, PROSE), f"d{seed}", f"d{seed}.docx")
    grids, paras = expected(seed, record, pdf=False)
    assert doc.kind == "docx"
    assert table_runs(doc) == grids
    assert [ln.cells[0] for ln in doc.lines if not ln.in_table and ln.cells != [""]] == paras
    assert_offsets(doc)


@pytest.mark.parametrize("seed,fmt", [(3, "2021"), (4, "2019")])
def test_pdf_round_trip_with_table_over_page_break(seed: int, fmt: str) -> None:
    record = make_record(seed, fmt, nulls=seed == 4)
    doc = read_pdf(render_pdf(random.Random(seed), record, PROSE), f"p{seed}", f"p{seed}.pdf")
    grids, paras = expected(seed, record, pdf=True)
    assert doc.kind == "pdf" and doc.pages and doc.pages >= 5
    got = table_runs(doc)
    assert got == grids  # header rows repeated on the next page are gone, no furniture inside the table
    # the prose comes back as whole paragraphs: wrapped lines joined, page numbers and headers dropped
    assert [ln.cells[0] for ln in doc.lines if not ln.in_table] == paras
    t3_lines = [ln for ln in doc.lines if ln.in_table and ln.cells and "申请人情况" in ln.cells]
    assert len(t3_lines) == 1
    start = doc.lines.index(t3_lines[0])
    pages = {ln.page for ln in doc.lines[start:start + len(grids[1])]}
    assert len(pages) == 2  # table 3 really runs over a page break
    assert_offsets(doc)


def test_pdf_t3_rows_carry_label_and_numbers_in_order() -> None:
    record = make_record(7, "2021")
    doc = read_pdf(render_pdf(random.Random(7), record, PROSE), "p7", "p7.pdf")
    rows = {ln.cells[-8]: ln.cells[-7:] for ln in doc.lines if ln.in_table and len(ln.cells) >= 8}
    t = record["tables"]
    want = [str(t[f"t3.denied.third_party.{c}"]) for c in T3_COLS]
    assert rows["4.保护第三方合法权益"] == want
    want = [str(t[f"t3.other_handling.other.{c}"]) for c in T3_COLS]
    assert rows["3.其他"] == want


def test_pdf_embedded_font_reads_the_same(tmp_path: Path) -> None:
    from gongkai.synth.render_pdf import find_cjk_font

    font = find_cjk_font()
    if font is None:
        pytest.skip("no TrueType CJK font installed (apt-get install fonts-wqy-microhei)")
    record = make_record(5, "2019")
    doc = read_pdf(render_pdf(random.Random(5), record, PROSE, font=font), "p5", "p5.pdf")
    grids, _ = expected(5, record, pdf=True)
    assert table_runs(doc) == grids


def test_pdf_grid_merges_spanning_cells() -> None:
    # a 3x3 grid whose left column is one cell over all rows, and whose top row's right cells are merged
    xs, ys = [0, 50, 100, 150], [300, 280, 260, 240]
    h = [(ys[0], 0, 150), (ys[3], 0, 150), (ys[1], 50, 150), (ys[2], 50, 150)]
    v = [(0, 240, 300), (150, 240, 300), (50, 240, 300), (100, 240, 280)]
    (t,) = find_tables(h, v)
    assert t.xs == xs and t.ys == ys
    texts = {t.owner[0][0]: "label", t.owner[0][1]: "head", t.owner[1][1]: "1", t.owner[1][2]: "2"}
    assert [t.row_cells(i, texts) for i in range(3)] == [["label", "head"], ["", "1", "2"], ["", "", ""]]


# ---- DOCX specifics --------------------------------------------------------------------------------


def _docx_bytes(doc: object) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


def test_docx_body_order_page_breaks_and_tabs() -> None:
    d = new_docx()
    d.add_paragraph("一、总体情况")
    table = d.add_table(rows=2, cols=3)
    a = table.cell(0, 0).merge(table.cell(1, 0))
    a.text = "合并"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "横跨"
    table.cell(1, 1).text = "1"
    table.cell(1, 2).text = "2"
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("规章\t0\t3")
    doc = read_docx(_docx_bytes(d), "x", "x.docx")
    assert [(ln.cells, ln.in_table, ln.page) for ln in doc.lines] == [
        (["一、总体情况"], False, 1),
        (["合并", "横跨"], True, 1),
        (["", "1", "2"], True, 1),
        ([""], False, 2),
        (["规章", "0", "3"], False, 2),
    ]
    assert doc.pages == 2


def test_chinese_list_numbers() -> None:
    assert [format_number(n, "chineseCounting") for n in (1, 6, 10, 11, 20, 23)] == \
        ["一", "六", "十", "十一", "二十", "二十三"]
    assert format_number(3, "decimalEnclosedCircle") == "③"


def test_docx_numbered_headings_get_their_numbers() -> None:
    # find a seed whose report numbers its headings with Word numbering (typed text lacks "一、")
    for seed in range(40):
        data = render_docx(random.Random(seed), make_record(seed, "2021"), PROSE)
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        if "<w:numPr>" in xml:
            break
    else:
        pytest.fail("no numbered report in 40 seeds")
    assert ">一、总体情况<" not in xml
    doc = read_docx(data, "x", "x.docx")
    heads = [ln.cells[0] for ln in doc.lines
             if not ln.in_table and ln.cells[0][:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


@pytest.mark.parametrize("data,msg", [
    (b"", "empty file"),
    (b"\x00garbage\xff" * 10, "not a zip"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "OLE"),
])
def test_docx_bad_inputs(data: bytes, msg: str) -> None:
    with pytest.raises(ReadError, match=msg):
        read_docx(data, "x", "x.docx")


def test_docx_zip_without_document_or_broken_xml() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReadError, match="no word/document.xml"):
        read_docx(buf.getvalue(), "x", "x.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body>")
    with pytest.raises(ReadError, match="corrupt DOCX"):
        read_docx(buf.getvalue(), "x", "x.docx")


# ---- PDF bad inputs ---------------------------------------------------------------------------------


def _pdf(draw, **kw: object) -> bytes:  # noqa: ANN001
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, **kw)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_bad_inputs() -> None:
    def text(c) -> None:  # noqa: ANN001
        c.setFont(register_font(None), 12)
        c.drawString(72, 700, "政府信息公开工作年度报告")

    def image(c) -> None:  # noqa: ANN001
        from PIL import Image
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(Image.new("L", (200, 100), 200)), 72, 500, 400, 200)

    good = _pdf(text)
    assert read_pdf(good, "x", "x.pdf").lines[0].cells == ["政府信息公开工作年度报告"]
    cases = [
        (b"", "empty file"),
        (b"<html><body>not a pdf</body></html>", "not a PDF"),
        (_pdf(text, encrypt="secret"), "encrypted PDF"),
        (b"%PDF-1.4\n" + bytes(random.Random(0).randrange(256) for _ in range(3000)), "corrupt PDF"),
        (good[:200], "corrupt PDF"),
        (_pdf(image), "no text layer.*OCR is not supported"),
    ]
    for data, msg in cases:
        with pytest.raises(ReadError, match=msg):
            read_pdf(data, "x", "x.pdf")


def test_pdf_with_one_scanned_page_warns() -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(register_font(None), 12)
    c.drawString(72, 700, "一、总体情况")
    c.showPage()
    c.drawImage(ImageReader(Image.new("L", (100, 100), 128)), 72, 400, 300, 300)
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue(), "x", "x.pdf")
    assert doc.pages == 2 and doc.lines[0].cells == ["一、总体情况"]
    assert doc.warnings and "page(s) 2 have no text layer" in doc.warnings[0]


def test_pdf_table_ruled_with_filled_boxes_in_one_path() -> None:
    """Word/WPS draw borders as thin filled boxes, many in one path: still a grid; spaces printed are kept."""

    def draw(c) -> None:  # noqa: ANN001
        xs, ys = [72, 272, 372, 472], [700, 680, 660]
        p = c.beginPath()
        for y in ys:
            p.rect(xs[0], y - 0.25, xs[-1] - xs[0], 0.5)
        for x in xs:
            p.rect(x - 0.25, ys[-1], 0.5, ys[0] - ys[-1])
        c.drawPath(p, stroke=0, fill=1)
        c.setFont(register_font(None), 10)
        for x, y, t in [(76, 686, "信息内容"), (276, 686, "本年制发件数"), (376, 686, "现行有效件数"),
                        (76, 666, "规章"), (316, 666, "12"), (416, 666, "3")]:
            c.drawString(x, y, t)
        c.drawString(72, 600, "全年共收到申请 1732 件，PDF file 已公开。")

    doc = read_pdf(_pdf(draw), "x", "x.pdf")
    assert [(ln.cells, ln.in_table) for ln in doc.lines] == [
        (["信息内容", "本年制发件数", "现行有效件数"], True),
        (["规章", "12", "3"], True),
        (["全年共收到申请 1732 件，PDF file 已公开。"], False),
    ]


def test_pdf_owner_password_only_is_readable() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    def text(c) -> None:  # noqa: ANN001
        c.setFont(register_font(None), 12)
        c.drawString(72, 700, "本年度无收费")

    enc = StandardEncryption("", ownerPassword="owner", canPrint=1, canCopy=0)
    assert read_pdf(_pdf(text, encrypt=enc), "x", "x.pdf").lines[0].cells == ["本年度无收费"]


# ---- legacy .doc ------------------------------------------------------------------------------------


def test_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: None)
    with pytest.raises(ReadError, match=r"needs LibreOffice: apt-get install libreoffice-writer"):
        doc_reader.read_doc(tmp_path / "a.doc")


def test_doc_conversion_and_timeout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A stand-in soffice: converts by copying a DOCX into --outdir, or hangs."""
    d = new_docx()
    d.add_paragraph("六、其他需要报告的事项")
    (tmp_path / "ready.docx").write_bytes(_docx_bytes(d))
    fake = tmp_path / "soffice"
    fake.write_text('#!/bin/sh\n[ -n "$HANG" ] && sleep 5\nfor a; do last=$a; done\n'
                    'while [ $# -gt 0 ]; do [ "$1" = --outdir ] && out=$2; shift; done\n'
                    f'cp {tmp_path}/ready.docx "$out/$(basename "$last" .doc).docx"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: str(fake))
    src = tmp_path / "report.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0")
    doc = doc_reader.read_doc(src)
    assert doc.kind == "doc" and doc.source == "report.doc" and doc.lines[0].cells == ["六、其他需要报告的事项"]
    monkeypatch.setenv("HANG", "1")
    with pytest.raises(ReadError, match="did not convert it within"):
        doc_reader.read_doc(src, timeout=0.5)
