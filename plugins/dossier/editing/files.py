"""The content as a command reads it, and the new files the commands create: each is checked
as ``dossier check PATH`` would check it before it is written (``commit``), and the check's
diagnostics come back with it.

Reading reports each file to a ``Progress`` (the command line shows a spinner on a terminal);
by default nothing is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dossier.check import OnFile, read_content
from dossier.diagnostics import Diagnostic, format_text, has_errors
from dossier.editing.commit import FileChange, check_change, encoded, write_change
from dossier.editing.messages import InputError, RefusalError, shown
from dossier.read.corpus import Corpus, Overlay
from dossier.schemas import Schemas
from dossier.settings import DossierSettings

# Entered around each reading of the content; gives the callback told of every file read.
Progress = Callable[[], AbstractContextManager[OnFile | None]]


def quiet() -> AbstractContextManager[OnFile | None]:
    return nullcontext()


def read(
    settings: DossierSettings,
    progress: Progress = quiet,
    *,
    articles: Collection[Path] | None = None,
    overlay: Overlay | None = None,
) -> tuple[Corpus, Schemas]:
    """The corpus (with ``articles=()``: the registry only), and the schemas; with
    ``overlay``, as a planned change would leave it."""
    with progress() as on_file:
        return read_content(settings, articles=articles, on_file=on_file, overlay=overlay)


def now(settings: DossierSettings) -> datetime:
    """Now, in the newsroom's time zone (TIMEZONE); SOURCE_DATE_EPOCH and DOSSIER_NOW fix it."""
    return settings.build_time().astimezone(ZoneInfo(settings.timezone))


def article_file(settings: DossierSettings, slug: str, lang: str, date: str) -> Path:
    """Where a new article dated ``date`` goes: the first article folder, by year."""
    return settings.content_folder / settings.article_paths[0] / date[:4] / f"{slug}.{lang}.md"


@dataclass(frozen=True)
class Created:
    """A new file and what check says of it; ``updated``: the editor's form, refreshed too."""

    path: Path
    diagnostics: list[Diagnostic]
    updated: Path | None = None

    @property
    def status(self) -> int:
        return 1 if has_errors(self.diagnostics) else 0

    def lines(self) -> list[str]:
        updated = [f"Updated {shown(self.updated)}."] if self.updated else []
        return [f"Created {shown(self.path)}", format_text(self.diagnostics), *updated]


def new_file(path: Path, text: str) -> FileChange:
    """A file to create; InputError if it exists."""
    if path.exists():
        raise InputError(f"{shown(path)} already exists")
    return FileChange(path, None, encoded(text))


def create(
    settings: DossierSettings,
    new: FileChange,
    refusal: str,
    also: Callable[[], FileChange | None] | None = None,
) -> Created:
    """Check a new file as ``check PATH`` would once it is written, and write it only if check
    finds no error; else the command is refused with ``refusal`` (what to tell the editor) and
    check's diagnostics. ``also`` gives, once the file passed, another file to write in the
    same change (the editor's form), or None."""
    diagnostics = check_change(settings, [new], [new.path])
    if has_errors(diagnostics):
        raise RefusalError(refusal, diagnostics=diagnostics)
    other = also() if also else None
    write_change(settings, f"creation of {shown(new.path)}", [new, *([other] if other else [])])
    return Created(new.path, diagnostics, other.path if other else None)
