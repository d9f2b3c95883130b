"""Bad gold files are refused with messages that name the file and the problem."""

from __future__ import annotations

import pytest
from eval_helpers import DOC_ID, TEXT, gold_record, mention, write_corpus
from gongkai.eval.gold import GoldError, load_gold


def problems(tmp_path, gold=None, **kw) -> list[str]:
    gold_dir, docs_dir = write_corpus(tmp_path, gold, **kw)
    with pytest.raises(GoldError) as exc:
        load_gold(gold_dir, docs_dir)
    assert f"{DOC_ID}.json" in str(exc.value)
    return exc.value.problems


def test_valid_gold_loads_with_text_and_hashes(tmp_path):
    gold_dir, docs_dir = write_corpus(tmp_path)
    (doc,) = load_gold(gold_dir, docs_dir)
    assert doc.doc_id == DOC_ID and doc.fmt == "2019"
    assert doc.text == TEXT and len(doc.sha256) == 64 and doc.source_sha256 != doc.sha256


def test_source_found_beside_gold_or_below_docs(tmp_path):
    gold_dir, _ = write_corpus(tmp_path, with_source=False)
    (gold_dir / f"{DOC_ID}.txt").write_text(TEXT, encoding="utf-8")
    assert load_gold(gold_dir)[0].source_path.parent == gold_dir
    nested = tmp_path / "deep" / "a" / "b"
    nested.mkdir(parents=True)
    (nested / f"{DOC_ID}.txt").write_text(TEXT, encoding="utf-8")
    assert load_gold(gold_dir, tmp_path / "deep")[0].source_path.parent == nested


def test_schema_violation(tmp_path):
    g = gold_record()
    g["narrative"][0]["start"] = "5"  # a string offset
    del g["meta"]["format"]
    ps = problems(tmp_path, g)
    assert any("schema violation at meta" in p and "'format' is a required property" in p for p in ps)
    assert any("schema violation at narrative/0/start" in p for p in ps)


def test_offsets_not_matching_source(tmp_path):
    g = gold_record()
    g["narrative"][0]["start"] += 1
    g["narrative"][0]["end"] += 1
    (p,) = problems(tmp_path, g)
    assert "PORTAL_POSTS '1024条'" in p and "offsets do not match the source" in p


def test_missing_source_file(tmp_path):
    (p,) = problems(tmp_path, with_source=False)
    assert f"source file '{DOC_ID}.txt' not found" in p


def test_doc_id_field_ids_value_and_approx_checked(tmp_path):
    g = gold_record(doc_id="other_id")
    g["tables"]["t3.granted.bogus"] = 1
    g["tables"]["t3.granted.total"] = 1.5
    g["narrative"][1] = mention("NEWMEDIA_POSTS", "356条", 365)
    g["narrative"][2] = mention("INTERPRETATIONS", "12篇", 12, approx=True)
    gold_dir, docs_dir = write_corpus(tmp_path, g)
    # the file is named after doc_id: rename it to the expected name to get the mismatch
    (gold_dir / "other_id.json").rename(gold_dir / f"{DOC_ID}.json")
    with pytest.raises(GoldError) as exc:
        load_gold(gold_dir, docs_dir)
    text = "\n".join(exc.value.problems)
    assert "doc_id 'other_id' does not match the file name" in text
    assert "'t3.granted.bogus' is not a field of format 2019" in text
    assert "non-integer value 1.5 in integer field t3.granted.total" in text
    assert "value 365 but the span says 356" in text
    assert "approx=True inconsistent" in text


def test_all_files_reported_at_once(tmp_path):
    gold_dir, docs_dir = write_corpus(tmp_path, with_source=False)
    (gold_dir / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldError) as exc:
        load_gold(gold_dir, docs_dir)
    msg = str(exc.value)
    assert "broken.json: not valid JSON" in msg and f"{DOC_ID}.json: source file" in msg
    assert msg.startswith("2 problem(s)")


def test_overlapping_gold_spans_refused(tmp_path):
    g = gold_record()
    g["narrative"].append(mention("PORTAL_POSTS", "024条", 24))
    ps = problems(tmp_path, g)
    assert any("overlaps the previous mention" in p for p in ps)


def test_empty_dir(tmp_path):
    with pytest.raises(GoldError, match="no gold files"):
        load_gold(tmp_path)
