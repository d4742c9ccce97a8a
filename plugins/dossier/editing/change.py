"""``dossier rename`` and ``dossier merge``: the ids checked, the change planned and shown as a
diff, and on request checked as it would leave the files and written, all or nothing, with the
editor's form in the same change.

``rename.py`` makes the plans; this module adds what the commands need around them: the
refusals, the summary in the editor's words, and the check and writing (``commit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dossier.data import load_languages
from dossier.diagnostics import Diagnostic, format_text, has_errors
from dossier.editing import rename
from dossier.editing.commit import check_change, overlay, write_change
from dossier.editing.editor_config import planned_config
from dossier.editing.files import Progress, quiet, read
from dossier.editing.lookup import known_id, valid_id
from dossier.editing.messages import InputError, RefusalError, shown
from dossier.editing.references import former_ids
from dossier.editing.roundtrip import EditError
from dossier.enrich.urls import Urls
from dossier.reserved import id_conflict
from dossier.settings import DossierSettings
from dossier.words import plural


@dataclass(frozen=True)
class Planned:
    """A rename of ``old`` to ``new`` or a merge of it into ``new``, planned and not yet
    written: the plan, its diff, and the topic pages of ``old`` that will redirect."""

    old: str
    new: str
    plan: rename.Plan
    diff: str
    pages: str  # "/de/orte/sunan/ and /en/locations/sunan/"
    verb: str = "rename"  # or "merge"

    @property
    def name(self) -> str:
        """The change in a sentence's words: "rename of 'a' to 'b'"."""
        return (
            f"{self.verb} of '{self.old}' {'into' if self.verb == 'merge' else 'to'} '{self.new}'"
        )

    def dry_run(self) -> str:
        files = plural(len(self.plan.changes), "file", grouped=True)
        return (
            f"{files} would change; {self.pages} would redirect "
            f"to '{self.new}'. This was a dry run: nothing was written. Run the command again "
            "with --apply to write it."
        )


@dataclass(frozen=True)
class Applied:
    """A written change: what check says of the written files; ``updated``: the editor's form,
    refreshed too."""

    planned: Planned
    diagnostics: list[Diagnostic]
    updated: Path | None = None

    @property
    def status(self) -> int:
        return 1 if has_errors(self.diagnostics) else 0

    def lines(self) -> list[str]:
        planned = self.planned
        files = plural(len(planned.plan.changes), "file", grouped=True)
        updated = [f"Updated {shown(self.updated)}."] if self.updated else []
        return [
            f"Changed {files}; {planned.pages} now redirect to '{planned.new}'.",
            *updated,
            format_text(self.diagnostics),
        ]


def prepare_rename(
    settings: DossierSettings, old: str, new: str, *, progress: Progress = quiet
) -> Planned:
    """The entry ``old`` is to have the id ``new``."""
    return _plan(settings, old, new, "rename", progress)


def prepare_merge(
    settings: DossierSettings, old: str, into: str, *, progress: Progress = quiet
) -> Planned:
    """The entry ``old`` is to be folded into the entry ``into``."""
    return _plan(settings, old, into, "merge", progress)


def apply_change(
    planned: Planned,
    settings: DossierSettings,
    settings_file: Path,
    *,
    progress: Progress = quiet,
) -> Applied:
    """Check the files as the planned change would leave them; then write it, with the editor's
    form beside ``settings_file`` refreshed, all or nothing. Refused (nothing written) when
    check finds an error in them."""
    plan = planned.plan
    changes = rename.file_changes(plan)
    written = [c.move_to or c.path for c in plan.changes if c.after is not None]
    diagnostics = check_change(settings, changes, written)
    if has_errors(diagnostics):
        raise RefusalError(
            f"Nothing was written: the {planned.verb} would leave these errors.",
            diagnostics=diagnostics,
        )
    config = planned_config(settings, settings_file, overlay(changes), progress)
    write_change(settings, planned.name, [*changes, *([config] if config else [])])
    return Applied(planned, diagnostics, config.path if config else None)


def _plan(settings: DossierSettings, old: str, new: str, verb: str, progress: Progress) -> Planned:
    corpus, schemas = read(settings, progress)
    entities = {e.id: e for e in corpus.entities}
    known_id(old, set(entities), "ID", former_ids(corpus))
    if verb == "merge":
        if new == old:
            raise InputError(f"'{old}' cannot be merged into itself", "INTO_ID")
        known_id(new, set(entities) - {old}, "INTO_ID")
        planner = rename.plan_merge
    else:
        planner = rename.plan_rename
        valid_id(new, schemas.id_pattern, "NEW_ID")
        if new == old:
            raise InputError(f"'{new}' is already its id", "NEW_ID")
        if taken := id_conflict(settings, entities[old].kind, new):
            raise InputError(f"'{new}' is taken by the site: {taken}", "NEW_ID")
    try:
        plan = planner(corpus, schemas, old, new)
    except EditError as error:  # YAML our reader accepts and ruamel.yaml does not: rare
        plan = rename.Plan(conflicts=[f"a file cannot be edited: {error}"])
    if plan.conflicts:
        raise RefusalError(f"Nothing was changed: the {verb} is refused.", conflicts=plan.conflicts)
    urls, kind = Urls(settings), entities[old].kind
    pages = " and ".join(f"/{urls.topic(kind, old, lang)}" for lang in load_languages())
    return Planned(old, new, plan, rename.diff(plan, Path.cwd()), pages, verb)
