"""The report synthesizer: records, prose mentions, text/HTML layouts, gold files."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from gongkai.extraction.numbers import cn_to_number
from gongkai.extraction.validate import check_arithmetic, check_prose

from gongkai.spec import LABELS, T3_COLS, field_ids, t3_rows
from gongkai.synth import random_record, render_html, render_prose, render_txt, synthesize
from gongkai.synth.cli import render, synth_command
from gongkai.synth.numerals import span_value, to_cn
from gongkai.synth.tables import SECTION_TITLES

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FORMATS = ("2019", "2021")


def _record(i: int, fmt: str, **kw: bool) -> tuple[random.Random, dict]:
    rng = random.Random(f"t-{i}")
    return rng, random_record(rng, fmt, doc_id=f"d{i}", **kw)


# ---- records ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_records_cover_every_field_and_hold_the_arithmetic(fmt: str) -> None:
    for i in range(40):
        _, rec = _record(i, fmt)
        assert list(rec["tables"]) == list(field_ids(fmt))
        assert check_arithmetic(rec["tables"], fmt) == []
        assert rec["meta"]["format"] == fmt and rec["meta"]["agency"]
        assert rec["meta"]["year"] in ((2019, 2020) if fmt == "2019" else range(2021, 2026))
        for k, v in rec["tables"].items():
            if k.endswith(".amount"):
                assert Decimal(str(v)) == round(Decimal(str(v)), 4)
            elif k.endswith(".change"):
                assert isinstance(v, int)
            else:
                assert isinstance(v, int) and v >= 0, (k, v)


def test_record_values_look_like_real_reports() -> None:
    recs = [_record(i, f)[1] for i in range(60) for f in FORMATS]
    cells = [v for r in recs for v in r["tables"].values()]
    assert sum(v == 0 for v in cells) / len(cells) > 0.6  # most cells are 0
    assert max(r["tables"]["t2.licensing.decisions"] for r in recs) >= 10_000
    assert any(r["tables"].get("t2.licensing.change", 0) < 0 for r in recs)
    assert any(r["tables"]["t3.new_received.total"] >= 500 for r in recs)
    assert any(r["tables"]["t3.new_received.total"] == 0 for r in recs)


def test_break_arithmetic_misprints_one_cell() -> None:
    seen = set()
    for i in range(60):
        fmt = FORMATS[i % 2]
        _, rec = _record(i, fmt, break_arithmetic=True)
        found = sorted(f.relation for f in check_arithmetic(rec["tables"], fmt))
        assert found == rec["_broken"]
        # a table-4 cell is in one relation; a table-3 cell is in two (no single t3 relation can fail alone)
        assert len(found) == (1 if rec["_typo"].startswith("t4.") else 2)
        seen.add(rec["_typo"][:2])
    assert seen == {"t3", "t4"}


def test_blanks_are_nulls_that_keep_the_arithmetic() -> None:
    for i in range(20):
        fmt = FORMATS[i % 2]
        _, rec = _record(i, fmt, blanks=True)
        nulls = [k for k, v in rec["tables"].items() if v is None]
        assert nulls and sorted(nulls) == rec["_blanks"]
        assert check_arithmetic(rec["tables"], fmt) == []


# ---- numerals and prose -------------------------------------------------------------------------


def test_chinese_numerals_round_trip() -> None:
    for n in list(range(0, 130)) + [1000, 1005, 2020, 9999]:
        assert cn_to_number(to_cn(n)) == n
    assert to_cn(2, liang=True) == "两" and to_cn(12) == "十二" and to_cn(105) == "一百零五"
    assert span_value("2000余条") == (2000, True)
    assert span_value("1732 条") == (1732, False)
    assert span_value("1.2万条") == (12000, False)
    assert span_value("10万余人次") == (100000, True)


def test_prose_mentions_are_exact_and_cover_all_labels() -> None:
    labels: set[str] = set()
    forms = {"cn": 0, "approx": 0, "spaced": 0, "wan": 0}
    for i in range(120):
        rng, rec = _record(i, FORMATS[i % 2])
        text, mentions = render_prose(rng, rec)
        ends = -1
        for m in sorted(mentions, key=lambda m: m["start"]):
            assert text[m["start"]:m["end"]] == m["text"]
            assert m["start"] >= ends  # no overlaps
            ends = m["end"]
            assert m["label"] in LABELS
            assert m["text"] == m["text"].strip()
            value, approx = span_value(m["text"])
            assert value == m["value"] and approx == m["approx"], m
            labels.add(m["label"])
            forms["cn"] += bool(re.match(r"[一二两三四五六七八九十]", m["text"]))
            forms["approx"] += m["approx"]
            forms["spaced"] += " " in m["text"]
            forms["wan"] += "万" in m["text"]
    assert labels == set(LABELS)
    assert all(forms.values()), forms


def test_prose_mostly_agrees_with_the_tables_but_not_always() -> None:
    agree = disagree = 0
    for i in range(150):
        rng, rec = _record(i, FORMATS[i % 2])
        text, mentions = render_prose(rng, rec)
        if not any(m["label"] == "REQUESTS_RECEIVED" for m in mentions):
            continue
        if check_prose(rec["tables"], mentions, text):
            disagree += 1
        else:
            agree += 1
    assert agree > 5 * disagree > 0


def test_prose_distractors_stay_unlabelled() -> None:
    """Dates, document numbers, percentages, carried-in counts and breakdowns appear but carry no label."""
    found = {"date": 0, "docno": 0, "pct": 0, "carried_in": 0, "outcome": 0}
    for i in range(200):
        rng, rec = _record(i, FORMATS[i % 2])
        text, mentions = render_prose(rng, rec)
        labelled = [(m["start"], m["end"]) for m in mentions]
        for key, pat in (("date", r"\d+ ?月 ?\d+ ?日"), ("docno", r"〔\d+〕 ?\d+ ?号"), ("pct", r"[\d.]+%"),
                         ("carried_in", r"上年结转 ?(\d+) ?件"), ("outcome", r"(予以公开|同意公开) ?(\d+) ?件")):
            for m in re.finditer(pat, text):
                found[key] += 1
                assert not any(s < m.end() and m.start() < e for s, e in labelled), (key, m.group(0))
    assert all(found.values()), found


# ---- text layouts -------------------------------------------------------------------------------

_VALUE = re.compile(r"[+-]?[\d,]+(\.\d+)?|—|/|无")


def _printed(v: float | int | None) -> str | None:
    return None if v is None else str(v)


def _t3_values(rec: dict) -> list[float | None]:
    fmt = rec["meta"]["format"]
    return [rec["tables"][f"t3.{r}.{c}"] for r in t3_rows(fmt) for c in T3_COLS]


def _read_value(s: str) -> float | None:
    return None if s in ("—", "/", "无", "") else float(s.replace(",", ""))


@pytest.mark.parametrize("layout", ["tab", "pipe", "lines"])
def test_text_layouts_print_every_value_in_order(layout: str) -> None:
    for i in range(30):
        fmt = FORMATS[i % 2]
        rng, rec = _record(i, fmt, blanks=i % 3 == 0)
        prose = render_prose(rng, rec)
        text, narrative = render_txt(rng, rec, prose, layout)
        for title in SECTION_TITLES.values():
            assert title in text
        assert {m["label"] for m in narrative} == {m["label"] for m in prose[1]}
        for m in narrative:
            assert text[m["start"]:m["end"]] == m["text"]
        # table 3: the value cells between its heading and table 4's, in reading order
        sec3 = text.split(SECTION_TITLES[3])[1].split(SECTION_TITLES[4])[0]
        if layout == "tab" and any(v is None for v in _t3_values(rec)) and not re.search(r"\t(—|/|无)(\t|$)", sec3, re.M):
            # nulls printed blank: only in clean tables, where every row ends with its 7 value cells
            rows = [ln.split("\t")[-7:] for ln in sec3.split("\n")]
            cells = [c if c else "—" for r in rows if len(r) == 7 and all(not c or _VALUE.fullmatch(c) for c in r) for c in r]
        elif layout == "tab":
            cells = [c.strip() for ln in sec3.split("\n") for c in ln.split("\t")]
        else:
            cells = [ln.removesuffix(" |").strip() for ln in sec3.split("\n")]
        vals = [_read_value(c) for c in cells if c and _VALUE.fullmatch(c)]
        assert vals == _t3_values(rec), (layout, i)


def test_tab_layout_has_the_seed_messiness() -> None:
    texts = []
    for i in range(60):
        rng, rec = _record(i, FORMATS[i % 2])
        texts.append(render_txt(rng, rec, render_prose(rng, rec), "tab")[0])
    joined = "\n".join(texts)
    assert re.search(r"^#+ ", joined, re.M) and re.search(r"^二、主动公开政府信息情况$", joined, re.M)
    assert "\t人\t" in joined or "\n\t\t人\t" in joined  # 自然 / 人 split over header rows
    assert re.search(r"^--------\t---", joined, re.M)
    assert re.search(r"^[一二四]、\t", joined, re.M)  # label split into two cells
    assert re.search(r"\S \S.*\t\d", joined)  # a space inside a label
    assert re.search(r"\t\t\t?$", joined, re.M)  # trailing empty cells
    assert "其他法律法规禁止公开" in joined and "其他法律行政法规禁止公开" in joined


def test_pipe_and_lines_layouts() -> None:
    rng, rec = _record(3, "2019")
    pipe, _ = render_txt(rng, rec, render_prose(rng, rec), "pipe")
    rows = [ln for ln in pipe.split("\n") if ln.endswith(" |")]
    assert len(rows) > 200 and "\t" not in pipe
    rng, rec = _record(3, "2021")
    lines, _ = render_txt(rng, rec, render_prose(rng, rec), "lines")
    assert "|" not in lines.replace("｜", "") and "\t" not in lines
    assert "\n\n1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\n\n" in lines


# ---- HTML ---------------------------------------------------------------------------------------


def test_html_tables_spans_and_encodings() -> None:
    saw = {"yuan": 0, "split": 0, "merged": 0, "nbsp": 0}
    for i in range(40):
        fmt = FORMATS[i % 2]
        rng, rec = _record(i, fmt, blanks=i % 2 == 0)
        enc = "gbk" if i % 2 else "utf-8"
        data = render_html(rng, rec, render_prose(rng, rec), encoding=enc, declare_charset=i % 4 < 2)
        page = data.decode(enc)
        assert ("charset" in page) == (i % 4 < 2)
        if enc == "gbk":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        tree = lxml.html.fromstring(page)
        assert tree.xpath('//td[@rowspan="8"]')  # (三)不予公开
        assert tree.xpath('//*[@colspan="5"]')  # 法人或其他组织 / 行政复议
        tables = tree.xpath("//table[not(.//table)]")
        saw["split"] += len(tables) == 4
        saw["merged"] += len(tables) == 1
        saw["nbsp"] += "&nbsp;" in page
        amount = "t2.procurement.amount" if fmt == "2019" else "t2.fees.amount"
        if re.search("单位[：:]元", page) and rec["tables"][amount]:
            saw["yuan"] += 1
            yuan = Decimal(str(rec["tables"][amount])) * 10000
            assert re.search(rf">{yuan.normalize():f}元?<", page)
    assert all(saw.values()), saw


# ---- synthesize, determinism, gold --------------------------------------------------------------

_MY_KINDS = ["txt", "md", "pipe", "lines", "html", "html-gbk"]


def test_renders_are_deterministic() -> None:
    for kind in _MY_KINDS + ["docx", "pdf"]:
        outs = []
        for _ in range(2):
            rng, rec = _record(7, "2021", blanks=True)
            try:
                outs.append(render(kind, rng, rec, render_prose(rng, rec)))
            except ImportError:
                pytest.skip(f"{kind} renderer not available")
        assert outs[0] == outs[1], kind


def test_synthesize_writes_reports_and_valid_gold(tmp_path: Path) -> None:
    paths = synthesize(tmp_path, 12, kinds=_MY_KINDS, formats=list(FORMATS), seed=3)
    assert len(paths) == 12 and {p.suffix for p in paths} == {".txt", ".md", ".html"}
    for p in paths:
        gold = json.loads((tmp_path / "gold" / f"{p.stem}.json").read_text("utf-8"))
        assert gold["source"] == p.name and gold["doc_id"] == p.stem
        assert list(gold["tables"]) == list(field_ids(gold["meta"]["format"]))
        if p.suffix in (".txt", ".md"):
            text = p.read_text("utf-8")
            assert gold["narrative"] and all(text[m["start"]:m["end"]] == m["text"] for m in gold["narrative"])
        else:
            assert gold["narrative"] == []
    again = synthesize(tmp_path / "again", 12, kinds=_MY_KINDS, formats=list(FORMATS), seed=3)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]


def test_synth_command_accepts_comma_lists(tmp_path: Path) -> None:
    synth_command(n=4, out=tmp_path, kinds=["txt,html"], formats=["2021"], seed=1)
    assert sorted(p.suffix for p in tmp_path.iterdir() if p.is_file()) == [".html", ".html", ".txt", ".txt"]
    with pytest.raises(Exception, match="unknown kind"):
        synth_command(n=1, out=tmp_path, kinds=["xls"], formats=None, seed=1)


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "tools" / "check_gold.py").exists(), reason="needs ../shared")
def test_gold_files_pass_the_shared_checker(tmp_path: Path) -> None:
    kinds = list(_MY_KINDS)
    try:
        import gongkai.synth.render_docx  # noqa: F401
        import gongkai.synth.render_pdf  # noqa: F401

        kinds += ["docx", "pdf"]
    except ImportError:
        pass
    synthesize(tmp_path, 16, kinds=kinds, formats=list(FORMATS), seed=11, p_broken=0.3, p_blanks=0.5)
    res = subprocess.run([sys.executable, str(SHARED / "tools" / "check_gold.py"), str(tmp_path / "gold"), str(tmp_path)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-2000:]
    assert "16 files, 0 error(s)" in res.stdout


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="needs ../shared")
def test_prose_copies_no_real_report_text() -> None:
    """No 30-character run of real report prose appears in generated prose.

    Titles in 《》 and the template's statistics-period sentence are the same in every report; they are set aside.
    """
    k = 30

    def boilerplate_out(s: str) -> str:
        return re.sub(r"[^。]*统计期限[^。]*。?", "", re.sub(r"《[^》]*》", "《》", s))

    grams = set()
    for f in [*(SHARED / "seeds").glob("*.txt"), *(SHARED / "corpus" / "pages").glob("*.txt")]:
        for line in f.read_text("utf-8").split("\n"):
            line = boilerplate_out(line.strip())
            grams.update(line[i:i + k] for i in range(len(line) - k + 1))
    for i in range(60):
        rng, rec = _record(i, FORMATS[i % 2])
        text = boilerplate_out(render_prose(rng, rec)[0])
        assert not any(text[j:j + k] in grams for j in range(len(text) - k + 1))
