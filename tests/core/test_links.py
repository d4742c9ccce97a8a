"""The one table of links between registry entries (``data/links.yaml``) agrees with the entity
schemas, which say which fields hold ids, and with the theme, which words the facts they show.

The schemas and the catalogues are read here as plain files, not through the plugin.
"""

from __future__ import annotations

import json

import pytest
from dossier.data import load_links

from ..conftest import REPO, catalogue
from ..support.sample import LANGS


def schema_link_fields() -> set[str]:
    """Every field of an entity schema with ``x-registry`` on it or on its items."""
    found = set()
    for path in (REPO / "schema" / "entities").glob("*.schema.json"):
        for name, prop in json.loads(path.read_text(encoding="utf-8"))["properties"].items():
            if "x-registry" in prop or "x-registry" in prop.get("items", {}):
                found.add(name)
    return found


def test_the_table_names_exactly_the_fields_the_entity_schemas_link_by_id() -> None:
    fields = [link.field for link in load_links()]
    assert len(fields) == len(set(fields))
    assert set(fields) == schema_link_fields()


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_of_a_link_is_in_the_catalogues(lang: str) -> None:
    """A link shows as fact_<field> on the entry's page and under its inbound label on the
    target's; a missing key would stop the build."""
    words = catalogue(lang)
    for link in load_links():
        assert f"fact_{link.field}" in words, link.field
        if link.inbound:
            assert link.inbound in words, link.field
