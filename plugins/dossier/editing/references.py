"""Who references a registry entry: every article and entry that names its id, and where.

Works on the read corpus (not the validated model), so it answers for content that does not
check yet too, which is when an editor most needs to know.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dossier.read.corpus import Corpus
from dossier.read.source import Document, field_name
from dossier.schemas import Schemas, id_fields


@dataclass(frozen=True, order=True, kw_only=True)
class Reference:
    path: str  # as diagnostics show it
    line: int
    column: int
    field: str  # actors[2]
    what: str  # "article" or the kind of the referring entry
    lang: str  # the article's language; "" for an entry
    title: str  # the article's title or the entry's name


def find_references(corpus: Corpus, schemas: Schemas, entity_id: str, lang: str) -> list[Reference]:
    """Every place that names ``entity_id``; entries are shown by their name in ``lang``."""
    found = []
    for doc in corpus.articles:
        data = doc.data if isinstance(doc.data, dict) else {}
        title = str(data.get("title", ""))
        for (line, column), field in id_positions(doc, id_fields(schemas.article), entity_id):
            found.append(
                Reference(
                    path=doc.display,
                    line=line,
                    column=column,
                    field=field,
                    what="article",
                    lang=data.get("lang"),
                    title=title,
                )
            )
    for entity in corpus.entities:
        data = entity.doc.data if isinstance(entity.doc.data, dict) else {}
        name = data.get("name", {})
        title = str(name.get(lang, entity.id)) if isinstance(name, dict) else entity.id
        fields = id_fields(schemas.entities[entity.kind])
        for (line, column), field in id_positions(entity.doc, fields, entity_id):
            found.append(
                Reference(
                    path=entity.doc.display,
                    line=line,
                    column=column,
                    field=field,
                    what=entity.kind,
                    lang="",
                    title=title,
                )
            )
    return sorted(found)


def former_ids(corpus: Corpus) -> dict[str, str]:
    """Former ids (``formerly``) -> the id of the entry that lists them."""
    return {
        old: e.id
        for e in corpus.entities
        if isinstance(e.doc.data, dict)
        for old in e.doc.data.get("formerly") or []
        if isinstance(old, str)
    }


def id_positions(
    doc: Document, fields: tuple[str, ...], entity_id: str
) -> Iterator[tuple[tuple[int, int], str]]:
    """(line, column) and field name of each value of ``fields`` that is ``entity_id``."""
    data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
    for name in fields:
        value = data.get(name)
        paths = [(name, i) for i in range(len(value))] if isinstance(value, list) else [(name,)]
        for path in paths:
            item = value[path[1]] if len(path) == 2 else value
            if item == entity_id:
                where = doc.value_at(path)
                yield (where.line, where.column), field_name(path)
