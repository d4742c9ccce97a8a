"""The content as a command reads it, and the new files the commands create: each is checked
as ``dossier check PATH`` would check it, and the check's diagnostics come back with it.

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

from dossier.check import OnFile, check_files, read_content
from dossier.diagnostics import Diagnostic, format_text, has_errors
from dossier.editing.messages import InputError, RefusalError, shown
from dossier.read.corpus import Corpus
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
) -> tuple[Corpus, Schemas]:
    """The corpus (with ``articles=()``: the registry only), and the schemas."""
    with progress() as on_file:
        return read_content(settings, articles=articles, on_file=on_file)


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


def create(settings: DossierSettings, path: Path, text: str, refusal: str | None = None) -> Created:
    """Write a new file and check it as ``check PATH`` would. With ``refusal`` (what to tell the
    editor) a file with errors is removed again, and the command is refused."""
    if path.exists():
        raise InputError(f"{shown(path)} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    diagnostics = check_files(settings, [path])
    if has_errors(diagnostics) and refusal is not None:
        path.unlink()
        raise RefusalError(refusal, diagnostics=diagnostics)
    return Created(path, diagnostics)
