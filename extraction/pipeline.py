"""One document through the pipeline: read → tables → meta → narrative → validation → record.

Every step records what went wrong in the record instead of raising, so a
batch never stops for one document; only a document that cannot be read at
all is ``failed``.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from gongkai import __version__

from .document import Document, ReadError
from .meta import find_agency, find_year
from .readers import read_path
from .record import Meta, Report
from .tables import find_tables
from .validate import check_report

NARRATIVE_SYSTEMS = ("model", "baseline", "rules", "none")


def extract_document(doc: Document, *, narrative: str = "model") -> Report:
    rep = Report(doc_id=doc.doc_id, source=doc.source, input_kind=doc.kind, extractor_version=__version__)
    rep.problems.extend(doc.warnings)
    year = find_year(doc)
    found = find_tables(doc, year)
    rep.meta = Meta(year=year, agency=find_agency(doc), format=found.format)
    rep.tables = found.tables
    rep.provenance = found.provenance
    rep.problems.extend(found.problems)
    rep.notes.extend(found.notes)
    if narrative != "none":
        from gongkai.models.registry import describe

        from .narrative import tag_narrative

        rep.narrative_system = describe(narrative)
        try:
            rep.narrative = tag_narrative(doc, system=narrative)
        except Exception as e:  # a model failure must not lose the tables
            rep.problems.append(f"narrative tagging failed: {type(e).__name__}: {e}")
    rep.findings = check_report(
        rep.tables, rep.meta.format, [m.__dict__ for m in rep.narrative], doc.text
    )
    if not rep.tables:
        rep.status = "no_tables"
    elif rep.problems:
        rep.status = "problems"
    return rep


def extract_path(path: Path, *, narrative: str = "model") -> Report:
    try:
        doc = read_path(path)
    except ReadError as e:
        return Report(doc_id=path.stem, source=path.name, status="failed", error=str(e), extractor_version=__version__)
    except Exception as e:  # an unexpected reader crash is one failed document, not a failed batch
        tb = traceback.format_exception_only(type(e), e)[-1].strip()
        return Report(doc_id=path.stem, source=path.name, status="failed", error=f"reader crashed: {tb}",
                      extractor_version=__version__)
    try:
        return extract_document(doc, narrative=narrative)
    except Exception as e:
        tb = traceback.format_exception_only(type(e), e)[-1].strip()
        return Report(doc_id=doc.doc_id, source=doc.source, status="failed", input_kind=doc.kind,
                      error=f"extractor crashed: {tb}", extractor_version=__version__)


def extract_file(path: Path, *, narrative: str = "model") -> dict[str, Any]:
    """The per-document JSON record (a superset of the gold format) for one file."""
    return extract_path(Path(path), narrative=narrative).to_json()
