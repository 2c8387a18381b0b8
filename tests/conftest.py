"""Shared test set-up: fixtures over the helpers in helpers.py (tests import helpers from there, not from here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import FIXTURES, SEEDS, need_shared


@pytest.fixture
def seeds() -> list[Path]:
    return sorted(need_shared(SEEDS).glob("*.txt"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
