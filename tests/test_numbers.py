"""The one numeral reader on the quantities reports print in prose."""

from __future__ import annotations

import pytest
from gongkai.extraction.numbers import cn_to_number, parse_quantity


@pytest.mark.parametrize(
    ("span", "value", "approx"),
    [
        ("4407条", 4407, False),
        ("两次", 2, False),
        ("十二件", 12, False),
        ("一百零五个", 105, False),
        ("1.2万条", 12000, False),
        ("10万余人次", 100000, True),
        ("10余万条", 100000, True),
        ("10多万条", 100000, True),
        ("2000余条", 2000, True),
        ("1732 条", 1732, False),
        ("三千多人", 3000, True),
        ("千条", 1000, False),
        ("百余条", 100, True),
        ("十余万条", 100000, True),
        ("两万三千条", 23000, False),
        ("一千零五十条", 1050, False),
        ("1,234条", 1234, False),
        ("１２３４条", 1234, False),
        ("4.28万件", 42800, False),
        ("92.5万余条", 925000, True),
        ("1.5亿元", 150_000_000, False),
        ("400元", 400, False),
        ("0件", 0, False),
        ("6余件", 6, True),
        ("1万2千条", 12000, False),
        ("3万5000余条", 35000, True),
        ("5千条", 5000, False),
    ],
)
def test_parse_quantity(span: str, value: float, approx: bool) -> None:
    assert parse_quantity(span) == (value, approx)


@pytest.mark.parametrize("span", ["条", "信息", "约条", ""])
def test_parse_quantity_rejects_non_numbers(span: str) -> None:
    assert parse_quantity(span) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两万三千", 23000), ("二〇二〇", 2020), ("万", 10000)],
)
def test_cn_to_number(text: str, value: int) -> None:
    assert cn_to_number(text) == value


def test_cn_to_number_refuses_two_digits_without_a_unit_between() -> None:
    assert cn_to_number("三五十") is None
