"""The Pelican edge: thin signal handlers that run the pure pipeline and hand its results over.

- ``initialized``: read and validate all content; any error stops the build before a file is
  written (raising ContentError, which carries every diagnostic).
- ``readers_init``: Markdown articles are read from the validated model, not parsed again.
- ``article_generator_finalized``: each article gets its view (facts box, JSON-LD, links).
- ``get_generators``: TopicPagesGenerator writes entity pages, kind indexes and home pages.
- ``generator_init``: UI strings and filters for every template environment.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache, partial
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
from pelican.writers import Writer

from dossier.check import load_site
from dossier.data import load_kinds, load_languages
from dossier.diagnostics import ContentError, has_errors
from dossier.enrich import feeds, sitemaps, topic_pages
from dossier.enrich import pages as enrich
from dossier.enrich.context import BuildContext
from dossier.enrich.urls import Urls, save_as
from dossier.publish import reuse, search_index
from dossier.publish.reuse import Reuse, build_version
from dossier.read.images import is_remote, write_variants
from dossier.read.source import read_body
from dossier.render import ui_strings
from dossier.resolve.model import Article, Site

logger = logging.getLogger(__name__)

SITE = "DOSSIER_RESOLVED_SITE"  # where the model travels with Pelican's settings
# And what every piece of structured data needs, with the nodes built so far: one per build, so
# that an entity's node is built once for articles, topic pages and feeds alike.
GRAPHS = "DOSSIER_GRAPHS"
REUSE = reuse.SETTING  # the published build's files that can be kept (set by `dossier build`)
# Settings that never reach a written file: where files go, and objects passed between stages.
VOLATILE = frozenset({"OUTPUT_PATH", "CACHE_PATH", SITE, GRAPHS, REUSE, search_index.SETTING})


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.generator_init.connect(on_generator_init)
    signals.article_generator_finalized.connect(on_articles_finalized)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)


def on_initialized(pelican) -> None:
    settings = pelican.settings
    site, diagnostics = load_site(settings)
    for diagnostic in diagnostics:
        if diagnostic.severity == "warning":
            logger.warning(diagnostic.format())
    if has_errors(diagnostics):
        raise ContentError(diagnostics)
    settings[SITE] = site
    settings[GRAPHS] = BuildContext.from_settings(site, settings)
    if keep := settings.get(REUSE):
        keep.model = model_digest(site)
    if settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE"):
        # `dossier build` worked the version out already; a plain `pelican` run has not.
        version = keep.version if keep else build_version(settings, VOLATILE)
        settings["CACHE_PATH"] = str(pelican_cache(Path(settings["CACHE_PATH"]), version))


def model_digest(site: Site) -> str:
    """Everything the pages are made of besides the build version and the articles' text: the
    data of every article and registry entry, and the images' sizes."""
    model = (
        [a.data for a in site.articles],
        [(e.kind, e.data) for e in site.entities.values()],
        sorted(site.images.items()),
    )
    return hashlib.blake2b(repr(model).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def pelican_cache(root: Path, version: str) -> Path:
    """Pelican's content cache, in a folder of its own for each build version.

    Pelican keys what it caches by the file's stamp only; the rendered body also depends on
    Dossier's code, the Markdown settings and the libraries, so each version of those gets a
    fresh cache (the others are removed)."""
    folder = root / f"pelican-{version}"
    if root.is_dir():
        for old in root.glob("pelican-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    return folder


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
        article = model_of(self.settings, source_path)
        if article is None:  # pages or other Markdown outside the validated articles
            raise ValueError(f"{source_path}: not a validated Dossier article")
        # The body is read again here rather than kept in the model: only a file Pelican's
        # content cache does not hold yet needs it, and a large archive's bodies weigh much.
        html = self._markdown.reset().convert(read_body(article.path))
        # Counted here, so that Pelican's content cache keeps the count with the body.
        words = enrich.word_count(html)
        data = article.data
        metadata: dict[str, Any] = {
            "title": data["title"],
            "slug": data["slug"],
            "lang": data["lang"],
            "date": _pelican_datetime(article.date),
            "status": data.get("status", "published"),
            "summary": str(escape(data["summary"])),
            "word_count": words,
        }
        if "modified" in data:
            metadata["modified"] = _pelican_datetime(article.modified)
        return html, metadata


def _pelican_datetime(value: datetime) -> SafeDatetime:
    return SafeDatetime.fromisoformat(value.isoformat())


def model_of(settings: dict[str, Any], source_path: str) -> Article | None:
    """The model of the article Pelican read from ``source_path``. The model knows each file by
    its path below the resolved content folder; Pelican's may pass through a link."""
    site: Site = settings[SITE]
    content, resolved = _content_folder(settings["PATH"])
    path = Path(source_path)
    if path.is_relative_to(content):
        path = resolved / path.relative_to(content)
    return site.by_path.get(path)


@cache
def _content_folder(path: str) -> tuple[Path, Path]:
    return Path(path), Path(path).resolve()


def on_articles_finalized(generator) -> None:
    """Each article learns its model and how to make its view. The view is made when the page
    is written (ReusingWriter) and dropped after: a large archive's views would not fit in
    memory all at once."""
    settings = generator.settings
    context: BuildContext = settings[GRAPHS]
    urls = context.urls
    around = enrich.neighbours(context.site)
    for article in [*generator.articles, *generator.translations]:
        model = article.dossier = model_of(settings, article.source_path)
        article.view_source = partial(
            enrich.article_view,
            model,
            context,
            settings["DEFAULT_LANG"],
            article.word_count,
            around.get(model, (None, None)),
        )
        if article.url != urls.article(model):
            raise RuntimeError(f"ARTICLE_URL gave {article.url}, Dossier {urls.article(model)}")
    # Drafts were validated with everything else; they are never written, not even unlisted.
    generator.drafts, generator.drafts_translations = [], []


def get_generators(pelican):
    return (TopicPagesGenerator, FeedsGenerator, SitemapsGenerator, ImageSizesGenerator)


def get_writer(pelican):
    return ReusingWriter


class ReusingWriter(Writer):
    """Pelican's writer, which keeps pages that have not changed since the published build.

    A page whose view (and, for an article, its text) is what it was, under the same build
    version, is linked from the published site instead of rendered (see ``reuse``); with the
    model unchanged, an article page whose text is what it was is linked without making its view.
    Without a published build to compare with (a plain ``pelican`` run), every page is rendered."""

    def write_file(self, name, template, context, *args, **kwargs) -> None:
        keep: Reuse | None = self.settings.get(REUSE)
        article = kwargs.get("article")
        source = getattr(article, "view_source", None)
        text = ""
        if source is not None:
            text = keep.fingerprint(article.content, article.title, article.lang) if keep else ""
            if keep is not None and keep.keep_as_before(name, text):
                return
            article.view = source()
            parts: tuple = (article.view, article.content, article.title, article.lang)
        else:
            parts = (kwargs.get("page"), kwargs.get("lang"))
        try:
            if keep is None or parts[0] is None:
                super().write_file(name, template, context, *args, **kwargs)
                return
            fingerprint = keep.fingerprint(template.name, name, *parts)
            if not keep.link(name, fingerprint, text):
                super().write_file(name, template, context, *args, **kwargs)
                keep.written(name, fingerprint, text)
        finally:
            if source is not None:
                del article.view


class TopicPagesGenerator(Generator):
    """Topic pages (and redirects from former ids), kind indexes, the hub, home and search
    pages, per language, from the model.

    The views are made page by page as they are written, not all at once beforehand: a large
    archive has tens of thousands of topic pages."""

    def generate_context(self) -> None:
        site: Site = self.settings[SITE]
        context: BuildContext = self.settings[GRAPHS]
        urls = context.urls
        default = self.settings["DEFAULT_LANG"]
        t = ui_strings.load(Path(self.settings["THEME"]).resolve(), site.languages).text
        index = topic_pages.Index.of(site)
        page_size = int(self.settings.get("DOSSIER_TIMELINE_PAGE_SIZE", 20))
        most = int(
            self.settings.get("DOSSIER_SEARCH_SHARD_PAGES", search_index.DEFAULT_SHARD_PAGES)
        )
        planned = search_index.shards(site, urls, most)
        if indexer := self.settings.get(search_index.SETTING):
            indexer.plan(planned)
        groups: list[tuple[str, str, Callable[[], Iterable[tuple[str, dict[str, Any]]]]]] = []

        def one(url: str, make: Callable[..., dict[str, Any]], *args: Any):
            return lambda: [(url, make(*args))]

        for lang in site.languages:
            tagline = t("site_tagline", lang)
            for entity in site.entities.values():
                views = partial(
                    topic_pages.entity_views, entity, lang, context, index, default, page_size
                )
                groups.append(("entity", lang, views))
            for kind in site.kinds:
                about = t("kind_description", lang).format(
                    kind=load_kinds()[kind]["plural"][lang], tagline=tagline
                )
                views = partial(topic_pages.kind_views, kind, lang, context, default, about)
                groups.append(("kind", lang, views))
            about = t("hub_description", lang).format(tagline=tagline)
            views = one(urls.hub(lang), topic_pages.hub_view, lang, context, default, about)
            groups.append(("hub", lang, views))
            views = one(urls.home(lang), enrich.home_view, lang, context, default, tagline)
            groups.append(("home", lang, views))
            about = t("search_description", lang).format(tagline=tagline)
            bundles = [
                {"href": urls.href(f"{shard.folder}/"), "lang": shard.lang}
                for shard in search_index.search_order(planned, lang)
            ]
            views = one(
                urls.search(lang), enrich.search_view, lang, context, default, about, bundles
            )
            groups.append(("search", lang, views))
            for old, entity in site.redirects.items():
                views = one(
                    urls.topic(entity.kind, old, lang), enrich.redirect_view, entity, lang, urls
                )
                groups.append(("redirect", lang, views))
        tagline = t("site_tagline", default)
        groups.append(("landing", default, one("", enrich.landing_view, context, default, tagline)))
        text = t("not_found_text", default)
        groups.append(("404", default, one("404.html", enrich.not_found_view, context, text)))
        self.groups = groups

    def generate_output(self, writer) -> None:
        # Pelican has written the article pages by now: the search index can be built from
        # them while the rest of the site is written.
        if indexer := self.settings.get(search_index.SETTING):
            indexer.start()
        if (keep := self.settings.get(REUSE)) and keep.keep_derived():
            return  # the model is what it was: so is every page made from it alone
        for template_name, lang, views in self.groups:
            template = self.get_template(template_name)
            for url, view in views():
                writer.write_file(save_as(url), template, self.context, page=view, lang=lang)


class FeedsGenerator(Generator):
    """Atom and JSON Feed files: the whole site per language, and every entity per language."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        keep = self.settings.get(REUSE)
        if keep and keep.keep_derived():
            return  # the model is what it was: so is every feed
        feeds.write_feeds(self.settings[GRAPHS], self.settings, Path(self.output_path), keep)


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
