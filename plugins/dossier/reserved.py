"""The addresses the site makes for itself, which no registry id and no article slug may take.

Every page and file the build writes has an address made from a URL pattern of the settings
(``enrich/urls.py``). Most hold an id or a slug; the others are the site's own: each language's
home page, hub, search page and feeds, each kind's two indexes (A–Z and by activity), the landing
and 404 pages, the sitemaps and robots.txt, and the folders of the search index (``pagefind/``),
of the static files (``STATIC_PATHS``) and of the theme (``THEME_STATIC_DIR``). A registry id
whose topic pages (or feeds, or redirects from it as a former id) would be written where one of
those is, inside one of their folders, or where one of their folders is, would replace it; and
so would an article whose page is. With the sample's patterns that is the id of an index by
activity (``by-activity``, ``nach-aktivitaet``); other patterns reserve other words, and
``id_conflict`` and ``slug_conflict`` find them from the settings.

Pure functions of the settings, for check (``validate``) and for the commands that make or
change ids and slugs (``dossier new``, ``rename``, ``merge``, ``translate``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from dossier.data import load_kinds, load_languages
from dossier.schemas import parse_datetime
from dossier.settings import DossierSettings

SEARCH_BUNDLE = "pagefind"  # where Pagefind writes its index and UI (enrich.urls.SEARCH_BUNDLE)
FEED_EXTENSIONS = ("xml", "json")


@dataclass(frozen=True)
class Taken:
    """A file the site writes for itself, or a folder that is all its own."""

    path: str  # below the output folder: de/dossiers/index.html, pagefind
    what: str  # in words: "the Dossiers hub (de)"
    folder: bool = False


def id_conflict(settings: DossierSettings, kind: str, entity_id: str) -> str | None:
    """Why ``entity_id`` cannot be an id of ``kind`` (nor a former id of one of its entries):
    which of the site's own addresses one of its pages would take, in words ("en/actors/
    by-activity/ is the address of the index of actors by activity (en)"); None when it can."""
    patterns = [settings.entity_url, settings.entity_page_url, settings.entity_feed_url]
    for lang, segment in load_kinds().get(kind, {}).get("path", {}).items():
        for pattern in patterns:
            for ext in FEED_EXTENSIONS:  # a topic page's timeline page 2 stands for all the later
                url = _format(pattern, lang=lang, kind=segment, id=entity_id, page=2, ext=ext)
                if url is not None and (taken := _taken_by(url, settings)):
                    return _because(url, taken)
    return None


def slug_conflict(settings: DossierSettings, data: Mapping[str, Any]) -> str | None:
    """Why an article with the front matter ``data`` cannot have its slug: which of the site's
    own addresses its page would take; None when it can (or when its fields cannot make an
    address, which the schema reports)."""
    url = article_address(settings, data)
    if url is not None and (taken := _taken_by(url, settings)):
        return _because(url, taken)
    return None


def article_address(settings: DossierSettings, data: Mapping[str, Any]) -> str | None:
    """The URL of the page of an article with the front matter ``data`` (ARTICLE_URL, filled in
    as ``enrich.urls`` fills it); None when its fields cannot make one (the schema says why)."""
    date = parse_datetime(data["date"]) if isinstance(data.get("date"), str) else None
    if date is None:
        return None
    return _format(settings.article_url, **{**data, "date": date})


def site_files(settings: DossierSettings) -> tuple[Taken, ...]:
    """Every file and folder the site makes for itself, whatever the content."""
    return _site_files(*_what_makes_them(settings))


def _what_makes_them(settings: DossierSettings) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The settings the site's own files follow from: the URL patterns, the static folders,
    the theme's folder."""
    patterns = (
        settings.home_url,
        settings.hub_url,
        settings.search_url,
        settings.feed_url,
        settings.kind_url,
        settings.kind_by_activity_url,
    )
    return patterns, settings.static_paths, settings.theme_static_dir


@cache
def _site_files(
    patterns: tuple[str, ...], static: tuple[str, ...], theme: str
) -> tuple[Taken, ...]:
    home, hub, search, feed, kind_index, by_activity = patterns
    kinds = load_kinds()
    found: list[Taken] = []
    for lang, words in load_languages().items():
        names = {"lang": lang, "search": words["search"], "by_activity": words["by_activity"]}
        made = [
            (home, {}, f"the home page ({lang})"),
            (hub, {}, f"the Dossiers hub ({lang})"),
            (search, {}, f"the search page ({lang})"),
            *((feed, {"ext": ext}, f"the site's feed ({lang})") for ext in FEED_EXTENSIONS),
        ]
        for kind_words in kinds.values():
            plural = kind_words["plural"]["en"].lower()
            segment = {"kind": kind_words["path"][lang]}
            made.append((kind_index, segment, f"the index of {plural} ({lang})"))
            made.append((by_activity, segment, f"the index of {plural} by activity ({lang})"))
        for pattern, values, what in made:
            url = _format(pattern, **names, **values)
            if url is not None:
                found.append(Taken(_file(url), what))
    found += [
        Taken("index.html", "the landing page"),
        Taken("404.html", "the page for missing addresses"),
        Taken("sitemap.xml", "the sitemap"),
        Taken("sitemap-news.xml", "the news sitemap"),
        Taken("robots.txt", "robots.txt"),
        Taken(SEARCH_BUNDLE, "the search index", folder=True),
        Taken(theme.strip("/"), "the theme's files", folder=True),
        *(Taken(p.strip("/"), "static files (STATIC_PATHS)", folder=True) for p in static),
    ]
    return tuple(t for t in found if t.path)


@cache
def _lookup(
    patterns: tuple[str, ...], static: tuple[str, ...], theme: str
) -> tuple[dict[str, Taken], dict[str, Taken]]:
    """The site's own files and folders by path, and by each folder above them (the first
    file listed wins, as a scan in order would find it)."""
    own: dict[str, Taken] = {}
    above: dict[str, Taken] = {}
    for taken in _site_files(patterns, static, theme):
        own.setdefault(taken.path, taken)
        parts = taken.path.split("/")
        for end in range(1, len(parts)):
            above.setdefault("/".join(parts[:end]), taken)
    return own, above


# Files the site writes for itself in numbered series: sitemap-1.xml, sitemap-2.xml, …
_NUMBERED = ((re.compile(r"sitemap-[0-9]+\.xml"), "a part of the sitemap"),)


def _taken_by(url: str, settings: DossierSettings) -> Taken | None:
    """The file or folder of the site's own that the page at ``url`` would replace, be written
    inside of, or stand in the way of; None if none. Asked for every id and slug: looked up by
    the file's path and its folders, not compared with every file of the site's."""
    file = _file(url)
    own, above = _lookup(*_what_makes_them(settings))
    parts = file.split("/")
    for end in range(len(parts), 0, -1):  # the file itself, then each folder it lies in
        if (taken := own.get("/".join(parts[:end]))) is not None:
            return taken
    if (taken := above.get(file)) is not None:  # a folder of the site's own files
        return taken
    for pattern, what in _NUMBERED:
        if pattern.fullmatch(file):
            return Taken(file, what)
    return None


def _because(url: str, taken: Taken) -> str:
    """``url`` (an address an id or slug would give a page) and the site's own file or folder
    it would take, in words."""
    file = _file(url)
    shown = f"{taken.path}/" if taken.folder else taken.path.removesuffix("index.html")
    if file == taken.path:
        return f"{url} is the address of {taken.what}"
    if url.rstrip("/") == taken.path:
        return f"{url} is the folder of {taken.what}"
    if file.startswith(f"{taken.path}/"):
        return f"{url} lies in {shown}, the folder of {taken.what}"
    return f"{url} would be written where {taken.what} is ({shown or '/'})"


def _file(url: str) -> str:
    """Where a URL's page is written (``enrich.urls.save_as``): ``de/orte/`` → its index.html."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def _format(pattern: str, **values: Any) -> str | None:
    """The pattern filled in; None when it names a value that is not given or does not fit."""
    try:
        return pattern.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return None
