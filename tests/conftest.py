"""Shared test set-up: fixtures over the helpers in helpers.py (tests import helpers from there, not from here)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import FIXTURES, SEEDS, need_shared


@pytest.fixture
def seeds() -> list[Path]:
    return sorted(need_shared(SEEDS).glob("*.txt"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


CHROMIUM = Path(os.environ.get("NEWSPRISM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
# No sandbox: test containers run as root; the rest keeps Chromium from reaching the network on its own.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _unavailable(reason: str) -> None:
    message = f"{reason} — run scripts/install-browser.sh .venv/bin/python"
    if os.environ.get("NEWSPRISM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"NEWSPRISM_REQUIRE_BROWSER=1 but {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a browser download of its own)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright (the Python package) is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the session (tests/pgserver.py); skipped with the reason when it cannot run, and
    failed instead under NEWSPRISM_REQUIRE_POSTGRES=1 (CI)."""
    import pgserver

    try:
        import psycopg  # noqa: F401
        server = pgserver.Server()
    except (ImportError, RuntimeError, OSError) as exc:
        message = f"PostgreSQL cannot run here: {exc} — run scripts/install-postgres.sh"
        if os.environ.get("NEWSPRISM_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"NEWSPRISM_REQUIRE_POSTGRES=1 but {message}")
        pytest.skip(message)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The address of a new, empty store of each backend: the store's tests run on both."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("postgres").new_database()
