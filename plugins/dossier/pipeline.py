"""The pipeline up to the model: read → validate → resolve, from Pelican-style settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .check_cache import CheckCache, code_version
from .config import check_settings, read_images
from .corpus import read_corpus
from .diagnostics import Diagnostic, has_errors
from .kinds import load_kinds
from .resolve import Site, resolve
from .schemas import load_schemas
from .validate import validate


def load_site(
    settings: Mapping[str, Any], cwd: Path | None = None
) -> tuple[Site | None, list[Diagnostic]]:
    """The validated site model, or None when any error was found; and every diagnostic."""
    content = Path(settings["PATH"])
    schema_dir = Path(settings["DOSSIER_SCHEMA_PATH"]).resolve()
    schemas = load_schemas(schema_dir)
    kinds = [k for k in load_kinds() if k in schemas.kinds]
    cache = check_cache(settings, schema_dir)
    corpus = read_corpus(
        content,
        list(settings["ARTICLE_PATHS"]),
        settings["DOSSIER_REGISTRY_PATH"],
        kinds,
        schemas.id_pattern,
        (cwd or Path.cwd()).resolve(),
        cache,
    )
    diagnostics = [*check_settings(settings, content), *validate(corpus, schemas, content, cache)]
    if cache:
        cache.save()
    if has_errors(diagnostics):
        return None, diagnostics
    site = resolve(corpus, schemas)
    srcs = [a.data["image"]["src"] for a in site.articles if "image" in a.data]
    diagnostics += unused_entities(site, schemas.entity_link_fields)
    return replace(site, images=read_images(settings, srcs, content)), diagnostics


def check_cache(settings: Mapping[str, Any], schema_dir: Path) -> CheckCache | None:
    """The cache of what earlier runs read and validated; DOSSIER_CACHE = False turns it off."""
    if not settings.get("DOSSIER_CACHE", True):
        return None
    folder = Path(settings.get("CACHE_PATH") or "cache")
    return CheckCache(folder / "dossier-check.json", code_version(schema_dir))


def unused_entities(site: Site, link_fields: frozenset[str]) -> list[Diagnostic]:
    """Entries nothing published points at: not an error (their topic page says there is no
    article yet, so links never break), but worth knowing before a reader finds the page."""
    linked = {
        target
        for entity in site.entities.values()
        for key, value in entity.data.items()
        if key in link_fields
        for target in (value if isinstance(value, list) else [value])
    }
    return [
        Diagnostic(
            entity.source,
            1,
            1,
            "",
            f"no published article or registry entry references '{entity.id}' yet",
            "its topic page says so; reference it from an article, or remove the file",
            "unused-entity",
            "warning",
        )
        for entity in site.entities.values()
        if entity.id not in site.referencing and entity.id not in linked
    ]
