"""The baseline learns from examples and round-trips; rules, registry and the entry point agree on the interface."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np
import pytest
from gongkai.extraction.document import Document, lines_from_text
from gongkai.extraction.narrative import tag_candidates, tag_narrative
from gongkai.models.baseline import BaselineTagger
from gongkai.models.candidates import find_candidates
from gongkai.models.dataset import SPLITS_PATH, Example
from gongkai.models.registry import BASELINE_DIR, load_tagger
from gongkai.models.rules import RuleTagger, rule_label
from gongkai.models.tagger import Tagger

# invented sentences: the words before the count decide the label
TEMPLATES = {
    "REQUESTS_RECEIVED": ["全年共收到政府信息公开申请{n}件。", "本年度受理依申请公开{n}件。"],
    "PORTAL_POSTS": ["通过门户网站发布信息{n}条。", "政府网站公开各类信息{n}条。"],
    "NEWMEDIA_POSTS": ["微信公众号推送信息{n}条。", "政务微博发布信息{n}条。"],
    "O": ["其中工作动态类信息{n}条。", "覆盖全区{n}个单位。"],
}


def toy_examples(seed: int, per_template: int) -> list[Example]:
    rng = random.Random(seed)
    out = []
    for label, templates in TEMPLATES.items():
        for t in templates:
            for _ in range(per_template):
                text = t.format(n=rng.randint(1, 5000))
                (cand,) = find_candidates(text)
                out.append(Example(f"toy{len(out)}", text, cand, label))
    return out


@pytest.fixture(scope="module")
def toy_model() -> BaselineTagger:
    return BaselineTagger(c=10.0).fit(toy_examples(0, 8))


def test_baseline_learns_separable_labels(toy_model: BaselineTagger) -> None:
    test = toy_examples(1, 3)
    preds = [toy_model.predict(e.text, [e.candidate])[0] for e in test]
    assert [p["label"] for p in preds] == [e.label for e in test]
    for p, e in zip(preds, test, strict=True):
        assert 0.0 < p["confidence"] <= 1.0
        assert (p["start"], p["end"], p["text"], p["value"]) == (
            e.candidate.start, e.candidate.end, e.candidate.text, e.candidate.value)


def test_baseline_probabilities_and_empty_input(toy_model: BaselineTagger) -> None:
    e = toy_examples(2, 1)[0]
    proba = toy_model.predict_proba(e.text, [e.candidate])
    assert proba.shape == (1, len(TEMPLATES)) and abs(proba.sum() - 1) < 1e-9
    assert toy_model.predict(e.text, []) == []


def test_save_load_round_trips_predictions(toy_model: BaselineTagger, tmp_path: Path) -> None:
    toy_model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text(encoding="utf-8"))
    assert meta["sklearn_version"] and sorted(meta["classes"]) == sorted(TEMPLATES)
    loaded = BaselineTagger.load(tmp_path / "m")
    test = toy_examples(3, 2)
    for e in test:
        a = toy_model.predict_proba(e.text, [e.candidate])
        b = loaded.predict_proba(e.text, [e.candidate])
        np.testing.assert_allclose(a, b)


@pytest.mark.parametrize(
    ("sentence", "count", "label"),
    [
        ("本年度通过门户网站发布信息1024条，“XX发布”公众号推送356条。", "1024条", "PORTAL_POSTS"),
        ("本年度通过门户网站发布信息1024条，“XX发布”公众号推送356条。", "356条", "NEWMEDIA_POSTS"),
        ("全年受理依申请公开15件，按期办结14件，1件结转下年度办理。", "15件", "REQUESTS_RECEIVED"),
        ("全年受理依申请公开15件，按期办结14件，1件结转下年度办理。", "14件", "REQUESTS_ANSWERED"),
        ("全年受理依申请公开15件，按期办结14件，1件结转下年度办理。", "1件", "REQUESTS_CARRIED_OVER"),
        ("组织专题培训3期，参训人员120人次，覆盖全区28个单位。", "3期", "TRAININGS"),
        ("组织专题培训3期，参训人员120人次，覆盖全区28个单位。", "120人次", "TRAINEES"),
        ("组织专题培训3期，参训人员120人次，覆盖全区28个单位。", "28个", "O"),
        ("主动公开4407条，其中规范性文件8条，工作动态类信息2679条。", "8条", "POLICY_DOCS"),
        ("主动公开4407条，其中规范性文件8条，工作动态类信息2679条。", "2679条", "O"),
        ("发生行政复议2起，均维持原行政行为。", "2起", "REVIEWS"),
    ],
)
def test_rules_on_the_spec_examples(sentence: str, count: str, label: str) -> None:
    (cand,) = [c for c in find_candidates(sentence) if c.text == count]
    assert rule_label(sentence, cand) == label


def test_taggers_share_one_interface() -> None:
    assert isinstance(RuleTagger(), Tagger)
    assert isinstance(BaselineTagger(), Tagger)


def test_tag_narrative_with_rules_drops_outside_and_sets_source() -> None:
    text = "一、总体情况\n全年收到政府信息公开申请12件，覆盖28个单位。\n"
    doc = Document("t", "t.txt", "txt", text, lines_from_text(text))
    (m,) = tag_narrative(doc, system="rules")
    assert (m.label, m.text, m.value, m.source, m.confidence) == ("REQUESTS_RECEIVED", "12件", 12, "rule", None)
    assert text[m.start:m.end] == m.text


def test_tag_candidates_uses_the_given_tagger(toy_model: BaselineTagger) -> None:
    text = "全年共收到政府信息公开申请7件。"
    doc = Document("t", "t.txt", "txt", text, lines_from_text(text))
    (m,) = tag_candidates(doc, toy_model)
    assert (m.label, m.source) == ("REQUESTS_RECEIVED", "model") and m.confidence is not None


@pytest.mark.skipif(not (BASELINE_DIR / "model.joblib").exists(), reason="no shipped baseline model")
def test_model_means_the_shipped_baseline_until_a_transformer_ships() -> None:
    tagger = load_tagger("model")
    assert tagger.source == "model"
    text = "一、总体情况\n全年共收到政府信息公开申请12件，通过门户网站发布信息1024条。\n"
    doc = Document("t", "t.txt", "txt", text, lines_from_text(text))
    labels = [m.label for m in tag_narrative(doc, system="baseline")]
    assert labels == ["REQUESTS_RECEIVED", "PORTAL_POSTS"]


def test_unknown_system_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown narrative tagger"):
        load_tagger("nope")


def test_split_file_follows_the_rule() -> None:
    if not SPLITS_PATH.exists():
        pytest.skip("annotations/splits.json not written yet (python -m gongkai.training.baseline)")
    splits = json.loads(SPLITS_PATH.read_text(encoding="utf-8"))
    assert not set(splits["train"]) & set(splits["dev"])
    for doc_id in splits["dev"]:
        assert int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 10 < 3
    for doc_id in splits["train"]:
        is_page = doc_id[0] in "pq" and doc_id[1:].isdigit()
        assert not is_page or int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 10 >= 3


@pytest.mark.skipif(not (BASELINE_DIR / "model.joblib").exists(), reason="no shipped baseline model")
def test_report_names_its_narrative_system_and_sources_follow_the_contract() -> None:
    from gongkai.extraction.pipeline import extract_document

    text = "一、总体情况\n全年共收到政府信息公开申请12件，通过门户网站发布信息1024条。\n"
    for system, source in (("baseline", "model"), ("rules", "rule")):
        rep = extract_document(Document("t", "t.txt", "txt", text, lines_from_text(text)), narrative=system)
        assert rep.narrative_system == system
        assert rep.narrative and {m.source for m in rep.narrative} == {source}
    rep = extract_document(Document("t", "t.txt", "txt", text, lines_from_text(text)), narrative="none")
    assert rep.narrative_system is None and rep.narrative == []
