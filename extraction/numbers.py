"""Reading numbers as reports print them: table cells and prose quantities.

One place for every numeral rule (Arabic, full-width, Chinese, 万/千, 余/多),
so the table finder, the narrative candidates and the annotators' tools agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
             "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
             "九": 9, "玖": 9}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)


_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII) without any whitespace."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def cn_to_number(text: str) -> int | None:
    """Chinese numerals to an int: 十二 → 12, 一百零五 → 105, 两万三千 → 23000, 二〇二〇 → 2020."""
    if not text:
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        # digit-by-digit (二〇二〇)
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0 and CN_DIGITS[ch] != 0:
                return None  # two digits in a row without a unit: not a numeral
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit = None
        elif ch in CN_BIG_UNITS:
            section += digit or 0
            if section == 0:
                section = 1
            total += section * CN_BIG_UNITS[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


# ---- table cells -----------------------------------------------------------------

CellKind = Literal["num", "null", "blank", "rule", "text"]

NULL_MARKS = frozenset({"-", "--", "—", "——", "–", "/", "／", "\\", "无", "空", "×", "x", "X", "*", "~"})
_NUM_CELL = re.compile(
    r"^(?P<sign>[-+]?)(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    r"(?P<unit>万元|元|件|个|项|条|次|人|人次)?$"
)
_RULE = re.compile(r"^[-=:|]{3,}$")


@dataclass(frozen=True)
class CellValue:
    kind: CellKind
    value: float | None = None
    unit: str | None = None  # "元" / "万元" when the cell prints one


@lru_cache(maxsize=1 << 16)
def read_cell(text: str) -> tuple[str, CellValue]:
    """A cell's normalized text and its reading; cached, since tables repeat the same cells ("0") endlessly."""
    return normalize(text), parse_cell(text)


def parse_cell(text: str) -> CellValue:
    """Classify one table cell: a number (with optional unit), a blank/null mark, a rule, or text."""
    t = normalize(text).replace("|", "")
    if not t:
        return CellValue("blank")
    if t in NULL_MARKS:
        return CellValue("null")
    if _RULE.match(t):
        return CellValue("rule")
    m = _NUM_CELL.match(t)
    if not m:
        return CellValue("text")
    whole = m.group("num").replace(",", "")
    frac = m.group("frac")
    v = float(f"{whole}.{frac}") if frac else float(int(whole))
    if m.group("sign") == "-":
        v = -v
    unit = m.group("unit")
    return CellValue("num", v, unit if unit in ("元", "万元") else None)


# ---- prose quantities ------------------------------------------------------------

# 余/多 may stand before or after 万: 10万余人次 and 10余万条 are both "more than 100000";
# after 万/亿 a remainder may follow: 1万2千条 = 12000, 3万5000条 = 35000
_ARABIC_Q = re.compile(
    r"^(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<a1>余|多)?\s*(?P<big>[万亿千]?)"
    r"(?:(?<=[万亿])(?P<rest>\d+)(?P<rest_big>千?))?\s*(?P<a2>余|多)?"
)
_CN_Q = re.compile(
    rf"^(?P<num>[{CN_NUMERAL_CHARS}]+?)(?P<a1>余|多)?(?P<big>[万亿]?)(?P<a2>余|多)?(?=[^{CN_NUMERAL_CHARS}]|$)"
)
_BIG = {"": 1, "千": 1000, "万": 10_000, "亿": 100_000_000}


def parse_quantity(text: str) -> tuple[float, bool] | None:
    """Value and approx flag of a prose mention span: ``2000余条`` → (2000, True), ``1.2万条`` → (12000, False)."""
    t = unicodedata.normalize("NFKC", text).strip()
    m = _ARABIC_Q.match(t) or _CN_Q.match(t)
    if not m:
        return None
    num = m.group("num")
    if num[0].isdigit():
        v = float(num.replace(",", ""))
    else:
        n = cn_to_number(num)
        if n is None:
            return None
        v = float(n)
    v *= _BIG[m.group("big")]
    if m.groupdict().get("rest"):
        v += int(m.group("rest")) * _BIG[m.group("rest_big")]
    return _tidy(v), bool(m.group("a1") or m.group("a2"))


def _tidy(v: float) -> float:
    return float(round(v, 6))
