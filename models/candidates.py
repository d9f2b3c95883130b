"""Quantity mentions in prose: every span a narrative label could go on.

A candidate is a number with its measure word, exactly as the annotation
convention cuts it (``4407条``, ``2000余条``, ``10万余人次``, ``两次``, ``1732 条``):
no 约/共/达/累计 around it. The classifiers only choose a label (or "O") per
candidate, so the candidate finder fixes the recall ceiling of every system.

Why a compiled regex and not spaCy: ``spacy.blank("zh")`` segments Chinese
into single characters, so ``Doc.char_span`` adds nothing over plain string
offsets, and a Matcher would still need the same numeral grammar. Measured on
this machine over the 280 gold documents: spaCy's tokenisation alone takes
~190 ms; this module finds, parses and filters every candidate in ~25 ms, with
offsets as plain ``str`` indices and no model to load.

What is never a mention and is skipped here: ordinals (第3次), dates and
document numbers (2020年, 3月, 〔2020〕5号 — 年/月/日/号 are not measure
words), percentages, durations (3个月, 15个工作日), ranges (五六个), and spans
the caller marks. ``document_candidates`` marks the table-like lines of the
standard tables' region (``extraction.tables.find_region``) but keeps the
region's prose lines: many reports write 二、主动公开政府信息情况 as sentences.
Values come from ``extraction.numbers``, the one numeral reader.

Measured on all gold (5 seeds + 275 corpus pages, 632 mentions): every gold
span is a candidate, boundary-exact, with the gold value and approx flag;
2.2 candidates per gold mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from gongkai.extraction.document import Document, Line
from gongkai.extraction.numbers import CN_NUMERAL_CHARS, normalize, parse_quantity
from gongkai.extraction.tables import find_region

# Measure words, longest first so 人次 wins over 人 and 篇次 over 篇. Built from
# the gold spans (条 件 次 篇 场 个 期 份 篇次 起 项 条次 人次 宗 部 名 件次) and the
# corpus's prose, plus the ones reports use for the 17 labels (元 家 批 例 封 …).
UNITS: tuple[str, ...] = tuple(
    sorted(
        {
            "条", "件", "次", "场", "期", "篇", "个", "项", "人", "名", "起", "元", "家", "份",
            "批", "例", "封", "宗", "部", "位", "则", "期次", "篇次", "条次", "件次", "人次",
            "场次", "批次", "项次",
        },
        key=lambda u: (-len(u), u),
    )
)

# A measure word followed by these is part of another word, never a count: 3个月 / 15个工作日 /
# 2个百分点 (durations, rates), 六个部分 (the report's outline), 部门 / 部分 / 部署, 一次性, 项目, 名称, 期间.
_NOT_AFTER: dict[str, tuple[str, ...]] = {
    "个": ("月", "工作日", "自然日", "小时", "百分点", "季度", "部分"),
    "部": ("门", "分", "署", "长", "委"),
    "次": ("性",),
    "项": ("目",),
    "名": ("称", "单"),
    "期": ("间", "限"),
    "元": ("旦",),
    "位": ("小数",),
}

PROSE_MIN_CHARS = 16  # a region line shorter than this is a table cell or a heading, unless it ends a sentence
SENTENCE_ENDS = ("。", ";")  # after normalize (NFKC): ； is ;
_PLAIN_DIGITS = frozenset("一二两三四五六七八九壹贰叁肆伍陆柒捌玖")  # digit runs without 〇/零 are ranges
_SPACE = r"[ \u3000\u00a0]?"  # one optional space between number and measure word (1732 条)
_DIG = "0-9０-９"
_ARABIC = rf"[{_DIG}]+(?:,[{_DIG}]{{3}})*(?:[.．][{_DIG}]+)?"
_CN = f"[{CN_NUMERAL_CHARS}]+"
_APPROX = "[余多]"
_UNIT_ALT = "|".join(map(re.escape, UNITS))

# Arabic: 1,234 / 1.2万 / 10余万 / 10万余 / 2000余 / 1万2千 ; Chinese: 十二 / 一百零五 / 三千多 / 十余万
_PATTERN = re.compile(
    rf"(?:(?<![{_DIG}.．A-Za-z第])(?P<ar>{_ARABIC}){_SPACE}{_APPROX}?[万千亿]?(?:(?<=[万亿])[{_DIG}]+千?)?{_APPROX}?"
    rf"|(?<![第{CN_NUMERAL_CHARS}])(?P<cn>{_CN}){_APPROX}?[万亿]?{_APPROX}?)"
    rf"{_SPACE}(?P<unit>{_UNIT_ALT})"
)


@dataclass(frozen=True)
class Candidate:
    start: int  # str offsets into the text, text == source[start:end]
    end: int
    text: str
    value: float
    approx: bool  # 余/多 inside the span
    unit: str  # the measure word (元 for 1.2万元; the 万 is in the value)

    def number_text(self) -> str:
        """The span without its measure word (``2000余`` of ``2000余条``)."""
        return self.text[: len(self.text) - len(self.unit)].rstrip()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_candidates(text: str, spans_to_skip: Iterable[tuple[int, int]] = ()) -> list[Candidate]:
    """Every quantity mention in ``text`` outside ``spans_to_skip``, in text order."""
    skip = list(spans_to_skip)
    out: list[Candidate] = []
    for m in _PATTERN.finditer(text):
        unit = m.group("unit")
        start, end = m.start(), m.end()
        if any(text.startswith(w, end) for w in _NOT_AFTER.get(unit, ())):
            continue
        if skip and _overlaps(start, end, skip):
            continue
        span = text[start:end]
        cn = m.group("cn")
        if cn in ("万", "亿") and unit == "元":  # 单位：万元 is a unit name, not a count
            continue
        if cn and len(cn) > 1 and all(ch in _PLAIN_DIGITS for ch in cn):
            continue  # 五六个, 一两次, 唯一一个: a range or two words, not one count
        parsed = parse_quantity(span)
        if parsed is None:  # 五六个 (five or six) and the like: no single value
            continue
        value, approx = parsed
        out.append(Candidate(start, end, span, value, approx, unit))
    return out


def _is_prose(line: Line) -> bool:
    """A sentence line: one cell, and not short or ending a sentence.

    Table cells are short labels or bare numbers, or split; a short line that
    ends with 。 or ； is a sentence (old-format sections 三、四 inside the
    region often hold one: 全年共收取复印费24元。).
    """
    cells = [c for c in line.cells if c]
    if line.in_table or len(cells) != 1:
        return False
    body = normalize(cells[0])
    return len(body) >= PROSE_MIN_CHARS or body.endswith(SENTENCE_ENDS)


def table_spans(doc: Document) -> list[tuple[int, int]]:
    """Character spans of the table region (``extraction.tables.find_region``) minus its prose lines.

    The region runs from the heading 二、主动公开政府信息情况 to 五、, and older
    reports (and many newer ones) write that section as prose, whose counts
    are gold mentions; so only the region's table-like lines are skipped.
    """
    region = find_region(doc.lines)
    if region is None:
        return []
    spans: list[tuple[int, int]] = []
    for line in doc.lines[region[0]:region[1]]:
        if _is_prose(line):
            continue
        if spans and spans[-1][1] + 1 >= line.start:
            spans[-1] = (spans[-1][0], line.end)
        else:
            spans.append((line.start, line.end))
    return spans


def document_candidates(doc: Document) -> list[Candidate]:
    """The prose candidates of a document: everything outside the table region."""
    return find_candidates(doc.text, table_spans(doc))
