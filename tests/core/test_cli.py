"""The `dossier` command's own part, without a site: every command has its help, and the editing
functions' errors become usage errors and refusals. The commands driven on copies of the sample
content are in tests/site/test_editor_tools.py."""

from __future__ import annotations

import click
from click.testing import CliRunner
from dossier.cli import _edits, main
from dossier.editing.messages import InputError, RefusalError


def test_the_command_line_maps_the_editing_errors_to_usage_errors_and_refusals() -> None:
    raised = {
        "param": InputError("'x' is no good", "--slug"),
        "whole": InputError("name the author with --author ID"),
        "refused": RefusalError("Nothing was changed.", conflicts=["one", "two"]),
    }

    @click.command()
    @click.argument("case")
    @_edits
    def command(case: str) -> None:
        """Raises what CASE names."""
        raise raised[case]

    param = CliRunner().invoke(command, ["param"])
    assert param.exit_code == 2
    assert param.stderr.endswith("Error: Invalid value for --slug: 'x' is no good\n")
    whole = CliRunner().invoke(command, ["whole"])
    assert whole.exit_code == 2
    assert whole.stderr.endswith("\nError: name the author with --author ID\n")
    refused = CliRunner().invoke(command, ["refused"])
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == "error: one\nerror: two\nNothing was changed.\n"


def test_every_command_has_help() -> None:
    def commands(group: click.Group, path: list[str]):
        for name, command in group.commands.items():
            yield [*path, name]
            if isinstance(command, click.Group):
                yield from commands(command, [*path, name])

    from click.testing import CliRunner

    for path in [[], *commands(main, [])]:
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert result.output.startswith("Usage: ")
