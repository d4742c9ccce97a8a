"""The Pelican edge: thin signal handlers that run the pure pipeline and hand its results over.

- ``initialized``: read and validate all content; any error stops the build before a file is
  written (raising ContentError, which carries every diagnostic).
- ``readers_init``: Markdown articles are read from the validated model, not parsed again.
- ``article_generator_finalized``: each article gets its view (facts box, JSON-LD, links).
- ``get_generators``: TopicPagesGenerator writes entity pages, kind indexes and home pages.
- ``generator_init``: UI strings and filters for every template environment.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import markdown
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import escape
from pelican import signals
from pelican.generators import Generator
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from . import enrich, feeds, sitemaps, topic_pages, ui_strings
from .diagnostics import ContentError, has_errors
from .images import is_remote, write_variants
from .jsonld import Graphs
from .kinds import load_kinds, load_languages
from .pipeline import load_site
from .resolve import Site
from .urls import Urls, save_as

logger = logging.getLogger(__name__)

SITE = "DOSSIER_RESOLVED_SITE"  # where the model travels with Pelican's settings


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.generator_init.connect(on_generator_init)
    signals.article_generator_finalized.connect(on_articles_finalized)
    signals.get_generators.connect(get_generators)


def on_initialized(pelican) -> None:
    site, diagnostics = load_site(pelican.settings)
    for diagnostic in diagnostics:
        if diagnostic.severity == "warning":
            logger.warning(diagnostic.format())
    if has_errors(diagnostics):
        raise ContentError(diagnostics)
    pelican.settings[SITE] = site


def on_readers_init(readers) -> None:
    for extension in ("md", "markdown", "mkd", "mdown"):
        readers.reader_classes[extension] = ArticleReader


class ArticleReader(BaseReader):
    """Serves articles from the validated model; the Markdown body is rendered here."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, settings):
        super().__init__(settings)
        self._markdown = markdown.Markdown(**settings["MARKDOWN"])  # built once, reset per file

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        site: Site = self.settings[SITE]
        article = site.by_path.get(Path(source_path).resolve())
        if article is None:  # pages or other Markdown outside the validated articles
            raise ValueError(f"{source_path}: not a validated Dossier article")
        html = self._markdown.reset().convert(article.body)
        data = article.data
        metadata: dict[str, Any] = {
            "title": data["title"],
            "slug": data["slug"],
            "lang": data["lang"],
            "date": _pelican_datetime(article.date),
            "status": data.get("status", "published"),
            "summary": str(escape(data["summary"])),
            "dossier": article,
        }
        if "modified" in data:
            metadata["modified"] = _pelican_datetime(article.modified)
        return html, metadata


def _pelican_datetime(value: datetime) -> SafeDatetime:
    return SafeDatetime.fromisoformat(value.isoformat())


def on_articles_finalized(generator) -> None:
    settings = generator.settings
    graphs = Graphs.from_settings(settings[SITE], settings)
    urls = graphs.urls
    around = enrich.neighbours(graphs.site)
    for article in [*generator.articles, *generator.translations]:
        model = article.dossier
        article.view = enrich.article_view(
            model,
            graphs,
            settings["DEFAULT_LANG"],
            article._content,
            around.get(model, (None, None)),
        )
        if article.url != urls.article(model):
            raise RuntimeError(f"ARTICLE_URL gave {article.url}, Dossier {urls.article(model)}")
    # Drafts were validated with everything else; they are never written, not even unlisted.
    generator.drafts, generator.drafts_translations = [], []


def get_generators(pelican):
    return (TopicPagesGenerator, FeedsGenerator, SitemapsGenerator, ImageSizesGenerator)


class TopicPagesGenerator(Generator):
    """Topic pages (and redirects from former ids), kind indexes, the hub, home and search
    pages, per language, from the model."""

    def generate_context(self) -> None:
        site: Site = self.settings[SITE]
        graphs = Graphs.from_settings(site, self.settings)
        urls = graphs.urls
        default = self.settings["DEFAULT_LANG"]
        t = ui_strings.load(Path(self.settings["THEME"]).resolve(), site.languages).text
        index = topic_pages.Index.of(site)
        page_size = int(self.settings.get("DOSSIER_TIMELINE_PAGE_SIZE", 20))
        pages: list[tuple[str, str, dict[str, Any]]] = []
        for lang in site.languages:
            tagline = t("site_tagline", lang)
            for entity in site.entities.values():
                for url, view in topic_pages.entity_views(
                    entity, lang, graphs, index, default, page_size
                ):
                    pages.append((url, "entity", {"page": view, "lang": lang}))
            for kind in site.kinds:
                about = t("kind_description", lang).format(
                    kind=load_kinds()[kind]["plural"][lang], tagline=tagline
                )
                for url, view in topic_pages.kind_views(kind, lang, graphs, default, about):
                    pages.append((url, "kind", {"page": view, "lang": lang}))
            about = t("hub_description", lang).format(tagline=tagline)
            view = topic_pages.hub_view(lang, graphs, default, about)
            pages.append((urls.hub(lang), "hub", {"page": view, "lang": lang}))
            view = enrich.home_view(lang, graphs, default, tagline)
            pages.append((urls.home(lang), "home", {"page": view, "lang": lang}))
            about = t("search_description", lang).format(tagline=tagline)
            view = enrich.search_view(lang, graphs, default, about)
            pages.append((urls.search(lang), "search", {"page": view, "lang": lang}))
            for old, entity in site.redirects.items():
                view = enrich.redirect_view(entity, lang, urls)
                url = urls.topic(entity.kind, old, lang)
                pages.append((url, "redirect", {"page": view, "lang": lang}))
        landing = enrich.landing_view(graphs, default, t("site_tagline", default))
        pages.append(("", "landing", {"page": landing, "lang": default}))
        not_found = enrich.not_found_view(graphs, t("not_found_text", default))
        pages.append(("404.html", "404", {"page": not_found, "lang": default}))
        self.pages = pages

    def generate_output(self, writer) -> None:
        for url, template, extra in self.pages:
            writer.write_file(save_as(url), self.get_template(template), self.context, **extra)


class FeedsGenerator(Generator):
    """Atom and JSON Feed files: the whole site per language, and every entity per language."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        feeds.write_feeds(self.settings[SITE], self.settings, Path(self.output_path))


class ImageSizesGenerator(Generator):
    """Smaller copies of the articles' own images, for srcset (cached between builds)."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        site: Site = self.settings[SITE]
        content = Path(self.settings["PATH"])
        cache = Path(self.settings.get("CACHE_PATH", "cache")) / "dossier-images"
        for article in site.published():
            image = article.data.get("image")
            if image and not is_remote(image["src"]):
                write_variants(content, site.images[image["src"]], Path(self.output_path), cache)


class SitemapsGenerator(Generator):
    """sitemap.xml (an index when large), the Google News sitemap, and robots.txt."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        sitemaps.write_sitemaps(self.settings[SITE], self.settings, Path(self.output_path))


def on_generator_init(generator) -> None:
    site: Site | None = generator.settings.get(SITE)
    languages = site.languages if site else tuple(load_languages())
    words = ui_strings.load(Path(generator.settings["THEME"]).resolve(), languages)
    env = generator.env
    env.globals["t"] = words.text
    env.globals["tn"] = lambda key, n, lang: words.count(key, n, lang, number_text(n, lang))
    env.globals["kind_words"] = load_kinds()
    env.globals["kinds"] = site.kinds if site else ()
    env.globals["languages"] = site.languages if site else ()
    env.filters["date_text"] = date_text
    env.filters["month_text"] = month_text
    env.filters["number_text"] = number_text
    if site is not None:
        urls = Urls(generator.settings)
        env.globals["nav"] = {lang: enrich.nav(lang, site, urls) for lang in site.languages}
        env.globals["home_href"] = {lang: urls.href(urls.home(lang)) for lang in site.languages}
        env.globals["hub_href"] = {lang: urls.href(urls.hub(lang)) for lang in site.languages}
        env.globals["search_href"] = {lang: urls.href(urls.search(lang)) for lang in site.languages}


@cache  # Babel's formatting is slow, and one article's date appears on many pages
def date_text(value: date | datetime, lang: str) -> str:
    """A date as readers of the language write it (13. September 2023, 13 September 2023)."""
    return format_date(value, "long", locale=load_languages()[lang]["formats"])


@cache
def month_text(value: date | datetime, lang: str) -> str:
    return format_date(value, "MMMM y", locale=load_languages()[lang]["formats"])


@cache
def number_text(value: int, lang: str) -> str:
    return format_decimal(value, locale=load_languages()[lang]["formats"])
