"""Validate stage, the reach of a check of some files (``dossier check PATHS``): the files whose
problems the given files take part in, so that such a check reports every problem the build
would report about them. A given file is changed, added or removed (a path that is gone).

- An article reaches its language versions, both ways and in any year (a slug is the site's
  once), and the registry entries it references.
- A registry entry (or a removed one) reaches the articles and entries that name its id or one
  of its former ids, the entries it references, the entries that share its id or a former id,
  and those on a cycle with it. (A former id taken away breaks nothing the build accepted: no
  article or entry may name a former id. A renamed entry's old file is given as removed.)
- A removed file, or a static file, reaches the articles that show it and those whose text
  links files.

Every file reached is checked whole; the articles that share a slug with one are checked with
it, so that the problems across a story's versions are found as the build finds them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from dossier.data import load_links
from dossier.read.corpus import Corpus, EntityFile
from dossier.read.images import is_remote, local_file
from dossier.read.source import Document
from dossier.schemas import Schemas, id_fields, ids_in, list_items
from dossier.settings import DossierSettings
from dossier.validate.rules import former_slugs


@dataclass(frozen=True)
class Reach:
    articles: list[Document]  # the articles to check, in reading order
    focus: frozenset[str]  # the files (as diagnostics show them) whose problems are reported


def reach(
    corpus: Corpus,
    schemas: Schemas,
    settings: DossierSettings,
    given: Collection[Path],
    removed: Collection[Path],
) -> Reach:
    """What a check of the ``given`` files (absolute, resolved; read into ``corpus``) and of the
    ``removed`` ones (absolute paths of files gone) must check and report. ``corpus`` holds
    every article the given files can reach (and may hold more)."""
    content = settings.content_folder.resolve()
    registry_root = content / settings.registry_path
    entries = [e for e in corpus.entities if isinstance(e.doc.data, dict)]
    by_id: dict[str, EntityFile] = {}
    for entity in entries:
        by_id.setdefault(entity.id, entity)
    changed = [e for e in entries if e.doc.path in given]
    gone = {p.stem for p in removed if p.is_relative_to(registry_root)}
    # The ids whose namers are reached: the given entries' (one that cannot be read too), their
    # former ids, and the removed entries'.
    ids = {e.id for e in corpus.entities if e.doc.path in given} | gone
    ids |= {old for e in changed for old in _former(e)}
    files = {p for p in [*given, *removed] if not p.is_relative_to(registry_root)}
    files_went = bool(removed) or any(
        p.is_relative_to(content / folder) for p in given for folder in settings.static_paths
    )
    article_fields = id_fields(schemas.article)
    reached = {doc.path for doc in corpus.articles if doc.path in given}
    for doc in corpus.articles:
        if not isinstance(doc.data, dict) or doc.path in reached:
            continue
        named = {i for name in article_fields for i in ids_in(doc.data.get(name))}
        if named & ids or (files_went and _shows_or_links(doc, content, files)):
            reached.add(doc.path)
    # A story's versions: by slug, and by the file names' (a removed one's too).
    slugs = {_file_slug(p) for p in removed} | {
        s for doc in corpus.articles if doc.path in reached for s in _slugs(doc)
    }
    articles = [doc for doc in corpus.articles if doc.path in reached or _slugs(doc) & slugs]

    focus = {e.doc.path for e in changed}
    referenced = {
        i
        for doc in articles
        if doc.path in given and isinstance(doc.data, dict)
        for name in article_fields
        for i in ids_in(doc.data.get(name))
    }
    referenced |= {i for e in changed for i in _links(e, schemas)}
    focus |= {by_id[i].doc.path for i in referenced if i in by_id}
    own = {e.id for e in changed}
    for entity in entries:
        if (
            ids.intersection(_links(entity, schemas))
            or entity.id in own  # the same id twice
            or _former(entity) & ids  # a former id shared, or the id of another
        ):
            focus.add(entity.doc.path)
    focus |= {by_id[i].doc.path for i in _cycle_mates(own, by_id, schemas)}
    shown = {doc.display for doc in articles}
    shown |= {e.doc.display for e in corpus.entities if e.doc.path in focus}
    return Reach(articles, frozenset(shown))


def _former(entity: EntityFile) -> set[str]:
    values = entity.doc.data.get("formerly") if isinstance(entity.doc.data, dict) else None
    return {old for old in list_items(values) if isinstance(old, str)}


def _links(entity: EntityFile, schemas: Schemas) -> list[str]:
    """The ids an entry's fields name."""
    schema = schemas.entities.get(entity.kind, {})
    return [i for name in id_fields(schema) for i in ids_in(entity.doc.data.get(name))]


def _slugs(doc: Document) -> set[str]:
    """The slug an article takes, the one its file name says (they differ by mistake, in case
    too), and those of its former addresses (no other article may take them), casefolded."""
    slug = doc.data.get("slug") if isinstance(doc.data, dict) else None
    former = former_slugs(doc) if isinstance(doc.data, dict) else []
    slugs = [slug] if isinstance(slug, str) else []
    return {_file_slug(doc.path), *(s.casefold() for s in [*slugs, *former])}


def _file_slug(path: Path) -> str:
    return path.name.split(".", maxsplit=1)[0].casefold()


def _shows_or_links(doc: Document, content: Path, files: Collection[Path]) -> bool:
    """Whether an article shows one of ``files`` as its image, or its text links files."""
    image = doc.data.get("image")
    src = image.get("src") if isinstance(image, dict) else None
    if isinstance(src, str) and not is_remote(src) and local_file(content, src) in files:
        return True
    return any(word in doc.body for word in ("filename", "static", "attach"))


def _cycle_mates(ids: Iterable[str], by_id: dict[str, EntityFile], schemas: Schemas) -> set[str]:
    """The entries on a cycle (of the links links.yaml marks acyclic) with one of ``ids``."""
    mates: set[str] = set()
    for field in (link.field for link in load_links() if link.acyclic):
        forward: dict[str, list[str]] = {}
        backward: dict[str, list[str]] = defaultdict(list)
        for entity in by_id.values():
            if field in id_fields(schemas.entities.get(entity.kind, {})):
                forward[entity.id] = ids_in(entity.doc.data.get(field))
                for target in forward[entity.id]:
                    backward[target].append(entity.id)
        for start in ids:
            mates |= _reachable(start, forward) & _reachable(start, backward)
    return mates


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for target in edges.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen
