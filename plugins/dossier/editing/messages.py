"""What the editing commands tell an editor: the two ways a command stops short, and paths in
the words of their messages.

``InputError`` is a mistake in the command's arguments (the command line reports it as wrong
usage, exit status 2, naming the parameter); ``RefusalError`` is content that forbids what was
asked, so that nothing was written (exit status 1). Neither is ever a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dossier.diagnostics import Diagnostic
from dossier.read.corpus import display_path


class InputError(ValueError):
    """An argument the command cannot take: the message, and the parameter it concerns as the
    command line names it (``--slug``, ``ID``); None when it concerns the command as a whole."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class RefusalError(Exception):
    """Nothing was written: ``message`` says so. What stands in the way: ``diagnostics``, what
    check says of a file, and ``conflicts``, the other reasons (one sentence each)."""

    def __init__(
        self,
        message: str,
        *,
        diagnostics: Sequence[Diagnostic] = (),
        conflicts: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)
        self.conflicts = list(conflicts)


def shown(path: Path) -> str:
    """A path as the messages show it: relative to the working folder where possible."""
    return display_path(path.resolve(), Path.cwd().resolve())
