"""Publish stage, search: Pagefind's index of the published articles, built in shards.

Pagefind holds a whole index in memory while it writes it, about 150 KB for each article page,
and its time grows faster than the number of pages. A large archive is therefore indexed in
shards: per language, consecutive years packed together up to ``DOSSIER_SEARCH_SHARD_PAGES``
article pages (a year is never split, so an article stays in its shard as the archive grows).
Each shard is a Pagefind bundle of its own, ``pagefind/<lang>-<first year>[-<last year>]/``;
the search page searches all of them (``theme/static/js/search.js``).

A shard whose article pages are the same as in the published build is linked from it instead of
indexed again. The shards are indexed one at a time, so Pagefind's memory stays that of one
shard, in a thread that starts as soon as the article pages are written and runs while the build
writes the rest of the site.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from itertools import groupby
from pathlib import Path

from dossier.enrich.urls import SEARCH_BUNDLE, Urls, save_as
from dossier.publish.reuse import Reuse
from dossier.publish.staging import SearchIndex, index_for_search
from dossier.resolve.model import Site

DEFAULT_SHARD_PAGES = 2000
# Pagefind's UI, written into every bundle alike; the search pages load it from pagefind/.
UI_FILES = ("pagefind-component-ui.js", "pagefind-component-ui.css")


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


def shards(site: Site, urls: Urls, most: int = DEFAULT_SHARD_PAGES) -> list[Shard]:
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


SETTING = "DOSSIER_SEARCH_INDEXER"  # where `dossier build` hands its indexer to the plugin


class SearchIndexer:
    """Indexes the shards of one build into its staging folder, once the article pages exist.

    ``dossier build`` makes it; the plugin tells it the shards (``plan``) and when the article
    pages are written (``start``); ``dossier build`` waits for it (``finish``)."""

    def __init__(self, output: Path, keep: Reuse) -> None:
        self.output, self.keep = output, keep
        self.shards: list[Shard] = []
        self.pages: Counter[str] = Counter()
        self.indexed = 0
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def plan(self, planned: list[Shard]) -> None:
        self.shards = planned

    def start(self) -> None:
        """Index in the background; the article pages must all be written."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
            self._thread.start()

    def finish(self) -> SearchIndex:
        """Wait for the index (building it now if it was not started); raises SearchIndexError."""
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        return SearchIndex(dict(sorted(self.pages.items())))

    def wait(self) -> None:
        """Let a running index finish, whatever its outcome (before its folder is removed)."""
        if self._thread is not None:
            self._thread.join()

    def summary(self) -> str:
        return f"{len(self.shards)} search shard(s), {self.indexed} indexed anew."

    def _run(self) -> None:
        try:
            for shard in self.shards:
                self._index(shard)
            if self.shards:
                self._share_ui(self.shards[0])
        except BaseException as error:  # noqa: BLE001 - handed to the main thread by finish()
            self._error = error

    def _index(self, shard: Shard) -> None:
        keep = self.keep
        pages = [(page, keep.new.get(page, ["?"])[0]) for page in shard.pages]
        fingerprint = keep.fingerprint(version("pagefind_bin"), shard.name, pages)
        if not keep.link_folder(shard.folder, fingerprint):
            # Inside the staging folder: whatever happens, it goes with it.
            with tempfile.TemporaryDirectory(prefix=".search-", dir=self.output) as site:
                # Pagefind indexes a folder: one holding just this shard's pages, linked.
                for page in shard.pages:
                    target = Path(site, page)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.link(self.output / page, target)
                index_for_search(Path(site), self.output / shard.folder)
            keep.written_folder(shard.folder, fingerprint)
            self.indexed += 1
        entry = self.output / shard.folder / "pagefind-entry.json"
        with contextlib.suppress(OSError, ValueError, KeyError):
            languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
            for lang, index in languages.items():
                self.pages[lang] += index["page_count"]

    def _share_ui(self, shard: Shard) -> None:
        """Pagefind's UI files at the bundle root, where every search page loads them."""
        for name in UI_FILES:
            os.link(self.output / shard.folder / name, self.output / SEARCH_BUNDLE / name)
