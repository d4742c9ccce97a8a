"""``dossier refs``: what references a registry entry, counted and listed, for an id that is
an entry's, was one (a former id), or is still named somewhere though no entry has it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from dossier.data import singular
from dossier.editing.files import Progress, quiet, read
from dossier.editing.lookup import known_id
from dossier.editing.references import Reference, find_references, former_ids
from dossier.read.corpus import EntityFile
from dossier.settings import DossierSettings
from dossier.words import plural

COLUMNS = ("where", "field", "what", "title or name")


@dataclass(frozen=True)
class Referenced:
    """The references to ``entity_id``; its entry, if any; the id it was renamed to, if it was."""

    entity_id: str
    entity: EntityFile | None
    renamed_to: str | None
    references: list[Reference]

    def summary(self) -> str:
        """``'sunan' (location, …/sunan.yaml) is referenced 5 times: in 4 articles and 1 …``"""
        entity = self.entity
        what = f"{singular(entity.kind)}, {entity.doc.display}" if entity else "no registry entry"
        if self.renamed_to is not None:
            what += f"; it was renamed to '{self.renamed_to}'"
        articles = len({r.path for r in self.references if r.what == "article"})
        others = len({r.path for r in self.references}) - articles
        entries = plural(others, "registry entry", "registry entries", grouped=True)
        times = plural(len(self.references), "time", grouped=True)
        return (
            f"'{self.entity_id}' ({what}) is referenced {times}: "
            f"in {plural(articles, 'article', grouped=True)} and {entries}."
        )

    def rows(self) -> list[tuple[str, str, str, str]]:
        """One row of ``COLUMNS`` per reference."""
        return [
            (
                f"{r.path}:{r.line}:{r.column}",
                r.field,
                f"article ({r.lang})" if r.what == "article" else singular(r.what),
                r.title,
            )
            for r in self.references
        ]

    def as_json(self) -> str:
        return json.dumps([asdict(r) for r in self.references], ensure_ascii=False, indent=2)


def references_to(
    settings: DossierSettings, entity_id: str, *, progress: Progress = quiet
) -> Referenced:
    """Every article and entry (drafts too) that names ``entity_id``. An id that no entry has
    and nothing names is a mistake: InputError, with a did-you-mean or its new id."""
    corpus, schemas = read(settings, progress)
    entities = {e.id: e for e in corpus.entities}
    found = find_references(corpus, schemas, entity_id, settings.default_lang)
    former = former_ids(corpus)
    if entity_id not in entities and not found:
        known_id(entity_id, set(entities), "ID", former)
    return Referenced(entity_id, entities.get(entity_id), former.get(entity_id), found)
