"""``dossier translate``: the start of an article's version in another language, dated now,
made from the version it translates (``scaffold.translation`` makes the text)."""

from __future__ import annotations

from dossier.diagnostics import has_errors
from dossier.editing import roundtrip, scaffold
from dossier.editing.files import (
    Created,
    Progress,
    article_file,
    create,
    new_file,
    now,
    quiet,
    read,
)
from dossier.editing.lookup import valid_id, versions
from dossier.editing.messages import InputError, RefusalError, shown
from dossier.read.source import read_article
from dossier.settings import DossierSettings


def translate_article(
    settings: DossierSettings,
    slug: str,
    lang: str,
    source_lang: str | None = None,
    *,
    progress: Progress = quiet,
) -> Created:
    """The ``lang`` version of the article ``slug``, translated from its ``source_lang`` version
    (default: the only one, else DEFAULT_LANG's). Refused while that version has errors."""
    _, schemas = read(settings, progress, articles=())
    valid_id(slug, schemas.id_pattern, "SLUG")  # a name, never a path or a pattern
    found = versions(settings, slug)
    if not found:
        raise InputError(f"no article has the slug '{slug}'", "SLUG")
    if lang in found:
        raise InputError(f"{shown(found[lang])} is already its '{lang}' version", "--to")
    if source_lang is None:
        source_lang = next(iter(found)) if len(found) == 1 else settings.default_lang
    if source_lang not in found:
        raise InputError(f"'{slug}' has no '{source_lang}' version", "--from")
    original = found[source_lang]
    problems = read_article(original, shown(original)).problems
    if has_errors(problems):  # a translation of a broken file would copy its mistakes
        raise RefusalError("Nothing was written: fix the original first.", diagnostics=problems)
    source = roundtrip.Source.read(original)
    date = scaffold.timestamp(now(settings))
    text = source.render(scaffold.translation(schemas, source.text, lang, date))
    new = new_file(article_file(settings, slug, lang, date), text)
    return create(settings, new, "Nothing was written: the translation would not pass check.")
