"""Enrich stage, the plan of the site: every page the model makes besides the articles' (topic
pages and their redirects, the redirects from moved articles' old addresses, kind indexes, the
hub, home, search, landing and 404 pages), in groups of pages made by one view function, each
with its template, its language, the URLs of its pages and the views that make them, when asked.

The URLs are known without making a view (a topic page's later pages from its number of
articles), so ``dossier serve`` indexes a large archive's pages at once. The views are made
page by page as they are written, not all at once beforehand: a large archive has tens of
thousands of topic pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from dossier.data import load_kinds
from dossier.enrich import pages, search, topic_pages
from dossier.enrich.context import BuildContext
from dossier.settings import DossierSettings

Words = Callable[[str, str], str]  # t(key, lang): a UI string of the theme


class Views(Protocol):
    def __call__(self, number: int | None = None) -> list[tuple[str, dict[str, Any]]]: ...


@dataclass(frozen=True)
class Group:
    """Pages one view function makes, of one template and language."""

    template: str
    lang: str
    urls: tuple[str, ...]  # of its pages, page 1 first; known without making a view
    # (url, view) of every page, in the order of ``urls``; of page ``number`` alone when given
    # (1 for the first URL), without making the others.
    views: Views


def page_groups(
    settings: DossierSettings,
    ctx: BuildContext,
    planned: Callable[[], list[search.Shard]],
    t: Words,
    index: topic_pages.Index | None = None,
) -> list[Group]:
    """Every page of the model but the articles', in groups. ``planned``: the search index's
    shards, asked for when a search page is made; ``t``: the theme's UI strings
    (``t(key, lang)``), for the pages' descriptions; ``index``: what topic pages need about the
    whole site, when made already (``topic_pages.Index.of``). Nothing here makes a view, nor
    what only views need (``topic_pages.Index``)."""
    site, urls = ctx.site, ctx.urls
    default, page_size = settings.default_lang, settings.timeline_page_size
    index = index or topic_pages.Index.of(site)
    groups: list[Group] = []

    def one(template: str, lang: str, url: str, make: Callable[[], dict[str, Any]]) -> Group:
        return Group(template, lang, (url,), lambda number=None: [(url, make())])

    for lang in site.languages:
        tagline = t("site_tagline", lang)
        for entity in site.entities.values():
            views = partial(topic_pages.entity_views, entity, lang, ctx, index, default, page_size)
            addresses = index.entity_urls(entity, lang, ctx, page_size)
            groups.append(Group("entity", lang, addresses, views))
        for kind in site.kinds:
            about = t("kind_description", lang).format(
                kind=load_kinds()[kind]["plural"][lang], tagline=tagline
            )
            views = partial(topic_pages.kind_views, kind, lang, ctx, default, about)
            addresses = topic_pages.kind_urls(kind, lang, urls)
            groups.append(Group("kind", lang, tuple(addresses), views))
        about = t("hub_description", lang).format(tagline=tagline)
        hub = partial(topic_pages.hub_view, lang, ctx, default, about)
        groups.append(one("hub", lang, urls.hub(lang), hub))
        home = partial(pages.home_view, lang, ctx, default, tagline)
        groups.append(one("home", lang, urls.home(lang), home))
        about = t("search_description", lang).format(tagline=tagline)

        def found(lang: str = lang, about: str = about) -> dict[str, Any]:
            bundles = [
                {"href": urls.href(f"{shard.folder}/"), "lang": shard.lang}
                for shard in search.search_order(planned(), lang)
            ]
            return pages.search_view(lang, ctx, default, about, bundles)

        groups.append(one("search", lang, urls.search(lang), found))
        for old, entity in site.redirects.items():
            redirect = partial(pages.redirect_view, entity, lang, urls)
            groups.append(one("redirect", lang, urls.topic(entity.kind, old, lang), redirect))
        for article in site.published(lang):
            if article.data.get("formerly"):
                moved = partial(pages.article_redirect_view, article, urls)
                groups += [
                    one("redirect", lang, url, moved) for url in urls.former_articles(article)
                ]
    tagline = t("site_tagline", default)
    groups.append(one("landing", default, "", partial(pages.landing_view, ctx, default, tagline)))
    text = t("not_found_text", default)
    groups.append(one("404", default, "404.html", partial(pages.not_found_view, ctx, text)))
    return groups
