"""Enrich stage, the plan of the site: every page the model makes besides the articles' (topic
pages and their redirects, kind indexes, the hub, home, search, landing and 404 pages), each
with its template, its language and the views that make it, when asked.

The views are made page by page as they are written, not all at once beforehand: a large
archive has tens of thousands of topic pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from dossier.data import load_kinds
from dossier.enrich import pages, search, topic_pages
from dossier.enrich.context import BuildContext
from dossier.settings import DossierSettings

Words = Callable[[str, str], str]  # t(key, lang): a UI string of the theme
Views = Callable[[], Iterable[tuple[str, dict[str, Any]]]]


def page_groups(
    settings: DossierSettings, ctx: BuildContext, planned: list[search.Shard], t: Words
) -> list[tuple[str, str, Views]]:
    """Every page of the model but the articles': (template, language, its views when asked).
    ``planned``: the search index's shards; ``t``: the theme's UI strings (``t(key, lang)``),
    for the pages' descriptions."""
    site, urls = ctx.site, ctx.urls
    default = settings.default_lang
    index = topic_pages.Index.of(site)
    groups: list[tuple[str, str, Views]] = []

    def one(url: str, make: Callable[..., dict[str, Any]], *args: Any) -> Views:
        return lambda: [(url, make(*args))]

    for lang in site.languages:
        tagline = t("site_tagline", lang)
        for entity in site.entities.values():
            views = partial(
                topic_pages.entity_views,
                entity,
                lang,
                ctx,
                index,
                default,
                settings.timeline_page_size,
            )
            groups.append(("entity", lang, views))
        for kind in site.kinds:
            about = t("kind_description", lang).format(
                kind=load_kinds()[kind]["plural"][lang], tagline=tagline
            )
            views = partial(topic_pages.kind_views, kind, lang, ctx, default, about)
            groups.append(("kind", lang, views))
        about = t("hub_description", lang).format(tagline=tagline)
        views = one(urls.hub(lang), topic_pages.hub_view, lang, ctx, default, about)
        groups.append(("hub", lang, views))
        views = one(urls.home(lang), pages.home_view, lang, ctx, default, tagline)
        groups.append(("home", lang, views))
        about = t("search_description", lang).format(tagline=tagline)
        bundles = [
            {"href": urls.href(f"{shard.folder}/"), "lang": shard.lang}
            for shard in search.search_order(planned, lang)
        ]
        views = one(urls.search(lang), pages.search_view, lang, ctx, default, about, bundles)
        groups.append(("search", lang, views))
        for old, entity in site.redirects.items():
            views = one(urls.topic(entity.kind, old, lang), pages.redirect_view, entity, lang, urls)
            groups.append(("redirect", lang, views))
    tagline = t("site_tagline", default)
    groups.append(("landing", default, one("", pages.landing_view, ctx, default, tagline)))
    text = t("not_found_text", default)
    groups.append(("404", default, one("404.html", pages.not_found_view, ctx, text)))
    return groups
