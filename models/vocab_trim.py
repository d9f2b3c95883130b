"""Vocabulary trimming for the e5-small model: keep only rows Chinese reports need.

Why: 96 M of e5-small's 117 M parameters are word-embedding rows for 250 k
XLM-R pieces, most of them for scripts that never occur in Chinese government
reports. Dropping them shrinks the checkpoint ~4x and the optimiser state of a
fine-tune accordingly (the forward pass is not faster: a lookup is a gather).

How: the Unigram vocabulary in ``tokenizer.json`` is cut down to the kept
pieces (renumbered in their old order, so ``<s> <pad> </s> <unk>`` stay 0-3) and
the embedding matrix to the same rows. The result is a normal HF directory:
the trimmed tokenizer emits the new ids itself, no wrapper needed. For text
whose original segmentation uses only kept pieces the segmentation is
provably unchanged (Viterbi's best path survives in the subset; any other path
was already worse); other text falls back to shorter kept pieces.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

VOCAB_MAP = "vocab_map.json"  # {"kept_old_ids": [...]}: new id i was old id kept_old_ids[i]
_WORD = "embeddings.word_embeddings.weight"
_COPY = ("tokenizer_config.json",)


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FFFF
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
    )


def _report_char(c: str) -> bool:
    cat = unicodedata.category(c)
    return _is_cjk(c) or (c.isascii() and c.isdigit()) or cat[0] in "PS"


def report_piece_ids(
    tokenizer_json: Path,
    texts: Iterable[str] = (),
    prefixes: Iterable[str] = ("",),
    ascii_top: int = 5000,
) -> list[int]:
    """Ids worth keeping for Chinese reports.

    Every piece made only of CJK characters, ASCII digits, punctuation or
    symbols; every single-character piece (so no character becomes ``<unk>``
    that was not already); the ``ascii_top`` most probable pure-ASCII pieces
    (reports quote URLs, app names, "PDF"); special tokens; and every piece the
    tokenizer uses on ``texts`` (each tried with each of ``prefixes``, e.g. e5's
    "query: ").
    """
    from tokenizers import Tokenizer

    data = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
    keep = {t["id"] for t in data.get("added_tokens", [])}
    ascii_pieces: list[tuple[float, int]] = []
    for i, (piece, score) in enumerate(data["model"]["vocab"]):
        body = piece.replace("\u2581", "")
        if len(body) <= 1 or all(_report_char(c) for c in body):
            keep.add(i)
        elif body.isascii():
            ascii_pieces.append((score, i))
    keep.update(i for _, i in sorted(ascii_pieces, reverse=True)[:ascii_top])
    tok = Tokenizer.from_file(str(tokenizer_json))
    prefixes = list(prefixes)
    for text in texts:
        for p in prefixes:
            keep.update(tok.encode(p + text).ids)
    return sorted(keep)


def _remap_special_ids(node: Any, old_to_new: dict[int, int]) -> Any:
    """Rewrite the ``ids`` lists of post-processor special tokens."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "ids" and isinstance(v, list) and all(isinstance(x, int) for x in v):
                out[k] = [old_to_new[x] for x in v]
            else:
                out[k] = _remap_special_ids(v, old_to_new)
        return out
    if isinstance(node, list):
        return [_remap_special_ids(v, old_to_new) for v in node]
    return node


def _trim_tokenizer(data: dict[str, Any], kept: list[int], old_to_new: dict[int, int]) -> dict[str, Any]:
    model = dict(data["model"])
    vocab = model["vocab"]
    model["vocab"] = [vocab[i] for i in kept]
    model["unk_id"] = old_to_new[model["unk_id"]]
    out = dict(data)
    out["model"] = model
    out["added_tokens"] = [{**t, "id": old_to_new[t["id"]]} for t in data.get("added_tokens", [])]
    out["post_processor"] = _remap_special_ids(data.get("post_processor"), old_to_new)
    return out


def trim_vocab(
    model_dir: Path, keep_token_ids: Iterable[int], out_dir: Path | None = None
) -> tuple[Path, dict[int, int]]:
    """Write a copy of ``model_dir`` whose tokenizer and embeddings hold only the kept pieces.

    Special tokens are always kept. Returns the new directory (default: a sibling
    named after a hash of the kept ids, reused when it already exists) and the
    old->new id map. Writing is atomic (temp dir + rename).
    """
    from safetensors.numpy import load_file, save_file

    model_dir = Path(model_dir)
    data = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    n_pieces = len(data["model"]["vocab"])
    specials = {t["id"] for t in data.get("added_tokens", [])} | {data["model"]["unk_id"]}
    kept = sorted(set(keep_token_ids) | specials)
    if kept[0] < 0 or kept[-1] >= n_pieces:
        raise ValueError(f"token ids must lie in [0, {n_pieces})")
    old_to_new = {old: new for new, old in enumerate(kept)}
    digest = hashlib.sha256(np.asarray(kept, np.int64).tobytes()).hexdigest()[:10]
    out = (
        Path(out_dir)
        if out_dir is not None
        else model_dir.with_name(f"{model_dir.name}-trim{len(kept)}-{digest}")
    )
    if (out / VOCAB_MAP).is_file() and json.loads((out / VOCAB_MAP).read_text())["kept_old_ids"] == kept:
        return out, old_to_new

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        sd = load_file(str(model_dir / "model.safetensors"))
        sd[_WORD] = np.ascontiguousarray(sd[_WORD][kept])
        save_file(sd, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        config["vocab_size"] = len(kept)
        for key in ("pad_token_id", "bos_token_id", "eos_token_id"):
            if config.get(key) is not None:
                config[key] = old_to_new[config[key]]
        (tmp / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        trimmed = _trim_tokenizer(data, kept, old_to_new)
        (tmp / "tokenizer.json").write_text(json.dumps(trimmed, ensure_ascii=False), encoding="utf-8")
        for name in _COPY:
            shutil.copyfile(model_dir / name, tmp / name)
        (tmp / VOCAB_MAP).write_text(
            json.dumps({"source": str(model_dir), "kept_old_ids": kept}), encoding="utf-8"
        )
        tmp.chmod(0o755)
        if out.exists():
            shutil.rmtree(out)
        os.rename(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out, old_to_new
