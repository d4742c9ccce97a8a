"""Render stage, pages: one HTML page of the model, by the name the build writes it under.

The build and ``dossier serve`` render through the same two functions: ``html`` turns a template
and a page's variables into the page, and ``Pages.find`` says which template and variables make
the page of a name (``de/2024/slug/index.html``). The build reaches ``html`` through the plugin's
writer; the server looks pages up with ``Pages`` and renders them when they are asked for.

Pelican is not imported here: the template comes from the environment the plugin makes (the same
one the build renders with), and an article page is given its text by the caller.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Protocol

from dossier.enrich import pages, plan, topic_pages
from dossier.enrich.text import word_count
from dossier.enrich.urls import save_as
from dossier.render.links import Targets, attached, has_links, replace_links
from dossier.resolve.model import Article
from dossier.validate.static import static_problem

Variables = dict[str, Any]


class Template(Protocol):  # a Jinja template; only its render is used
    def render(self, context: Mapping[str, Any]) -> str: ...


def html(template: Template, site: Mapping[str, Any], name: str, variables: Variables) -> str:
    """The page ``name`` as the build writes it: ``template`` given the site's context (Pelican's
    settings), the page's file name and its own ``variables``, these last winning."""
    return template.render({**site, "output_file": name, **variables})


@dataclass(frozen=True)
class ArticlePage:
    """What ``article.html`` reads of an article. In the build, Pelican's Article stands here;
    it has these four attributes with the same values."""

    title: str
    lang: str
    content: str  # the text as HTML, rendered and sanitised (``render.body``)
    view: Variables


@dataclass(frozen=True)
class Found:
    """How to make one page: its template's name and the variables it renders with."""

    template: str
    variables: Variables


class Pages:
    """Every HTML page of the model, found by name and made when asked for.

    The index keeps names only, computed without making a view (``plan.Group.urls``), so that
    a large archive is indexed at once; a page's view is made on each request, from the model
    as it is, so the views never sit in memory all at once. What only views need
    (``topic_pages.Index``, what the texts' links may name) is made when a page first needs it.
    ``body(article)``: an article's text as HTML, as the build's reader renders it (its links
    are replaced here, as Pelican's Article replaces them: ``render.links``); ``words``:
    the theme's UI strings, for the pages' descriptions; ``drafts``: whether drafts and
    scheduled articles are served too, each at its article URL and marked as what it is
    (``enrich.pages.article_view``). Neither is in any list, feed or index: they are made from
    the published articles alone.
    """

    def __init__(
        self,
        model: Any,  # build.Model; build lies above render, so it is not imported
        words: plan.Words,
        body: Callable[[Article], str],
        *,
        drafts: bool,
        previous: Pages | None = None,
    ) -> None:
        self.model = model
        self.body = body
        ctx, settings, site = model.context, model.settings, model.site
        served = site.articles if drafts else site.published()
        # ``previous``: the pages of the model this one follows, under the same settings; an
        # article that is the same object (unchanged) keeps its name.
        known = previous.named if previous is not None else {}
        self.named = {a: known.get(a) or save_as(ctx.urls.article(a)) for a in served}
        self.articles = {name: article for article, name in self.named.items()}
        self.index = topic_pages.Index.of(site, previous.index if previous else None)
        self.groups = plan.page_groups(settings, ctx, lambda: model.shards, words, self.index)
        # Which group makes each name, and which of its pages it is (1 for its first URL).
        self.planned: dict[str, tuple[plan.Group, int]] = {}
        for group in self.groups:
            for number, url in enumerate(group.urls, 1):
                self.planned.setdefault(save_as(url), (group, number))

    def names(self) -> Iterator[str]:
        """Every page's file name, articles first, as the build writes them."""
        yield from self.articles
        yield from self.planned

    def find(self, name: str) -> Found | None:
        """How to make the page written as ``name``; None when the model has no such page."""
        article = self.articles.get(name)
        if article is not None:
            return Found("article", {"article": self.article_page(article)})
        planned = self.planned.get(name)
        if planned is None:
            return None
        group, number = planned
        for url, view in group.views(number):  # that page's view alone
            if save_as(url) == name:
                return Found(group.template, {"page": view, "lang": group.lang})
        return None  # the model changed under the index; the caller rebuilds it

    @cached_property
    def content(self) -> Path:
        return self.model.settings.content_folder.resolve()

    @cached_property
    def targets(self) -> Targets:
        """What the articles' links may name: every article (a draft has no URL in the build)
        and the static files the build copies (``validate.static.static_problem``)."""
        settings, urls = self.model.settings, self.model.context.urls
        articles = {
            self.source(a): urls.article(a) if a.published else "" for a in self.model.site.articles
        }

        def is_static(path: str) -> bool:
            # Pelican knows each file by one name: 'images/./a.png' names none.
            if posixpath.normpath(path) != path or path.startswith(("../", "/")) or path == "..":
                return False
            found = self.content / path
            return found.exists() and not static_problem(found, self.content, settings.static_paths)

        return Targets(settings.links_url, articles, is_static)

    def source(self, article: Article) -> str:
        """The article's file below the content folder, as its links are read from."""
        return Path(os.path.relpath(article.path, self.content)).as_posix()

    def attachment(self, name: str) -> Path | None:
        """The static file an article's ``{attach}`` link moves to ``name``: the build copies
        it there, beside the article's page."""
        folder = name
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            article = self.articles.get(f"{folder}/index.html")
            if article is not None:
                url = self.model.context.urls.article(article)
                moved = attached(self.body(article), self.source(article), url, self.targets)
                return self.content / moved[name] if name in moved else None
        return None

    def article_page(self, article: Article) -> ArticlePage:
        read = self.body(article)
        url = self.model.context.urls.article(article)
        # (What links may name is made for the first text with a link in it.)
        text = (
            replace_links(read, self.source(article), url, self.targets)
            if has_links(read)
            else read
        )
        view = partial(
            pages.article_view,
            article,
            self.model.context,
            self.model.settings.default_lang,
            word_count(read),  # as the build's reader counts, before links are replaced
            self.model.site.neighbours(article),
        )
        return ArticlePage(article.title, article.lang, text, view())


class Environment(Protocol):  # a Jinja environment; only its templates are used
    def get_template(self, name: str) -> Template: ...


class Renderer:
    """``render(name) -> bytes | None``: a page of the model, byte for byte the build's file.
    ``env``: the build's template environment; ``site``: Pelican's settings, the context every
    template starts from."""

    def __init__(self, env: Environment, site: Mapping[str, Any], pages: Pages) -> None:
        self.env, self.site, self.pages = env, site, pages

    def render(self, name: str) -> bytes | None:
        found = self.pages.find(name)
        if found is None:
            return None
        # Pelican's get_template adds the extension; the build names the same file.
        template = self.env.get_template(f"{found.template}.html")
        return html(template, self.site, name, found.variables).encode("utf-8")
