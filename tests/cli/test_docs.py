"""Every command is documented: in the README, in docs/, and with an example in its own --help."""

from __future__ import annotations

import pytest

from helpers import ROOT, run_cli
from newsprism.cli import cli

COMMANDS = sorted(cli.commands)


def test_docs_list_of_commands_is_what_the_cli_has():
    assert {"analyze", "extract", "ingest", "stories", "show", "cluster", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_docs_every_command_in_readme_docs_and_help(command, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    docs = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    assert f"newsprism {command}" in readme, f"README.md does not show 'newsprism {command}'"
    assert f"newsprism {command}" in docs, f"no page in docs/ shows 'newsprism {command}'"
    code, out, _ = run_cli([command, "--help"], capsys)
    assert code == 0 and "Example" in out and f"newsprism {command}" in out
