"""Topic pages, kind indexes and the Dossiers hub, on the sample site and on small fixture sites.

Expectations come from the Markdown front matter and the registry YAML (read with plain PyYAML,
through tests/support/sample.py), never from the plugin's own data.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.dates import format_date
from bs4 import Tag
from dossier.lint.jsonld_check import check_site

from ..conftest import Site, catalogue
from ..support.pages import soup
from ..support.sample import (
    KIND_PATHS,
    LANGS,
    LOCALES,
    REFERENCE_FIELDS,
    _dt,
    entities,
    entity_url,
    published,
)


def referencing(entity: dict, lang: str) -> list[dict]:
    """The published articles in one language that name the entity (or that it wrote)."""
    return sorted(
        (
            a
            for a in published()
            if a["lang"] == lang
            and (
                entity["id"] in a["authors"]
                or any(entity["id"] in a.get(f, []) for f in REFERENCE_FIELDS)
            )
        ),
        key=lambda a: a["date"],
        reverse=True,
    )


def timeline(site: Site, url: str) -> list[tuple[str, str]]:
    """(month heading's datetime, article URL) for every entry, following rel=next."""
    out = []
    while url:
        page = soup(site, url)
        for heading in page.select("h3.month"):
            month = heading.time["datetime"]
            for link in heading.find_next_sibling("ol").select("li h4 a"):
                out.append((month, link["href"]))
        following = page.find("link", rel="next")
        url = urlsplit(following["href"]).path if following else None
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_entity_has_a_timeline_of_exactly_its_articles_by_month(
    sample_site: Site, lang: str
) -> None:
    for entity in entities().values():
        page = soup(sample_site, entity_url(entity, lang))
        assert page.h1.get_text(strip=True) == entity["name"][lang]
        expected = [(f"{a['date']:%Y-%m}", a["url"]) for a in referencing(entity, lang)]
        assert timeline(sample_site, entity_url(entity, lang)) == expected, entity["id"]


def test_an_entity_without_articles_gets_a_page_that_says_so(fixture_site: Site) -> None:
    fixture_site.write(
        "entities/topics/arms-trade.yaml",
        "name: {de: Waffenhandel, en: Arms trade}\ndescription: {de: Handel., en: Trade.}\n",
    )
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    # The build warns, located at the file, and still publishes.
    assert (
        "content/entities/topics/arms-trade.yaml:1:1: warning: no published article or registry "
        "entry references 'arms-trade' yet"
    ) in result.output
    for lang, path in (("de", "/de/themen/arms-trade/"), ("en", "/en/topics/arms-trade/")):
        page = soup(fixture_site, path)
        assert page.select_one("p.empty").get_text() == catalogue(lang)["no_articles_yet"]
        assert not page.select(".timeline")


def test_an_entry_only_the_registry_links_gets_no_warning_but_its_page_says_so(
    fixture_site: Site,
) -> None:
    """The warning is for entries nothing references: a place that only an event names is in
    use, though no article names it; its topic page says there is no article yet."""
    fixture_site.write(
        "entities/locations/pyongyang.yaml",
        "type: City\nname: {de: Pjöngjang, en: Pyongyang}\ngeo: {lat: 39.03, lon: 125.75}\n",
    )
    fixture_site.write(
        "entities/events/parade-2023.yaml",
        "name: {de: Parade 2023, en: Parade 2023}\nstart: 2023-07-27\nlocation: pyongyang\n",
    )
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    (warning,) = warnings  # the event, not the place it names
    assert warning == (
        "content/entities/events/parade-2023.yaml:1:1: warning: no published article or "
        "registry entry references 'parade-2023' yet; its topic page says so; reference it "
        "from an article, or remove the file"
    )
    for lang, kind in (("de", "orte"), ("en", "locations")):
        page = soup(fixture_site, f"/{lang}/{kind}/pyongyang/")
        assert page.select_one("p.empty").get_text() == catalogue(lang)["no_articles_yet"]


def related(entity: dict) -> list[tuple[str, int]]:
    """Entities named by the same stories (translations count once), most first, then by id."""
    stories: dict[str, set[str]] = {}
    for a in published():
        stories[a["slug"]] = {i for f in REFERENCE_FIELDS for i in a.get(f, [])}
    counts = Counter(
        other for ids in stories.values() if entity["id"] in ids for other in ids - {entity["id"]}
    )
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:8]


@pytest.mark.parametrize("lang", LANGS)
def test_related_entities_are_those_reported_together_most(sample_site: Site, lang: str) -> None:
    registry = entities()
    for entity in registry.values():
        page = soup(sample_site, entity_url(entity, lang))
        section = page.find(id="related-title")
        shown = (
            [
                (urlsplit(li.a["href"]).path, li.select_one(".count").get_text())
                for li in section.parent.select("li")
            ]
            if section
            else []
        )
        expected = [
            (entity_url(registry[i], lang), f"({n} {_stories(n, lang)})")
            for i, n in related(entity)
        ]
        assert shown == expected, entity["id"]


def _stories(n: int, lang: str) -> str:
    if lang == "de":
        return "gemeinsamer Artikel" if n == 1 else "gemeinsame Artikel"
    return "shared article" if n == 1 else "shared articles"


def test_facts_show_links_both_ways(sample_site: Site) -> None:
    registry = entities()
    sanction = registry["unsc-resolution-1718"]
    page = soup(sample_site, entity_url(sanction, "en"))
    facts = {
        dt.get_text(strip=True): [urlsplit(a["href"]).path for a in dt.find_next_sibling("dd")("a")]
        for dt in page.select("dl.entity-facts dt")
    }
    amending = sorted(
        i for i, e in registry.items() if "unsc-resolution-1718" in e.get("amends", [])
    )
    assert amending
    assert facts["Strengthened by"] == [entity_url(registry[i], "en") for i in amending]
    assert facts["Adopted by"] == [entity_url(registry[sanction["adopted_by"]], "en")]
    adopted = page.find("dt", string="Adopted").find_next_sibling("dd").time
    assert adopted["datetime"] == str(sanction["adopted"])
    assert adopted.get_text() == "14 October 2006"


@pytest.mark.parametrize("lang", LANGS)
def test_the_type_fact_shows_the_label_not_the_schema_org_name(
    sample_site: Site, lang: str
) -> None:
    words = catalogue(lang)
    typed = [e for e in entities().values() if "type" in e]
    assert {e["type"] for e in typed} >= {"GovernmentOrganization", "AdministrativeArea"}
    for entity in typed:
        page = soup(sample_site, entity_url(entity, lang))
        shown = facts(page)
        label = words[f"type_{entity['type']}"]
        assert shown[words["fact_type"]].get_text(strip=True) == label, entity["id"]
        if label != entity["type"]:
            assert entity["type"] not in page.main.get_text(), entity["id"]


def facts(page) -> dict[str, Tag]:
    """A topic page's facts: label -> its <dd>."""
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd")
        for dt in page.select("dl.entity-facts dt")
    }


def links(dd: Tag | None) -> list[tuple[str, str]]:
    """A fact's links, (href, text); none when the page has no such fact."""
    return [(a["href"], a.get_text()) for a in dd.find_all("a")] if dd else []


def linked(registry: dict, entity: dict, field: str, lang: str) -> list[tuple[str, str]]:
    """The links the fact of an entry's field must show: each named entry's page and name."""
    ids = entity.get(field, [])
    ids = [ids] if isinstance(ids, str) else ids
    return [(entity_url(registry[i], lang), registry[i]["name"][lang]) for i in ids]


@pytest.mark.parametrize("lang", LANGS)
def test_a_persons_facts_give_role_and_nationality(sample_site: Site, lang: str) -> None:
    registry, words = entities(), catalogue(lang)
    people = [e for e in registry.values() if e["kind"] == "actors" and e["type"] == "Person"]
    assert any("job_title" in p for p in people)
    assert any("nationality" in p for p in people)
    for person in people:
        shown = facts(soup(sample_site, entity_url(person, lang)))
        role = shown.get(words["fact_job_title"])
        if "job_title" in person:
            assert role.get_text(strip=True) == person["job_title"][lang], person["id"]
        else:
            assert role is None, person["id"]
        nationality = shown.get(words["fact_nationality"])
        assert links(nationality) == linked(registry, person, "nationality", lang), person["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_locations_facts_give_coordinates_map_and_what_it_lies_in(
    sample_site: Site, lang: str
) -> None:
    registry, words = entities(), catalogue(lang)
    places = [e for e in registry.values() if e["kind"] == "locations"]
    assert any("contained_in" in p for p in places)
    for place in places:
        shown = facts(soup(sample_site, entity_url(place, lang)))
        where = shown.get(words["fact_contained_in"])
        assert links(where) == linked(registry, place, "contained_in", lang), place["id"]
        if "geo" not in place:
            assert place["type"] == "Country"  # the only kind of place without coordinates
            assert words["fact_geo"] not in shown
            continue
        lat, lon = place["geo"]["lat"], place["geo"]["lon"]
        coordinates = shown[words["fact_geo"]]
        assert coordinates.get_text().startswith(f"{lat}, {lon} · "), place["id"]
        (osm,) = coordinates.find_all("a")
        assert osm.get_text() == words["map_link"]
        url = urlsplit(osm["href"])
        assert (url.scheme, url.netloc, url.path) == ("https", "www.openstreetmap.org", "/")
        query = parse_qs(url.query)
        assert (float(query["mlat"][0]), float(query["mlon"][0])) == (lat, lon)
        zoom, *centre = url.fragment.removeprefix("map=").split("/")
        assert int(zoom) > 0
        assert [float(c) for c in centre] == [lat, lon]


def when(value) -> date | datetime:
    """A registry date or date-time, as PyYAML reads it or as written in an attribute."""
    if isinstance(value, date):
        return value
    text = str(value)
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


@pytest.mark.parametrize("lang", LANGS)
def test_an_events_facts_give_dates_place_and_participants(sample_site: Site, lang: str) -> None:
    registry, words = entities(), catalogue(lang)
    events = [e for e in registry.values() if e["kind"] == "events"]
    assert any("end" in e for e in events)
    assert any(isinstance(e["start"], datetime) for e in events)
    for event in events:
        shown = facts(soup(sample_site, entity_url(event, lang)))
        for key in ("start", "end"):
            if key not in event:
                assert words[f"fact_{key}"] not in shown, event["id"]
                continue
            time = shown[words[f"fact_{key}"]].time
            assert when(time["datetime"]) == event[key], event["id"]
            # The day, in the event's own time zone, as the language writes it.
            assert time.get_text() == format_date(event[key], "long", locale=LOCALES[lang])
        place = shown.get(words["fact_location"])
        assert links(place) == linked(registry, event, "location", lang), event["id"]
        participants = shown.get(words["fact_participants"])
        assert links(participants) == linked(registry, event, "participants", lang), event["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_an_entity_with_a_wikidata_id_links_its_item(sample_site: Site, lang: str) -> None:
    registry, words = entities(), catalogue(lang)
    assert any("wikidata" in e for e in registry.values())
    for entity in registry.values():
        shown = facts(soup(sample_site, entity_url(entity, lang)))
        if "wikidata" not in entity:
            assert words["fact_wikidata"] not in shown, entity["id"]
            continue
        qid = entity["wikidata"]
        assert links(shown[words["fact_wikidata"]]) == [
            (f"https://www.wikidata.org/wiki/{qid}", qid)
        ]


def test_long_timelines_are_paged_with_rel_prev_and_next(
    fixture_site: Site, schemaorg: Path
) -> None:
    with (fixture_site.root / "settings.py").open("a", encoding="utf-8") as settings:
        settings.write("DOSSIER_TIMELINE_PAGE_SIZE = 1\n")
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    # anna-berger wrote both of the fixture's English articles.
    first = soup(fixture_site, "/en/authors/anna-berger/")
    second = soup(fixture_site, "/en/authors/anna-berger/2/")
    assert not (fixture_site.output / "en/authors/anna-berger/3").exists()
    assert first.find("link", rel="next")["href"] == "/en/authors/anna-berger/2/"
    assert first.find("link", rel="prev") is None
    assert second.find("link", rel="prev")["href"] == "/en/authors/anna-berger/"
    assert second.find("link", rel="next") is None
    assert second.find("link", rel="canonical")["href"] == (
        "https://dossier.example/en/authors/anna-berger/2/"
    )
    assert second.select_one('nav.pagination [aria-current="page"]').get_text() == "2"
    # Following rel=next visits every entry once, newest first.
    entries = timeline(fixture_site, "/en/authors/anna-berger/")
    assert [url for _, url in entries] == ["/en/2023/summit/", "/en/2023/launches/"]
    dates = [_dt(p.select_one(".timeline .meta time")["datetime"]) for p in (first, second)]
    assert dates == sorted(dates, reverse=True)
    assert check_site(fixture_site.output, schemaorg).diagnostics == []


def activity(entity: dict, lang: str) -> tuple[int, datetime | None]:
    articles = referencing(entity, lang)
    modified = [_dt(a.get("modified", a["date"])) for a in articles]
    return len(articles), max(modified, default=None)


@pytest.mark.parametrize("lang", LANGS)
def test_kind_indexes_list_every_entity_a_to_z_and_by_activity(
    sample_site: Site, lang: str
) -> None:
    registry = entities()
    for kind, paths in KIND_PATHS.items():
        members = [e for e in registry.values() if e["kind"] == kind]
        az = soup(sample_site, f"/{lang}/{paths[lang]}/")
        by_activity_url = az.select_one("nav.sort a")["href"]
        busy = soup(sample_site, by_activity_url)

        def rows(page):
            return [
                (urlsplit(li.a["href"]).path, li.select_one(".count time"))
                for li in page.select(".entity-index li")
            ]

        names = sorted(members, key=lambda e: (e["name"][lang].casefold(), e["id"]))
        assert [url for url, _ in rows(az)] == [entity_url(e, lang) for e in names]
        ranked = sorted(
            members,
            key=lambda e: (
                -activity(e, lang)[0],
                -(activity(e, lang)[1].timestamp() if activity(e, lang)[1] else 0),
                e["name"][lang].casefold(),
            ),
        )
        assert [url for url, _ in rows(busy)] == [entity_url(e, lang) for e in ranked]
        for url, time in rows(az):
            entity = next(e for e in members if entity_url(e, lang) == url)
            _, updated = activity(entity, lang)
            assert (_dt(time["datetime"]) if time else None) == updated, url


@pytest.mark.parametrize("lang", LANGS)
def test_the_hub_links_every_kind_with_its_most_active_entities(
    sample_site: Site, lang: str
) -> None:
    registry = entities()
    hub = soup(sample_site, f"/{lang}/dossiers/")
    sections = hub.select("div.hub section")
    assert [urlsplit(s.h2.a["href"]).path for s in sections] == [
        f"/{lang}/{paths[lang]}/" for paths in KIND_PATHS.values()
    ]
    for section, kind in zip(sections, KIND_PATHS, strict=True):
        members = [e for e in registry.values() if e["kind"] == kind]
        top = [urlsplit(a["href"]).path for a in section.select("ul li a")]
        assert len(top) <= 5
        counts = [activity(e, lang)[0] for e in members]
        shown = [
            activity(next(e for e in members if entity_url(e, lang) == u), lang)[0] for u in top
        ]
        assert shown == sorted(counts, reverse=True)[: len(top)]
        assert all(shown)
    # Every page links the hub from its header.
    home = soup(sample_site, f"/{lang}/")
    assert f"/{lang}/dossiers/" in {a["href"] for a in home.select("header nav a")}
