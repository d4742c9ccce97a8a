"""The Pelican edge: the only module that imports Pelican. Thin signal handlers hand Pelican's
objects to the pipeline (``build``) and its results back to Pelican.

- ``initialized``: ``build.start`` checks the settings and all content (any error stops the
  build before a file is written, with a ContentError carrying every diagnostic) and begins the
  publication, whose staging folder becomes Pelican's output folder.
- ``readers_init``: Markdown articles are read from the validated model, not parsed again; only
  the text is rendered, and sanitised.
- ``article_generator_finalized``: each article learns its model and how to make its view.
- ``get_generators``: topic pages and the other pages of the model, feeds, sitemaps, image sizes.
- ``get_writer``: Pelican's writer, keeping the published build's pages that have not changed.
- ``generator_init``: UI strings and formats for every template environment, which escapes
  whatever it prints.
- ``finalized``: ``build.finish`` publishes, or leaves the published site as it was.

Pelican hands its readers, generators and writer nothing but its settings dict, so the build
under way travels there under one key (``BUILD``), read only here.
"""

from __future__ import annotations

import logging
import os
import traceback
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, ClassVar

import markdown
from markupsafe import escape
from pelican import Pelican, signals
from pelican.contents import Static
from pelican.generators import Generator
from pelican.readers import BaseReader
from pelican.settings import get_settings_from_file
from pelican.settings import read_settings as pelican_settings
from pelican.utils import SafeDatetime, sanitised_join
from pelican.writers import Writer

from dossier import build as builds
from dossier.data import load_kinds, load_languages
from dossier.diagnostics import ContentError, Diagnostic
from dossier.enrich import pages, plan, sitemaps
from dossier.enrich.text import word_count
from dossier.enrich.urls import Urls, save_as
from dossier.publish import files
from dossier.publish.reuse import build_version
from dossier.publish.transaction import Published, machine_fault
from dossier.read import pelican_cache
from dossier.read.corpus import display_path
from dossier.read.images import is_remote
from dossier.read.source import read_body
from dossier.render import formats, ui_strings
from dossier.render import pages as rendered
from dossier.render.body import Sanitiser, markdown_options, render_body
from dossier.resolve.model import Article
from dossier.settings import WHERE
from dossier.validate.static import static_problem

logger = logging.getLogger(__name__)

BUILD = "DOSSIER_BUILD"  # the build under way, in Pelican's settings (see the docstring)
# Settings that never reach a written file: where files go, the build object, and the logging
# flag `pelican` sets and `dossier build` does not (so the two keep each other's files).
VOLATILE = frozenset({"OUTPUT_PATH", "CACHE_PATH", BUILD, "DEBUG"})


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.static_generator_finalized.connect(on_static_files)
    signals.generator_init.connect(on_generator_init)
    signals.article_generator_finalized.connect(on_articles_finalized)
    signals.article_generator_finalized.connect(on_cache_saved)
    signals.page_generator_finalized.connect(on_cache_saved)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(on_finalized)


# --- the entry points ----------------------------------------------------------------------------


class SettingsFileError(Exception):
    """The settings file could not be read: Python refused it, it raised or exited, or its
    PATH names no folder. The message says where, and what to do."""


def read_settings(path: Path) -> dict[str, Any]:
    """A settings file as Pelican reads it: Pelican's defaults filled in, paths made absolute.
    Raises SettingsFileError when the file cannot be read."""
    try:
        return pelican_settings(str(path))
    except (Exception, SystemExit) as error:  # noqa: BLE001 - the file is the user's Python
        raise SettingsFileError(_settings_failure(path, error)) from None


def _settings_failure(path: Path, error: BaseException) -> str:
    """What went wrong in reading the settings file ``path``: ``file:line: what; what to do``."""
    shown = display_path(path, Path.cwd())
    if isinstance(error, SyntaxError):
        where = f"{shown}:{error.lineno}" if error.lineno else shown
        return f"{where}: {error.msg}; this settings file is not valid Python"
    if isinstance(error, ValueError) and "path containing the content" in str(error):
        return _missing_content(path, shown)
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve() == path.resolve()
    ]
    where = f"{shown}:{lines[-1]}" if lines else shown
    if isinstance(error, SystemExit):
        return f"{where}: the settings file exits (status {error.code}) instead of setting values"
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return f"{where}: reading the settings file raised {what}; fix the file, or name another"


def _missing_content(path: Path, shown: str) -> str:
    """Pelican's refusal of a PATH that is no folder, said with the folder it looked for."""
    values = get_settings_from_file(str(path))
    content = values.get("PATH", os.curdir)
    folder = path.resolve().parent
    if not isinstance(content, str):
        return f"{shown}: PATH must be the content folder's path (text), not {content!r}"
    looked = folder / content
    relative = "" if Path(content).is_absolute() else (
        f"; a relative PATH is taken from the settings file's folder, {folder}"
    )  # fmt: skip
    return f"{shown}: PATH: {looked.resolve()} is not a folder{relative}"


def build_site(values: dict[str, Any], project: Path) -> Published:
    """``dossier build``: Pelican with this plugin, on ``values`` (Pelican's settings) read from
    a file in ``project``. Raises UnsafeOutputError when the output folder must not be replaced,
    ContentError when the content has errors (nothing was built) and PublishError when the
    build failed (nothing was published), a fault of the machine (a full disk, a read-only
    folder) included; whatever fails, the published site stays whole."""
    register()  # whatever PLUGINS says: `dossier build` is a Dossier build
    target = values.get("OUTPUT_PATH")  # before the build makes it its staging folder
    try:
        pelican = ProjectPelican(values, project)  # initialized: build.start
        pelican.run()  # finalized: build.finish
    except BaseException as error:
        if (build := values.get(BUILD)) is not None:
            builds.abort(build)
        if isinstance(error, OSError):
            raise machine_fault(error, Path(str(target))) from error
        raise
    published = values[BUILD].published
    assert published is not None  # finish either published or raised
    return published


class ProjectPelican(Pelican):
    """Pelican, told the folder of the settings file it runs on, which the output must never
    replace. Pelican's own command does not say which file it read (``on_initialized``)."""

    def __init__(self, settings: dict[str, Any], project: Path) -> None:
        self.dossier_project = project
        super().__init__(settings)


def on_initialized(pelican: Pelican) -> None:
    """``build.start``. The project folder: the settings file's, as ``dossier build`` tells it;
    in a plain ``pelican`` run, which does not, the current folder (``build.start``)."""
    values = pelican.settings
    version = build_version(values, VOLATILE)
    project = getattr(pelican, "dossier_project", None)
    build = values[BUILD] = builds.start(values, version, project)
    pelican.output_path = values["OUTPUT_PATH"] = str(build.staging)
    # Hidden files and folders are left out, as check leaves them out: Pelican's own pattern
    # ('**/.*') matches no file name, so it would read and copy them.
    values["IGNORE_FILES"] = [*values.get("IGNORE_FILES", ()), ".*"]
    if values.get("CACHE_CONTENT") or values.get("LOAD_CONTENT_CACHE"):
        root = Path(values["CACHE_PATH"])
        folder = pelican_cache.folder(
            root, version, gzipped=bool(values.get("GZIP_CACHE")), warn=logger.warning
        )
        values["CACHE_PATH"] = str(folder)


def on_finalized(pelican: Pelican) -> None:
    builds.finish(pelican.settings[BUILD])


def _build(settings: dict[str, Any]) -> builds.Build:
    return settings[BUILD]


def on_cache_saved(generator) -> None:
    """Pelican has just saved its content cache (it does so right before this signal): keep
    each file's checksum, for the next build to know a damaged one (``read.pelican_cache``)."""
    here = Path(generator.settings["CACHE_PATH"])
    if generator.settings.get("CACHE_CONTENT") and here.is_dir():
        pelican_cache.record(here)


def on_static_files(generator) -> None:
    """Defence in depth, once Pelican has planned its copies: each static file must be one check
    allows (``validate.static.static_problem``: in a static folder, no link, an image), and be
    copied into the output folder. Check refuses such files first; this stops the build, before
    anything is copied, should a way around check appear."""
    base = Path(os.path.normpath(Path.cwd() / generator.path))  # absolute, links kept
    content, output = base.resolve(), Path(generator.output_path).resolve()
    folders = _build(generator.settings).settings.static_paths
    unsafe = []
    for static in generator.staticfiles:
        source = Path(os.path.normpath(base / static.source_path))
        # Content's save_as, not Static's, which would keep {attach} from moving the file.
        save_as = super(Static, static).save_as
        if not source.is_relative_to(base) or not source.resolve().is_relative_to(content):
            problem = "is outside the content folder"
        elif not Path(os.path.normpath(output / save_as)).is_relative_to(output):
            problem = f"would be copied to {save_as}, outside the output folder"
        else:
            problem = static_problem(content / source.relative_to(base), content, folders)
        if problem:
            unsafe.append(
                Diagnostic(
                    path=display_path(source, Path.cwd().resolve()),
                    line=1,
                    column=1,
                    field="",
                    message=f"the build would copy this file into the site, but it {problem}",
                    code="unsafe-static",
                )
            )
    if unsafe:
        raise ContentError(unsafe)


# --- reading -------------------------------------------------------------------------------------


def on_readers_init(readers) -> None:
    for extension in ("md", "markdown", "mkd", "mdown"):
        readers.reader_classes[extension] = ArticleReader


class ArticleReader(BaseReader):
    """Serves articles from the validated model; the Markdown body is rendered here, and goes
    through the sanitiser (``render.body``)."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, settings):
        super().__init__(settings)
        # Both built once per build; the Markdown instance is reset for each file.
        self._markdown = markdown.Markdown(**markdown_options(settings["MARKDOWN"]))
        # (A generator made only for its template environment, by dossier serve, has no build
        # and reads nothing.)
        build = settings.get(BUILD)
        self._sanitiser = Sanitiser(build.settings.embed_hosts if build else ())

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        article = model_of(self.settings, source_path)
        if article is None:  # pages or other Markdown outside the validated articles
            raise ValueError(f"{source_path}: not a validated Dossier article")
        # The body is read again here rather than kept in the model: only a file Pelican's
        # content cache does not hold yet needs it, and a large archive's bodies weigh much.
        body = render_body(read_body(article.path), self._markdown, self._sanitiser)
        if body.removed:  # what dossier check let through and the sanitiser did not
            logger.warning(
                "%s: removed from the text when it was rendered: %s",
                article.source,
                ", ".join(body.removed),
            )
        html = body.html
        # Counted here, so that Pelican's content cache keeps the count with the body.
        words = word_count(html)
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
    content, resolved = _content_folder(settings["PATH"])
    path = Path(source_path)
    if path.is_relative_to(content):
        path = resolved / path.relative_to(content)
    return _build(settings).site.by_path.get(path)


@cache
def _content_folder(path: str) -> tuple[Path, Path]:
    return Path(path), Path(path).resolve()


def on_articles_finalized(generator) -> None:
    """Each article learns its model and how to make its view. The view is made when the page
    is written (ReusingWriter) and dropped after: a large archive's views would not fit in
    memory all at once."""
    build = _build(generator.settings)
    context, settings = build.context, build.settings
    around = pages.neighbours(build.site)
    for article in [*generator.articles, *generator.translations]:
        model = article.dossier = model_of(generator.settings, article.source_path)
        article.view_source = partial(
            pages.article_view,
            model,
            context,
            settings.default_lang,
            article.word_count,
            around.get(model, (None, None)),
        )
        if article.url != context.urls.article(model):
            ours = context.urls.article(model)
            raise RuntimeError(f"ARTICLE_URL gave {article.url}, Dossier {ours}")
    # Drafts were validated with everything else; they are never written, not even unlisted.
    generator.drafts, generator.drafts_translations = [], []
    # Nor are scheduled articles, until a build at or after their date: Pelican knows only
    # their status (and its content cache keeps what it read), the model knows the time. Like
    # a draft's, their address is none yet: a {filename} link to one goes where a link to a
    # draft goes, as dossier serve shows it (render.links).
    for article in [*generator.articles, *generator.translations]:
        if article.dossier is not None and article.dossier.scheduled:
            article.override_url = ""
    for listed in (generator.articles, generator.translations, generator.dates):
        listed[:] = [a for a in listed if a.dossier is not None and a.dossier.published]


# --- writing -------------------------------------------------------------------------------------


def get_generators(pelican):
    return (TopicPagesGenerator, FeedsGenerator, SitemapsGenerator, ImageSizesGenerator)


def get_writer(pelican):
    return ReusingWriter


class ReusingWriter(Writer):
    """Pelican's writer, which keeps pages that have not changed since the published build.

    A page whose view (and, for an article, its text) is what it was, under the same build
    version, is linked from the published site instead of rendered (see ``publish.reuse``);
    with the model unchanged, an article page whose text is what it was is linked without making
    its view."""

    def write_file(self, name, template, context, *args, **kwargs) -> None:
        output = Path(self.output_path).resolve()
        if not Path(os.path.normpath(output / name)).is_relative_to(output):
            raise ContentError([_outside_output(name)])
        keep = _build(self.settings).publication.reuse
        article = kwargs.get("article")
        source = getattr(article, "view_source", None)
        text = ""
        if source is not None:
            text = keep.fingerprint(article.content, article.title, article.lang)
            if keep.keep_as_before(name, text):
                return
            article.view = source()
            parts: tuple = (article.view, article.content, article.title, article.lang)
        else:
            parts = (kwargs.get("page"), kwargs.get("lang"))
        try:
            if parts[0] is None:
                super().write_file(name, template, context, *args, **kwargs)
                return
            fingerprint = keep.fingerprint(template.name, name, *parts)
            if not keep.link(name, fingerprint, text):
                self._render(name, template, context, *args, **kwargs)
                keep.written(name, fingerprint, text)
        finally:
            if source is not None:
                del article.view

    def _render(self, name, template, context, *args, override_output=False, **kwargs) -> None:
        """A page of the model, rendered as ``dossier serve`` renders it (``render.pages.html``).
        Relative URLs and Pelican's pagination, which Dossier's pages never use, are left to
        Pelican's writer."""
        if not name:  # Pelican's writer skips what has no file name too
            return
        kwargs.pop("url", None)  # for Pelican's paginator only
        if args or kwargs.get("relative_urls") or kwargs.get("paginated"):
            super().write_file(name, template, context, *args, **kwargs)
            return
        kwargs.pop("relative_urls", None)
        kwargs.pop("paginated", None)
        kwargs.pop("template_name", None)
        path = sanitised_join(self.output_path, name)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Pelican's own opening: it refuses to write one file twice.
        with self._open_w(path, "utf-8", override=override_output) as out:
            out.write(rendered.html(template, context, name, kwargs))
        signals.content_written.send(path, context=context)


def _outside_output(name: str) -> Diagnostic:
    return Diagnostic(
        path=WHERE,
        line=1,
        column=1,
        field="",
        message=f"the build would write {name}, outside the output folder",
        hint="check the URL patterns (…_URL, …_SAVE_AS)",
        code="outside-output",
    )


class TopicPagesGenerator(Generator):
    """Topic pages (and redirects from former ids), kind indexes, the hub, home and search
    pages, per language, from the model.

    The views are made page by page as they are written, not all at once beforehand: a large
    archive has tens of thousands of topic pages."""

    def generate_context(self) -> None:
        build = _build(self.settings)
        words = ui_strings.load(build.settings.theme_folder, build.site.languages)
        self.groups = plan.page_groups(
            build.settings, build.context, lambda: build.shards, words.text
        )

    def generate_output(self, writer) -> None:
        # Pelican has written the article pages by now: the search index can be built from
        # them while the rest of the site is written.
        publication = _build(self.settings).publication
        publication.indexer.start()
        if publication.reuse.keep_derived():
            return  # the model is what it was: so is every page made from it alone
        for group in self.groups:
            template = self.get_template(group.template)
            for url, view in group.views():
                writer.write_file(save_as(url), template, self.context, page=view, lang=group.lang)


class FeedsGenerator(Generator):
    """Atom and JSON Feed files: the whole site per language, and every entity per language."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        build = _build(self.settings)
        keep = build.publication.reuse
        if keep.keep_derived():
            return  # the model is what it was: so is every feed
        files.write_feeds(build.context, build.settings.feed_limit, keep)


class ImageSizesGenerator(Generator):
    """Smaller copies of the articles' own images, for srcset (cached between builds)."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        build = _build(self.settings)
        content = build.settings.content_folder
        cache = build.settings.cache_folder / "dossier-images"
        for article in build.site.published():
            image = article.data.get("image")
            if image and not is_remote(image["src"]):
                size = build.site.images[image["src"]]
                output = Path(self.output_path)
                files.write_variants(content, size, output, cache, warn=logger.warning)


class SitemapsGenerator(Generator):
    """sitemap.xml (an index when large), the Google News sitemap, and robots.txt."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        build = _build(self.settings)
        # The time that decided what is published: the news sitemap's two days end there too.
        now = build.site.now or build.settings.build_time()
        made = sitemaps.sitemap_files(build.site, build.context.urls, build.settings, now)
        files.write_files(made, Path(self.output_path))


# --- templates -----------------------------------------------------------------------------------


def on_generator_init(generator) -> None:
    build: builds.Build | builds.Model | None = generator.settings.get(BUILD)
    site = build.site if build else None
    languages = site.languages if site else tuple(load_languages())
    words = ui_strings.load(Path(generator.settings["THEME"]).resolve(), languages)
    env = generator.env
    # Every value a template prints is escaped, whatever JINJA_ENVIRONMENT says (Pelican's own
    # default leaves escaping off): names, headlines and summaries are text, never markup, and
    # only the sanitised article text is marked safe.
    env.autoescape = True
    env.globals["t"] = words.text
    env.globals["tn"] = lambda key, n, lang: words.count(key, n, lang, formats.number_text(n, lang))
    env.globals["kind_words"] = load_kinds()
    env.filters["date_text"] = formats.date_text
    env.filters["datetime_text"] = formats.datetime_text
    env.filters["month_text"] = formats.month_text
    env.filters["number_text"] = formats.number_text
    model_globals(env, build)


def model_globals(env: Any, model: builds.Build | builds.Model | None) -> None:
    """What every template shows of the model: its languages, kinds and navigation."""
    site = model.site if model else None
    env.globals["kinds"] = site.kinds if site else ()
    env.globals["languages"] = site.languages if site else ()
    if model is not None and site is not None:
        urls = Urls(model.settings)
        env.globals["nav"] = {lang: pages.nav(lang, site, urls) for lang in site.languages}
        env.globals["home_href"] = {lang: urls.href(urls.home(lang)) for lang in site.languages}
        env.globals["hub_href"] = {lang: urls.href(urls.hub(lang)) for lang in site.languages}
        env.globals["search_href"] = {lang: urls.href(urls.search(lang)) for lang in site.languages}


# --- serving -------------------------------------------------------------------------------------


class Templates:
    """``dossier serve``'s way to render a model: the template environment the build renders
    with, made by the same Pelican code and the same ``on_generator_init``, and an article's
    text as the build's reader renders it. Made once per settings (and again when the theme
    changes); ``renderer(model)`` for each model the server swaps in. Nothing is written."""

    def __init__(self, values: dict[str, Any]) -> None:
        register()
        self.values = {key: value for key, value in values.items() if key != BUILD}
        # A generator only for its environment: Pelican's loaders, JINJA_ENVIRONMENT, filters
        # and globals, then ours. Its reader cache is not wanted.
        quiet = {**self.values, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
        self.env = Generator(
            quiet, quiet, values["PATH"], values["THEME"], values["OUTPUT_PATH"]
        ).env
        self.md = markdown.Markdown(**markdown_options(values["MARKDOWN"]))

    def renderer(
        self, model: builds.Model, drafts: bool = False, previous: rendered.Pages | None = None
    ) -> rendered.Renderer:
        """The pages of ``model`` (with ``drafts``, its drafts too), rendered as the build
        renders them; ``previous``: the pages of the model it follows, under the same
        settings (``render.pages.Pages``). The environment's globals become the model's."""
        model_globals(self.env, model)
        sanitiser = Sanitiser(model.settings.embed_hosts)

        def body(article: Article) -> str:  # as ArticleReader.read renders it
            return render_body(read_body(article.path), self.md, sanitiser).html

        words = ui_strings.load(model.settings.theme_folder, model.site.languages)
        pages_of = rendered.Pages(model, words.text, body, drafts=drafts, previous=previous)
        return rendered.Renderer(self.env, self.values, pages_of)
