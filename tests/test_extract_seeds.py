"""The five real seed reports: every table cell, the metadata, and the findings equal gold."""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.extraction.pipeline import extract_path
from gongkai.extraction.validate import check_report


def _gold(seeds_gold_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(seeds_gold_dir.glob("*.json"))]


def test_every_table_cell_and_meta_equal_gold(seeds_dir: Path, seeds_gold_dir: Path) -> None:
    golds = _gold(seeds_gold_dir)
    assert len(golds) == 5
    for gold in golds:
        rep = extract_path(seeds_dir / gold["source"], narrative="none")
        assert rep.status == "ok", (gold["doc_id"], rep.problems)
        assert rep.meta.format == gold["meta"]["format"]
        assert rep.meta.year == gold["meta"]["year"]
        assert rep.meta.agency == gold["meta"]["agency"]
        wrong = {
            k: (gold["tables"].get(k, "absent"), rep.tables.get(k, "absent"))
            for k in set(gold["tables"]) | set(rep.tables)
            if gold["tables"].get(k, "absent") != rep.tables.get(k, "absent")
        }
        assert wrong == {}, gold["doc_id"]


def test_surplus_numbers_are_dropped_by_arithmetic_and_said_so(seeds_dir: Path) -> None:
    # seed 000 prints "(七) 总计 11 0 0 0 0 0 0 11": eight numbers for seven cells
    rep = extract_path(seeds_dir / "000_49cf817994305ece.txt", narrative="none")
    assert [rep.tables[f"t3.total.{c}"] for c in ("natural_person", "commercial", "total")] == [11, 0, 11]
    assert "surplus" in (rep.provenance["t3.total.total"].inferred or "")
    assert not rep.provenance["t3.total.total"].uncertain
    assert rep.provenance["t3.granted.total"].inferred is None
    assert rep.provenance["t3.granted.total"].text == "10"


def test_findings_are_exactly_the_relations_gold_breaks(seeds_dir: Path, seeds_gold_dir: Path) -> None:
    for gold in _gold(seeds_gold_dir):
        want = {f.relation for f in check_report(gold["tables"], gold["meta"]["format"], gold["narrative"])}
        rep = extract_path(seeds_dir / gold["source"], narrative="none")
        got = {f.relation for f in check_report(rep.tables, rep.meta.format, gold["narrative"])}
        assert got == want, gold["doc_id"]
    # and the known ones: seed 004's prose says 9 reviews and 5 lawsuits; its table says 0 and 2
    gold4 = json.loads((seeds_gold_dir / "004_e313256c520c3bcf.json").read_text(encoding="utf-8"))
    rels = {f.relation: f for f in check_report(gold4["tables"], "2019", gold4["narrative"])}
    assert (rels["prose:REVIEWS"].lhs, rels["prose:REVIEWS"].rhs) == (9, 0)
    assert (rels["prose:LAWSUITS"].lhs, rels["prose:LAWSUITS"].rhs) == (5, 2)
