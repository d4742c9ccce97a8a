"""The plan of the site's pages (``dossier.enrich.plan``) and the index ``dossier serve`` finds
pages in (``dossier.render.pages.Pages``), on the small plain-data model of tests/support/model.py.

The URLs of a group are known without making a view: the tests make planning fail should any
view, or what only views need, be made; and they check that the URLs are those the views then
make, page by page."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from dossier.build import Model
from dossier.enrich import pages, plan, topic_pages
from dossier.enrich.urls import save_as
from dossier.render.pages import Pages
from dossier.resolve.model import Article

from ..support.model import articles, context, registry, settings, site

KIM = ("de/akteure/kim-jong-un/", "de/akteure/kim-jong-un/2/")


def words(key: str, lang: str) -> str:
    return f"{key} ({lang}): {{tagline}}"


def model(page_size: int = 1) -> Model:
    """The model with a former id (``kim``, now kim-jong-un's), timeline pages of ``page_size``
    articles, and its search shards."""
    base = site(registry(), articles())
    base = dataclasses.replace(base, redirects={"kim": base.entities["kim-jong-un"]})
    ctx = context(base)
    configured = settings(DOSSIER_TIMELINE_PAGE_SIZE=page_size)
    return Model(configured, base, ctx)


def groups(made: Model) -> list[plan.Group]:
    return plan.page_groups(made.settings, made.context, lambda: made.shards, words)


def group_of(made: Model, url: str) -> plan.Group:
    (found,) = [g for g in groups(made) if url in g.urls]
    return found


def body(article: Article) -> str:
    return f"<p>The text of {article.slug}.</p>"


@pytest.fixture
def no_views(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every view function, the neighbours and the topic pages' index fail when called."""

    def refused(name: str) -> Callable[..., Any]:
        def made(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"{name} was called")

        return made

    for module, names in (
        (topic_pages, ("entity_views", "kind_views", "hub_view", "inbound_links", "co_occurrence")),
        (
            pages,
            (
                "article_view",
                "home_view",
                "search_view",
                "landing_view",
                "not_found_view",
                "redirect_view",
                "neighbours",
            ),
        ),
    ):
        for name in names:
            monkeypatch.setattr(module, name, refused(f"{module.__name__}.{name}"))


# --- the plan ----------------------------------------------------------------------------------


def test_a_timeline_has_a_page_per_page_size_articles_in_its_language() -> None:
    """kim-jong-un: two German articles, two English ones; at one a page, two pages each. The
    UN Security Council: one German article, and only a draft in English: one page each."""
    made = model(page_size=1)
    assert group_of(made, KIM[0]).urls == KIM
    assert group_of(made, "en/actors/kim-jong-un/").urls == (
        "en/actors/kim-jong-un/",
        "en/actors/kim-jong-un/2/",
    )
    assert group_of(made, "de/akteure/un-security-council/").urls == (
        "de/akteure/un-security-council/",
    )
    assert group_of(made, "en/actors/un-security-council/").urls == (
        "en/actors/un-security-council/",
    )
    assert group_of(model(page_size=2), KIM[0]).urls == KIM[:1]


def test_every_page_but_the_articles_is_planned_once() -> None:
    planned = [(g.template, g.lang, url) for g in groups(model()) for url in g.urls]
    assert len({url for _, _, url in planned}) == len(planned)
    assert ("kind", "de", "de/akteure/") in planned
    assert ("kind", "en", "en/actors/by-activity/") in planned
    assert ("redirect", "de", "de/akteure/kim/") in planned
    assert ("redirect", "en", "en/actors/kim/") in planned
    for lang, home, hub in (("de", "de/", "de/dossiers/"), ("en", "en/", "en/dossiers/")):
        assert ("home", lang, home) in planned
        assert ("hub", lang, hub) in planned
    assert ("search", "de", "de/suche/") in planned
    assert ("landing", "de", "") in planned
    assert ("404", "de", "404.html") in planned


def test_the_pages_are_planned_without_making_a_view(no_views: None) -> None:
    made = model()
    assert group_of(made, KIM[1]).urls == KIM


@pytest.mark.parametrize("page_size", [1, 2, 20])
def test_the_planned_urls_are_those_the_views_make(page_size: int) -> None:
    for group in groups(model(page_size)):
        assert [url for url, _ in group.views()] == list(group.urls)


@pytest.mark.parametrize("page_size", [1, 20])
def test_one_page_is_made_alone_as_it_is_made_among_all(page_size: int) -> None:
    for group in groups(model(page_size)):
        every = group.views()
        for number, made in enumerate(every, 1):
            assert group.views(number) == [made]


def test_a_later_timeline_page_lists_the_older_articles() -> None:
    [(url, view)] = group_of(model(page_size=1), KIM[0]).views(2)
    assert url == KIM[1]
    assert view["pagination"]["number"] == 2
    assert [p["href"] for p in view["pagination"]["pages"]] == ["/" + u for u in KIM]
    (month,) = view["timeline"]
    assert [e["href"] for e in month["entries"]] == ["/de/2023/shoigu-pyongyang/"]


# --- the index of pages ------------------------------------------------------------------------


def index(made: Model, drafts: bool = False) -> Pages:
    return Pages(made, words, body, drafts=drafts)


def test_every_page_is_found_by_its_file_name() -> None:
    made = model(page_size=1)
    found = index(made)
    articles = [save_as(made.context.urls.article(a)) for a in made.site.published()]
    planned = [save_as(url) for g in groups(made) for url in g.urls]
    assert list(found.names()) == [*articles, *planned]
    for name in found.names():
        page = found.find(name)
        assert page is not None, name
        if name in articles:
            assert page.template == "article"
            assert page.variables["article"].view["canonical"].endswith(name[: -len("index.html")])
        else:
            assert page.variables["page"] is not None
    assert found.find("de/akteure/kim-jong-un/2/index.html").template == "entity"
    assert found.find("de/akteure/kim/index.html").template == "redirect"
    assert found.find("de/akteure/nach-aktivitaet/index.html").variables["page"]["order"] == (
        "activity"
    )
    assert found.find("index.html").template == "landing"
    assert found.find("404.html").template == "404"
    assert found.find("de/akteure/kim-jong-un/3/index.html") is None
    assert found.find("de/2023/no-such-article/index.html") is None


def test_the_index_is_made_without_making_a_view(no_views: None) -> None:
    found = index(model())
    assert "de/akteure/kim-jong-un/index.html" in set(found.names())


def test_a_found_page_is_the_view_the_build_writes() -> None:
    made = model(page_size=1)
    found = index(made)
    (written,) = [view for url, view in group_of(made, KIM[0]).views() if url == KIM[1]]
    assert found.find(save_as(KIM[1])).variables == {"page": written, "lang": "de"}


def test_a_draft_is_found_when_drafts_are_served_and_listed_nowhere() -> None:
    """The English version of sanctions-regime-explained is a draft: served at its address
    and marked as a draft when drafts are served, not found when they are not. The pages the
    published articles make are the same either way."""
    made = model()
    name = "en/2023/sanctions-regime-explained/index.html"
    assert index(made).find(name) is None
    page = index(made, drafts=True).find(name)
    assert page is not None
    view = page.variables["article"].view
    assert (view["draft"], view["robots"]) == (True, "noindex")
    assert view["older"] is view["newer"] is None
    # Its language version, published, is linked from the draft; not the other way round.
    assert [t["href"] for t in view["translations"]] == ["/de/2023/sanctions-regime-explained/"]
    published = index(made)
    served = index(made, drafts=True)
    assert [n for n in served.names() if n != name] == list(published.names())
    for other in published.names():
        assert served.find(other) == published.find(other), other
    german = served.find("de/2023/sanctions-regime-explained/index.html")
    assert german is not None
    assert "draft" not in german.variables["article"].view
    assert german.variables["article"].view["translations"] == []


def test_the_entities_reported_together_with_one_are_counted_for_it_alone() -> None:
    """A topic page's "reported together with" comes from the stories of its entity alone (as
    a reader or a save asks for one page), and is what counting every story of the site says:
    each story once, whatever its language versions."""
    made = model()
    index = topic_pages.Index.of(made.site)
    whole = topic_pages.co_occurrence(made.site)
    assert any(whole.values())
    for entity_id in made.site.entities:
        assert index.related(entity_id) == whole.get(entity_id, [])
