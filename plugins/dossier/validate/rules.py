"""Validate stage: the read corpus, the schemas and the registry to a list of diagnostics.

Pure and total: it never raises on bad content and reports every problem it finds, one
diagnostic per problem, worded for editors (what is wrong, where, and how to fix it).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jsonschema import ValidationError

from dossier.data import load_links, load_placeholders, singular
from dossier.diagnostics import Diagnostic
from dossier.read.check_cache import CheckCache, registry_facts
from dossier.read.corpus import Corpus, EntityFile, slugify
from dossier.read.images import is_remote, local_file, read_image, size_problem
from dossier.read.source import Document, FieldPath, Position, field_name
from dossier.schemas import (
    CONTROL,
    Schemas,
    id_fields,
    ids_in,
    list_items,
    parse_date,
    parse_date_or_datetime,
    parse_datetime,
)
from dossier.words import a_or_an, alternatives, did_you_mean, plural

_TYPE_WORDS = {
    "array": "a list",
    "object": "a mapping of fields",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}
# When one value breaks several keywords, the first of these explains it best; the rest are noise.
_PRIORITY = [
    "type",
    "pattern",
    "format",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "x-registry",
    "x-types",
]


def validate(
    corpus: Corpus,
    schemas: Schemas,
    content: Path,
    focus: frozenset[str] | None = None,
    cache: CheckCache | None = None,
) -> list[Diagnostic]:
    """Every problem in the corpus; with ``focus`` (paths as diagnostics show them), only the
    problems of those files, and registry entries outside it are read for their ids and names
    but not checked themselves (``dossier check PATHS``). With ``cache``, data that passed its
    schema before under the same registry facts is not checked against it again."""
    problems: list[Diagnostic] = list(corpus.layout)
    for doc in [*corpus.articles, *(e.doc for e in corpus.entities)]:
        problems.extend(doc.problems)

    registry = _unique_entities(corpus.entities, problems)
    ids_by_kind: dict[str, set[str]] = defaultdict(set)
    for entity in registry.values():
        ids_by_kind[entity.kind].add(entity.id)
    names = {e.id: _names(e.doc.data) for e in registry.values()}
    types = {
        e.id: e.doc.data["type"]
        for e in registry.values()
        if isinstance(e.doc.data, dict) and isinstance(e.doc.data.get("type"), str)
    }
    checkers = schemas.validators(ids_by_kind, types)
    context = _Context(registry, ids_by_kind, names, schemas.id_pattern)
    kind_of = {entity_id: entity.kind for entity_id, entity in registry.items()}

    def schema_errors(schema: str, doc: Document) -> list[ValidationError]:
        """The schema's errors, skipped for data that passed before under the same facts."""
        data = doc.data
        if cache is None or not doc.text_key:
            return list(checkers[schema].iter_errors(data))
        key = cache.verdict_key(schema, doc.text_key, registry_facts(data, kind_of, types))
        if cache.passed(key):
            return []
        errors = list(checkers[schema].iter_errors(data))
        if not errors:
            cache.record_pass(key)
        return errors

    for entity in corpus.entities:
        if entity.doc.data is None or registry.get(entity.id) is not entity:
            continue
        if focus is not None and entity.doc.display not in focus:
            continue
        errors = schema_errors(entity.kind, entity.doc)
        problems.extend(_explain_all(errors, entity.doc, context, f"{singular(entity.kind)} file"))
        problems.extend(_check_event_dates(entity))
    problems.extend(_check_cycles(registry, schemas))
    problems.extend(_check_former_ids(registry))

    articles = [doc for doc in corpus.articles if doc.data is not None]
    # Checks across fields and files skip a field whose value is already reported as invalid:
    # one mistake, one message.
    broken: dict[Path, set[str]] = {}
    for doc in articles:
        found = _explain_all(schema_errors("article", doc), doc, context, "article")
        problems.extend(found)
        broken[doc.path] = {re.split(r"[.\[]", d.field)[0] for d in found}
        problems.extend(_check_article(doc, schemas, context, content, broken[doc.path]))
    keyed = [doc for doc in articles if not broken[doc.path] & {"slug", "lang"}]
    problems.extend(_check_slugs(keyed))
    problems.extend(_check_translations(keyed, schemas, context, broken))
    if focus is not None:
        problems = [d for d in problems if d.path in focus]
    return sorted(set(problems))


class _Context:
    def __init__(self, registry: dict[str, EntityFile], ids_by_kind, names, id_pattern: str):
        self.registry, self.ids_by_kind, self.names = registry, ids_by_kind, names
        self.id_pattern = id_pattern
        # Former ids (``formerly``, written by rename and merge) -> the entry that has them now.
        self.former = {
            old: entity.id
            for entity in registry.values()
            for old in list_items(
                entity.doc.data.get("formerly") if isinstance(entity.doc.data, dict) else None
            )
            if isinstance(old, str)
        }

    def kind_of(self, entity_id: str) -> str | None:
        entity = self.registry.get(entity_id)
        return entity.kind if entity else None


def _names(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return []
    out = [v for v in (data.get("name") or {}).values() if isinstance(v, str)]
    out += [a for a in data.get("aliases") or [] if isinstance(a, str)]
    return out


def _unique_entities(
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
    doc: Document, path: FieldPath, message: str, hint: str = "", *, code: str
) -> Diagnostic:
    """A problem with the value at ``path``, located where that value starts."""
    return doc.diagnostic(doc.value_at(path), field_name(path), message, hint, code=code)


# --- schema errors in plain words -------------------------------------------------------------


def _explain_all(
    errors: Iterable[ValidationError], doc: Document, ctx: _Context, what: str
) -> list[Diagnostic]:
    best: dict[tuple, tuple[int, list[Diagnostic]]] = {}
    for error in errors:
        path = tuple(error.absolute_path)
        rank = _PRIORITY.index(error.validator) if error.validator in _PRIORITY else -1
        found = list(_explain(error, path, doc, ctx, what))
        key = (path, error.validator) if rank < 0 else (path,)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, found)
    found = [d for _, found in best.values() for d in found]
    # 'titel' (did you mean 'title'?) already explains why 'title' is missing.
    suggested = {d.hint for d in found if d.code == "unknown-field"}
    return [
        d
        for d in found
        if not (d.code == "missing-field" and did_you_mean(_last(d.field)) in suggested)
    ]


def _last(field: str) -> str:
    return re.split(r"[.\[]", field)[-1]


def _explain(
    error: ValidationError, path: FieldPath, doc: Document, ctx: _Context, what: str
) -> Iterator[Diagnostic]:
    keyword, value, instance = error.validator, error.validator_value, error.instance
    custom = (error.schema.get("x-message") or {}) if isinstance(error.schema, dict) else {}
    name = field_name(path)
    here = doc.value_at(path)

    if keyword == "required":
        for missing in value:
            if isinstance(instance, dict) and missing not in instance:
                message = custom.get("required") or "required field is missing"
                yield doc.diagnostic(
                    here, field_name((*path, missing)), message, code="missing-field"
                )
    elif keyword == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        for key in instance:
            if key not in known:
                yield doc.diagnostic(
                    doc.key_at((*path, key)),
                    field_name((*path, key)),
                    f"unknown field in {'this ' + what if not path else name}",
                    did_you_mean(_closest(key, known)) or f"known fields: {', '.join(known)}",
                    code="unknown-field",
                )
    elif keyword == "not":  # a field that does not apply to this type of entity
        kind_type = doc.data.get("type") if isinstance(doc.data, dict) else None
        suffix = f", not to type {kind_type}" if isinstance(kind_type, str) else ""
        message = (custom.get("not") or "is not allowed here") + suffix
        yield doc.diagnostic(
            doc.key_at(path), name, message, "remove this field", code="field-not-allowed"
        )
    elif keyword == "type":
        yield doc.diagnostic(
            here, name, *_type_problem(value, instance, doc.literals.get(path)), code="wrong-type"
        )
    elif keyword == "x-registry":
        yield doc.diagnostic(
            here, name, *_reference_problem(instance, value, ctx), code="unknown-reference"
        )
    elif keyword == "x-types":
        yield doc.diagnostic(
            here,
            name,
            *_entity_type_problem(instance, value, ctx, doc.path.stem),
            code="wrong-type",
        )
    elif keyword == "pattern":
        message = f"'{instance}' {custom.get('pattern') or 'does not match ' + value}"
        suggestion = slugify(instance) if value == ctx.id_pattern else ""
        hint = did_you_mean(suggestion)
        if value == ctx.id_pattern and ("/" in instance or "\\" in instance):
            # '../x' is a path, and a slug or id is one segment of an address, never a path.
            hint = "it is one part of an address, not a path: no '/', '\\' or '..'"
            if suggestion:
                hint += f"; {did_you_mean(suggestion)}"
        if custom.get("pattern") == "must not be blank":
            message = "must not be blank"
        yield doc.diagnostic(here, name, message, hint, code="invalid-value")
    elif keyword == "format":
        yield doc.diagnostic(here, name, *_format_problem(value, instance), code="invalid-format")
    elif keyword == "enum":
        choices = ", ".join(str(c) for c in value)
        hint = did_you_mean(_closest(str(instance), [str(c) for c in value], case=True))
        yield doc.diagnostic(
            here, name, f"'{instance}' is not one of: {choices}", hint, code="invalid-value"
        )
    elif keyword == "maxLength":
        over = len(instance) - value
        yield doc.diagnostic(
            here,
            name,
            f"is {len(instance)} characters long; the limit is {value}",
            f"shorten it by {plural(over, 'character')}",
            code="too-long",
        )
    elif keyword == "minLength":
        yield doc.diagnostic(here, name, "must not be empty", code="invalid-value")
    elif keyword == "minItems":
        yield doc.diagnostic(
            here, name, f"needs at least {plural(value, 'entry', 'entries')}", code="invalid-value"
        )
    elif keyword == "uniqueItems":
        seen: set[str] = set()
        for i, item in enumerate(instance):
            marker = repr(item)
            if marker in seen:
                yield doc.diagnostic(
                    doc.value_at((*path, i)),
                    field_name((*path, i)),
                    f"'{item}' is listed twice",
                    "remove the repetition",
                    code="duplicate-item",
                )
            seen.add(marker)
    elif keyword in {"minimum", "maximum"}:
        side = "below the minimum" if keyword == "minimum" else "above the maximum"
        yield doc.diagnostic(here, name, f"{instance} is {side} of {value}", code="out-of-range")
    else:  # pragma: no cover - a keyword the schemas do not use yet
        yield doc.diagnostic(here, name, error.message, code="invalid")


def _describe(value: Any, literal: str | None) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        if value is None:
            return "nothing (the value is empty)"
        return f"{'true/false' if isinstance(value, bool) else 'the number'} {literal or value}"
    if isinstance(value, str):
        return f"text '{value}'"
    return "a list" if isinstance(value, list) else "a mapping of fields"


def _type_problem(expected: str | list[str], value: Any, literal: str | None) -> tuple[str, str]:
    expected = [expected] if isinstance(expected, str) else expected
    words = " or ".join(_TYPE_WORDS[t] for t in expected)
    message = f"expected {words}, got {_describe(value, literal)}"
    hint = ""
    if "string" in expected and literal is not None and value is not None:
        hint = f'put it in quotes: "{literal}"'
    elif "array" in expected and isinstance(value, str | int | float):
        hint = f"write it as a list: [{value}]"
    return message, hint


def _reference_problem(value: str, kinds: str | list[str], ctx: _Context) -> tuple[str, str]:
    wanted = [kinds] if isinstance(kinds, str) else list(kinds)
    noun = singular(wanted[0]) if len(wanted) == 1 else "entity"
    actual = ctx.kind_of(value)
    candidates: dict[str, list[str]] = {
        i: ctx.names.get(i, []) for k in wanted for i in ctx.ids_by_kind.get(k, ())
    }
    suggestion = _suggest_id(value, candidates)
    hint = did_you_mean(suggestion)
    if ctx.former.get(value) in candidates:
        hint = f"'{value}' was renamed to '{ctx.former[value]}': write that instead"
    if actual and actual not in wanted:
        if not hint:
            hint = f"list it under {actual}" if len(wanted) == 1 else ""
        return f"'{value}' is {a_or_an(singular(actual))}, not {a_or_an(noun)}", hint
    if not hint:
        hint = f"add content/entities/{wanted[0]}/{value}.yaml" if len(wanted) == 1 else ""
    return f"unknown {noun} '{value}'", hint


def _entity_type_problem(
    value: str, wanted: list[str], ctx: _Context, own_id: str
) -> tuple[str, str]:
    kind = ctx.kind_of(value) or ""
    fitting = sorted(
        i
        for i in ctx.ids_by_kind.get(kind, ())
        if i != own_id and ctx.registry[i].doc.data.get("type") in wanted
    )
    actual = ctx.registry[value].doc.data["type"]
    needed = f"{a_or_an(singular(kind))} of type {alternatives(wanted)}"
    message = f"'{value}' is {a_or_an(actual)}; this field needs {needed}"
    shown = ", ".join(fitting[:6]) + (", …" if len(fitting) > 6 else "")
    return (
        message,
        f"for example {shown}" if fitting else f"add {a_or_an(singular(kind))} of type {wanted[0]}",
    )


def _suggest_id(value: str, candidates: dict[str, list[str]]) -> str | None:
    """Closest id by spelling, or an id whose name or alias matches what was typed."""
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.75)
    if close:
        return close[0]
    wanted = slugify(value)
    for entity_id, names in sorted(candidates.items()):
        if any(slugify(n) == wanted for n in names):
            return entity_id
    tokens = set(wanted.split("-"))
    matches = [i for i in candidates if tokens and tokens <= set(i.split("-"))]
    if len(matches) == 1:
        return matches[0]
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def _closest(value: str, choices: list[str], case: bool = False) -> str | None:
    """The choice closest to ``value`` by spelling; with ``case``, first one that differs only
    in case."""
    if case:
        lowered = {c.lower(): c for c in choices}
        if value.lower() in lowered:
            return lowered[value.lower()]
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _format_problem(fmt: str, value: str) -> tuple[str, str]:
    if fmt == "date-time":
        example = "2023-09-13T14:30:00+02:00"
        if parse_date(value):
            return (
                f"'{value}' has a date but no time and UTC offset",
                f"write e.g. {value}T12:00:00+02:00",
            )
        try:
            naive = datetime.fromisoformat(value)
        except ValueError:
            naive = None
        if naive is not None and naive.tzinfo is None:
            return f"'{value}' has no time zone", f"add the UTC offset, e.g. {value}+02:00"
        return f"'{value}' is not an ISO 8601 date and time", f"write e.g. {example}"
    if fmt == "date":
        return f"'{value}' is not an ISO 8601 date", "write e.g. 2006-10-14"
    if fmt == "date-or-date-time":
        return (
            f"'{value}' is not an ISO 8601 date or date and time",
            "write e.g. 2023-09-13 or 2023-09-13T14:30:00+02:00",
        )
    if fmt == "text":
        found = CONTROL.search(value)
        where = found.start() + 1 if found else 0
        code = ord(found.group()) if found else 0
        return (
            f"contains the control character U+{code:04X} (character {where} of the text)",
            "remove it; in double-quoted YAML it comes from an escape such as \\v or \\x1b",
        )
    return f"'{value}' is not an absolute URL", "write it with https://"


# --- checks beyond one schema -----------------------------------------------------------------


def _check_article(doc: Document, schemas: Schemas, ctx: _Context, content: Path, broken: set[str]):
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
    image = data.get("image")
    if isinstance(image, dict) and isinstance(image.get("src"), str):
        yield from _check_image(doc, image["src"], content)
    yield from _check_placeholders(doc)


def _check_placeholders(doc: Document) -> Iterator[Diagnostic]:
    """The markers `dossier new` and `dossier translate` leave: fine in a draft, never published."""
    severity = "error" if doc.data.get("status", "published") == "published" else "warning"
    for placeholder in load_placeholders().values():
        marker = placeholder["marker"]
        hint = placeholder["hint"]
        if severity == "warning":
            hint += "; this draft cannot be published while it is there"
        for path, value in _strings(doc.data, ()):
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
        for number, line in enumerate(doc.body.split("\n")):
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


def _check_image(doc: Document, src: str, content: Path):
    if is_remote(src):
        return
    target = local_file(content, src)
    where = doc.value_at(("image", "src"))
    if not target.is_relative_to(content.resolve()):
        yield doc.diagnostic(
            where,
            "image.src",
            f"'{src}' points outside the content folder",
            "use a path below content/, e.g. images/photo.jpg",
            code="outside-content",
        )
    elif not target.is_file():
        yield doc.diagnostic(
            where,
            "image.src",
            f"no file at content/{src.lstrip('/')}",
            "add the image or correct the path",
            code="missing-file",
        )
    elif (image := read_image(content, src)).width is None:
        yield doc.diagnostic(
            where,
            "image.src",
            f"content/{src.lstrip('/')} is not an image file that can be read",
            "use a JPEG, PNG, WebP or AVIF file",
            code="unreadable-image",
        )
    elif problem := size_problem(image):
        yield doc.diagnostic(
            where,
            "image.src",
            problem,
            "use a larger version of the image",
            code="image-too-small",
            severity="warning",
        )


def _check_slugs(articles: list[Document]) -> Iterator[Diagnostic]:
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


def _check_translations(
    articles: list[Document], schemas: Schemas, ctx: _Context, broken: dict[Path, set[str]]
) -> Iterator[Diagnostic]:
    versions: dict[str, dict[str, Document]] = defaultdict(dict)
    for doc in articles:
        versions[doc.data["slug"]].setdefault(doc.data["lang"], doc)
    for group in versions.values():
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


def _check_former_ids(registry: dict[str, EntityFile]) -> Iterator[Diagnostic]:
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


def _check_event_dates(entity: EntityFile) -> Iterator[Diagnostic]:
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


def _check_cycles(registry: dict[str, EntityFile], schemas: Schemas) -> Iterator[Diagnostic]:
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
