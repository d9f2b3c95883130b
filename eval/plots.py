"""Figures for report.html, returned as base64 PNG so the page needs no other file.

matplotlib is imported here only, with the Agg backend, so scoring never needs
a display or pays the import cost.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import Any

COLORS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860")


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    _plt().close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def label_f1_bars(systems: Mapping[str, Mapping[str, Any]], labels: list[str]) -> str | None:
    """Horizontal grouped bars of strict F1 per label, one colour per system."""
    if not labels:
        return None
    plt = _plt()
    names = list(systems)
    h = 0.8 / len(names)
    fig, ax = plt.subplots(figsize=(5.2, 0.3 * len(labels) * max(1, len(names) * 0.6) + 0.9))
    for k, name in enumerate(names):
        per = systems[name]["narrative"]["strict"]["per_label"]
        vals = [(per.get(lab) or {}).get("f1") or 0.0 for lab in labels]
        ys = [i + (k - (len(names) - 1) / 2) * h for i in range(len(labels))]
        ax.barh(ys, vals, height=h * 0.92, color=COLORS[k % len(COLORS)], label=name)
        for y, v in zip(ys, vals, strict=True):
            ax.text(v + 0.01, y, f"{v:.2f}", va="center", fontsize=7, color="#444")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("strict F1")
    ax.grid(axis="x", color="#eee")
    ax.set_axisbelow(True)
    if len(names) > 1:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(names), frameon=False)
    return _png(fig)


def confusion_heatmap(
    confusion: Mapping[str, Any], title: str, labels: list[str] | None = None
) -> str | None:
    """Counts of (gold label, predicted label) as a heat map, NONE last.

    ``labels`` (default: the system's own) lets several systems share one layout.
    """
    labels = labels or confusion["labels"]
    if len(labels) <= 1:
        return None
    plt = _plt()
    mat = confusion["matrix"]
    m = [[mat.get(g, {}).get(p, 0) for p in labels] for g in labels]
    n = len(labels)
    fig, ax = plt.subplots(figsize=(0.27 * n + 1.7, 0.27 * n + 1.5))
    ax.imshow(m, cmap="Blues", aspect="equal")
    top = max(max(r) for r in m) or 1
    for i in range(n):
        for j in range(n):
            if m[i][j]:
                ax.text(
                    j,
                    i,
                    str(m[i][j]),
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="white" if m[i][j] > top * 0.55 else "#222",
                )
    ax.set_xticks(range(n), labels, rotation=60, ha="right", fontsize=6.5)
    ax.set_yticks(range(n), labels, fontsize=6.5)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title, fontsize=10, fontweight="bold")
    for spine in ax.spines.values():
        spine.set_visible(False)
    return _png(fig)


def reliability_plot(systems: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Reliability diagram (accuracy vs confidence per bin) over a histogram of bin sizes."""
    with_conf = {k: v["calibration"] for k, v in systems.items() if v["calibration"]["n"]}
    if not with_conf:
        return None
    plt = _plt()
    fig, (ax, hx) = plt.subplots(2, 1, figsize=(5.0, 5.0), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    ax.plot([0, 1], [0, 1], ls="--", color="#999", lw=1, label="perfect calibration")
    width = 1 / with_conf[next(iter(with_conf))]["n_bins"] / (len(with_conf) + 0.5)
    for k, (name, cal) in enumerate(with_conf.items()):
        color = COLORS[list(systems).index(name) % len(COLORS)]
        pts = [(b["confidence"], b["accuracy"]) for b in cal["bins"] if b["count"]]
        xs, ys = zip(*pts, strict=True)
        ax.plot(xs, ys, marker="o", ms=4, color=color, label=f"{name} (ECE {cal['ece']:.3f}, n={cal['n']})")
        lefts = [b["lo"] + k * width for b in cal["bins"]]
        hx.bar(lefts, [b["count"] for b in cal["bins"]], width=width, align="edge", color=color)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("share strictly correct")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.grid(color="#eee")
    hx.set_xlabel("confidence")
    hx.set_ylabel("mentions")
    hx.grid(axis="y", color="#eee")
    return _png(fig)
