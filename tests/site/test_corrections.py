"""Corrections: each dated correction in an article's front matter is shown on its page, in its
language, and said in its JSON-LD (schema.org's CorrectionComment); the article counts as
changed at the latest one, in its JSON-LD, feeds and sitemap. A correction dated before the
article is a located error (tests/fixtures/bad/correction-*)."""

from __future__ import annotations

import json
from datetime import datetime

from lxml import etree

from ..conftest import Site, catalogue
from ..support.pages import graph, soup
from ..support.sitemap_xml import NS

ATOM = {"a": "http://www.w3.org/2005/Atom"}
URL = "/en/2023/launches/"
CORRECTIONS = [
    ("2023-09-15T09:30:00+02:00", "An earlier version gave the missiles' range as 650 km."),
    ("2023-09-14T18:00:00+02:00", "An earlier version said three missiles were fired."),
]
LATEST = "2023-09-15T09:30:00+02:00"


def corrected(site: Site) -> None:
    path = site.content / "articles/2023/launches.en.md"
    listed = "".join(f"  - date: {date}\n    text: {text}\n" for date, text in CORRECTIONS)
    text = path.read_text(encoding="utf-8").replace("\n---\n", f"\ncorrections:\n{listed}---\n", 1)
    path.write_text(text, encoding="utf-8")
    german = site.content / "articles/2023/summit.de.md"
    one = (
        "corrections:\n  - date: 2023-09-14T08:00:00+02:00\n    text: Der Zug kam aus Pjöngjang.\n"
    )
    german.write_text(
        german.read_text(encoding="utf-8").replace("\n---\n", f"\n{one}---\n", 1),
        encoding="utf-8",
    )


def test_corrections_on_the_page_in_json_ld_feeds_and_sitemap(
    fixture_site: Site, schemaorg
) -> None:
    corrected(fixture_site)
    result = fixture_site.build()
    assert result.exit_code == 0, result.output

    page = soup(fixture_site, URL)
    (block,) = page.select("section.corrections")
    heading = block.find("h2")
    assert block["aria-labelledby"] == heading["id"]
    assert heading.get_text() == catalogue("en")["corrections_title"][1]  # plural: two
    items = block.find_all("li")
    oldest_first = sorted(CORRECTIONS)
    assert [li.time["datetime"] for li in items] == [date for date, _ in oldest_first]
    assert [li.get_text().split(": ", 1)[1] for li in items] == [t for _, t in oldest_first]
    assert items[0].time.get_text() == "14 September 2023"
    # The page says it was updated at the latest correction.
    modified = page.head.find("meta", property="article:modified_time")
    assert modified["content"] == LATEST

    german = soup(fixture_site, "/de/2023/summit/")
    (block,) = german.select("section.corrections")
    assert block.h2.get_text() == catalogue("de")["corrections_title"][0]  # one
    assert block.li.time.get_text() == "14. September 2023"

    (article,) = [n for n in graph(page) if n["@type"] == "NewsArticle" and "mainEntityOfPage" in n]
    assert article["correction"] == [
        {"@type": "CorrectionComment", "text": text, "datePublished": date}
        for date, text in oldest_first
    ]
    assert article["dateModified"] == LATEST

    feed = etree.parse(str(fixture_site.output / "en/feed.xml")).getroot()
    (entry,) = [
        e for e in feed.findall("a:entry", ATOM) if e.find("a:link", ATOM).get("href").endswith(URL)
    ]
    assert datetime.fromisoformat(entry.findtext("a:updated", namespaces=ATOM)) == (
        datetime.fromisoformat(LATEST)
    )
    items = json.loads((fixture_site.output / "en/feed.json").read_text(encoding="utf-8"))
    (item,) = [i for i in items["items"] if i["url"].endswith(URL)]
    assert datetime.fromisoformat(item["date_modified"]) == datetime.fromisoformat(LATEST)

    sitemap = etree.parse(str(fixture_site.output / "sitemap.xml")).getroot()
    (url,) = [
        u
        for u in sitemap.findall("sm:url", NS)
        if u.findtext("sm:loc", namespaces=NS).endswith(URL)
    ]
    lastmod = url.findtext("sm:lastmod", namespaces=NS)
    assert datetime.fromisoformat(lastmod) == datetime.fromisoformat(LATEST)

    # The project's own JSON-LD check, against schema.org: no error on any page, and not a
    # word about the corrections (schema.org has `correction` and `CorrectionComment`).
    from dossier.lint.jsonld_check import check_site

    found = check_site(fixture_site.output, schemaorg).diagnostics
    assert [d.format() for d in found if d.severity == "error" or "orrection" in d.format()] == []
