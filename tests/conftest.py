"""Shared test set-up: where the third-party data lives (../shared), skipped with a reason when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = ROOT / "src" / "newsprism" / "examples" / "harbour-strike"


def need_shared(path: Path) -> Path:
    """``path`` under ../shared, or skip the test saying what is missing."""
    if not path.exists():
        pytest.skip(f"{path} not found: third-party test data is read from ../shared beside the checkout")
    return path


@pytest.fixture
def seeds() -> list[Path]:
    return sorted(need_shared(SEEDS).glob("*.txt"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """Run the command in this process as a user would; returns (exit code, stdout, stderr), never a traceback."""
    from newsprism.cli import main

    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return info.value.code, out, err
