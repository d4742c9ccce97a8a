"""Reading the pages a build wrote: parsed HTML, and the one JSON-LD graph of a page."""

from __future__ import annotations

import json

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
