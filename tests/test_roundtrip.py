"""Generated reports of every layout, both templates, through extract: every cell right.

The synthesizer renders random consistent (and sometimes deliberately broken,
sometimes blank-celled) records; the extractor must give back exactly the
record's tables from the rendered file alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gongkai.extraction.pipeline import extract_path

from gongkai.synth import synthesize

KINDS = ["txt", "md", "pipe", "lines", "html", "html-gbk", "docx", "pdf"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    synthesize(out, 320, kinds=KINDS, formats=["2019", "2021"], seed=20261123)
    return out


def test_every_cell_of_320_generated_reports(generated: Path) -> None:
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((generated / "gold").glob("*.json"))]
    assert len(golds) == 320
    assert {g["meta"]["format"] for g in golds} == {"2019", "2021"}
    wrong: dict[str, list] = {}
    kinds_seen = set()
    for g in golds:
        rep = extract_path(generated / g["source"], narrative="none")
        kinds_seen.add(rep.input_kind)
        assert rep.meta.format == g["meta"]["format"], g["doc_id"]
        assert rep.meta.year == g["meta"]["year"], g["doc_id"]
        diff = [(k, g["tables"].get(k, "absent"), rep.tables.get(k, "absent"))
                for k in set(g["tables"]) | set(rep.tables) if g["tables"].get(k, "absent") != rep.tables.get(k, "absent")]
        if diff:
            wrong[g["doc_id"]] = diff[:5]
    assert wrong == {}
    assert kinds_seen == {"txt", "md", "html", "docx", "pdf"}


def test_broken_arithmetic_is_found_not_repaired(generated: Path) -> None:
    from gongkai.extraction.validate import check_arithmetic

    broken = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((generated / "gold").glob("*.json"))]
    broken = [g for g in broken if g.get("_broken")]
    assert broken, "the synthesizer should break some records"
    for g in broken[:20]:
        rep = extract_path(generated / g["source"], narrative="none")
        want = {f.relation for f in check_arithmetic(g["tables"], g["meta"]["format"])}
        assert want and {f.relation for f in rep.findings if f.kind == "arithmetic"} == want, g["doc_id"]
