"""Publish stage, incremental: files whose inputs have not changed since the published build are
hard-linked from it into the new build instead of being rendered again.

Every file the build writes gets a fingerprint: a digest of the build's version (Dossier's code,
the schemas, the theme, the settings and the versions of the libraries that render) and of the
file's own data (a page's view, a feed's entries). The manifest of the published site, kept in
the cache folder, holds each file's fingerprint and the size and modification time it was written
with. A later build that computes the same fingerprint, and finds the published file as it was
written, links it: the same bytes, no rendering.

When the model (every article's and registry entry's data, and the images' sizes) is the same
as the published build's, as after an edit of an article's text only, no view needs to be made
at all: every topic page, index, feed and home page is what it was, and an article page is what
it was if its rendered text is. Those are linked straight away.

The published folder is never written to: each file of the new build is created once, under a
new name, in the staging folder, and a linked file is only ever linked. A build that fails
leaves the manifest of the published site as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from dossier.atomic import write_text
from dossier.enrich.sitemaps import NEWS_FILE
from dossier.enrich.urls import SEARCH_BUNDLE
from dossier.read.cache_files import SHAPE, load_json
from dossier.read.check_cache import code_version
from dossier.resolve.model import Site

FORMAT = 2
ENTRY = 4  # a file in the manifest: fingerprint, size, modification time, text digest
# Libraries whose output ends up in the files; a new version may change bytes.
RENDERERS = ("pelican", "jinja2", "markdown", "babel", "feedgenerator", "markupsafe", "nh3")


def build_version(settings: Mapping[str, Any], volatile: frozenset[str]) -> str:
    """What every file depends on besides its own data. ``volatile`` names settings that do not
    reach the output (where it is written, objects handed between the build's stages)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT} {code_version(Path(settings['DOSSIER_SCHEMA_PATH']))}".encode())
    for name in RENDERERS:
        h.update(f" {name} {version(name)}".encode())
    theme = Path(settings["THEME"])
    for path in sorted(p for p in theme.rglob("*") if p.is_file()):
        h.update(path.relative_to(theme).as_posix().encode())
        h.update(path.read_bytes())
    kept = {k: v for k, v in settings.items() if k not in volatile}
    h.update(json.dumps(kept, sort_keys=True, default=_setting_value).encode())
    return h.hexdigest()


def _setting_value(value: Any) -> str:
    """A setting that is no plain data, by what it is rather than by its ``repr``, which would
    name its place in memory and so differ on every run (a function: its qualified name)."""
    name = getattr(value, "__qualname__", None)
    if name is not None and not isinstance(value, type):
        return f"{getattr(value, '__module__', '')}.{name}"
    if type(value).__repr__ is object.__repr__:
        return f"{type(value).__module__}.{type(value).__qualname__}"
    return repr(value)


def _digest(h: Any, value: Any) -> None:
    if isinstance(value, str):  # str, or Markup (which renders differently): say which
        h.update(f"{type(value).__name__}{len(value)}:".encode())
        h.update(value.encode("utf-8", "surrogatepass"))
    else:
        text = repr(value)
        h.update(b"r%d:" % len(text))
        h.update(text.encode("utf-8", "surrogatepass"))


def model_digest(site: Site) -> str:
    """Everything the pages are made of besides the build version and the articles' text: the
    data of every article and registry entry, which articles are published (a scheduled one
    is, once its date has come, with the same data), and the images' sizes."""
    model = (
        [(a.data, a.published) for a in site.articles],
        [(e.kind, e.data) for e in site.entities.values()],
        sorted(site.images.items()),
    )
    return hashlib.blake2b(repr(model).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def manifest_path(cache: Path, published: Path) -> Path:
    """Where the manifest of a published folder is kept: one per output folder."""
    name = hashlib.blake2b(str(published).encode(), digest_size=8).hexdigest()
    return cache / f"dossier-published-{name}.json"


def _entries(files: dict) -> bool:
    """Whether every entry is what ``written`` records: fingerprint, size, time, text digest."""
    return all(
        isinstance(entry, list)
        and len(entry) == ENTRY
        and isinstance(entry[0], str)
        and isinstance(entry[3], str)
        and all(isinstance(n, int) and not isinstance(n, bool) for n in entry[1:3])
        for entry in files.values()
    )


@dataclass
class Counts:
    rendered: int = 0
    linked: int = 0


@dataclass
class Reuse:
    """One build's view of the published site: what can be linked, and what was written."""

    published: Path
    staging: Path
    manifest: Path
    version: str
    old: dict[str, list] = field(default_factory=dict)
    new: dict[str, list] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)
    model: str = ""  # the digest of this build's model (model_digest), and the published one
    old_model: str = ""
    damage: str | None = None  # what was wrong with a damaged manifest, which was not used
    _folders: set[str] = field(default_factory=set)
    _derived: bool | None = None  # whether the files made from the model alone were kept
    # The search index is linked and recorded from a thread of its own (search_index).
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls, published: Path, staging: Path, manifest: Path, version: str) -> Reuse:
        """The manifest of ``published`` if it was written by a build of this version; an empty
        one (everything is rendered) when it is missing, damaged or of another version.
        ``damage`` says what was wrong with a damaged one (``read.cache_files``)."""
        reuse = cls(published, staging, manifest, version)
        stored, reuse.damage = load_json(manifest)
        if stored is None:
            return reuse
        if not isinstance(stored, dict) or "version" not in stored:
            reuse.damage = SHAPE
        elif stored["version"] == version:
            files, model = stored.get("files"), stored.get("model", "")
            if isinstance(files, dict) and isinstance(model, str) and _entries(files):
                reuse.old, reuse.old_model = files, model
            else:
                reuse.damage = SHAPE
        return reuse

    def forked(self) -> Reuse:
        """A view of the same published build that records only what is written and linked
        through it, for a worker (or a chunk of work) to hand back (``merge``). The folders
        made are the process's, shared: a chunk need not make them again."""
        return replace(self, new={}, counts=Counts(), _lock=threading.Lock())

    def merge(self, new: Mapping[str, list], rendered: int, linked: int) -> None:
        """Take in what a forked view recorded."""
        with self._lock:
            self.new.update(new)
            self.counts.rendered += rendered
            self.counts.linked += linked

    @property
    def same_model(self) -> bool:
        return bool(self.model) and self.model == self.old_model

    def fingerprint(self, *parts: Any) -> str:
        """A digest of the parts: views, feeds and page text, which hold plain data only (dicts,
        lists, text, numbers, dates and dataclasses of those), so their ``repr`` says all there
        is to them, and says it the same way in every process; it costs a tenth of canonical
        JSON. Text parts (a page's body) are digested as they are.
        tests/site/test_incremental.py checks every part fingerprinted in a real build."""
        h = hashlib.blake2b(digest_size=16)
        for part in parts:
            _digest(h, part)
        return h.hexdigest()

    def link(self, name: str, fingerprint: str, text: str = "") -> bool:
        """Link the published ``name`` into the staging folder if it was made from the same
        inputs and has not been touched since; False means it must be written. ``text``: the
        digest of an article page's rendered text, "" for a file made from the model alone."""
        entry = self.old.get(name)
        if entry is None or entry[0] != fingerprint:
            return False
        return self._link(name, [*entry[:3], text])

    def keep_as_before(self, name: str, text: str) -> bool:
        """With the model unchanged, link an article page whose text is what it was."""
        entry = self.old.get(name)
        if not self.same_model or entry is None or entry[3] != text:
            return False
        return self._link(name, entry)

    def keep_derived(self) -> bool:
        """With the model unchanged, link every file made from the model alone (topic pages,
        indexes, feeds…; not the search index, which has its own check), all or none; the
        same answer every time it is asked."""
        if self._derived is None:
            self._derived = False
            if self.same_model:
                prefix = f"{SEARCH_BUNDLE}/"
                names = [
                    n
                    for n, e in self.old.items()
                    if not e[3] and not n.startswith(prefix) and n != NEWS_FILE
                ]  # the news sitemap counts back from the time of the build
                self._derived = self._link_all(names)
        return self._derived

    def _link_all(self, names: list[str]) -> bool:
        for done, name in enumerate(names):
            if not self._link(name, self.old[name]):
                for linked in names[:done]:
                    (self.staging / linked).unlink()
                    with self._lock:
                        del self.new[linked]
                        self.counts.linked -= 1
                return False
        return True

    def _link(self, name: str, entry: list) -> bool:
        source = self.published / name
        try:
            stat = source.stat()
        except OSError:
            return False
        if [stat.st_size, stat.st_mtime_ns] != entry[1:3]:
            return False
        target = self.staging / name
        self._folder(target.parent)
        try:
            os.link(source, target)
        except OSError:
            return False
        with self._lock:
            self.new[name] = entry
            self.counts.linked += 1
        return True

    def written(self, name: str, fingerprint: str, text: str = "") -> None:
        """Record a file the build wrote at ``name``, to be linked next time."""
        stat = (self.staging / name).stat()
        with self._lock:
            self.new[name] = [fingerprint, stat.st_size, stat.st_mtime_ns, text]
            self.counts.rendered += 1

    def link_folder(self, folder: str, fingerprint: str) -> bool:
        """Link every file the published build had below ``folder``, if all were made from the
        same inputs and none was touched since; all of them or none."""
        prefix = f"{folder}/"
        names = [name for name in self.old if name.startswith(prefix)]
        if not names or any(self.old[name][0] != fingerprint for name in names):
            return False
        return self._link_all(names)

    def written_folder(self, folder: str, fingerprint: str) -> None:
        """Record every file written below ``folder`` as made from ``fingerprint``."""
        for path in sorted((self.staging / folder).rglob("*")):
            if path.is_file():
                self.written(path.relative_to(self.staging).as_posix(), fingerprint)

    def write(self, name: str, fingerprint: str, render, text: str = "") -> None:
        """Write ``name`` with the bytes ``render()`` returns, or link it if nothing changed.
        A new file, always: a name already in the staging folder (which may be linked to the
        published site's file) is never written into."""
        if self.link(name, fingerprint, text):
            return
        path = self.staging / name
        self._folder(path.parent)
        with path.open("xb") as out:
            out.write(render())
        self.written(name, fingerprint, text)

    def _folder(self, folder: Path) -> None:
        key = str(folder)
        if key not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            with self._lock:
                self._folders.add(key)

    def save(self) -> None:
        """Keep the manifest of the folder just published (the staging folder, swapped in)."""
        files = dict(sorted(self.new.items()))
        stored = {"version": self.version, "model": self.model, "files": files}
        text = json.dumps(stored, separators=(",", ":"))
        with contextlib.suppress(OSError):
            write_text(self.manifest, text)

    def summary(self) -> str:
        c = self.counts
        return f"Rendered {c.rendered:,} files, kept {c.linked:,} unchanged ones."
