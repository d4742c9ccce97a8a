"""Write stage, the articles' texts: each article's Markdown rendered to sanitised HTML
(``render.body``) once, and kept in the cache folder for the builds after, by the digest of the
Markdown (``Article.text``).

A page that must be made again because something else on it changed (an entity's name, a
neighbour's title) takes its text from here instead of rendering the Markdown again, which is
most of an article page's cost. Nothing else reads the cache: a build that does not need an
article's text does not open its file.

The text depends on more than its Markdown: on the ``MARKDOWN`` setting, the sanitiser's policy
and embed hosts, the code and the libraries. Those are the build version (``reuse.build_version``),
and each version keeps its texts in a folder of its own; the others are removed when it is made.
Each file starts with a line holding the checksum of the rest and the text's word count; one
whose bytes differ (a crash, a full disk) is rendered again, with one warning. Files are written
under a new name and renamed into place, so builds working side by side never see half a file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path

from markdown import Markdown

from dossier.enrich.text import word_count
from dossier.read.cache_files import EMPTY, warning
from dossier.read.source import body_key, read_body
from dossier.render.body import Sanitiser, render_body
from dossier.resolve.model import Article

PREFIX = "dossier-bodies-"


@dataclass(frozen=True)
class Text:
    """An article's text as its page shows it, before its links are replaced."""

    html: str
    words: int  # as the build counts them (``enrich.text.word_count``)


def folder(cache: Path, version: str) -> Path:
    """The texts' folder of ``version`` in the cache folder; those of other versions are
    removed (made when the first text is kept)."""
    here = cache / f"{PREFIX}{version}"
    with contextlib.suppress(OSError):
        for old in cache.glob(f"{PREFIX}*"):
            if old != here:
                shutil.rmtree(old, ignore_errors=True)
    return here


class Bodies:
    """Articles' texts, from the cache in ``here`` or rendered with ``markdown`` (reset for each
    text) and ``sanitiser``; ``warn`` hears what the sanitiser removed from a text it renders,
    and of a damaged cache file."""

    def __init__(
        self, here: Path, markdown: Markdown, sanitiser: Sanitiser, warn: Callable[[str], None]
    ) -> None:
        self.here, self.markdown, self.sanitiser, self.warn = here, markdown, sanitiser, warn

    def text(self, article: Article) -> Text:
        """The article's text: kept, or rendered now (and kept)."""
        if article.text and (kept := self._kept(article.text)) is not None:
            return kept
        markdown = read_body(article.path)
        body = render_body(markdown, self.markdown, self.sanitiser)
        if body.removed:  # what dossier check let through and the sanitiser did not
            self.warn(
                f"{article.source}: removed from the text when it was rendered: "
                + ", ".join(body.removed)
            )
        made = Text(body.html, word_count(body.html))
        # Kept under the digest of what was read now: the file may have changed since the
        # check read it, and the next build fingerprints what it then reads.
        with contextlib.suppress(OSError):  # without it, the next build renders it again
            self._keep(body_key(markdown), made)
        return made

    def _path(self, key: str) -> Path:
        return self.here / f"{key}.html"

    def _kept(self, key: str) -> Text | None:
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            self.warn(warning(path, "it cannot be read"))
            return None
        head, _, html = raw.partition(b"\n")
        said, _, words = head.decode("ascii", "replace").partition(" ")
        if not raw:
            damage = EMPTY
        elif said != _sum(html) or not words.isdigit():
            damage = "cut short or garbled: its bytes differ from those written"
        else:
            try:
                return Text(html.decode("utf-8"), int(words))
            except UnicodeDecodeError:
                damage = "garbled: not UTF-8 text"
        self.warn(warning(path, damage))
        return None

    def _keep(self, key: str, text: Text) -> None:
        self.here.mkdir(parents=True, exist_ok=True)
        html = text.html.encode("utf-8")
        data = f"{_sum(html)} {text.words}\n".encode("ascii") + html
        fd, tmp = tempfile.mkstemp(prefix=f".{key}-", suffix=".part", dir=self.here)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            Path(tmp).replace(self._path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _sum(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()
