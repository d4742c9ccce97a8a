"""Validate stage, the checks' context: what they know beyond the file in hand, the registry
(each entry by id, the ids of each kind, the entries' names, types and former ids), the
schemas' pattern for ids and the newsroom's time zone (for the UTC offsets hints give). Built
once per run, from the entries whose ids are unique
(``rules.unique_entities``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from dossier.read.corpus import EntityFile
from dossier.schemas import list_items


class CheckContext:
    """The registry as the checks see it, the pattern ids follow and the time zone (TIMEZONE)
    dates are written in."""

    def __init__(self, registry: dict[str, EntityFile], id_pattern: str, timezone: str = "UTC"):
        self.registry = registry  # id -> its entry
        self.ids_by_kind: dict[str, set[str]] = defaultdict(set)
        for entity in registry.values():
            self.ids_by_kind[entity.kind].add(entity.id)
        self.kinds = {entity_id: entity.kind for entity_id, entity in registry.items()}
        self.names = {e.id: _names(e.doc.data) for e in registry.values()}  # for suggestions
        # A blank type is its entry's own mistake, reported there; links to it are not judged.
        self.types = {
            e.id: e.doc.data["type"]
            for e in registry.values()
            if isinstance(e.doc.data, dict)
            and isinstance(e.doc.data.get("type"), str)
            and e.doc.data["type"].strip()
        }
        self.id_pattern = id_pattern
        self.timezone = timezone
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
        return self.kinds.get(entity_id)


def _names(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return []
    name, aliases = data.get("name"), data.get("aliases")
    # Read as they may be written wrong (a name in one string): the schema reports them.
    out = [v for v in name.values() if isinstance(v, str)] if isinstance(name, dict) else []
    out += [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else []
    return out
