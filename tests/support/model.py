"""A small site model made of plain data, for the pure core's tests: no Pelican and no files.

The entities and articles are plain dicts. Tiny helpers wrap them in the resolve stage's
dataclasses and fill each field as its declaration describes: ``site()`` makes a ``Site`` of
entities and articles, ``context()`` its ``BuildContext``, ``settings()`` the test site's
settings. ``registry()`` and ``articles()`` are the entries and articles most tests use.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dossier.enrich.context import BuildContext
from dossier.read.images import Image
from dossier.resolve.model import Article, Entity, Site
from dossier.settings import DossierSettings, of

S = "https://news.example"
LANGUAGES = ("de", "en")
KINDS = ("actors", "locations", "sanctions", "events", "topics", "authors")
REFERENCE_FIELDS = ("actors", "locations", "sanctions", "events", "topics")
KIND_PATHS = {
    "de": {
        "actors": "akteure",
        "locations": "orte",
        "sanctions": "sanktionen",
        "events": "ereignisse",
        "topics": "themen",
        "authors": "autoren",
    },
    "en": {kind: kind for kind in KINDS},
}

# The URL patterns of pelicanconf.py, with the canonical address of a test site, and the few of
# Pelican's settings that Dossier reads.
SETTINGS = {
    "PATH": "content",
    "ARTICLE_PATHS": ["articles"],
    "THEME": "theme",
    "DEFAULT_LANG": "de",
    "CACHE_PATH": "cache",
    "OUTPUT_PATH": "output",
    "SITEURL": "",
    "DOSSIER_PUBLISHER": {"name": "Dossier News"},
    "DOSSIER_DEFAULT_IMAGES": ["images/default-16x9.png"],
    "DOSSIER_SITE_URL": "https://news.example",
    "ARTICLE_URL": "{lang}/{date:%Y}/{slug}/",
    "DOSSIER_ENTITY_URL": "{lang}/{kind}/{id}/",
    "DOSSIER_KIND_URL": "{lang}/{kind}/",
    "DOSSIER_HOME_URL": "{lang}/",
    "DOSSIER_ID_URL": "id/{kind}/{id}",
    "DOSSIER_ENTITY_PAGE_URL": "{lang}/{kind}/{id}/{page}/",
    "DOSSIER_KIND_BY_ACTIVITY_URL": "{lang}/{kind}/{by_activity}/",
    "DOSSIER_HUB_URL": "{lang}/dossiers/",
    "DOSSIER_FEED_URL": "{lang}/feed.{ext}",
    "DOSSIER_ENTITY_FEED_URL": "{lang}/{kind}/{id}/feed.{ext}",
}
PUBLISHER = {
    "name": "Dossier News",
    "logo": "images/logo.png",
    "same_as": ["https://social.example/@dossier"],
}
DEFAULT_IMAGES = ("images/default-16x9.png", "images/default-1x1.png")
IMAGES = {
    "images/logo.png": Image("images/logo.png", 112, 112),
    "images/default-16x9.png": Image("images/default-16x9.png", 1200, 675),
    "images/default-1x1.png": Image("images/default-1x1.png", 1200, 1200),
    "images/summit.jpg": Image("images/summit.jpg", 1600, 900),
}


# --- building the model from plain data --------------------------------------------------------


def entity(kind: str, entity_id: str, **data: Any) -> Entity:
    return Entity(kind, entity_id, data, f"content/entities/{kind}/{entity_id}.yaml")


def article(slug: str, lang: str, date: str, scheduled: bool = False, **data: Any) -> Article:
    fields = {
        "title": f"{slug} ({lang})",
        "summary": f"Summary of {slug} in {lang}.",
        "authors": ["anna-berger"],
        **data,
        "slug": slug,
        "lang": lang,
        "date": date,
    }
    path = Path(f"/site/content/articles/{date[:4]}/{slug}.{lang}.md")
    return Article(
        source=f"content/articles/{date[:4]}/{slug}.{lang}.md",
        path=path,
        data=fields,
        references={field: tuple(fields.get(field, ())) for field in REFERENCE_FIELDS},
        scheduled=scheduled,
    )


def site(
    entities: Iterable[Entity],
    articles: Iterable[Article],
    languages: tuple[str, ...] = LANGUAGES,
    images: dict[str, Image] | None = None,
) -> Site:
    """The fields as their declarations describe them: articles newest first, `versions` the
    published ones by slug and language, `referencing` the published ones by entity id."""
    ordered = tuple(sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug, a.lang)))
    published = [a for a in ordered if a.published]  # neither a draft nor scheduled
    versions: dict[str, dict[str, Article]] = {}
    referencing: dict[str, list[Article]] = {}
    for a in published:
        versions.setdefault(a.slug, {})[a.lang] = a
        for entity_id in dict.fromkeys([*a.entity_ids, *a.data["authors"]]):
            referencing.setdefault(entity_id, []).append(a)
    return Site(
        languages=languages,
        kinds=KINDS,
        entities={e.id: e for e in entities},
        articles=ordered,
        by_path={a.path: a for a in ordered},
        versions=versions,
        referencing={k: tuple(v) for k, v in referencing.items()},
        images=dict(IMAGES if images is None else images),
    )


def settings(**changed: Any) -> DossierSettings:
    """The test site's settings, with ``changed`` ones (by name: ``SITEURL="…"``)."""
    return of(SETTINGS | changed)


def context(model: Site) -> BuildContext:
    configured = settings(DOSSIER_PUBLISHER=PUBLISHER, DOSSIER_DEFAULT_IMAGES=list(DEFAULT_IMAGES))
    return BuildContext.of(model, configured)


def registry() -> list[Entity]:
    return [
        entity(
            "actors",
            "kim-jong-un",
            type="Person",
            name={"de": "Kim Jong Un", "en": "Kim Jong Un"},
            description={
                "de": "Machthaber Nordkoreas seit 2011.",
                "en": "Leader of North Korea since 2011.",
            },
            wikidata="Q56226",
            same_as=["https://en.wikipedia.org/wiki/Kim_Jong_Un"],
            aliases=["Kim Jong-un", "Kim Dschong Un"],
            job_title={"de": "Oberster Führer Nordkoreas", "en": "Supreme Leader of North Korea"},
            nationality="country-north-korea",
        ),
        entity(
            "actors",
            "vladimir-putin",
            type="Person",
            name={"de": "Wladimir Putin", "en": "Vladimir Putin"},
            nationality="country-russia",
        ),
        entity(
            "actors",
            "north-korea",
            type="Country",
            name={"de": "Nordkorea", "en": "North Korea"},
            wikidata="Q423",
            aliases=["DPRK"],
        ),
        entity(
            "actors",
            "united-nations",
            type="Organization",
            name={"de": "Vereinte Nationen", "en": "United Nations"},
        ),
        entity(
            "actors",
            "un-security-council",
            type="GovernmentOrganization",
            name={"de": "UN-Sicherheitsrat", "en": "UN Security Council"},
            parent="united-nations",
        ),
        entity(
            "locations",
            "country-north-korea",
            type="Country",
            name={"de": "Nordkorea", "en": "North Korea"},
            wikidata="Q423",
        ),
        entity(
            "locations",
            "country-russia",
            type="Country",
            name={"de": "Russland", "en": "Russia"},
        ),
        entity(
            "locations",
            "pyongyang",
            type="City",
            name={"de": "Pjöngjang", "en": "Pyongyang"},
            geo={"lat": 39.03, "lon": 125.75},
            contained_in="country-north-korea",
        ),
        entity(
            "locations",
            "sunan",
            type="AdministrativeArea",
            name={"de": "Sunan", "en": "Sunan"},
            description={"de": "Stadtbezirk Pjöngjangs.", "en": "District of Pyongyang."},
            geo={"lat": 39.2, "lon": 125.67},
            contained_in="pyongyang",
        ),
        entity(
            "locations",
            "amur-oblast",
            type="State",
            name={"de": "Oblast Amur", "en": "Amur Oblast"},
            contained_in="country-russia",
        ),
        entity(
            "locations",
            "vostochny-cosmodrome",
            type="CivicStructure",
            name={"de": "Kosmodrom Wostotschny", "en": "Vostochny Cosmodrome"},
            contained_in="amur-oblast",
        ),
        entity(
            "sanctions",
            "unsc-resolution-1718",
            name={"de": "Resolution 1718", "en": "Resolution 1718"},
            identifier="S/RES/1718 (2006)",
            adopted="2006-10-14",
            adopted_by="un-security-council",
        ),
        entity(
            "sanctions",
            "unsc-resolution-1874",
            name={"de": "Resolution 1874", "en": "Resolution 1874"},
            identifier="S/RES/1874 (2009)",
            adopted="2009-06-12",
            adopted_by="un-security-council",
            amends=["unsc-resolution-1718"],
        ),
        entity(
            "sanctions",
            "unsc-resolution-2397",
            name={
                "de": "Resolution 2397 des UN-Sicherheitsrats",
                "en": "UN Security Council Resolution 2397",
            },
            description={"de": "Senkt die Ölobergrenze.", "en": "Lowers the oil cap."},
            aliases=["UNSCR 2397", "S/RES/2397"],
            identifier="S/RES/2397 (2017)",
            legislation_type={
                "de": "Resolution des UN-Sicherheitsrats",
                "en": "UN Security Council resolution",
            },
            adopted="2017-12-22",
            adopted_by="un-security-council",
            url="https://undocs.org/S/RES/2397(2017)",
            amends=["unsc-resolution-1718", "unsc-resolution-1874"],
        ),
        entity(
            "events",
            "kim-putin-summit-2023",
            name={"de": "Gipfel in Wostotschny 2023", "en": "Vostochny summit, 2023"},
            start="2023-09-13",
            end="2023-09-14",
            location="vostochny-cosmodrome",
            participants=["kim-jong-un", "vladimir-putin"],
        ),
        entity(
            "events",
            "missile-launch-2023-08-30",
            name={"de": "Raketenstart vom 30. August 2023", "en": "Missile launch, 30 August 2023"},
            start="2023-08-30T23:38:00+09:00",
            location="sunan",
            participants=["north-korea"],
        ),
        entity(
            "topics",
            "nuclear-program",
            name={"de": "Nordkoreas Atomprogramm", "en": "North Korea's nuclear programme"},
        ),
        entity(
            "topics",
            "russia-north-korea-relations",
            name={
                "de": "Beziehungen zwischen Russland und Nordkorea",
                "en": "Russia–North Korea relations",
            },
            description={"de": "Moskau und Pjöngjang.", "en": "Moscow and Pyongyang."},
        ),
        entity(
            "authors",
            "anna-berger",
            type="Person",
            name={"de": "Anna Berger", "en": "Anna Berger"},
            job_title={"de": "Ostasien-Korrespondentin", "en": "East Asia correspondent"},
            url="https://mastodon.example/@anna",
        ),
        entity(
            "authors",
            "dossier-desk",
            type="Organization",
            name={"de": "Dossier-Redaktion", "en": "Dossier desk"},
            wikidata="Q1",
            same_as=["https://desk.example/", "https://social.example/@desk"],
            url="https://social.example/@desk",
        ),
    ]


SUMMIT_SOURCES = [
    {
        "url": "https://kcna.example/2023/0913",
        "title": "Kim Jong Un meets Putin",
        "publisher": "KCNA",
        "date": "2023-09-13",
    },
    {
        "url": "https://kremlin.example/events/72255",
        "title": "Talks with Kim Jong Un",
        "publisher": "Kremlin",
    },
]
SUMMIT_REFS = {
    "actors": ["kim-jong-un", "vladimir-putin"],
    "locations": ["vostochny-cosmodrome"],
    "events": ["kim-putin-summit-2023"],
    "topics": ["russia-north-korea-relations"],
    "about": ["kim-putin-summit-2023", "kim-jong-un"],
    "sources": SUMMIT_SOURCES,
}
LAUNCH_REFS = {
    "actors": ["north-korea"],
    "locations": ["sunan"],
    "events": ["missile-launch-2023-08-30"],
    "topics": ["nuclear-program"],
    "about": ["missile-launch-2023-08-30"],
}
SANCTIONS_REFS = {
    "actors": ["un-security-council"],
    "sanctions": ["unsc-resolution-2397"],
    "topics": ["nuclear-program"],
    "about": ["unsc-resolution-2397"],
    "authors": ["dossier-desk"],
}


def articles() -> list[Article]:
    return [
        article(
            "kim-putin-vostochny",
            "de",
            "2023-09-13T16:00:00+02:00",
            title="Kim trifft Putin in Wostotschny",
            summary="Kim Jong Un und Wladimir Putin treffen sich im Fernen Osten.",
            modified="2023-09-14T09:30:00+02:00",
            image={
                "src": "images/summit.jpg",
                "alt": "Kim und Putin vor einer Rakete",
                "caption": "Kim und Putin in Wostotschny",
                "credit": "KCNA via Reuters",
            },
            **SUMMIT_REFS,
        ),
        article(
            "kim-putin-vostochny",
            "en",
            "2023-09-13T18:00:00+02:00",  # two hours after the German version
            title="Kim meets Putin at Vostochny",
            summary="Kim Jong Un and Vladimir Putin meet in the Russian Far East.",
            authors=["anna-berger", "dossier-desk"],
            **SUMMIT_REFS,
        ),
        # the same moment in two offsets
        article("missile-launches-sunan", "en", "2023-08-30T21:00:00+00:00", **LAUNCH_REFS),
        article("missile-launches-sunan", "de", "2023-08-30T23:00:00+02:00", **LAUNCH_REFS),
        # the English version came first: 08:00 UTC against 10:00 UTC
        article("shoigu-pyongyang", "en", "2023-07-25T08:00:00+00:00", actors=["kim-jong-un"]),
        article("shoigu-pyongyang", "de", "2023-07-25T12:00:00+02:00", actors=["kim-jong-un"]),
        article("sanctions-regime-explained", "de", "2023-06-01T08:00:00+02:00", **SANCTIONS_REFS),
        article(
            "sanctions-regime-explained",
            "en",
            "2023-06-02T08:00:00+02:00",
            status="draft",
            **SANCTIONS_REFS,
        ),
    ]
