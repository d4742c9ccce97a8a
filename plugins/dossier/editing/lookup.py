"""The ids and slugs an editor gives the commands: checked, and looked up in the content.

Each check raises ``InputError`` naming the parameter at fault, with a did-you-mean where the
registry has a close id.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Mapping
from pathlib import Path

from dossier.editing.messages import InputError
from dossier.settings import DossierSettings
from dossier.spelling import closest


def versions(settings: DossierSettings, slug: str) -> dict[str, Path]:
    """The files of an article's language versions, by the language their names give."""
    content = settings.content_folder
    found = {}
    for folder in settings.article_paths:
        for path in sorted((content / folder).glob(f"**/{glob.escape(slug)}.*.md")):
            found.setdefault(path.name.split(".")[1], path)
    return found


# An id names a file (<id>.yaml, <slug>.<lang>.md), and the commands write beside it under a
# longer hidden name (.<id>.yaml.dossier-new): file systems allow 255 bytes.
MAX_ID = 200


def valid_id(value: str, pattern: str, param: str) -> None:
    """An id or slug the schemas accept (``pattern``: theirs), short enough for a file name."""
    if not re.fullmatch(pattern, value):
        raise InputError(
            f"'{value}' may contain only lowercase letters a-z, digits and single hyphens"
            + _meant(value, pattern),
            param,
        )
    if len(value) > MAX_ID:
        raise InputError(
            f"'{value[:20]}…' is {len(value)} characters long; an id may have at most {MAX_ID}",
            param,
        )


def _meant(value: str, pattern: str) -> str:
    """A did-you-mean for an id typed as a file's path or name, or in capitals."""
    plain = _plain(value)
    if plain is None or not re.fullmatch(pattern, plain):
        return ""
    return f"; did you mean '{plain}'?" + _ALONE * (plain != value.lower())


_ALONE = " (the id alone, not a file's path or name)"


def _plain(value: str) -> str | None:
    """The id in ``value`` typed as a file's path or name (``actors/kim.yaml``,
    ``kim.en.md``), or in capitals; None if it is neither."""
    name = value.replace("\\", "/").rsplit("/", 1)[-1]
    if name.endswith(".yaml"):
        name = name.removesuffix(".yaml")
    elif name.endswith(".md"):
        name = name.removesuffix(".md").split(".")[0]
    name = name.lower()
    return name if name != value else None


def known_id(
    value: str, known: set[str], param: str, former: Mapping[str, str] | None = None
) -> None:
    """One of the ``known`` ids; for a ``former`` id, the message names the entry's new one."""
    if value not in known:
        close = closest(value, known, dict.fromkeys(known, ()))
        hint = f"; did you mean '{close}'?" if close else ""
        if (plain := _plain(value)) in known:
            hint = f"; did you mean '{plain}'?" + _ALONE * (plain != value.lower())
        if former and value in former:
            hint = f"; it was renamed to '{former[value]}'"
        raise InputError(f"no registry entry has the id '{value}'{hint}", param)
