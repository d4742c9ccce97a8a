"""The content type that gives VS Code's Front Matter CMS a form for articles: made from the
article schema, with the registry's ids (and names) as the choices of the reference fields; and
its preview, which opens the article where ``dossier serve`` serves it (``preview``).

``dossier editor-config`` writes it to ``frontmatter.json``; the commands that change the
registry (``new entity``, ``rename``, ``merge``) refresh it in the same change as the content
(``planned_config``), and ``--check`` tells whether the committed file is current.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import Formatter
from typing import Any
from urllib.parse import urljoin

from dossier.address import SERVE_HOST, SERVE_PORT
from dossier.editing.commit import FileChange, encoded, write_change
from dossier.editing.files import Progress, quiet, read
from dossier.editing.messages import RefusalError
from dossier.read.corpus import Corpus, Overlay, display_path
from dossier.schemas import Schemas, id_fields
from dossier.settings import DossierSettings
from dossier.words import alternatives

FILE = "frontmatter.json"
# Front Matter's date format (date-fns tokens): ISO 8601 with the UTC offset the schema wants.
DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ssXXX"
# Where Front Matter's preview opens the site: dossier serve, as it starts without options.
PREVIEW_HOST = f"http://{SERVE_HOST}:{SERVE_PORT}"
# The strftime codes a {date:…} of ARTICLE_URL may use, as the date-fns tokens Front Matter
# formats {{date|…}} with. Not %j: Front Matter rewrites the DD of date-fns' DDD to dd.
DATE_TOKENS = {"Y": "yyyy", "y": "yy", "m": "MM", "d": "dd", "H": "HH", "M": "mm", "S": "ss"}


class PreviewError(ValueError):
    """ARTICLE_URL has a part that Front Matter's preview path cannot write; the message says
    which, and what it can write."""


def preview(article_url: str) -> dict[str, Any]:
    """The preview settings of the articles' page folder for ARTICLE_URL (``article_url``):
    ``previewPath`` and ``trailingSlash``.

    Front Matter opens ``frontMatter.preview.host`` + ``previewPath``, its placeholders filled
    from the file's front matter, + ``/`` + the front matter's ``slug`` (+ ``/`` with
    ``trailingSlash``). So a field of the pattern becomes ``{{fm.field}}`` (``{lang}``:
    ``{{fm.lang}}``), a part of the date ``{{date|token}}`` (``{date:%Y}``: ``{{date|yyyy}}``,
    a date-fns token, formatted in ``frontMatter.global.timezone``), and a last segment
    ``{slug}`` is left out, for Front Matter to add. It adds the slug whatever the pattern:
    where the slug is not the last segment (``{lang}/{slug}/{date:%Y}/``,
    ``{lang}/{slug}.html``), it stays in its place as ``{{fm.slug}}`` and the preview opens the
    article's address with ``/<slug>`` after it, a page the server does not have. PreviewError
    for what Front Matter cannot write: a strftime code with no date-fns token, ``{date}``
    without a format, a conversion (``!r``), an attribute or an index, a format of another
    field."""
    trailing = article_url.endswith("/")
    folder, _, last = article_url.removesuffix("/").rpartition("/")
    pattern = folder if last == "{slug}" else article_url.removesuffix("/")
    try:
        parts = list(Formatter().parse(pattern))
    except ValueError as error:
        raise PreviewError(f"ARTICLE_URL {article_url!r} is not a pattern ({error})") from None
    path = "".join(
        literal + ("" if name is None else _placeholder(article_url, name, spec, conversion))
        for literal, name, spec, conversion in parts
    )
    return {"previewPath": path or "/", "trailingSlash": trailing}


def _placeholder(article_url: str, name: str, spec: str | None, conversion: str | None) -> str:
    """Front Matter's placeholder for one of the pattern's, or PreviewError."""
    where = f"ARTICLE_URL {article_url!r}"
    written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
    field = "{" + written + "}"  # as ARTICLE_URL has it
    if not re.fullmatch(r"[A-Za-z_]\w*", name) or conversion:
        raise PreviewError(
            f"{where} has {field}, which Front Matter's preview cannot write: it can write a "
            "front matter field ({lang}) and the date's parts ({date:%Y})"
        )
    if name != "date":
        if spec:
            raise PreviewError(
                f"{where} has {field}, which Front Matter's preview cannot write: it writes a "
                f"field as it is ({{{name}}}), and a format only for the date ({{date:%Y}})"
            )
        return "{{fm." + name + "}}"
    codes = alternatives([f"%{code}" for code in DATE_TOKENS], "and")
    if not spec or "{" in spec:
        raise PreviewError(
            f"{where} has {field}, which Front Matter's preview cannot write: give the date's "
            f"parts with the strftime codes it knows ({codes})"
        )
    out = []
    # Literal text and codes alternate: "%Y/%m" -> "", "%Y", "/", "%m", "".
    for i, piece in enumerate(re.split(r"(%.?)", spec, flags=re.DOTALL)):
        if i % 2 == 0:
            out.append(piece)
        elif piece == "%%":
            out.append("%")
        elif piece[1:] in DATE_TOKENS:
            out.append("{{date|" + DATE_TOKENS[piece[1:]] + "}}")
        else:
            raise PreviewError(
                f"{where} has {piece} in {field}, which Front Matter's preview cannot write: "
                f"it knows the strftime codes {codes}"
            )
    return "".join(out)


def front_matter_config(
    schemas: Schemas, corpus: Corpus, article_dirs: list[str], article_url: str, timezone: str
) -> str:
    """frontmatter.json's text: stable (sorted choices, fixed indentation) so that it diffs.
    ``article_url`` (ARTICLE_URL) gives the preview's path (``preview``; PreviewError), and
    ``timezone`` (TIMEZONE) the zone of the dates Front Matter writes and puts in that path."""
    names: dict[str, dict[str, str]] = {}
    for entity in sorted(corpus.entities, key=lambda e: e.id):
        data = entity.doc.data if isinstance(entity.doc.data, dict) else {}
        name = data.get("name") if isinstance(data.get("name"), dict) else {}
        names.setdefault(entity.kind, {})[entity.id] = str(name.get("en", entity.id))
    article = schemas.article
    resolve = _resolver(schemas, article["$id"])
    # A field the commands write (readOnly: ``formerly``) is not the form's to change.
    fields = [
        _field(n, resolve(p), article, names, resolve)
        for n, p in article["properties"].items()
        if not p.get("readOnly")
    ]
    # A list of mappings (sources, corrections) is a block of its own field group, by its
    # singular: each item a small form of its own.
    lists = {
        name: resolve(items)
        for name, prop in article["properties"].items()
        if not prop.get("readOnly")
        and isinstance(items := resolve(prop).get("items"), dict)
        and resolve(items).get("type") == "object"
    }
    previewed = preview(article_url)
    config = {
        "$schema": "https://frontmatter.codes/frontmatter.schema.json",
        "frontMatter.framework.id": "other",
        "frontMatter.preview.host": PREVIEW_HOST,
        "frontMatter.content.pageFolders": [
            {"title": "Articles", "path": f"[[workspace]]/content/{folder}"} | previewed
            for folder in article_dirs
        ],
        # The zone Front Matter writes dates in and formats {{date|…}} in (its default: UTC):
        # the newsroom's, as `dossier new article` dates files, so that near midnight the
        # preview's year is the one Pelican formats from the date's own UTC offset.
        "frontMatter.global.timezone": timezone,
        "frontMatter.taxonomy.dateFormat": DATE_FORMAT,
        "frontMatter.content.draftField": {
            "name": "status",
            "type": "choice",
            "choices": article["properties"]["status"]["enum"],
        },
        "frontMatter.taxonomy.fieldGroups": [
            {
                "id": _group(name),
                "labelField": next(f for f in ("title", "text") if f in items["properties"]),
                "fields": [
                    _field(n, resolve(p), items, names, resolve)
                    for n, p in items["properties"].items()
                ],
            }
            for name, items in lists.items()
        ],
        "frontMatter.taxonomy.contentTypes": [
            {
                "name": "default",  # Front Matter's type for files without a `type` field
                "pageBundle": False,
                "previewPath": None,  # the page folder's applies (a content type's would win)
                "fields": fields,
            }
        ],
    }
    return json.dumps(config, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class ConfigFile:
    """frontmatter.json: where it is, whether it was current, and whether it was written."""

    path: Path
    current: bool
    written: bool = False

    def message(self) -> str:
        name = display_path(self.path, Path.cwd().resolve())  # a link named as itself
        if self.written:
            return f"Wrote {name}."
        return f"{name} is {'current' if self.current else 'out of date'}."


def write_config(
    settings: DossierSettings,
    settings_file: Path,
    *,
    check_only: bool = False,
    progress: Progress = quiet,
) -> ConfigFile:
    """Write frontmatter.json (beside the settings file) unless it is current, or with
    ``check_only`` only tell whether it is."""
    path, text = _config(settings, settings_file, progress)
    try:
        kept = _own_settings(path)
    except RefusalError:
        if check_only:  # not Dossier's form: not current; writing it says why
            return ConfigFile(path, current=False)
        raise
    text = _keeping(text, kept)
    current = path.is_file() and path.read_text(encoding="utf-8") == text
    if current or check_only:
        return ConfigFile(path, current)
    old = path.read_bytes() if path.exists() else None
    write_change(settings, f"update of {FILE}", [FileChange(path, old, encoded(text))])
    return ConfigFile(path, current, written=True)


def planned_config(
    settings: DossierSettings,
    settings_file: Path,
    overlay: Overlay,
    progress: Progress = quiet,
) -> FileChange | None:
    """frontmatter.json as the registry will be once ``overlay`` (a planned change) is written,
    where the project has the file and it would change: the commands that change the registry
    write it in the same change, so that its choices stay in step."""
    path = settings_file.resolve().parent / FILE
    try:
        kept = _own_settings(path)
        if not path.is_file():
            return None
        _, text = _config(settings, settings_file, progress, overlay)
    except RefusalError:  # not a file Dossier may (or can) write: dossier editor-config says why
        return None
    text = _keeping(text, kept)
    if path.read_text(encoding="utf-8") == text:
        return None
    return FileChange(path, path.read_bytes(), encoded(text))


def _own_settings(path: Path) -> dict[str, Any]:
    """The settings in the existing frontmatter.json that Dossier does not write (an editor's
    own, such as ``frontMatter.dashboard.openOnStart``): a rewrite keeps them. Refused
    (RefusalError) when the file is one Dossier must not replace: a link, a folder, or not a
    JSON object."""
    name = display_path(path, Path.cwd().resolve())
    away = f"Dossier writes {FILE} itself: move it away and run the command again."
    if path.is_symlink():
        raise RefusalError(
            f"Nothing was written: {name} is a symbolic link (to {path.readlink()}). {away}"
        )
    if not path.exists():
        return {}
    if not path.is_file():
        raise RefusalError(f"Nothing was written: {name} is not a file. {away}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        data = None
    except json.JSONDecodeError as error:
        raise RefusalError(
            f"Nothing was written: {name}:{error.lineno}:{error.colno}: is not JSON "
            f"({error.msg}); it may be someone's own file. {away}"
        ) from None
    if not isinstance(data, dict):
        raise RefusalError(
            f"Nothing was written: {name} is not a JSON object; it may be someone's own file. "
            + away
        )
    return data


def _keeping(text: str, existing: dict[str, Any]) -> str:
    """frontmatter.json's text with the ``existing`` settings Dossier does not write, after its
    own."""
    config = json.loads(text)
    kept = {key: value for key, value in existing.items() if key not in config}
    if not kept:
        return text
    return json.dumps(config | kept, ensure_ascii=False, indent=2) + "\n"


def _config(
    settings: DossierSettings,
    settings_file: Path,
    progress: Progress,
    overlay: Overlay | None = None,
) -> tuple[Path, str]:
    corpus, schemas = read(settings, progress, articles=(), overlay=overlay)
    try:
        text = front_matter_config(
            schemas, corpus, list(settings.article_paths), settings.article_url, settings.timezone
        )
    except PreviewError as error:
        raise RefusalError(f"Nothing was written: {error}.") from None
    return settings_file.resolve().parent / FILE, text


def _resolver(schemas: Schemas, base: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A property with the definition its ``$ref`` names merged in (the property wins)."""

    def resolve(prop: dict[str, Any]) -> dict[str, Any]:
        if "$ref" not in prop:
            return prop
        target = schemas.registry.resolver().lookup(urljoin(base, prop["$ref"])).contents
        return resolve(dict(target)) | {k: v for k, v in prop.items() if k != "$ref"}

    return resolve


def _group(name: str) -> str:
    """The field group of a list's items: sources -> source, corrections -> correction."""
    return name.removesuffix("s")


def _field(
    name: str,
    prop: dict[str, Any],
    schema: dict[str, Any],
    names: dict[str, dict[str, str]],
    resolve: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    """One form field, by what the schema says the value is."""
    field: dict[str, Any] = {"title": name, "name": name}
    if description := prop.get("description"):
        field["description"] = description
    if name in schema.get("required", []):
        field["required"] = True
    if name in id_fields(schema):
        kinds = prop["items"]["x-registry"]
        kinds = [kinds] if isinstance(kinds, str) else kinds
        choices = [
            {"id": i, "title": f"{title} ({i})"}
            for kind in kinds
            for i, title in names.get(kind, {}).items()
        ]
        return field | {"type": "choice", "multiple": True, "choices": choices}
    if "enum" in prop:
        return field | {"type": "choice", "choices": prop["enum"]}
    if prop.get("format") == "date-time":
        return field | {"type": "datetime"} | ({"default": "{{now}}"} if name == "date" else {})
    if prop.get("type") == "object":
        inner = [_field(k, resolve(v), prop, names, resolve) for k, v in prop["properties"].items()]
        return field | {"type": "fields", "fields": inner}
    if prop.get("type") == "array":
        return field | {"type": "block", "fieldGroup": [_group(name)]}
    return field | {"type": "string"} | ({"multiline": True} if name == "summary" else {})
