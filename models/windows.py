"""Token windows around candidates: the only text the span model's encoder reads.

Why windows and not the whole prose: a report's prose is ~1,700 tokens, but
the words that decide a candidate's label sit within a sentence of it. Cutting
the encoder's input down to short windows around the candidates (several
candidates share one window when they are close) is the first and largest
speed-up, and short sequences also make attention cheap.

How: the text around each candidate (``left`` chars before, ``right`` after)
is merged into chunks, each chunk is tokenised once (fast tokenizer, with
offsets), and the chunk's candidates are packed greedily into windows of at
most ``max_tokens`` (specials included). A window never cuts a mention and
starts ``left`` chars before its first candidate (or at the chunk start), so
every candidate keeps at least that much left context where the text has it.
Training and inference build windows the same way, so the model always sees
the same kind of input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .candidates import Candidate

MAX_TOKENS = 128
LEFT_CHARS = 64
RIGHT_CHARS = 24


@dataclass(frozen=True)
class Window:
    """One encoder input: token ids (no specials) and, per candidate, its token span."""

    ids: tuple[int, ...]
    cand_index: tuple[int, ...]  # indices into the candidate list given to :func:`make_windows`
    spans: tuple[tuple[int, int], ...]  # [a, b) token range of each candidate within ``ids``


def _chunks(n_text: int, cands: Sequence[Candidate], left: int, right: int) -> list[tuple[int, int, list[int]]]:
    """Merge each candidate's [start-left, end+right) into disjoint char chunks, with their candidates."""
    order = sorted(range(len(cands)), key=lambda i: (cands[i].start, cands[i].end))
    out: list[tuple[int, int, list[int]]] = []
    for i in order:
        c = cands[i]
        s, e = max(0, c.start - left), min(n_text, c.end + right)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e), [*out[-1][2], i])
        else:
            out.append((s, e, [i]))
    return out


def _token_span(offsets: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """Tokens overlapping chars [start, end) (relative offsets); the nearest token if none does."""
    idx = [k for k, (s, e) in enumerate(offsets) if s < end and e > start and e > s]
    if idx:
        return idx[0], idx[-1] + 1
    k = next((k for k, (s, _) in enumerate(offsets) if s >= start), len(offsets) - 1)
    return k, k + 1


def _first_token_at(offsets: Sequence[tuple[int, int]], char: int) -> int:
    return next((k for k, (_, e) in enumerate(offsets) if e > char), len(offsets) - 1)


def _last_token_before(offsets: Sequence[tuple[int, int]], char: int) -> int:
    """Index one past the last token starting before ``char``."""
    k = len(offsets)
    while k > 0 and offsets[k - 1][0] >= char:
        k -= 1
    return k


def make_windows(
    text: str,
    cands: Sequence[Candidate],
    tokenizer: Any,
    max_tokens: int = MAX_TOKENS,
    left: int = LEFT_CHARS,
    right: int = RIGHT_CHARS,
) -> list[Window]:
    """Windows covering every candidate exactly once (``tokenizer``: a ``tokenizers.Tokenizer``)."""
    if not cands:
        return []
    budget = max_tokens - 2  # [CLS] ... [SEP]
    chunks = _chunks(len(text), cands, left, right)
    encs = tokenizer.encode_batch([text[s:e] for s, e, _ in chunks], add_special_tokens=False)
    out: list[Window] = []
    for (cs, _ce, members), enc in zip(chunks, encs, strict=True):
        offsets = enc.offsets
        ids = enc.ids
        spans = {i: _token_span(offsets, cands[i].start - cs, cands[i].end - cs) for i in members}
        k = 0
        while k < len(members):
            first = members[k]
            ws = min(_first_token_at(offsets, cands[first].start - cs - left), spans[first][0])
            j = k
            while j + 1 < len(members):
                nxt = members[j + 1]
                need = max(spans[nxt][1], _last_token_before(offsets, cands[nxt].end - cs + right))
                if need - ws > budget:
                    break
                j += 1
            last = members[j]
            we = max(spans[last][1], min(_last_token_before(offsets, cands[last].end - cs + right), ws + budget))
            if we - ws > budget:  # a single candidate whose left context alone is too long: trim the left
                ws = max(0, we - budget)
            group = members[k : j + 1]
            out.append(
                Window(
                    ids=tuple(ids[ws:we]),
                    cand_index=tuple(group),
                    spans=tuple((spans[i][0] - ws, spans[i][1] - ws) for i in group),
                )
            )
            k = j + 1
    return out
