"""The pipeline up to the model: read → validate → resolve, from Pelican-style settings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
    schemas = load_schemas(Path(settings["DOSSIER_SCHEMA_PATH"]).resolve())
    kinds = [k for k in load_kinds() if k in schemas.kinds]
    corpus = read_corpus(
        content,
        list(settings["ARTICLE_PATHS"]),
        settings["DOSSIER_REGISTRY_PATH"],
        kinds,
        schemas.id_pattern,
        (cwd or Path.cwd()).resolve(),
    )
    diagnostics = validate(corpus, schemas, content)
    if has_errors(diagnostics):
        return None, diagnostics
    return resolve(corpus, schemas), diagnostics
