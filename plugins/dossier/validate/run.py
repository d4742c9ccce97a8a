"""Validate stage, the run: every check over the read corpus, in order. Problems met while
reading; ids unique across the registry; each registry entry against its schema and the rules
for entries; links without cycles, former ids, and ids that do not take the site's own
addresses; each article against its schema and the rules for articles and the HTML in its text;
then slugs and language versions across articles; then the static files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from jsonschema import ValidationError

from dossier.data import singular
from dossier.diagnostics import Diagnostic
from dossier.read.check_cache import CheckCache, registry_facts
from dossier.read.corpus import Corpus
from dossier.read.images import is_remote, local_file, read_image
from dossier.read.source import Document
from dossier.schemas import Schemas
from dossier.settings import DossierSettings
from dossier.validate.body import check_body
from dossier.validate.context import CheckContext
from dossier.validate.explain import explain_all
from dossier.validate.rules import (
    check_article,
    check_cycles,
    check_event_dates,
    check_former_ids,
    check_reserved_ids,
    check_slugs,
    check_translations,
    unique_entities,
)
from dossier.validate.static import check_static_files


def _article_images(articles: list[Document]) -> Iterator[str]:
    """The local images the articles show (``image.src``): their checks open them in full."""
    for doc in articles:
        image = doc.data.get("image")
        src = image.get("src") if isinstance(image, dict) else None
        if isinstance(src, str) and not is_remote(src):
            yield src


def validate(
    corpus: Corpus,
    schemas: Schemas,
    settings: DossierSettings,
    focus: frozenset[str] | None = None,
    cache: CheckCache | None = None,
) -> list[Diagnostic]:
    """Every problem in the corpus; with ``focus`` (paths as diagnostics show them), only the
    problems of those files, and registry entries outside it are read for their ids and names
    but not checked themselves (``dossier check PATHS``). With ``cache``, data that passed its
    schema before under the same registry facts is not checked against it again, and an image
    that decoded before is not decoded again. ``settings``: where the content, its static
    folders and articles are, the URL patterns (for the addresses ids and slugs take), the
    images' pixel limit, the hosts an article's text may embed from."""
    problems: list[Diagnostic] = list(corpus.layout)
    for doc in [*corpus.articles, *(e.doc for e in corpus.entities)]:
        problems.extend(doc.problems)

    registry = unique_entities(corpus.entities, problems)
    ctx = CheckContext(registry, schemas.id_pattern)
    checkers = schemas.validators(ctx.ids_by_kind, ctx.types)

    def schema_errors(schema: str, doc: Document) -> list[ValidationError]:
        """The schema's errors, skipped for data that passed before under the same facts."""
        data = doc.data
        if cache is None or not doc.text_key:
            return list(checkers[schema].iter_errors(data))
        key = cache.verdict_key(schema, doc.text_key, registry_facts(data, ctx.kinds, ctx.types))
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
        problems.extend(explain_all(errors, entity.doc, ctx, f"{singular(entity.kind)} file"))
        problems.extend(check_event_dates(entity))
    problems.extend(check_cycles(registry, schemas))
    problems.extend(check_former_ids(registry))
    problems.extend(check_reserved_ids(registry, settings))

    articles = [doc for doc in corpus.articles if doc.data is not None]
    # Checks across fields and files skip a field whose value is already reported as invalid:
    # one mistake, one message.
    broken: dict[Path, set[str]] = {}
    for doc in articles:
        found = explain_all(schema_errors("article", doc), doc, ctx, "article")
        problems.extend(found)
        broken[doc.path] = {re.split(r"[.\[]", d.field)[0] for d in found}
        problems.extend(check_article(doc, schemas, ctx, settings, broken[doc.path], cache))
        problems.extend(check_body(doc, settings.embed_hosts, cache))
    keyed = [doc for doc in articles if not broken[doc.path] & {"slug", "lang"}]
    problems.extend(check_slugs(keyed))
    problems.extend(check_translations(keyed, schemas, ctx, broken))
    # Reported elsewhere: the articles' images (their checks decode them) and the settings'
    # images that cannot be read (settings.read says so, naming the setting).
    content = settings.content_folder
    reported = {local_file(content, src) for src in _article_images(articles)}
    reported |= {
        local_file(content, src)
        for _, src in settings.images()
        if not is_remote(src) and read_image(content, src).width is None
    }
    problems.extend(check_static_files(corpus.static, settings.image_max_pixels, reported))
    if focus is not None:
        problems = [d for d in problems if d.path in focus]
    return sorted(set(problems))
