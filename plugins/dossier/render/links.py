"""Render stage, intrasite links: ``{static}``, ``{attach}`` and ``{filename}`` in an article's
text, replaced as the build's Pelican replaces them (``Content.content``), from the model instead
of what Pelican's generators collected. ``dossier serve`` shows an article's text through
``replace_links``; ``tests/site/test_serve_links.py`` builds a site with each kind of link and
proves that the served text is the built one.

A link is a tag's quoted URL attribute whose value starts with an indicator (``{static}`` or
``|static|``). What follows names a file: below the content folder when it starts with '/', else
below the article's folder; read as written, then percent-decoded, then HTML-unescaped. The link
becomes that file's URL after SITEURL, its query and fragment kept:

- ``{static}``: a static file, at its path below the content folder (as the build copies it);
- ``{filename}``: an article, at its URL (a draft, which the build does not write, has none:
  the site's root), or a static file as with ``{static}``;
- ``{attach}``: a static file, moved beside the article's page (the build copies it there, and
  not to its own path): at its path below the article's folder, or by its name alone when it
  lies elsewhere. When several articles link one file, the build moves it for the first it
  writes, and every link to it follows; the server moves it for each that attaches it.

A link that names nothing is left as Pelican leaves it (``dossier check`` refuses it first).
Other indicators (``{tag}``, ``{index}``…) are left as written.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import ParseResult, unquote, urljoin, urlparse, urlunparse

from dossier.enrich.urls import save_as

# Pelican's pattern for a link: the URL attributes of a tag, a quoted value, an indicator.
LINK = re.compile(
    r"(?P<markup><[^>]+(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*)"
    r"(?P<quote>[\"'])(?P<path>[{|](?P<what>.*?)[|}](?P<value>.*?))(?P=quote)"
)


@dataclass(frozen=True)
class Targets:
    """What links may name, by path below the content folder ('articles/2023/a.md'):
    ``articles``: each article's URL ('' for a draft); ``is_static``: whether a static file
    lies there; ``site_url``: SITEURL, which every link starts with."""

    site_url: str
    articles: Mapping[str, str]
    is_static: Callable[[str], bool]


def has_links(text: str) -> bool:
    """Whether a text may hold a link to replace (most hold none)."""
    return "{" in text or "|" in text


def replace_links(text: str, source: str, page: str, targets: Targets) -> str:
    """An article's text (HTML) with its links replaced. ``source``: the article's file below
    the content folder; ``page``: the URL of its page ('en/2023/a/')."""
    if not has_links(text):
        return text  # as most texts are
    return LINK.sub(lambda match: _replaced(match, source, page, targets), text)


def attached(text: str, source: str, page: str, targets: Targets) -> dict[str, str]:
    """The files an article's ``{attach}`` links move beside its page: the name each is
    served under ('en/2023/a/photo.png') -> the static file below the content folder."""
    moved = {}
    for match in LINK.finditer(text) if "attach" in text else ():
        if match["what"] == "attach" and (found := _find(match, source, targets)):
            moved[_beside(found[0], source, page)] = found[0]
    return moved


def _replaced(match: re.Match[str], source: str, page: str, targets: Targets) -> str:
    found = _find(match, source, targets)
    value = urlparse(match["value"])
    if found is None:
        origin = match["path"]  # as Pelican leaves it
    else:
        path, value = found
        if match["what"] == "attach":
            url = _beside(path, source, page)
        else:
            url = targets.articles.get(path, path)
        site = targets.site_url if targets.site_url.endswith("/") else f"{targets.site_url}/"
        origin = urljoin(site, url)
    address = urlunparse(value._replace(path=origin))
    return f"{match['markup']}{match['quote']}{address}{match['quote']}"


def _find(match: re.Match[str], source: str, targets: Targets) -> tuple[str, ParseResult] | None:
    """The file a link names (below the content folder), and its value as read; None when it
    names nothing the link may name. ``{filename}`` looks for an article first."""
    what = match["what"]
    if what not in {"static", "attach", "filename"}:
        return None
    folder = posixpath.dirname(source)
    value = urlparse(match["value"])
    kinds = [targets.articles.__contains__] if what == "filename" else []
    for known in [*kinds, targets.is_static]:
        for read, path in _readings(value):
            key = (
                path[1:]
                if path.startswith("/")
                else posixpath.normpath(posixpath.join(folder, path))
            )
            if known(key):
                return key, read
    return None


def _readings(value: ParseResult) -> Iterator[tuple[ParseResult, str]]:
    """A link's path as written, percent-decoded and HTML-unescaped (with its value so read)."""
    yield value, value.path
    yield value, unquote(value.path)
    unescaped = urlparse(html.unescape(value.geturl()))
    yield unescaped, unescaped.path


def _beside(path: str, source: str, page: str) -> str:
    """Where ``{attach}`` moves the static file at ``path``: below the folder of the page at
    ``page``, at its path from the article's folder, or by its name when it lies elsewhere."""
    tail = posixpath.relpath(path, posixpath.dirname(source) or ".")
    if tail.startswith("../"):
        tail = posixpath.basename(tail)
    return posixpath.join(posixpath.dirname(save_as(page)), tail)
