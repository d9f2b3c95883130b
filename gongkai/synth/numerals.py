"""How reports print counts: 4407条, 1732 条, 两次, 十二件, 2000余条, 1.2万条, 10万余人次.

``span_value`` reads a span back with ``extraction.numbers.parse_quantity``; the
forms generated here are ones that ``shared/tools/check_gold.py`` reads the same way.
"""

from __future__ import annotations

import random

from gongkai.extraction.numbers import parse_quantity

_CN = "零一二三四五六七八九"


def to_cn(n: int, liang: bool = False) -> str:
    """0..9999 in Chinese numerals (十二, 一百零五, 两千); ``liang`` prints a lone 2 as 两."""
    if not 0 <= n <= 9999:
        raise ValueError(n)
    if n == 0:
        return "零"
    if n == 2 and liang:
        return "两"
    out, zero = "", False
    for val, unit in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, val)
        if d:
            if zero:
                out += "零"
                zero = False
            out += _CN[d] + unit
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN[n]
    return out[1:] if out.startswith("一十") else out


def span_value(text: str) -> tuple[float | None, bool]:
    """(value, approx) of a mention span, read by the project's one numeral reader."""
    q = parse_quantity(text)
    return (None, False) if q is None else q


def _round_down(v: int, rng: random.Random) -> int:
    """A round figure at or below ``v`` (2000 for 2347): what 余/多 follow."""
    digits = len(str(v))
    keep = rng.choice([1, 1, 2]) if digits > 2 else 1
    step = 10 ** (digits - keep)
    return max(step, v // step * step)


def number_text(
    rng: random.Random, v: int, unit: str, *, spaced: bool = False, approx_ok: bool = False, cn_ok: bool = True
) -> tuple[str, int, bool]:
    """Print count ``v`` with its measure word; returns (span text, printed value, approx).

    The printed value differs from ``v`` only for approximate figures (2347 → 2300余条).
    """
    sp = " " if spaced else ""
    r = rng.random()
    if approx_ok and v >= 20 and r < 0.25:
        base = _round_down(v, rng)
        word = rng.choice(["余", "余", "多"])
        if base >= 100000 and base % 10000 == 0 and rng.random() < 0.6:
            return f"{base // 10000}万{word}{unit}", base, True
        if base <= 90 and cn_ok and rng.random() < 0.3:
            return f"{to_cn(base)}{word}{unit}", base, True
        return f"{base}{sp}{word}{unit}", base, True
    if v >= 10000 and v % 100 == 0 and r < 0.5:
        s = f"{v / 10000:g}"
        if float(s) * 10000 == v:
            return f"{s}{sp}万{unit}", v, False
    if cn_ok and 0 < v <= 20 and r < 0.35:
        return f"{to_cn(v, liang=rng.random() < 0.95)}{unit}", v, False
    if cn_ok and 20 < v < 100 and v % 10 == 0 and r < 0.2:
        return f"{to_cn(v)}{unit}", v, False
    return f"{v}{sp}{unit}", v, False
