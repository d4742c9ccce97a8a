"""The content type that gives VS Code's Front Matter CMS a form for articles: made from the
article schema, with the registry's ids (and names) as the choices of the reference fields.

``dossier editor-config`` writes it to ``frontmatter.json``; the commands that change the
registry (``new entity``, ``rename``, ``merge``) refresh it in the same change as the content
(``planned_config``), and ``--check`` tells whether the committed file is current.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from dossier.editing.commit import FileChange, encoded, write_change
from dossier.editing.files import Progress, quiet, read
from dossier.editing.messages import RefusalError
from dossier.read.corpus import Corpus, Overlay, display_path
from dossier.schemas import Schemas, id_fields
from dossier.settings import DossierSettings

FILE = "frontmatter.json"
# Front Matter's date format (date-fns tokens): ISO 8601 with the UTC offset the schema wants.
DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ssXXX"


def front_matter_config(schemas: Schemas, corpus: Corpus, article_dirs: list[str]) -> str:
    """frontmatter.json's text: stable (sorted choices, fixed indentation) so that it diffs."""
    names: dict[str, dict[str, str]] = {}
    for entity in sorted(corpus.entities, key=lambda e: e.id):
        data = entity.doc.data if isinstance(entity.doc.data, dict) else {}
        name = data.get("name") if isinstance(data.get("name"), dict) else {}
        names.setdefault(entity.kind, {})[entity.id] = str(name.get("en", entity.id))
    article = schemas.article
    resolve = _resolver(schemas, article["$id"])
    fields = [
        _field(n, resolve(p), article, names, resolve) for n, p in article["properties"].items()
    ]
    sources = resolve(article["properties"]["sources"])["items"]
    config = {
        "$schema": "https://frontmatter.codes/frontmatter.schema.json",
        "frontMatter.framework.id": "other",
        "frontMatter.content.pageFolders": [
            {"title": "Articles", "path": f"[[workspace]]/content/{folder}"}
            for folder in article_dirs
        ],
        "frontMatter.taxonomy.dateFormat": DATE_FORMAT,
        "frontMatter.content.draftField": {
            "name": "status",
            "type": "choice",
            "choices": article["properties"]["status"]["enum"],
        },
        "frontMatter.taxonomy.fieldGroups": [
            {
                "id": "source",
                "labelField": "title",
                "fields": [
                    _field(n, resolve(p), sources, names, resolve)
                    for n, p in sources["properties"].items()
                ],
            }
        ],
        "frontMatter.taxonomy.contentTypes": [
            {
                "name": "default",  # Front Matter's type for files without a `type` field
                "pageBundle": False,
                "previewPath": None,
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
    except RefusalError:  # not a file Dossier may replace: dossier editor-config says why
        return None
    if not path.is_file():
        return None
    _, text = _config(settings, settings_file, progress, overlay)
    text = _keeping(text, kept)
    if path.read_text(encoding="utf-8") == text:
        return None
    return FileChange(path, path.read_bytes(), encoded(text))


def _own_settings(path: Path) -> dict[str, Any]:
    """The settings in the existing frontmatter.json that Dossier does not write (an editor's
    own, such as ``frontMatter.preview.host``): a rewrite keeps them. Refused (RefusalError)
    when the file is one Dossier must not replace: a link, a folder, or not a JSON object."""
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
    text = front_matter_config(schemas, corpus, list(settings.article_paths))
    return settings_file.resolve().parent / FILE, text


def _resolver(schemas: Schemas, base: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A property with the definition its ``$ref`` names merged in (the property wins)."""

    def resolve(prop: dict[str, Any]) -> dict[str, Any]:
        if "$ref" not in prop:
            return prop
        target = schemas.registry.resolver().lookup(urljoin(base, prop["$ref"])).contents
        return resolve(dict(target)) | {k: v for k, v in prop.items() if k != "$ref"}

    return resolve


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
        return field | {"type": "block", "fieldGroup": ["source"]}
    return field | {"type": "string"} | ({"multiline": True} if name == "summary" else {})
