"""The per-document output record: a superset of the gold file format.

``tables`` and ``narrative`` keep exactly the gold keys, so any output can be
scored against gold with no conversion; everything else the extractor knows
(provenance, findings, problems) sits beside them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "problems", "no_tables", "failed"]


@dataclass
class Meta:
    year: int | None = None
    agency: str | None = None
    format: str | None = None  # "2019" | "2021" | None (no standard tables)


@dataclass(slots=True)
class CellSource:
    """Where one table value came from."""

    text: str  # the cell text as printed
    line: int | None = None  # 1-based line in the document's text
    page: int | None = None  # 1-based page (PDF) where known
    inferred: str | None = None  # why the alignment was inferred, if it was
    uncertain: bool = False


@dataclass
class Mention:
    label: str
    start: int
    end: int
    text: str
    value: float
    approx: bool = False
    confidence: float | None = None
    source: Literal["model", "rule"] = "model"  # the spec's two values; which model: Report.narrative_system


@dataclass
class Finding:
    """A relation the report's own numbers break, or prose contradicting a table."""

    kind: Literal["arithmetic", "contradiction"]
    relation: str  # stable id, e.g. "t3.row_sum:granted" or "prose:REQUESTS_RECEIVED"
    message: str
    lhs: float | None = None
    rhs: float | None = None
    fields: list[str] = field(default_factory=list)
    sentence: str | None = None


@dataclass
class Report:
    doc_id: str
    source: str
    meta: Meta = field(default_factory=Meta)
    tables: dict[str, float | None] = field(default_factory=dict)
    narrative: list[Mention] = field(default_factory=list)
    provenance: dict[str, CellSource] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what is wrong or missing in this record
    notes: list[str] = field(default_factory=list)  # how things were decided (inferred alignments, format by year)
    status: Status = "ok"
    error: str | None = None
    input_kind: str | None = None  # txt | md | html | docx | pdf | doc
    extractor_version: str | None = None
    narrative_system: str | None = None  # the tagger that read the prose, with its version ("hybrid 1.0.1")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
