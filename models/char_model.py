"""A character-level CNN trained from scratch: the no-pretraining control for the span model.

Why it exists: the issue asks whether pretraining pays on this data at all,
so the transformer is measured against a model that learns everything from
the ~1,000 training candidates. It reads the same context a span-model window
gives a candidate (``LEFT_CHARS`` before, ``RIGHT_CHARS`` after), one sequence
per candidate, characters embedded with a segment tag (left / mention /
right; digits folded to ``0`` so it learns words, not numbers), three dilated
residual convolutions, and pools [max over left ; mean over mention ; the char
before ; max over right] into a linear head. Confidence is temperature-scaled
like the other taggers.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from .calibration import fit_temperature, softmax_t
from .candidates import Candidate
from .span_model import CLASSES
from .tagger import mentions_from_proba
from .windows import LEFT_CHARS, RIGHT_CHARS

_DIGIT = re.compile(r"[0-9０-９]")
PAD, UNK = 0, 1
CONFIG = "config.json"
WEIGHTS = "weights.pt"


def _fold(s: str) -> str:
    return _DIGIT.sub("0", s.replace("\n", "¶"))


class CharCNN(nn.Module):
    def __init__(self, vocab: int, dim: int = 96, channels: int = 160, dropout: float = 0.2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.seg = nn.Embedding(3, dim)
        self.inp = nn.Conv1d(dim, channels, 1)
        self.convs = nn.ModuleList(nn.Conv1d(channels, channels, 3, padding=d, dilation=d) for d in (1, 2, 4))
        self.drop = nn.Dropout(dropout)
        self.head = nn.Sequential(nn.Linear(4 * channels, channels), nn.GELU(), nn.Dropout(dropout),
                                  nn.Linear(channels, len(CLASSES)))

    def forward(self, ids: torch.Tensor, seg: torch.Tensor, before: torch.Tensor) -> torch.Tensor:
        x = self.drop(self.emb(ids) + self.seg(seg)).transpose(1, 2)  # (B, D, L)
        h = self.inp(x)
        for conv in self.convs:
            h = h + nn.functional.gelu(conv(self.drop(h)))
        h = h.transpose(1, 2)  # (B, L, C)
        real = ids != PAD
        neg = torch.finfo(h.dtype).min

        def masked_max(m: torch.Tensor) -> torch.Tensor:
            out = h.masked_fill(~m.unsqueeze(-1), neg).max(1).values
            return torch.where(m.any(1, keepdim=True), out, torch.zeros_like(out))

        mention = (seg == 1) & real
        mean = (h * mention.unsqueeze(-1)).sum(1) / mention.sum(1, keepdim=True).clamp(min=1)
        prev = h[torch.arange(h.shape[0]), before]
        feats = torch.cat([masked_max((seg == 0) & real), mean, prev, masked_max((seg == 2) & real)], 1)
        return self.head(feats)


class CharTagger:
    """``Tagger`` with ``fit``/``save``/``load``, like ``models.baseline.BaselineTagger``."""

    name = "char"
    source = "model"

    def __init__(self, left: int = LEFT_CHARS, right: int = RIGHT_CHARS, epochs: int = 30, seed: int = 0,
                 lr: float = 2e-3, batch: int = 32, min_count: int = 2):
        self.params = {"left": left, "right": right, "epochs": epochs, "seed": seed, "lr": lr, "batch": batch,
                       "min_count": min_count}
        self.vocab: dict[str, int] = {}
        self.model: CharCNN | None = None
        self.temperature = 1.0
        self.classes = list(CLASSES)

    # ---- encoding ---------------------------------------------------------------------------

    def _encode(self, text: str, cands: Sequence[Candidate]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        rows, segs, before = [], [], []
        for c in cands:
            left = _fold(text[max(0, c.start - self.params["left"]): c.start])
            mid = _fold(c.text)
            right = _fold(text[c.end: c.end + self.params["right"]])
            rows.append([self.vocab.get(ch, UNK) for ch in left + mid + right])
            segs.append([0] * len(left) + [1] * len(mid) + [2] * len(right))
            before.append(max(0, len(left) - 1))
        n = max(len(r) for r in rows)
        ids = torch.zeros((len(rows), n), dtype=torch.long)
        seg = torch.zeros((len(rows), n), dtype=torch.long)
        for i, (r, s) in enumerate(zip(rows, segs, strict=True)):
            ids[i, : len(r)] = torch.tensor(r)
            seg[i, : len(s)] = torch.tensor(s)
        return ids, seg, torch.tensor(before)

    # ---- fit --------------------------------------------------------------------------------

    def fit(self, examples: Sequence[Any], calibration: Sequence[Any] = ()) -> CharTagger:
        """``examples``: ``models.dataset.Example`` (text, candidate, label); T fitted on ``calibration``."""
        from gongkai.training.train_transformer import class_weights

        p = self.params
        rng = random.Random(p["seed"])
        torch.manual_seed(p["seed"])
        counts = Counter(ch for e in examples for ch in _fold(
            e.text[max(0, e.candidate.start - p["left"]): e.candidate.end + p["right"]]))
        self.vocab = {ch: i + 2 for i, ch in enumerate(sorted(c for c, n in counts.items() if n >= p["min_count"]))}
        index = {c: i for i, c in enumerate(CLASSES)}
        y_all = [index[e.label] for e in examples]
        self.model = CharCNN(len(self.vocab) + 2)
        opt = torch.optim.AdamW(self.model.parameters(), lr=p["lr"], weight_decay=0.01)
        weights = class_weights(y_all, 0.5)
        order = list(range(len(examples)))
        steps = p["epochs"] * math.ceil(len(order) / p["batch"])
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=p["lr"], total_steps=max(1, steps))
        for _ in range(p["epochs"]):
            rng.shuffle(order)
            self.model.train()
            for i in range(0, len(order), p["batch"]):
                idx = order[i : i + p["batch"]]
                loss = self._loss([examples[k] for k in idx], torch.tensor([y_all[k] for k in idx]), weights)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                sched.step()
        self.model.eval()
        if calibration:
            z = np.concatenate([self._logits_examples(calibration[i : i + 256]) for i in range(0, len(calibration), 256)])
            self.temperature = fit_temperature(z, np.array([index[e.label] for e in calibration]))
        return self

    def _loss(self, batch: Sequence[Any], y: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        return nn.functional.cross_entropy(self._batch_logits(batch), y, weight=weights)

    def _batch_logits(self, batch: Sequence[Any]) -> torch.Tensor:
        """One padded batch over candidates from different documents."""
        assert self.model is not None
        parts = [self._encode(e.text, [e.candidate]) for e in batch]
        n = max(p[0].shape[1] for p in parts)
        ids = torch.cat([nn.functional.pad(p[0], (0, n - p[0].shape[1])) for p in parts])
        seg = torch.cat([nn.functional.pad(p[1], (0, n - p[1].shape[1])) for p in parts])
        before = torch.cat([p[2] for p in parts])
        return self.model(ids, seg, before)

    def _logits_examples(self, batch: Sequence[Any]) -> np.ndarray:
        with torch.inference_mode():
            return self._batch_logits(batch).numpy()

    # ---- predict ----------------------------------------------------------------------------

    def predict_proba(self, text: str, candidates: Sequence[Candidate]) -> np.ndarray:
        if not candidates:
            return np.zeros((0, len(CLASSES)), np.float32)
        assert self.model is not None
        with torch.inference_mode():
            z = self.model(*self._encode(text, candidates)).numpy()
        return softmax_t(z, self.temperature)

    def predict(self, text: str, candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
        return mentions_from_proba(candidates, self.predict_proba(text, candidates), CLASSES)

    # ---- persistence ------------------------------------------------------------------------

    def save(self, out_dir: Path | str) -> Path:
        assert self.model is not None
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        torch.save(self.model.state_dict(), out / WEIGHTS)
        cfg = {"kind": "gongkai.models.char_model.CharTagger", "params": self.params, "vocab": self.vocab,
               "temperature": self.temperature, "classes": self.classes}
        (out / CONFIG).write_text(json.dumps(cfg, ensure_ascii=False), encoding="utf-8")
        return out

    @classmethod
    def load(cls, model_dir: Path | str) -> CharTagger:
        d = Path(model_dir)
        cfg = json.loads((d / CONFIG).read_text(encoding="utf-8"))
        self = cls(**cfg["params"])
        self.vocab = cfg["vocab"]
        self.temperature = cfg["temperature"]
        self.model = CharCNN(len(self.vocab) + 2)
        self.model.load_state_dict(torch.load(d / WEIGHTS, weights_only=True))
        self.model.eval()
        return self
