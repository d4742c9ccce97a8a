"""sitemap.xml (and its index), the Google News sitemap and robots.txt, on real builds.

Expected URLs, dates and language versions are computed here from the Markdown front matter and
the registry YAML (read with plain PyYAML), never from the plugin's data. Every sitemap is
validated offline against the XSDs in tests/fixtures/xsd (see the README there). The sitemap
writer without Pelican is in tests/core/test_sitemaps.py.
"""

from __future__ import annotations

import runpy
import urllib.robotparser
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
import yaml
from lxml import etree

from ..conftest import FIXTURES, REPO, Site
from ..support.sample import KIND_PATHS, LANGS, REFERENCE_FIELDS, SITE, front_matter
from ..support.sitemap_xml import NS, news_entries

XSD = FIXTURES / "xsd"
DEFAULT_LANG = "de"
HUB = "dossiers"  # DOSSIER_HUB_URL's segment, the same in every language
NOW = datetime.fromisoformat("2023-09-14T10:00:00+02:00")
HOSTILE = """</script> & <b>"Kim" 'trifft' Putin</b>"""


# --- expectations from the content -------------------------------------------------------------


def _dt(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def read_articles(content: Path) -> list[dict]:
    out = []
    for path in sorted((content / "articles").rglob("*.md")):
        data = front_matter(path)
        data["date"] = _dt(data["date"])
        data["modified"] = _dt(data.get("modified", data["date"]))
        data["url"] = f"/{data['lang']}/{data['date']:%Y}/{data['slug']}/"
        data["refs"] = {*data["authors"], *(i for f in REFERENCE_FIELDS for i in data.get(f, []))}
        out.append(data)
    return out


def read_published(content: Path) -> list[dict]:
    return [a for a in read_articles(content) if a.get("status", "published") == "published"]


def read_entities(content: Path) -> list[dict]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        | {"kind": path.parent.name, "id": path.stem}
        for path in sorted((content / "entities").glob("*/*.yaml"))
    ]


def entity_url(entity: dict, lang: str) -> str:
    return f"/{lang}/{KIND_PATHS[entity['kind']][lang]}/{entity['id']}/"


def expected_pages(content: Path) -> dict[str, tuple[datetime | None, dict[str, str]]]:
    """Site path -> (lastmod, {hreflang: absolute URL}) for every page sitemap.xml must list."""
    published = read_published(content)
    registry = read_entities(content)

    def newest(articles) -> datetime | None:
        return max((a["modified"] for a in articles), default=None)

    def alternates(versions: dict[str, str], x_default: str | None = None) -> dict[str, str]:
        links = {lang: SITE + path for lang, path in versions.items()}
        first = next(versions[lang] for lang in LANGS if lang in versions)
        links["x-default"] = SITE + (x_default or versions.get(DEFAULT_LANG, first))
        return links

    # The home pages' x-default is the language chooser at /.
    homes = {lang: f"/{lang}/" for lang in LANGS}
    out = {"/": (newest(published), alternates(homes, "/"))}
    for lang in LANGS:
        here = [a for a in published if a["lang"] == lang]
        out[f"/{lang}/"] = (newest(here), alternates(homes, "/"))
        hubs = {other: f"/{other}/{HUB}/" for other in LANGS}
        out[f"/{lang}/{HUB}/"] = (newest(here), alternates(hubs))
        for kind, segments in KIND_PATHS.items():
            ids = {e["id"] for e in registry if e["kind"] == kind}
            counted = [a for a in here if a["refs"] & ids]
            indexes = {other: f"/{other}/{segments[other]}/" for other in LANGS}
            out[indexes[lang]] = (newest(counted), alternates(indexes))
        for entity in registry:
            referencing = [a for a in published if entity["id"] in a["refs"]]  # any language
            versions = {other: entity_url(entity, other) for other in LANGS}
            out[versions[lang]] = (newest(referencing), alternates(versions))
    for article in published:
        versions = {a["lang"]: a["url"] for a in published if a["slug"] == article["slug"]}
        out[article["url"]] = (article["modified"], alternates(versions))
    return out


@cache
def publisher_name() -> str:
    return runpy.run_path(str(REPO / "pelicanconf.py"))["DOSSIER_PUBLISHER"]["name"]


# --- reading what was built --------------------------------------------------------------------


class _LocalFiles(etree.Resolver):
    """xhtml1-strict.xsd imports the XML namespace's schema from w3.org; use the copy here."""

    def resolve(self, url, pubid, context):
        if url == "http://www.w3.org/2001/xml.xsd":
            return self.resolve_filename(str(XSD / "xml.xsd"), context)
        return None


@cache
def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalFiles())
    return etree.XMLSchema(etree.parse(str(XSD / name), parser))


def validated(path: Path) -> etree._Element:
    """Parse a sitemap and check it against its XSD: the sitemap index or the urlset with the
    xhtml and Google News extensions."""
    document = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    root = document.getroot()
    name = "siteindex.xsd" if root.tag == f"{{{NS['sm']}}}sitemapindex" else None
    xsd = schema(name or "sitemap-with-extensions.xsd")
    assert xsd.validate(document), f"{path.name}: {xsd.error_log}"
    return root


def url_entries(root: etree._Element) -> dict[str, tuple[str | None, list[tuple[str, str]]]]:
    """loc -> (lastmod text, [(hreflang, href)]) of a <urlset>; every loc once."""
    out = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in out, f"{loc} listed twice"
        links = [
            (link.get("hreflang"), link.get("href"))
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        ]
        out[loc] = (url.findtext("sm:lastmod", namespaces=NS), links)
    return out


def path_of(url: str) -> str:
    assert url.startswith(SITE + "/"), url
    return urlsplit(url).path


def page_alternates(site: Site, path: str) -> list[tuple[str, str]]:
    """The <link rel=alternate hreflang> set in a page's own <head>."""
    page = lxml.html.parse(str(site.page(path)))
    return [
        (link.get("hreflang"), link.get("href"))
        for link in page.xpath("//head/link[@rel='alternate'][@hreflang]")
    ]


def assert_lastmod(text: str | None, expected: datetime | None, where: str) -> None:
    if expected is None:
        assert text is None, where
        return
    assert text is not None, where
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, f"{where}: {text} has no UTC offset"
    assert value == expected, where
    assert text == expected.isoformat(), where  # the editor's own offset, to the second


def configure(site: Site, **settings) -> None:
    with (site.root / "settings.py").open("a", encoding="utf-8") as file:
        for name, value in settings.items():
            file.write(f"{name} = {value!r}\n")


def build(site: Site) -> None:
    result = site.build()
    assert result.exit_code == 0, result.output


def article(slug: str, lang: str, date: str, title: str | None = None, status: str = "") -> str:
    title = title or f"{slug.capitalize()} ({lang})"
    return (
        "---\n"
        f"title: '{title.replace(chr(39), chr(39) * 2)}'\n"
        f"slug: {slug}\nlang: {lang}\ndate: {date}\n"
        "authors: [anna-berger]\n"
        "summary: A short report.\n"
        f"{f'status: {status}' if status else ''}\n"
        "---\nText.\n"
    )


# --- sitemap.xml on the sample site ------------------------------------------------------------


def test_sitemap_lists_every_canonical_page_and_nothing_else(sample_site: Site) -> None:
    root = validated(sample_site.output / "sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}urlset"
    listed = {path_of(loc) for loc in url_entries(root)}
    expected = expected_pages(REPO / "content")
    assert listed == set(expected)
    drafts = [a for a in read_articles(REPO / "content") if a.get("status") == "draft"]
    assert drafts
    assert not {d["url"] for d in drafts} & listed
    assert not list(sample_site.output.glob("sitemap-[0-9]*.xml"))  # no index below the limit


def test_sitemap_lastmod_is_the_newest_change_shown_on_each_page(sample_site: Site) -> None:
    entries = url_entries(validated(sample_site.output / "sitemap.xml"))
    expected = expected_pages(REPO / "content")
    for loc, (lastmod, _) in entries.items():
        assert_lastmod(lastmod, expected[path_of(loc)][0], loc)
    # Some topic pages have no articles: their lastmod is left out, not invented.
    assert any(lastmod is None for lastmod, _ in entries.values())


def test_sitemap_alternates_are_each_pages_own_hreflang_links(sample_site: Site) -> None:
    entries = url_entries(validated(sample_site.output / "sitemap.xml"))
    expected = expected_pages(REPO / "content")
    for loc, (_, links) in entries.items():
        path = path_of(loc)
        assert len({hreflang for hreflang, _ in links}) == len(links), loc
        assert dict(links) == expected[path][1], loc
        assert sorted(links) == sorted(page_alternates(sample_site, path)), loc


def test_every_address_in_the_sitemap_is_served_by_a_file(sample_site: Site) -> None:
    entries = url_entries(validated(sample_site.output / "sitemap.xml"))
    for loc, (_, links) in entries.items():
        for url in [loc, *(href for _, href in links)]:
            assert sample_site.page(path_of(url)).is_file(), f"{loc}: no file serves {url}"


def test_robots_txt_allows_all_and_names_both_sitemaps(sample_site: Site) -> None:
    text = (sample_site.output / "robots.txt").read_text(encoding="utf-8")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    assert parser.site_maps() == [f"{SITE}/sitemap.xml", f"{SITE}/sitemap-news.xml"]
    for agent in ("*", "Googlebot", "Googlebot-News"):
        assert parser.can_fetch(agent, f"{SITE}/de/2023/kim-putin-vostochny/")
    for sitemap in parser.site_maps() or []:
        assert (sample_site.output / path_of(sitemap).lstrip("/")).is_file()


# --- the sitemap index -------------------------------------------------------------------------


def test_more_urls_than_the_limit_make_an_index_of_parts(fixture_site: Site) -> None:
    configure(fixture_site, DOSSIER_SITEMAP_MAX_URLS=10)
    build(fixture_site)
    expected = expected_pages(fixture_site.content)
    index = validated(fixture_site.output / "sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    parts = index.findall("sm:sitemap", NS)
    count = -(-len(expected) // 10)
    assert count > 2
    assert [p.findtext("sm:loc", namespaces=NS) for p in parts] == [
        f"{SITE}/sitemap-{n}.xml" for n in range(1, count + 1)
    ]
    assert sorted(p.name for p in fixture_site.output.glob("sitemap-*.xml")) == sorted(
        f"sitemap-{n}.xml" for n in [*range(1, count + 1), "news"]
    )
    listed: dict[str, tuple[str | None, list]] = {}
    for number, part in enumerate(parts, start=1):
        entries = url_entries(validated(fixture_site.output / path_of(part[0].text).lstrip("/")))
        assert len(entries) == (10 if number < count else len(expected) - 10 * (count - 1))
        assert not set(entries) & set(listed), "a URL in two parts"
        listed |= entries
        lastmods = [datetime.fromisoformat(m) for m, _ in entries.values() if m]
        newest = part.findtext("sm:lastmod", namespaces=NS)
        if lastmods:
            assert datetime.fromisoformat(newest) == max(lastmods)
            assert newest in {m for m, _ in entries.values()}
        else:
            assert newest is None
    assert {path_of(loc) for loc in listed} == set(expected)
    for loc, (lastmod, links) in listed.items():
        assert_lastmod(lastmod, expected[path_of(loc)][0], loc)
        assert dict(links) == expected[path_of(loc)][1], loc


# --- the Google News sitemap -------------------------------------------------------------------


def add_news_articles(site: Site) -> None:
    """Articles around the two days before NOW (2023-09-14T10:00+02:00), besides the fixture's
    three of 2023-09-13 and its draft of 2006."""
    site.write("articles/2023/early.en.md", article("early", "en", "2023-09-12T09:59:59+02:00"))
    site.write("articles/2023/edge.de.md", article("edge", "de", "2023-09-12T10:00:00+02:00"))
    site.write("articles/2023/now.de.md", article("now", "de", "2023-09-14T08:00:00+00:00"))
    site.write("articles/2023/later.en.md", article("later", "en", "2023-09-14T10:00:01+02:00"))
    site.write(
        "articles/2023/unfinished.de.md",
        article("unfinished", "de", "2023-09-14T09:00:00+02:00", status="draft"),
    )


def expected_news(content: Path, now: datetime) -> list[dict]:
    recent = [a for a in read_published(content) if now - timedelta(days=2) <= a["date"] <= now]
    return sorted(recent, key=lambda a: a["date"], reverse=True)


def assert_news(site: Site, expected: list[dict]) -> None:
    root = validated(site.output / "sitemap-news.xml")
    assert root.tag == f"{{{NS['sm']}}}urlset"
    items = news_entries(root)
    assert [i["loc"] for i in items] == [SITE + a["url"] for a in expected]
    for item, article_ in zip(items, expected, strict=True):
        assert item["name"] == publisher_name()
        assert item["language"] == article_["lang"]
        assert datetime.fromisoformat(item["date"]) == article_["date"]
        assert item["date"] == article_["date"].isoformat()
        assert item["title"] == article_["title"]
        assert site.page(path_of(item["loc"])).is_file()


def test_news_sitemap_lists_the_last_two_days_newest_first(
    fixture_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    add_news_articles(fixture_site)
    configure(fixture_site, DOSSIER_NOW=NOW.isoformat())
    build(fixture_site)
    expected = expected_news(fixture_site.content, NOW)
    assert [a["slug"] for a in expected] == ["now", "summit", "summit", "launches", "edge"]
    assert_news(fixture_site, expected)


def test_news_sitemap_limit(fixture_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    add_news_articles(fixture_site)
    configure(fixture_site, DOSSIER_NOW=NOW.isoformat(), DOSSIER_NEWS_SITEMAP_LIMIT=2)
    build(fixture_site)
    assert_news(fixture_site, expected_news(fixture_site.content, NOW)[:2])


def test_source_date_epoch_wins_over_dossier_now(
    fixture_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_news_articles(fixture_site)
    configure(fixture_site, DOSSIER_NOW="2030-01-01T00:00:00+00:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    build(fixture_site)
    assert_news(fixture_site, expected_news(fixture_site.content, NOW))


def test_news_sitemap_without_recent_articles_is_an_empty_urlset(
    fixture_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written anyway, so robots.txt never names a missing file. Google accepts an empty
    sitemap; the sitemaps.org XSD wants at least one <url>, which is the one rule it breaks."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    configure(fixture_site, DOSSIER_NOW="2030-01-01T00:00:00+00:00")
    build(fixture_site)
    document = etree.parse(str(fixture_site.output / "sitemap-news.xml"))
    root = document.getroot()
    assert root.tag == f"{{{NS['sm']}}}urlset"
    assert len(root) == 0
    xsd = schema("sitemap-with-extensions.xsd")
    assert not xsd.validate(document)
    assert "Missing child element(s)" in str(xsd.error_log)


def test_a_hostile_title_is_escaped_in_the_news_sitemap(
    fixture_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fixture_site.write(
        "articles/2023/hostile.de.md",
        article("hostile", "de", "2023-09-14T09:00:00+02:00", title=HOSTILE),
    )
    configure(fixture_site, DOSSIER_NOW=NOW.isoformat())
    build(fixture_site)
    raw = (fixture_site.output / "sitemap-news.xml").read_bytes()
    assert b"</script>" not in raw
    assert b"<b>" not in raw
    items = news_entries(validated(fixture_site.output / "sitemap-news.xml"))
    assert items[0]["title"] == HOSTILE
    assert_news(fixture_site, expected_news(fixture_site.content, NOW))


# --- reproducible bytes ------------------------------------------------------------------------


def test_two_builds_give_identical_sitemaps(
    fixture_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    add_news_articles(fixture_site)
    configure(fixture_site, DOSSIER_NOW=NOW.isoformat(), DOSSIER_SITEMAP_MAX_URLS=10)

    def files() -> dict[str, bytes]:
        build(fixture_site)
        names = [*fixture_site.output.glob("sitemap*.xml"), fixture_site.output / "robots.txt"]
        return {p.name: p.read_bytes() for p in names}

    first = files()
    assert len(first) > 4
    assert files() == first


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DOSSIER_SITEMAP_MAX_URLS", 0),
        ("DOSSIER_SITEMAP_MAX_URLS", 50_001),
        ("DOSSIER_NEWS_SITEMAP_LIMIT", 1001),
        ("DOSSIER_NEWS_SITEMAP_LIMIT", "10"),
    ],
)
def test_limits_outside_the_protocols_are_refused(
    fixture_site: Site, name: str, value: object
) -> None:
    """Checked with the content, as a located diagnostic, before anything is written."""
    configure(fixture_site, **{name: value})
    result = fixture_site.build()
    assert result.exit_code == 1
    assert f"settings:1:1: {name}: must be a whole number from 1 to" in result.output
    assert not fixture_site.output.exists()
