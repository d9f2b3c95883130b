"""What got better or worse between two ``metrics.json`` files.

Every numeric leaf is flattened to a dotted key (``systems.model.tables.overall.accuracy``);
run metadata (``run.*``) is ignored. Whether a change is good depends on the
metric's name: scores go up, error counts and ECE go down, sizes are neutral.
Changes are listed headline scores first, then other rates, then counts, each
group sorted by the size of the change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

HIGHER_BETTER = {
    "accuracy",
    "f1",
    "precision",
    "recall",
    "correct",
    "tp",
    "true",
    "all_correct",
    "share_all_correct",
}
LOWER_BETTER = {
    "ece",
    "fp",
    "fn",
    "wrong",
    "missing",
    "extra",
    "false",
    "missed",
    "failed",
    "missing_predictions",
    "reports_with_false_findings",
    "spurious",
    "label",
    "boundary",
}

RATES = {"accuracy", "f1", "precision", "recall", "share_all_correct", "ece", "confidence", "mean_confidence"}
HEADLINE = (
    "tables.overall.accuracy",
    "tables.reports.share_all_correct",
    "narrative.strict.micro.f1",
    "narrative.strict.macro.f1",
    "narrative.partial.micro.f1",
    "narrative.value.micro.f1",
    "calibration.ece",
    "validation.precision",
    "validation.recall",
)


@dataclass
class Change:
    key: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def tier(self) -> int:
        """0 headline score, 1 other rate, 2 count."""
        parts = self.key.split(".", 2)
        if parts[0] == "systems" and len(parts) == 3 and parts[2] in HEADLINE:
            return 0
        return 1 if _is_rate(self.key) else 2

    @property
    def verdict(self) -> str:
        """better / worse / changed (neutral metric) / added / removed / same."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        d = self.delta
        if not d:
            return "same"
        name = self.key.rsplit(".", 1)[-1]
        if ".bins." in self.key or ".confusion." in self.key:
            return "changed"
        if name in HIGHER_BETTER:
            return "better" if d > 0 else "worse"
        if name in LOWER_BETTER or ".errors_by_kind." in self.key:
            return "better" if d < 0 else "worse"
        return "changed"


def _is_rate(key: str) -> bool:
    return key.rsplit(".", 1)[-1] in RATES


def flatten(obj: Any, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of nested dicts/lists as ``{dotted.key: value}`` (bools and nulls dropped)."""
    out: dict[str, float] = {}
    if isinstance(obj, Mapping):
        items = obj.items()
    elif isinstance(obj, list):
        items = ((str(i), v) for i, v in enumerate(obj))
    else:
        if isinstance(obj, int | float) and not isinstance(obj, bool):
            out[prefix] = float(obj)
        return out
    for k, v in items:
        out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    return out


def diff_metrics(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Changed, added and removed numeric keys, largest absolute change first."""
    a = {k: v for k, v in flatten(old).items() if not k.startswith("run.")}
    b = {k: v for k, v in flatten(new).items() if not k.startswith("run.")}
    changes = [Change(k, a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys())]
    changes = [c for c in changes if c.verdict != "same"]
    return sorted(changes, key=lambda c: (c.delta is None, c.tier, -abs(c.delta or 0.0), c.key))


def load_metrics(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


_STYLE = {"better": "green", "worse": "red", "changed": "yellow", "added": "cyan", "removed": "magenta"}


def _fmt(v: float | None, rate: bool) -> str:
    if v is None:
        return "—"
    return f"{v:.4f}" if rate or not v.is_integer() else f"{v:.0f}"


def headline(changes: list[Change], old_name: str, new_name: str) -> str:
    n_better = sum(c.verdict == "better" for c in changes)
    n_worse = sum(c.verdict == "worse" for c in changes)
    return f"{old_name} → {new_name}: {n_better} better, {n_worse} worse, {len(changes)} changed"


def render_diff(changes: list[Change], limit: int | None = 60) -> Table:
    """A rich table of the changes (the first ``limit``, already sorted)."""
    table = Table()
    for col, just in (
        ("metric", "left"),
        ("old", "right"),
        ("new", "right"),
        ("delta", "right"),
        ("", "left"),
    ):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    shown = changes if limit is None else changes[:limit]
    for c in shown:
        style = _STYLE.get(c.verdict, "")
        d, rate = c.delta, _is_rate(c.key)
        delta = "" if d is None else f"{'+' if d > 0 else ''}{_fmt(d, rate)}"
        key = f"[bold]{c.key}[/bold]" if c.tier == 0 else c.key
        table.add_row(key, _fmt(c.old, rate), _fmt(c.new, rate), delta, c.verdict, style=style)
    if len(shown) < len(changes):
        table.caption = f"{len(changes) - len(shown)} smaller changes not shown"
    return table


def print_diff(
    old_path: Path, new_path: Path, console: Console | None = None, limit: int | None = 60
) -> list[Change]:
    """Load two metrics files, print their differences, return them."""
    changes = diff_metrics(load_metrics(old_path), load_metrics(new_path))
    console = console or Console()
    if not changes:
        console.print(f"no numeric differences between {old_path} and {new_path}")
    else:
        console.print(headline(changes, str(old_path), str(new_path)), soft_wrap=True, highlight=False)
        console.print(render_diff(changes, limit))
    return changes
