"""Validate stage, the rules across fields and files, beyond what one schema can say: ids unique
in the whole registry, file names that match slug and language, slugs unique per language,
language versions that agree, links without cycles, former ids and former article addresses
that can redirect, events that end after they start, images that exist, and no placeholder left
in published text.

Each check skips what the schema already reported, so that one mistake has one message.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dossier.data import load_links, load_placeholders
from dossier.diagnostics import Diagnostic, Severity
from dossier.read.check_cache import CheckCache
from dossier.read.corpus import EntityFile
from dossier.read.images import is_remote, local_file, read_image, size_problem
from dossier.read.source import Document, FieldPath, Position, field_name
from dossier.reserved import article_address, id_conflict, slug_conflict
from dossier.schemas import (
    NOT_ABOUT,
    Schemas,
    former_front_matter,
    id_fields,
    ids_in,
    list_items,
    parse_date_or_datetime,
    parse_datetime,
)
from dossier.settings import DossierSettings
from dossier.validate.context import CheckContext
from dossier.validate.static import check_links, decoded_problem, static_problem
from dossier.words import alternatives


def unique_entities(
    entities: list[EntityFile], problems: list[Diagnostic]
) -> dict[str, EntityFile]:
    """Ids are unique across the whole registry, so `about` and @ids never need a kind."""
    first: dict[str, EntityFile] = {}
    for entity in entities:
        if entity.id in first:
            other = first[entity.id]
            problems.append(
                entity.doc.diagnostic(
                    Position(1, 1),
                    "",
                    f"id '{entity.id}' is already used by {other.doc.display}",
                    "ids must be unique across all kinds: rename one of the files",
                    code="duplicate-id",
                )
            )
        else:
            first[entity.id] = entity
    return first


def _value_problem(
    doc: Document,
    path: FieldPath,
    message: str,
    hint: str = "",
    *,
    code: str,
    severity: Severity = "error",
) -> Diagnostic:
    """A problem with the value at ``path``, located where that value starts."""
    where = doc.value_at(path)
    return doc.diagnostic(where, field_name(path), message, hint, code=code, severity=severity)


def check_article(
    doc: Document,
    schemas: Schemas,
    ctx: CheckContext,
    settings: DossierSettings,
    broken: set[str],
    cache: CheckCache | None = None,
    planned: Mapping[Path, bytes | None] | None = None,
) -> Iterator[Diagnostic]:
    """One article's rules: its file name and folder, its dates in order, what it is ``about``
    among what it lists and what it is not about (``not_about``) outside it, its address and
    former addresses, its image, the files its text links and its placeholders. ``broken``: its
    fields the schema already reported; ``planned``: the files a planned change writes (None)
    or removes, which its links are judged by."""
    data = doc.data
    slug, lang = data.get("slug"), data.get("lang")
    if not broken & {"slug", "lang"} and isinstance(slug, str) and lang in schemas.languages:
        expected = f"{slug}.{lang}.md"
        if doc.path.name != expected:
            hint = f"rename the file to {expected}"
            if doc.path.with_name(expected).is_file():  # e.g. Summit.en.md beside summit.en.md
                hint = f"{expected} already exists beside it: merge the two articles"
            yield _value_problem(
                doc,
                ("slug",),
                f"file name '{doc.path.name}' does not match slug '{slug}' and lang '{lang}'",
                hint,
                code="file-name",
            )
    published = parse_datetime(data["date"]) if isinstance(data.get("date"), str) else None
    folder = doc.path.parent.name
    if published and re.fullmatch(r"\d{4}", folder) and folder != str(published.year):
        yield _value_problem(
            doc,
            ("date",),
            f"dated {published.year} but filed under {folder}/",
            f"move it to articles/{published.year}/",
            code="file-name",
        )
    modified = parse_datetime(data["modified"]) if isinstance(data.get("modified"), str) else None
    if published and modified and modified < published:
        yield _value_problem(
            doc,
            ("modified",),
            f"{data['modified']} is before the publication date {data['date']}",
            "modified must be the same as date or later",
            code="date-order",
        )
    if published:
        for i, correction in enumerate(list_items(data.get("corrections"))):
            made = correction.get("date") if isinstance(correction, dict) else None
            when = parse_datetime(made) if isinstance(made, str) else None
            if when and when < published:
                yield _value_problem(
                    doc,
                    ("corrections", i, "date"),
                    f"{made} is before the publication date {data['date']}",
                    "a correction is made after the article is published: date it then",
                    code="date-order",
                )
    listed = {
        i for f in schemas.reference_fields for i in list_items(data.get(f)) if isinstance(i, str)
    }
    fields = alternatives(schemas.reference_fields)
    for i, entity_id in enumerate(list_items(data.get("about"))):
        if isinstance(entity_id, str) and entity_id not in listed and ctx.kind_of(entity_id):
            kind = ctx.kind_of(entity_id)
            yield _value_problem(
                doc,
                ("about", i),
                f"'{entity_id}' is not among this article's {fields}",
                f"add it to {kind} too",
                code="about-not-listed",
            )
    for i, entity_id in enumerate(list_items(data.get(NOT_ABOUT))):
        if isinstance(entity_id, str) and entity_id in listed:
            field = next(
                f for f in schemas.reference_fields if entity_id in list_items(data.get(f))
            )
            yield _value_problem(
                doc,
                (NOT_ABOUT, i),
                f"'{entity_id}' is in {field} and in {NOT_ABOUT}, which lists entries the text "
                "names that the article does not reference",
                f"remove it from {field} or from {NOT_ABOUT}",
                code="not-about-referenced",
            )
    if not broken & {"slug", "lang", "date"} and (taken := slug_conflict(settings, data)):
        yield _value_problem(
            doc,
            ("slug",),
            f"the slug '{slug}' is taken by the site: {taken}",
            "choose another slug",
            code="reserved-slug",
        )
    if not broken & {"slug", "lang", "date", "formerly"}:
        yield from _check_former_addresses(doc, settings)
    image = data.get("image")
    if isinstance(image, dict) and isinstance(image.get("src"), str):
        yield from _check_image(doc, image["src"], settings, cache)
    yield from check_links(doc, settings, planned)
    yield from _check_placeholders(doc)


def _check_placeholders(doc: Document) -> Iterator[Diagnostic]:
    """The markers `dossier new` and `dossier translate` leave: fine in a draft, never published."""
    severity = "error" if doc.data.get("status", "published") == "published" else "warning"
    strings = list(_strings(doc.data, ()))  # walked once for every marker
    for placeholder in load_placeholders().values():
        marker = placeholder["marker"]
        hint = placeholder["hint"]
        if severity == "warning":
            hint += "; this draft cannot be published while it is there"
        for path, value in strings:
            if marker in value:
                where = doc.value_at(path)
                yield doc.diagnostic(
                    where,
                    field_name(path),
                    placeholder["message"],
                    hint,
                    code="placeholder",
                    severity=severity,
                )
        lines = doc.body.split("\n") if marker in doc.body else []
        for number, line in enumerate(lines):
            if marker in line:
                where = Position(doc.body_line + number, line.index(marker) + 1)
                yield doc.diagnostic(
                    where,
                    "text",
                    placeholder["message"],
                    hint,
                    code="placeholder",
                    severity=severity,
                )


def _strings(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _strings(inner, (*path, i))


def _check_image(
    doc: Document, src: str, settings: DossierSettings, cache: CheckCache | None
) -> Iterator[Diagnostic]:
    if is_remote(src):
        return
    content = settings.content_folder
    target = local_file(content, src)
    where = ("image", "src")  # located only when there is a problem: positions come lazily
    if not target.is_relative_to(content.resolve()):
        yield _value_problem(
            doc,
            where,
            f"'{src}' points outside the content folder",
            "use a path below content/, e.g. images/photo.jpg",
            code="outside-content",
        )
    elif not target.is_file():
        yield _value_problem(
            doc,
            where,
            f"no file at content/{src.lstrip('/')}",
            "add the image or correct the path",
            code="missing-file",
        )
    elif (image := read_image(content, src)).width is None:
        yield _value_problem(
            doc,
            where,
            f"content/{src.lstrip('/')} is not an image file that can be read",
            "use a JPEG, PNG, WebP or AVIF file",
            code="unreadable-image",
        )
    elif (problem := static_problem(target, content.resolve(), settings.static_paths)) and (
        "static folder" in problem or "hidden" in problem
    ):  # (a link, or a file of another type, is reported where it is)
        yield _value_problem(
            doc,
            where,
            f"content/{src.lstrip('/')} {problem}",
            "put the image in a static folder, e.g. content/images/",
            code="unpublished-image",
        )
    elif problem:
        return
    elif found := decoded_problem(target, settings.image_max_pixels, cache):
        yield _value_problem(
            doc,
            where,
            f"content/{src.lstrip('/')} {found.message}",
            found.hint,
            code=found.code,
        )
    elif problem := size_problem(image):
        yield _value_problem(
            doc,
            where,
            problem,
            "use a larger version of the image",
            code="image-too-small",
            severity="warning",
        )


def check_slugs(articles: list[Document]) -> Iterator[Diagnostic]:
    """One article per slug and language."""
    first: dict[tuple[str, str], Document] = {}
    for doc in articles:
        key = (doc.data["slug"], doc.data["lang"])
        if key in first:
            yield _value_problem(
                doc,
                ("slug",),
                f"slug '{key[0]}' is already used in '{key[1]}' by {first[key].display}",
                "give one of the articles another slug",
                code="duplicate-slug",
            )
        else:
            first[key] = doc


def _check_former_addresses(doc: Document, settings: DossierSettings) -> Iterator[Diagnostic]:
    """Each former address (``formerly``) can be worked out, and is none of the site's own."""
    data = doc.data
    for i, former in enumerate(list_items(data.get("formerly"))):
        then = former_front_matter(data, former)
        if then is None:
            yield _value_problem(
                doc,
                ("formerly", i),
                f"the date {data['date'][:10]} has no such day in {former['year']}",
                "remove this item: its old address cannot be worked out",
                code="former-address",
            )
        elif taken := slug_conflict(settings, then):
            yield _value_problem(
                doc,
                ("formerly", i),
                f"the former address is taken by the site: {taken}",
                "remove it: its old address cannot redirect, it is the site's own",
                code="reserved-slug",
            )


def former_slugs(doc: Document) -> list[str]:
    """The slugs of an article's former addresses (``formerly``), as far as they are text."""
    data = doc.data if isinstance(doc.data, dict) else {}
    items = list_items(data.get("formerly"))
    return [f["slug"] for f in items if isinstance(f, dict) and isinstance(f.get("slug"), str)]


def check_former_addresses(
    group: list[Document], slug: str, settings: DossierSettings, broken: dict[Path, set[str]]
) -> Iterator[Diagnostic]:
    """The articles that have the slug ``slug`` now or had it at a former address: a former
    address redirects, so no article may have it now (not even the one it redirects to), and
    it redirects to one article only."""
    now: dict[str, Document] = {}
    for doc in group:
        url = article_address(settings, doc.data)
        if doc.data["slug"] == slug and url is not None:
            now.setdefault(url, doc)
    first: dict[str, Document] = {}
    for doc in group:
        if broken[doc.path] & {"formerly", "date"}:
            continue
        for i, former in enumerate(list_items(doc.data.get("formerly"))):
            then = former_front_matter(doc.data, former)
            if then is None or then["slug"] != slug:
                continue
            url = article_address(settings, then)
            if url is None:
                continue
            other = now.get(url)
            if other is doc:
                message = f"{url} is this article's own address"
                hint = "remove it: an address cannot redirect to itself"
            elif other is not None:
                message = f"the former address {url} is the address of {other.display} now"
                hint = "it cannot redirect while that article is there: remove it here"
            elif url in first:
                message = (
                    f"the former address {url} is also a former address of {first[url].display}"
                )
                hint = "an old address can redirect to one article only: keep it in one of them"
            else:
                first[url] = doc
                continue
            yield _value_problem(doc, ("formerly", i), message, hint, code="former-address")


def language_versions(articles: list[Document]) -> dict[str, dict[str, Document]]:
    """The articles by slug, then language (the first of a language, when there are two)."""
    versions: dict[str, dict[str, Document]] = defaultdict(dict)
    for doc in articles:
        versions[doc.data["slug"]].setdefault(doc.data["lang"], doc)
    return versions


def check_translations(
    groups: Iterable[Mapping[str, Document]],
    schemas: Schemas,
    ctx: CheckContext,
    broken: dict[Path, set[str]],
) -> Iterator[Diagnostic]:
    """The language versions of an article (a group of ``language_versions``) list the same
    ids in their shared fields."""
    for group in groups:
        for lang, doc in sorted(group.items()):
            for other_lang, other in sorted(group.items()):
                if other_lang == lang:
                    continue
                for name in schemas.shared_fields:
                    if name in broken[doc.path] | broken[other.path]:
                        continue
                    mine = {i for i in list_items(doc.data.get(name)) if isinstance(i, str)}
                    theirs = [i for i in list_items(other.data.get(name)) if ctx.kind_of(i)]
                    for entity_id in theirs:
                        if entity_id not in mine:
                            yield doc.diagnostic(
                                doc.key_at((name,)),
                                name,
                                f"lacks '{entity_id}', which the '{other_lang}' version lists",
                                f"language versions share their {name} ({other.display})",
                                code="translation-mismatch",
                            )


def check_former_ids(registry: dict[str, EntityFile]) -> Iterator[Diagnostic]:
    """A former id redirects its old topic pages: it must not be anyone's id now, nor the former
    id of two entries."""
    first: dict[str, EntityFile] = {}
    for entity in sorted(registry.values(), key=lambda e: e.id):
        values = entity.doc.data.get("formerly") if isinstance(entity.doc.data, dict) else None
        for i, old in enumerate(list_items(values)):
            if not isinstance(old, str):
                continue
            if old == entity.id:
                message, hint = "names the entry's own id", "remove it"
            elif old in registry:
                message = f"'{old}' is the id of {registry[old].doc.display}"
                hint = "its topic page cannot redirect while that entry lives there: remove it here"
            elif old in first:
                message = f"'{old}' is also a former id of '{first[old].id}'"
                hint = "an old address can redirect to one entry only: keep it in one of them"
            else:
                first[old] = entity
                continue
            yield _value_problem(entity.doc, ("formerly", i), message, hint, code="former-id")


def check_reserved_ids(
    registry: dict[str, EntityFile],
    settings: DossierSettings,
    known: dict[tuple[str, str], str | None] | None = None,
) -> Iterator[Diagnostic]:
    """No id, and no former id, gives a page the address of one of the site's own pages
    (``reserved``): the later one written would replace the other. ``known``: the answers of
    earlier runs under the same settings, kept there (a run per save, in ``dossier serve``)."""
    known = {} if known is None else known

    def conflict(kind: str, entity_id: str) -> str | None:
        if (kind, entity_id) not in known:
            known[kind, entity_id] = id_conflict(settings, kind, entity_id)
        return known[kind, entity_id]

    for entity in sorted(registry.values(), key=lambda e: e.id):
        if taken := conflict(entity.kind, entity.id):
            yield entity.doc.diagnostic(
                Position(1, 1),
                "",
                f"the id '{entity.id}' is taken by the site: {taken}",
                "choose another id (dossier rename changes it everywhere)",
                code="reserved-id",
            )
        values = entity.doc.data.get("formerly") if isinstance(entity.doc.data, dict) else None
        for i, old in enumerate(list_items(values)):
            if isinstance(old, str) and (taken := conflict(entity.kind, old)):
                yield _value_problem(
                    entity.doc,
                    ("formerly", i),
                    f"the former id '{old}' is taken by the site: {taken}",
                    "remove it: its old address cannot redirect, it is the site's own",
                    code="reserved-id",
                )


def check_event_dates(entity: EntityFile) -> Iterator[Diagnostic]:
    """An event ends on or after its start."""
    data = entity.doc.data
    if entity.kind != "events" or not isinstance(data, dict):
        return
    start, end = data.get("start"), data.get("end")
    if not (isinstance(start, str) and isinstance(end, str)):
        return
    a, b = parse_date_or_datetime(start), parse_date_or_datetime(end)
    if a is None or b is None:
        return
    both_times = isinstance(a, datetime) and isinstance(b, datetime)
    if (b < a) if both_times else (_as_date(b) < _as_date(a)):
        yield _value_problem(
            entity.doc, ("end",), f"{end} is before the start {start}", code="date-order"
        )


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def check_cycles(registry: dict[str, EntityFile], schemas: Schemas) -> Iterator[Diagnostic]:
    """The links marked acyclic in links.yaml (contained_in, parent, amends) must never lead
    back to where they started. Each kind's entries are followed along those of its own fields."""
    acyclic = {link.field for link in load_links() if link.acyclic}
    fields = {
        kind: [name for name in id_fields(schema) if name in acyclic]
        for kind, schema in schemas.entities.items()
    }
    reported: set[frozenset[str]] = set()
    for entity in sorted(registry.values(), key=lambda e: e.id):
        for name in fields.get(entity.kind, ()):
            for cycle in _cycles_from(entity.id, name, registry):
                if frozenset(cycle) in reported:
                    continue
                reported.add(frozenset(cycle))
                chain = " → ".join([*cycle, cycle[0]])
                where = entity.doc.key_at((name,))
                message = (
                    "refers to the entity itself" if len(cycle) == 1 else f"forms a cycle: {chain}"
                )
                yield entity.doc.diagnostic(where, name, message, "break the cycle", code="cycle")


def _cycles_from(start: str, name: str, registry: dict[str, EntityFile]) -> Iterator[list[str]]:
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        current, path = stack.pop()
        entity = registry.get(current)
        if entity is None:
            continue
        data = entity.doc.data
        for target in ids_in(data.get(name) if isinstance(data, dict) else None):
            if target == start:
                yield path
            elif target not in seen and target in registry:
                seen.add(target)
                stack.append((target, [*path, target]))
