"""The data contract: table field ids, narrative labels, gold schema.

A copy of ``../shared/spec`` kept inside the package so that an installed
gongkai needs nothing outside itself. This module is the one place the rest of
the code learns field ids and labels from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Format = Literal["2019", "2021"]
FORMATS: tuple[Format, ...] = ("2019", "2021")

LABELS: tuple[str, ...] = (
    "PROACTIVE_TOTAL",
    "PORTAL_POSTS",
    "NEWMEDIA_POSTS",
    "POLICY_DOCS",
    "INTERPRETATIONS",
    "PRESS_EVENTS",
    "RESPONSES",
    "CONSULTATIONS",
    "MESSAGES",
    "REQUESTS_RECEIVED",
    "REQUESTS_ANSWERED",
    "REQUESTS_CARRIED_OVER",
    "REVIEWS",
    "LAWSUITS",
    "TRAININGS",
    "TRAINEES",
    "FEES",
)

# Table 3 columns, in the order every official template prints them.
T3_APPLICANT_COLS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
)
T3_COLS: tuple[str, ...] = T3_APPLICANT_COLS + ("total",)
# Table 4: three groups of five, in print order.
T4_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
T4_COLS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")


@dataclass(frozen=True)
class Field:
    id: str
    table: int
    row: str
    col: str
    type: Literal["int", "decimal"]
    group: str | None = None

    @property
    def row_key(self) -> str:
        """The id without its column part: ``t3.denied.third_party``."""
        return self.id.rsplit(".", 1)[0]

    @property
    def col_key(self) -> str:
        return self.id.rsplit(".", 1)[1]


def _load_json(name: str) -> dict:
    return json.loads(resources.files("gongkai.spec").joinpath(name).read_text(encoding="utf-8"))


@cache
def fields(fmt: Format) -> tuple[Field, ...]:
    data = _load_json("table_fields.json")
    try:
        raw = data["formats"][fmt]
    except KeyError:
        raise ValueError(f"unknown table format {fmt!r}; expected one of {FORMATS}") from None
    return tuple(Field(**x) for x in raw)


@cache
def field_ids(fmt: Format) -> tuple[str, ...]:
    return tuple(f.id for f in fields(fmt))


@cache
def field_index(fmt: Format) -> dict[str, Field]:
    return {f.id: f for f in fields(fmt)}


@cache
def all_field_ids() -> frozenset[str]:
    return frozenset(i for fmt in FORMATS for i in field_ids(fmt))


@cache
def t3_result_rows(fmt: Format) -> tuple[str, ...]:
    """Row keys of the 办理结果 block ((一)..(六)), without the ``t3.`` prefix."""
    out: list[str] = []
    for f in fields(fmt):
        if f.table != 3:
            continue
        row = f.row_key[3:]
        if row in ("new_received", "carried_over", "total", "carried_forward"):
            continue
        if row not in out:
            out.append(row)
    return tuple(out)


@cache
def t3_rows(fmt: Format) -> tuple[str, ...]:
    return ("new_received", "carried_over", *t3_result_rows(fmt), "total", "carried_forward")


@cache
def gold_schema() -> dict:
    return _load_json("gold.schema.json")
