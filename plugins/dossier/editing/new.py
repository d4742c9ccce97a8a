"""``dossier new``: a draft article, or a registry entry, checked and written.

Each is written only when check finds no error in it: the placeholders of a draft are warnings
(what the editor writes next), so a new article passes; an entry needs what its kind requires,
since the registry is what every article relies on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dossier.editing import scaffold
from dossier.editing.commit import overlay
from dossier.editing.editor_config import planned_config
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
from dossier.editing.lookup import known_id, valid_id, versions
from dossier.editing.messages import InputError, shown
from dossier.settings import DossierSettings
from dossier.slugs import slugify
from dossier.spelling import closest


def create_article(
    settings: DossierSettings,
    *,
    lang: str,
    title: str,
    slug: str | None = None,
    authors: Sequence[str] = (),
    summary: str | None = None,
    progress: Progress = quiet,
) -> Created:
    """A draft dated now, its slug made from ``title`` unless given, by ``authors`` (default:
    DOSSIER_DEFAULT_AUTHORS). Refuses a slug that an article has already."""
    corpus, schemas = read(settings, progress, articles=())
    if slug is None:
        slug = slugify(title)
        if not slug:
            raise InputError(
                f"the title '{title}' has no letter or digit to make a slug from; choose "
                "one with --slug: lowercase letters a-z, digits and single hyphens"
            )
    valid_id(slug, schemas.id_pattern, "--slug")
    known = {e.id for e in corpus.entities if e.kind == "authors"}
    authors = authors or settings.default_authors
    if not authors:
        raise InputError("name the author with --author ID")
    kinds = {e.id: e.kind for e in corpus.entities}
    for author in authors:
        if author not in known and author in kinds:  # an entry, but not an author's
            example = f" such as '{min(known)}'" if known else ""
            raise InputError(
                f"'{author}' is in the registry's {kinds[author]}, not its authors; name an "
                f"author{example} (content/entities/authors/)",
                "--author",
            )
        known_id(author, known, "--author")
    if found := versions(settings, slug):
        path = found.get(lang) or next(iter(found.values()))
        hint = "" if lang in found else f"; to translate it: dossier translate {slug} --to {lang}"
        raise InputError(f"{shown(path)} already has the slug '{slug}'{hint}", "--slug")
    date = scaffold.timestamp(now(settings))
    text = scaffold.article(
        schemas, title=title, slug=slug, lang=lang, date=date, authors=list(authors),
        summary=summary,
    )  # fmt: skip
    new = new_file(article_file(settings, slug, lang, date), text)
    return create(settings, new, "Nothing was written: the new article would not pass check.")


def create_entity(
    settings: DossierSettings,
    settings_file: Path,
    *,
    kind: str,
    entity_id: str,
    names: Mapping[str, str],
    wikidata: str | None = None,
    fields: Sequence[str] = (),
    progress: Progress = quiet,
) -> Created:
    """The entry ``entity_id`` of ``kind``, with its ``names`` (language -> name) and ``fields``
    (``FIELD=VALUE``, the value as YAML text); written only if it passes check, and then the
    editor's form beside ``settings_file`` is refreshed."""
    corpus, schemas = read(settings, progress, articles=())
    valid_id(entity_id, schemas.id_pattern, "ID")
    taken = {e.id: e.doc.display for e in corpus.entities}
    if entity_id in taken:
        raise InputError(f"'{entity_id}' is already the id of {taken[entity_id]}", "ID")
    schema = schemas.entities[kind]
    known = list(schema["properties"])
    typed = {"wikidata": (wikidata, "--wikidata")} if wikidata else {}
    for item in fields:
        key, equals, value = item.partition("=")
        if not equals or key in {"name", "formerly"} or key not in known:
            close = closest(key, known)
            hint = f"; did you mean '{close}'?" if close else f"; fields: {', '.join(known)}"
            raise InputError(f"'{item}' sets no field of {kind}{hint}", "--set")
        if key in typed:  # the last would win silently, and the others be lost
            first, param = typed[key]
            given = f"--wikidata {first}" if param == "--wikidata" else f"--set {key}={first}"
            raise InputError(f"'{item}': {key} is already set by {given}; set it once", "--set")
        typed[key] = (value, "--set")
    values = {}
    for key, (value, param) in typed.items():
        written = scaffold.field_value(schemas, kind, key, value)
        if written is None:
            raise InputError(f"'{value}' is more than one value; give {key} one", param)
        values[key] = written
    path = settings.content_folder / settings.registry_path / kind / f"{entity_id}.yaml"
    new = new_file(path, scaffold.entity(schemas, kind, names, values))
    needed = _needed(kind, schema)
    refusal = "Nothing was written. Give the missing or corrected fields with --set FIELD=VALUE"
    refusal += f"; {needed}." if needed else "."
    return create(
        settings,
        new,
        refusal,
        lambda: planned_config(settings, settings_file, overlay([new]), progress),
    )


def _needed(kind: str, schema: Mapping[str, Any]) -> str:
    """The fields an entry of ``kind`` cannot do without, besides its names: ``actors need type
    (Person, Organization, …)``; empty when there are none."""
    needed = [
        f"{field} ({', '.join(schema['properties'][field]['enum'])})"
        if "enum" in schema["properties"][field]
        else field
        for field in schema.get("required", [])
        if field != "name"
    ]
    return f"{kind} need {', '.join(needed)}" if needed else ""
