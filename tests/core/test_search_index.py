"""The search index without a site build: the publish step's indexer on hand-written pages, with
the real Pagefind, and what it says when Pagefind fails. Builds that index the sample and fixture
sites are in tests/site/test_search.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dossier.publish import search_index

from ..support.pagefind import failing_indexer, fragments


def page_html(lang: str, body: str) -> str:
    head = "<head><title>A page</title></head>"
    return f'<!doctype html><html lang="{lang}">{head}<body>{body}</body></html>'


def test_the_indexer_alone_indexes_marked_pages_per_language(tmp_path: Path) -> None:
    """The publish step on three hand-written pages: no Pelican, the real Pagefind."""
    pages = {
        "de/2023/gipfel/index.html": page_html(
            "de",
            "<article data-pagefind-body><h1>Gipfel</h1><p>Wostotschny</p></article>"
            '<a data-pagefind-filter="actor" href="/x/">Wladimir Putin</a>',
        ),
        "en/2023/summit/index.html": page_html(
            "en", "<article data-pagefind-body><h1>Summit</h1><p>Vostochny</p></article>"
        ),
        "de/akteure/index.html": page_html("de", "<h1>Akteure</h1><p>Wostotschny</p>"),
    }
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(html, encoding="utf-8")

    index = search_index.index_for_search(tmp_path, tmp_path / "pagefind" / "all")

    assert index.pages == {"de": 1, "en": 1}
    assert index.summary() == "Indexed for search: de 1, en 1 pages."
    indexed = fragments(tmp_path)
    assert set(indexed) == {"/de/2023/gipfel/", "/en/2023/summit/"}
    assert indexed["/de/2023/gipfel/"]["filters"] == {"actor": ["Wladimir Putin"]}


def test_the_indexer_reports_pagefinds_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "PAGEFIND", failing_indexer("Error: Pagefind was not able"))
    with pytest.raises(search_index.SearchIndexError) as raised:
        search_index.index_for_search(tmp_path)
    assert str(raised.value) == "Error: Pagefind was not able"
