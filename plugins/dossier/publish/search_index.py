"""Publish stage, search: Pagefind's index of the published articles, one bundle per shard
(``enrich.search`` plans the shards).

A shard whose article pages are the same as in the published build is linked from it instead of
indexed again. The shards are indexed by as many Pagefind processes at once as the build has
jobs (each holds one shard in memory), from a thread that starts once the write stage is done
and runs while Pelican copies the static files.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from dossier.enrich.search import Shard
from dossier.enrich.urls import SEARCH_BUNDLE
from dossier.publish.reuse import Reuse

# Pagefind's UI, written into every bundle alike; the search pages load it from pagefind/.
UI_FILES = ("pagefind-component-ui.js", "pagefind-component-ui.css")


# Pagefind through its Python package's documented entry point, which runs the binary of the
# pagefind_bin package pinned in requirements.txt: the same indexer on every machine.
PAGEFIND: tuple[str, ...] = (sys.executable, "-m", "pagefind")
INDEX_TIMEOUT = 600  # seconds; the sample site takes well under one


class SearchIndexError(Exception):
    """Pagefind could not index the built site; the message is Pagefind's own."""


@dataclass(frozen=True)
class SearchIndex:
    pages: Mapping[str, int]  # language -> article pages in its index

    def summary(self) -> str:
        counts = ", ".join(f"{lang} {n}" for lang, n in self.pages.items())
        return f"Indexed for search: {counts} pages."


def index_for_search(site: Path, bundle: Path | None = None) -> SearchIndex:
    """Write Pagefind's index of ``site`` and its UI into ``bundle`` (default: ``site/pagefind/``),
    one index per ``<html lang>``.

    Pagefind indexes only what the templates mark ``data-pagefind-body`` (the article element of
    article pages) and takes facets and result metadata from ``data-pagefind-filter`` and
    ``data-pagefind-meta``. Drafts are never written, so they cannot be indexed.
    """
    # No PAGEFIND_* variables, and a folder of our own to run in: a pagefind.yml in the
    # directory the build was started from, or the environment, must not change the index.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    bundle = (bundle or site / SEARCH_BUNDLE).resolve()
    command = [*PAGEFIND, "--site", str(site.resolve()), "--output-path", str(bundle), "--quiet"]
    try:
        done = subprocess.run(
            command,
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            timeout=INDEX_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(str(error)) from None
    entry = bundle / "pagefind-entry.json"
    if done.returncode != 0 or not entry.is_file():
        said = done.stderr.strip() or done.stdout.strip()
        raise SearchIndexError(said or f"pagefind exited with status {done.returncode}")
    try:  # Pagefind exits 0 even when it could not write its files
        languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
        return SearchIndex({lang: languages[lang]["page_count"] for lang in sorted(languages)})
    except (OSError, ValueError, AttributeError, KeyError, TypeError) as error:
        raise SearchIndexError(f"pagefind wrote no readable {entry.name} ({error})") from None


class SearchIndexer:
    """Indexes the shards of one build into its staging folder, once the article pages exist.

    The publication makes it with the build's shards; the plugin tells it when the article
    pages are written (``start``); the publication waits for it (``finish``)."""

    def __init__(self, output: Path, keep: Reuse, shards: list[Shard], jobs: int = 1) -> None:
        self.output, self.keep = output, keep
        self.shards, self.jobs = shards, jobs
        self._counting = threading.Lock()
        self.pages: Counter[str] = Counter()
        self.indexed = 0
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

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
            with ThreadPoolExecutor(max(1, self.jobs), thread_name_prefix="pagefind") as pool:
                for done in [pool.submit(self._index, shard) for shard in self.shards]:
                    done.result()  # the first failure, once every shard has stopped
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
            with self._counting:
                self.indexed += 1
        entry = self.output / shard.folder / "pagefind-entry.json"
        with contextlib.suppress(OSError, ValueError, KeyError):
            languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
            with self._counting:
                for lang, index in languages.items():
                    self.pages[lang] += index["page_count"]

    def _share_ui(self, shard: Shard) -> None:
        """Pagefind's UI files at the bundle root, where every search page loads them."""
        for name in UI_FILES:
            os.link(self.output / shard.folder / name, self.output / SEARCH_BUNDLE / name)
