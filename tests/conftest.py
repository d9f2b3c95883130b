"""Shared test fixtures: where the real data lives, and skipping cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"real report data not available: {p} is absent (CI and developers have ../shared)")
    return p


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture
def seeds_gold_dir() -> Path:
    return shared_path("gold", "seeds")
