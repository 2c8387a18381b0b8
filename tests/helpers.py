"""What tests share: where the third-party data lives (../shared, skipped with a reason when absent), running the
command as a user would, and running the analysis stages a test needs."""

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


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """Run the command in this process as a user would; returns (exit code, stdout, stderr), never a traceback."""
    from newsprism.cli import main

    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return info.value.code, out, err


def story(articles, *wanted: str, annotations=None):
    """The story context after the default stages that make ``wanted`` (and what they need) have run."""
    from newsprism.analysis import run_story

    return run_story(list(articles), list(wanted) or None, annotations=annotations)


def stages(*wanted: str, replace=()):
    """The default stages that make ``wanted``, with the stages in ``replace`` taking the place of those of their
    name (a stage built with other arguments)."""
    from newsprism.analysis import default_stages, stages_for

    by_name = {s.name: s for s in replace}
    return stages_for(list(wanted), [by_name.get(s.name, s) for s in default_stages()])


# Markup a hostile source may carry: none of it may become markup in anything we render.
HOSTILE_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    "<a href=\"javascript:alert(1)\">click</a>",
    "</textarea><script>alert(1)</script>",
    "</title></style></script><script>alert(1)</script>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=refresh content=\"0;url=https://evil.example\">",
    "{{ 7*7 }}{% raw %}",
    "\u202egnp.exe <b>bold</b>",
]
