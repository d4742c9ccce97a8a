"""Enrich stage, search: how the published articles are cut into search index shards, and the
order in which a search page loads them.

Pagefind holds a whole index in memory while it writes it, about 150 KB for each article page,
and its time grows faster than the number of pages. A large archive is therefore indexed in
shards: per language, consecutive years packed together up to ``DOSSIER_SEARCH_SHARD_PAGES``
article pages (a year is never split, so an article stays in its shard as the archive grows).
Each shard is a Pagefind bundle of its own, ``pagefind/<lang>-<first year>[-<last year>]/``;
the search page searches all of them (``theme/static/js/search.js``). ``publish.search_index``
writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from dossier.enrich.urls import SEARCH_BUNDLE, Urls, save_as
from dossier.resolve.model import Site


@dataclass(frozen=True)
class Shard:
    lang: str
    first: int  # the first and last year of the articles in it
    last: int
    pages: tuple[str, ...]  # the article pages' files below the output folder, sorted

    @property
    def name(self) -> str:
        years = str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        return f"{self.lang}-{years}"

    @property
    def folder(self) -> str:
        """The bundle's folder below the output folder."""
        return f"{SEARCH_BUNDLE}/{self.name}"


def shards(site: Site, urls: Urls, most: int) -> list[Shard]:
    """The shards of the published articles, per language in the site's order, oldest first."""
    out = []
    for lang in site.languages:
        by_year = groupby(sorted(site.published(lang), key=lambda a: a.date), lambda a: a.date.year)
        packed: list[tuple[int, list[str]]] = []  # (year, pages) of the shard being filled
        for year, articles in by_year:
            pages = [save_as(urls.article(a)) for a in articles]
            if packed and sum(len(p) for _, p in packed) + len(pages) > most:
                out.append(_shard(lang, packed))
                packed = []
            packed.append((year, pages))
        if packed:
            out.append(_shard(lang, packed))
    return out


def _shard(lang: str, packed: list[tuple[int, list[str]]]) -> Shard:
    pages = tuple(sorted(page for _, ps in packed for page in ps))
    return Shard(lang, packed[0][0], packed[-1][0], pages)


def search_order(all_shards: list[Shard], lang: str) -> list[Shard]:
    """The shards as the search page of ``lang`` loads them: its own language's first, newest
    first (the first is the index the page opens), then the other languages'."""
    own = [s for s in all_shards if s.lang == lang]
    others = [s for s in all_shards if s.lang != lang]
    return [*reversed(own), *others]
