"""The fine-tuned transformer for narrative counts: span classification of candidates.

Why span classification and not BIO tagging: the candidate finder
(``models.candidates``) already cuts every quantity mention exactly as the
annotation convention wants (``2000余条``, never ``约2000余条``), so boundary
exactness comes from the rules and a BIO tagger could only lose it. The model
only decides the label (17 labels or "O") of each given span, which is also
what the baseline and the rules do, so all three are interchangeable behind
``models.tagger.Tagger``.

How: a BERT encoder (by default the first N layers of multilingual-e5-small,
fine-tuned, with frozen word embeddings over a trimmed vocabulary) reads short
windows of prose around the candidates (``models.windows``; several candidates
share a window). Each candidate is pooled as [mean of its tokens ; the token
right before it] (the verb or channel usually sits right before the count,
and the number itself says little), and a small MLP head maps that to 18
logits. Confidence is ``softmax(logits / T)`` with T fitted on a held-out
slice of train (``training.train_transformer``), after the logits are
corrected for the class weights of the training loss (``offsets``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from gongkai.spec import LABELS

from .calibration import softmax_t
from .candidates import Candidate
from .tagger import OUTSIDE, mentions_from_proba
from .windows import LEFT_CHARS, MAX_TOKENS, RIGHT_CHARS, Window, make_windows

CLASSES: tuple[str, ...] = (OUTSIDE, *LABELS)


class SpanHead(nn.Module):
    """[mean(span) ; token before] -> hidden -> classes."""

    def __init__(self, hidden: int, n_classes: int = len(CLASSES), dropout: float = 0.1):
        super().__init__()
        self.net = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(2 * hidden, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, n_classes),
        )

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        return self.net(feats)


@dataclass
class Batch:
    """Padded windows plus, per candidate, where its tokens are in the flattened hidden states."""

    input_ids: torch.Tensor  # (B, S)
    attention_mask: torch.Tensor  # (B, S)
    tok_index: torch.Tensor  # flat indices (b*S + s) of every span token
    tok_owner: torch.Tensor  # candidate row of each of those tokens
    prev_index: torch.Tensor  # flat index of the token before each candidate ([CLS] at worst)
    n_tokens: torch.Tensor  # span length per candidate (float)
    order: list[tuple[int, int]]  # (window, position in window) of each candidate row

    def to(self, device: str | torch.device) -> Batch:
        t = {k: getattr(self, k).to(device) for k in
             ("input_ids", "attention_mask", "tok_index", "tok_owner", "prev_index", "n_tokens")}
        return Batch(**t, order=self.order)


def collate(windows: Sequence[Window], cls_id: int, sep_id: int, pad_id: int) -> Batch:
    seq = max(len(w.ids) for w in windows) + 2
    ids = torch.full((len(windows), seq), pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), seq), dtype=torch.long)
    tok_index: list[int] = []
    tok_owner: list[int] = []
    prev: list[int] = []
    n_tok: list[float] = []
    order: list[tuple[int, int]] = []
    for b, w in enumerate(windows):
        n = len(w.ids)
        ids[b, 0] = cls_id
        ids[b, 1 : n + 1] = torch.tensor(w.ids, dtype=torch.long)
        ids[b, n + 1] = sep_id
        mask[b, : n + 2] = 1
        for j, (a, e) in enumerate(w.spans):
            row = len(order)
            order.append((b, j))
            tok_index.extend(b * seq + 1 + k for k in range(a, e))
            tok_owner.extend([row] * (e - a))
            prev.append(b * seq + a)  # position a in input coords is the token before the span
            n_tok.append(float(e - a))
    return Batch(
        ids,
        mask,
        torch.tensor(tok_index, dtype=torch.long),
        torch.tensor(tok_owner, dtype=torch.long),
        torch.tensor(prev, dtype=torch.long),
        torch.tensor(n_tok),
        order,
    )


class SpanClassifier(nn.Module):
    """Encoder + span pooling + head; ``forward`` returns one row of logits per candidate."""

    def __init__(self, encoder: nn.Module, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.head = SpanHead(encoder.config.hidden_size, len(CLASSES), dropout)

    def features(self, batch: Batch) -> torch.Tensor:
        h = self.encoder(input_ids=batch.input_ids, attention_mask=batch.attention_mask).last_hidden_state
        flat = h.reshape(-1, h.shape[-1])
        n = batch.prev_index.shape[0]
        summed = torch.zeros((n, flat.shape[-1]), dtype=flat.dtype, device=flat.device)
        summed.index_add_(0, batch.tok_owner, flat.index_select(0, batch.tok_index))
        mean = summed / batch.n_tokens.to(flat.dtype).unsqueeze(1)
        return torch.cat([mean, flat.index_select(0, batch.prev_index)], dim=1)

    def forward(self, batch: Batch) -> torch.Tensor:
        return self.head(self.features(batch))


def keep_layers(encoder: nn.Module, n: int | None) -> nn.Module:
    """Keep the first ``n`` transformer layers (a shallower, faster student of the same model)."""
    layers = encoder.encoder.layer
    if n is not None and 0 < n < len(layers):
        encoder.encoder.layer = nn.ModuleList(list(layers)[:n])
        encoder.config.num_hidden_layers = n
    return encoder


class SpanTagger:
    """``Tagger`` over a :class:`SpanClassifier`; build with ``models.span_store.load_span_tagger``."""

    name = "transformer"
    source = "model"
    reads_windows = True  # predict_proba(..., need=...) is supported: see CascadeTagger

    def __init__(
        self,
        model: SpanClassifier,
        tokenizer: Any,
        special: dict[str, int],
        temperature: float = 1.0,
        window: dict[str, int] | None = None,
        batch_windows: int = 32,
        info: dict[str, Any] | None = None,
        offsets: Sequence[float] | None = None,
    ):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.special = special  # cls / sep / pad ids
        self.temperature = float(temperature)
        self.window = window or {"max_tokens": MAX_TOKENS, "left": LEFT_CHARS, "right": RIGHT_CHARS}
        self.batch_windows = batch_windows
        self.info = info or {}
        self.classes = list(CLASSES)
        # added to the raw logits: -log(class weight of the training loss), see train_transformer.logit_offsets
        self.offsets = np.zeros(len(CLASSES), np.float32) if offsets is None else np.asarray(offsets, np.float32)

    def windows(self, text: str, candidates: Sequence[Candidate]) -> list[Window]:
        return make_windows(text, candidates, self.tokenizer, **self.window)

    def logits(self, text: str, candidates: Sequence[Candidate], need: Sequence[int] | None = None) -> np.ndarray:
        """Logits (with the class-weight offsets), one row per candidate, in candidate order.

        ``need``: only these candidates' rows are wanted (the rest stay 0). The windows are still cut
        over all candidates, as in training (a window holds several candidates, and its context depends on
        them); only windows without a needed candidate are skipped.
        """
        out = np.zeros((len(candidates), len(CLASSES)), np.float32)
        wins = self.windows(text, candidates)
        if need is not None:
            wanted = set(need)
            wins = [w for w in wins if not wanted.isdisjoint(w.cand_index)]
        wins.sort(key=lambda w: len(w.ids))
        with torch.inference_mode():
            for i in range(0, len(wins), self.batch_windows):
                chunk = wins[i : i + self.batch_windows]
                batch = collate(chunk, self.special["cls"], self.special["sep"], self.special["pad"])
                z = self.model(batch).float().numpy() + self.offsets
                for row, (b, j) in enumerate(batch.order):
                    out[chunk[b].cand_index[j]] = z[row]
        return out

    def predict_proba(self, text: str, candidates: Sequence[Candidate], need: Sequence[int] | None = None
                      ) -> np.ndarray:
        """Calibrated probabilities, one row per candidate (with ``need``: only those rows are filled)."""
        if not candidates:
            return np.zeros((0, len(CLASSES)), np.float32)
        return softmax_t(self.logits(text, candidates, need), self.temperature)

    def predict(self, text: str, candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
        return mentions_from_proba(candidates, self.predict_proba(text, candidates), CLASSES)
