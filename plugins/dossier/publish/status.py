"""``dossier status``: what is not published, and what the next build publishes.

The drafts; the scheduled articles (ready, dated after the build time: the first build at or
after their date publishes them); and the articles the next build would publish that the last
did not. What the last build published is what its sitemap lists (``sitemap.xml``, and the
files it indexes when the site is large): the build writes it from the published articles
alone, in the output folder it swaps in whole, so it is the build's own record of them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from dossier.enrich.sitemaps import INDEX_FILE, SITEMAP
from dossier.enrich.urls import Urls
from dossier.resolve.model import Article, Site
from dossier.schemas import in_zone

COLUMNS = ("state", "date", "lang", "title", "file")
# What the sitemap index names: the parts of a large sitemap (``sitemaps.sitemap_files``).
_PART = re.compile(r"sitemap-\d+\.xml")


@dataclass(frozen=True, kw_only=True)
class Story:
    state: str  # "new" (the next build publishes it), "scheduled" or "draft"
    date: datetime  # in the newsroom's time zone
    lang: str
    slug: str
    title: str
    file: str
    url: str  # where the build publishes it (or will)


@dataclass(frozen=True, kw_only=True)
class LastBuild:
    """The published site the next build is compared with."""

    output: str  # the output folder, as shown
    found: bool  # whether a sitemap says what it published
    why: str = ""  # when not: what is missing or unreadable
    pages: frozenset[str] = frozenset()  # the URLs its sitemap lists


@dataclass(frozen=True, kw_only=True)
class Status:
    now: datetime  # the build time, in the newsroom's time zone
    timezone: str
    last: LastBuild
    new: tuple[Story, ...]  # published by the next build, not by the last (soonest first)
    scheduled: tuple[Story, ...]  # soonest first
    drafts: tuple[Story, ...]  # newest first
    published: int  # articles the next build publishes in all

    def summary(self) -> str:
        when = self.now.strftime("%Y-%m-%d %H:%M %Z")
        counts = f"{_count(len(self.drafts), 'draft')}, {len(self.scheduled)} scheduled"
        first = f"Build time {when} ({self.timezone}): {counts}."
        if not self.last.found:
            return (
                f"{first}\nNo last build to compare with in {self.last.output}/ ({self.last.why}): "
                f"the next build publishes all {_count(self.published, 'article')}."
            )
        return (
            f"{first}\nThe next build publishes {_count(len(self.new), 'article')} that the "
            f"last build in {self.last.output}/ did not."
        )

    def rows(self) -> list[tuple[str, ...]]:
        return [
            (s.state, self._when(s.date), s.lang, s.title, s.file)
            for s in (*self.new, *self.scheduled, *self.drafts)
        ]

    def _when(self, date: datetime) -> str:
        """A time as the column says (in TIMEZONE); one the zone cannot hold (past the year
        9999 there) with its own offset."""
        if str(date.tzinfo) == self.timezone:
            return date.strftime("%Y-%m-%d %H:%M")
        return date.isoformat(timespec="minutes")

    def columns(self) -> tuple[str, ...]:
        return tuple(f"date ({self.timezone})" if c == "date" else c for c in COLUMNS)

    def as_json(self) -> str:
        def story(s: Story) -> dict[str, str]:
            return {
                "state": s.state,
                "date": s.date.isoformat(),
                "lang": s.lang,
                "slug": s.slug,
                "title": s.title,
                "file": s.file,
                "url": s.url,
            }

        last = {"output": self.last.output, "found": self.last.found}
        if not self.last.found:
            last["why"] = self.last.why
        data = {
            "build_time": self.now.isoformat(),
            "timezone": self.timezone,
            "last_build": last,
            "published": self.published,
            # None: nothing to compare with, so the next build publishes every article.
            "new": [story(s) for s in self.new] if self.last.found else None,
            "scheduled": [story(s) for s in self.scheduled],
            "drafts": [story(s) for s in self.drafts],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)


def status(site: Site, urls: Urls, timezone: str, last: LastBuild) -> Status:
    """The status of ``site`` (resolved as of the build time, ``site.now``) beside ``last``."""
    assert site.now is not None  # a model made for a build knows its time

    def story(article: Article, state: str) -> Story:
        return Story(
            state=state,
            date=in_zone(article.date, timezone),
            lang=article.lang,
            slug=article.slug,
            title=article.title,
            file=article.source,
            url=urls.absolute(urls.article(article)),
        )

    published = site.published()
    new: list[Story] = []
    if last.found:
        new = [story(a, "new") for a in reversed(published)]
        new = [s for s in new if s.url not in last.pages]
    return Status(
        now=in_zone(site.now, timezone),
        timezone=timezone,
        last=last,
        new=tuple(new),
        scheduled=tuple(story(a, "scheduled") for a in site.scheduled()),
        drafts=tuple(story(a, "draft") for a in site.drafts()),
        published=len(published),
    )


def last_build(output: Path, shown: str) -> LastBuild:
    """What the site published in ``output`` lists in its sitemap; ``shown``: the folder's
    name as the editor knows it. Nothing is found, with the reason, when there is no site or
    its sitemap does not read."""
    index = output / INDEX_FILE
    if not index.is_file():
        return LastBuild(output=shown, found=False, why=f"no {INDEX_FILE}")
    pages: set[str] = set()
    try:
        # The build's own file, in the folder it published (expat refuses entity bombs).
        root = ET.parse(index).getroot()  # noqa: S314
        if root.tag == f"{{{SITEMAP}}}sitemapindex":
            parts = [loc.text or "" for loc in root.iter(f"{{{SITEMAP}}}loc")]
            names = [urlsplit(url).path.rsplit("/", 1)[-1] for url in parts]
            for name in names:
                if not _PART.fullmatch(name):
                    return LastBuild(output=shown, found=False, why=f"{INDEX_FILE} names {name}")
                pages |= _locs(ET.parse(output / name).getroot())  # noqa: S314
        else:
            pages = _locs(root)
    except (OSError, ET.ParseError, LookupError, ValueError) as error:  # (an unknown encoding)
        return LastBuild(output=shown, found=False, why=f"its sitemap does not read: {error}")
    return LastBuild(output=shown, found=True, pages=frozenset(pages))


def _locs(root: ET.Element) -> set[str]:
    return {
        (url.findtext(f"{{{SITEMAP}}}loc") or "").strip() for url in root.iter(f"{{{SITEMAP}}}url")
    }


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
