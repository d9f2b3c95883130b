"""One-to-one matching of mentions, shared by the narrative and calibration scores.

Spans are half-open ``[start, end)`` character offsets. Matching is always
one-to-one: a gold mention is used by at most one prediction, so a duplicated
prediction earns one hit and one false positive, and two gold mentions of the
same span need two predictions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Mention = Mapping[str, Any]


def overlap(a: Mention, b: Mention) -> int:
    """Characters two spans share (0 when disjoint; touching spans do not overlap)."""
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def max_matching(
    gold: Sequence[Mention], pred: Sequence[Mention], ok: Callable[[Mention, Mention], bool]
) -> list[tuple[int, int]]:
    """Maximum bipartite matching (Kuhn's augmenting paths) of gold and pred indices.

    Candidates are tried by decreasing overlap, so exact spans are preferred
    when that does not cost a match. Sizes here are tens of mentions.
    """
    cands = [
        sorted((gi for gi, g in enumerate(gold) if ok(g, p)), key=lambda gi, p=p: -overlap(gold[gi], p))
        for p in pred
    ]
    owner: dict[int, int] = {}  # gold index -> pred index

    def augment(pi: int, seen: set[int]) -> bool:
        for gi in cands[pi]:
            if gi in seen:
                continue
            seen.add(gi)
            if gi not in owner or augment(owner[gi], seen):
                owner[gi] = pi
                return True
        return False

    for pi in range(len(pred)):
        augment(pi, set())
    return sorted((gi, pi) for gi, pi in owner.items())


def strict_matches(gold: Sequence[Mention], pred: Sequence[Mention]) -> list[tuple[int, int]]:
    """Pairs with the same (start, end, label).

    Among identical predictions the most confident ones take the gold mentions,
    so calibration marks those correct and the surplus wrong.
    """
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for gi, g in enumerate(gold):
        by_key[(g["start"], g["end"], g["label"])].append(gi)
    order = sorted(range(len(pred)), key=lambda i: -(pred[i].get("confidence") or 0.0))
    out = []
    for pi in order:
        p = pred[pi]
        free = by_key.get((p["start"], p["end"], p["label"]))
        if free:
            out.append((free.pop(0), pi))
    return sorted(out)


def same_label_overlap(g: Mention, p: Mention) -> bool:
    return g["label"] == p["label"] and overlap(g, p) > 0


def any_overlap(g: Mention, p: Mention) -> bool:
    return overlap(g, p) > 0
