"""Plain-text reports in the three layouts real text dumps show.

- ``tab``: a table row per line, cells separated by tabs, with the mess of
  Word/PDF pastes: header words split over rows, labels split into two cells or
  broken by spaces, rows that gain or lose leading empty cells, trailing empty
  cells, blank lines and Markdown ``---`` rules inside tables, headings as
  ``#``…``####`` or bare lines.
- ``pipe``: one cell per line ending in `` |``, long header texts broken over lines.
- ``lines``: one cell per line with blank lines between, no separators, under
  page chrome (breadcrumb, date, font-size links).

The narrative offsets returned point into the returned text; no real report text
is used, only the official table wording.
"""

from __future__ import annotations

import random
import re
from typing import Any

from .prose import Mention, is_subheading, other_matters_text, preamble_text, problems_text
from .tables import (
    SECTION_TITLES,
    Cell,
    Numbers,
    Table,
    full_rows,
    random_numbers,
    random_wording,
    reader_rows,
    record_tables,
    value_text,
)

LAYOUTS = ("tab", "pipe", "lines")
_HALF = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})


class _Out:
    """Text under construction, with narrative mentions shifted to their final offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.mentions: list[Mention] = []

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.n += len(s)

    def line(self, s: str = "") -> None:
        self.add(s + "\n")

    def prose(self, text: str, mentions: list[Mention], decorate: Any, sep: str) -> None:
        """Add prose lines, each through ``decorate(line) -> prefix``, joined by ``sep``."""
        pos = 0
        for line in text.split("\n"):
            end = pos + len(line)
            prefix = decorate(line)
            base = self.n + len(prefix) - pos
            for m in mentions:
                if pos <= m["start"] < end:
                    self.mentions.append({**m, "start": m["start"] + base, "end": m["end"] + base})
            self.add(prefix + line + sep)
            pos = end + 1

    def text(self) -> str:
        return "".join(self.parts)


def title_of(record: dict[str, Any], rng: random.Random) -> str:
    agency, year = record["meta"]["agency"], record["meta"]["year"]
    return rng.choice([
        f"{agency}{year}年政府信息公开工作年度报告",
        f"{agency}{year}年政府信息公开工作年度报告",
        f"{agency} {year} 年政府信息公开工作年度报告",
        f"{year}年{agency}政府信息公开工作年度报告",
        f"{agency}{year}年度政府信息公开工作报告",
    ])


# ---- tab layout noise ---------------------------------------------------------------------------


def _space_in(rng: random.Random, s: str) -> str:
    """'三、本年度办理结果' → '三、本 年度办 理结果' (a PDF line wrap pasted as spaces)."""
    if len(s) < 5:
        return s
    for _ in range(rng.choice([1, 1, 2])):
        i = rng.randint(3, len(s) - 1)
        if s[i - 1] != " " and s[i] != " ":
            s = s[:i] + " " + s[i:]
    return s


def _is_value(s: str, nums: Numbers) -> bool:
    return bool(re.fullmatch(r"[+-]?[\d,]+(\.\d+)?", s)) or s == nums.null


def _noisy_row(rng: random.Random, cells: list[str], nums: Numbers) -> list[str]:
    """One of the distortions seen in pasted tables; values stay contiguous and in order."""
    first = next((i for i, c in enumerate(cells) if _is_value(c, nums)), len(cells))
    labels, values = cells[:first], cells[first:]
    op = rng.choice(["gap", "unindent", "indent", "split", "space", "space"])
    lead = 0
    while lead < len(labels) and labels[lead] == "":
        lead += 1
    if op == "gap":
        labels = labels + [""]
    elif op == "unindent" and lead:
        labels = labels[lead:] + [""]
    elif op == "indent":
        labels = [""] + labels
    elif op == "split":
        labels = [p for c in labels for p in (
            [c[:2], c[2:]] if re.match(r"^[一二三四]、.{4,}", c) else [c])]
    elif op == "space":
        idx = [i for i, c in enumerate(labels) if len(c) >= 5]
        if idx:
            i = rng.choice(idx)
            labels = labels[:i] + [_space_in(rng, labels[i])] + labels[i + 1:]
    return labels + values


def _split_header_word(rows: list[list[str]], word: str, at: int) -> None:
    """'自然人' printed as '自然' in one header row and '人' in the next."""
    for i in range(len(rows) - 1):
        for j, c in enumerate(rows[i]):
            if c == word and j < len(rows[i + 1]) and rows[i + 1][j] == "":
                rows[i][j], rows[i + 1][j] = word[:at], word[at:]
                return


def _tab_table(rng: random.Random, t: Table, cell_text: Any, nums: Numbers, clean: bool) -> list[str]:
    geometry = rng.choice(["full", "reader", "reader"])
    rows = (full_rows if geometry == "full" else reader_rows)(t, cell_text)
    kinds = [r.kind for r in t.rows]
    if t.section == 3 and not clean and rng.random() < 0.5:
        _split_header_word(rows, "自然人", 2)
    keep_trailing = clean or nums.null == ""
    trail = 0 if clean else rng.choice([0, 0, 1, 2])
    out: list[str] = []
    for cells, kind in zip(rows, kinds, strict=True):
        if not keep_trailing:
            while cells and cells[-1] == "":
                cells = cells[:-1]
            jitter = 1 if rng.random() < 0.15 else 0
            cells = cells + [""] * (trail + jitter)
        if kind == "data" and t.section == 3 and not clean and rng.random() < 0.12:
            cells = _noisy_row(rng, cells, nums)
        if kind == "data" and t.section == 3 and not clean and rng.random() < 0.03:
            out.append("")
        if kind == "header" and t.section == 3 and not clean and rng.random() < 0.1:
            out.append("")
        out.append("\t".join(cells))
        if kind == "header" and not clean and t.section in (3, 4) and rng.random() < 0.04:
            out.append("--------" + "\t---" * rng.randint(1, 3))
    if t.section == 2 and not clean and rng.random() < 0.15:
        out.append("--------" + "\t---" * 2)
    return out


# ---- rendering ----------------------------------------------------------------------------------


def _cell_text_fn(record: dict[str, Any], nums: Numbers) -> Any:
    tables = record["tables"]

    def text(c: Cell) -> str:
        if c.field is not None:
            return value_text(c.field, tables[c.field], nums)
        return c.text

    return text


def render_txt(
    rng: random.Random,
    record: dict[str, Any],
    prose: tuple[str, list[Mention]],
    layout: str = "tab",
    *,
    markdown: bool | None = None,
) -> tuple[str, list[Mention]]:
    """The whole report as text in ``layout``; returns the text and its narrative (offsets into it).

    ``markdown`` forces (True) or forbids (False) ``#`` headings in the tab layout; None draws it.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    prose_text, prose_mentions = prose
    w = random_wording(rng)
    nulls = ("—", "/", "无", "—", "") if layout == "tab" else ("—", "/", "无", "—")
    nums = random_numbers(rng, nulls)
    cell_text = _cell_text_fn(record, nums)
    tables = {t.section: t for t in record_tables(record, w)}
    out = _Out()
    title = title_of(record, rng)
    if layout == "tab":
        md = rng.random() < 0.6 if markdown is None else markdown
        _tab_doc(rng, out, record, title, (prose_text, prose_mentions), tables, cell_text, nums, md)
    else:
        _stream_doc(rng, out, record, title, (prose_text, prose_mentions), tables, cell_text, layout)
    text = out.text()
    if layout != "tab" and rng.random() < 0.5:
        text = text.translate(_HALF)  # half-width punctuation throughout, as many PDF dumps have
    for m in out.mentions:
        assert text[m["start"]:m["end"]] == m["text"], (m, text[m["start"]:m["end"]])
    return text, out.mentions


def _tab_doc(
    rng: random.Random, out: _Out, record: dict[str, Any], title: str, prose: tuple[str, list[Mention]],
    tables: dict[int, Table], cell_text: Any, nums: Numbers, md: bool,
) -> None:
    levels = {i: rng.choice(["##", "##", "###", "####"]) for i in range(1, 7)}

    def heading(s: str, i: int) -> None:
        out.line(f"{levels[i]} {s}" if md else s)
        out.line()

    if rng.random() < 0.6:
        out.add("\n\n")
    out.line(f"# {title}" if md else title)
    out.line()
    pre = preamble_text(rng, record)
    if pre:
        out.line(pre)
        out.line()
    heading(SECTION_TITLES[1], 1)
    sub = "### " if md and rng.random() < 0.6 else ""
    out.prose(*prose, decorate=lambda ln: sub if sub and is_subheading(ln) else "", sep="\n\n")
    clean = nums.null == "" or rng.random() < 0.25
    for sec in (2, 3, 4):
        heading(SECTION_TITLES[sec], sec)
        if sec in tables:
            for ln in _tab_table(rng, tables[sec], cell_text, nums, clean):
                out.line(ln)
        else:
            out.line("无")
        out.line()
    heading(SECTION_TITLES[5], 5)
    bullet = "- " if md and rng.random() < 0.3 else ""
    for para in problems_text(rng, record).split("\n"):
        out.line(bullet + para)
        out.line()
    heading(SECTION_TITLES[6], 6)
    out.add(other_matters_text(rng, record) + rng.choice(["", "\n"]))


def _stream_doc(
    rng: random.Random, out: _Out, record: dict[str, Any], title: str, prose: tuple[str, list[Mention]],
    tables: dict[int, Table], cell_text: Any, layout: str,
) -> None:
    """pipe / lines: every cell and paragraph on its own line."""
    sep = "\n\n" if layout == "lines" else "\n"
    year = record["meta"]["year"]
    if layout == "lines":
        out.add(f"当前位置：首页 > 政务公开 > 政府信息公开年报{sep}")
        out.add(f"{title}{sep}")
        out.add(f"日期：{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}{sep}")
        out.add(f"字体：【 大 中 小 】{sep}分享：{sep}")
    else:
        out.add(title + sep)
    pre = preamble_text(rng, record)
    if pre:
        out.add(pre + sep)
    out.add(SECTION_TITLES[1] + sep)
    out.prose(*prose, decorate=lambda ln: "", sep=sep)
    split_heads = layout == "pipe" and rng.random() < 0.6
    for sec in (2, 3, 4):
        out.add(SECTION_TITLES[sec] + sep)
        if sec not in tables:
            out.add("无" + sep)
            continue
        t = tables[sec]
        for cells, row in zip(reader_rows(t, cell_text), t.rows, strict=True):
            for c in cells:
                if c == "":
                    continue
                if layout == "lines":
                    out.add(c + sep)
                    continue
                if split_heads and row.kind == "header" and len(c) >= 6 and rng.random() < 0.5:
                    k = rng.randint(2, len(c) - 2)
                    c = c[:k] + "\n" + c[k:]
                out.add(c + " |" + sep)
    out.add(SECTION_TITLES[5] + sep)
    for para in problems_text(rng, record).split("\n"):
        out.add(para + sep)
    out.add(SECTION_TITLES[6] + sep)
    out.add(other_matters_text(rng, record))
