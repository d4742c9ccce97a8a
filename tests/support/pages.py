"""Reading the pages a build wrote: parsed HTML, and the one JSON-LD graph of a page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..conftest import Site


def soup(site: Site, url: str) -> BeautifulSoup:
    path = site.page(url)
    assert path.is_file(), f"no page for {url}"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def graph(page: BeautifulSoup) -> list[dict]:
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)["@graph"]


def internal_links(site: Site) -> Iterator[tuple[Path, str]]:
    """Every page of the built site with each address on it that stays on the site: its
    links, stylesheets, scripts and images, and a redirect page's refresh target."""
    for path in sorted(site.output.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in page.find_all(["a", "link", "script", "img"]):
            target = tag.get("href") or tag.get("src")
            if target and not urlsplit(target).scheme and not target.startswith("#"):
                yield path, target
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        if refresh is not None:
            yield path, refresh["content"].split("url=", 1)[1]


def broken_links(site: Site) -> list[str]:
    """The internal links (``internal_links``) that name no file of the built site."""
    return [
        f"{path.relative_to(site.output)} links to {target}"
        for path, target in internal_links(site)
        if not site.page(urlsplit(target).path).is_file()
    ]
