"""The Pelican edge: the only module that imports Pelican. Thin signal handlers hand Pelican's
objects to the pipeline (``build``) and its results back to Pelican.

- ``initialized``: ``build.start`` checks the settings and all content (any error stops the
  build before a file is written, with a ContentError carrying every diagnostic) and begins the
  publication, whose staging folder becomes Pelican's output folder.
- ``readers_init``: Pelican reads no content file; the articles are the validated model's.
- ``get_generators``: every page of the model, its feeds and sitemaps, written by the write stage
  in worker processes (``write.site``); the smaller copies of the articles' images.
- ``static_generator_finalized``: Pelican copies the static files, each checked once more, and
  those an ``{attach}`` link moves go beside the article's page.
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
from pathlib import Path
from typing import Any

import markdown
from pelican import Pelican, signals
from pelican.contents import Static
from pelican.generators import Generator
from pelican.log import console
from pelican.settings import get_settings_from_file
from pelican.settings import read_settings as pelican_settings

from dossier import build as builds
from dossier.data import load_kinds, load_languages
from dossier.diagnostics import ContentError, Diagnostic
from dossier.enrich import pages
from dossier.enrich.urls import Urls
from dossier.publish import files
from dossier.publish.reuse import build_version
from dossier.publish.transaction import Published, machine_fault
from dossier.read.corpus import display_path
from dossier.read.images import is_remote
from dossier.read.source import read_body
from dossier.render import formats, ui_strings
from dossier.render import pages as rendered
from dossier.render.body import Sanitiser, markdown_options, render_body
from dossier.render.links import attached
from dossier.resolve.model import Article
from dossier.validate.static import static_problem
from dossier.write import bodies, site

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
    signals.get_generators.connect(get_generators)
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


def build_site(values: dict[str, Any], project: Path, jobs: int | None = None) -> Published:
    """``dossier build``: Pelican with this plugin, on ``values`` (Pelican's settings) read from
    a file in ``project``. Raises UnsafeOutputError when the output folder must not be replaced,
    ContentError when the content has errors (nothing was built) and PublishError when the
    build failed (nothing was published), a fault of the machine (a full disk, a read-only
    folder) included; whatever fails, the published site stays whole. ``jobs``: the worker
    processes that render the pages (``write.site``; default: ``DOSSIER_JOBS``, or the cores)."""
    register()  # whatever PLUGINS says: `dossier build` is a Dossier build
    target = values.get("OUTPUT_PATH")  # before the build makes it its staging folder
    # Pelican's closing line counts what it read: nothing, in a Dossier build. Dossier says
    # what it built (``build.finish``).
    quiet, console.quiet = console.quiet, True
    try:
        pelican = ProjectPelican(values, project, jobs)  # initialized: build.start
        pelican.run()  # finalized: build.finish
    except BaseException as error:
        if (build := values.get(BUILD)) is not None:
            builds.abort(build)
        if isinstance(error, OSError):
            raise machine_fault(error, Path(str(target))) from error
        raise
    finally:
        console.quiet = quiet
    published = values[BUILD].published
    assert published is not None  # finish either published or raised
    return published


class ProjectPelican(Pelican):
    """Pelican, told the folder of the settings file it runs on, which the output must never
    replace. Pelican's own command does not say which file it read (``on_initialized``)."""

    def __init__(self, settings: dict[str, Any], project: Path, jobs: int | None = None) -> None:
        self.dossier_project = project
        self.dossier_jobs = jobs
        super().__init__(settings)


def on_initialized(pelican: Pelican) -> None:
    """``build.start``. The project folder: the settings file's, as ``dossier build`` tells it;
    in a plain ``pelican`` run, which does not, the current folder (``build.start``)."""
    values = pelican.settings
    version = build_version(values, VOLATILE)
    project = getattr(pelican, "dossier_project", None)
    jobs = getattr(pelican, "dossier_jobs", None)
    build = values[BUILD] = builds.start(values, version, project, jobs)
    pelican.output_path = values["OUTPUT_PATH"] = str(build.staging)
    # Hidden files and folders are left out, as check leaves them out: Pelican's own pattern
    # ('**/.*') matches no file name, so it would read and copy them.
    values["IGNORE_FILES"] = [*values.get("IGNORE_FILES", ()), ".*"]
    # Pelican reads no content file (on_readers_init): it has nothing to cache.
    values["CACHE_CONTENT"] = values["LOAD_CONTENT_CACHE"] = False


def on_finalized(pelican: Pelican) -> None:
    builds.finish(pelican.settings[BUILD])


def _build(settings: dict[str, Any]) -> builds.Build:
    return settings[BUILD]


def on_static_files(generator) -> None:
    """Defence in depth, once Pelican has planned its copies: each static file must be one check
    allows (``validate.static.static_problem``: in a static folder, no link, an image), and be
    copied into the output folder. Check refuses such files first; this stops the build, before
    anything is copied, should a way around check appear. A file an article's ``{attach}``
    link moves is copied beside the newest such article's page (``SiteGenerator``)."""
    base = Path(os.path.normpath(Path.cwd() / generator.path))  # absolute, links kept
    content, output = base.resolve(), Path(generator.output_path).resolve()
    build = _build(generator.settings)
    folders = build.settings.static_paths
    unsafe = []
    for static in generator.staticfiles:
        source = Path(os.path.normpath(base / static.source_path))
        moved = build.attached.get(Path(os.path.relpath(source, base)).as_posix())
        if moved:
            static.override_save_as = moved[0]
            static.override_url = moved[0]
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
    """Pelican reads no content file: the articles come from the validated model, and their
    pages are written by the write stage (``write.site``). Pelican copies the static files."""
    for extension in list(readers.reader_classes):
        if extension != "static":  # Pelican's own pseudo-format for static files
            readers.reader_classes[extension] = None


# --- writing -------------------------------------------------------------------------------------


def get_generators(pelican):
    return (SiteGenerator, ImageSizesGenerator)


class SiteGenerator(Generator):
    """Every page, feed and sitemap of the model (``write.site``), in the build's worker
    processes; and the static files the articles' ``{attach}`` links move beside their pages,
    told to Pelican's static generator (``on_static_files``)."""

    def generate_context(self) -> None:
        build = _build(self.settings)
        words = ui_strings.load(build.settings.theme_folder, build.site.languages)
        markdown_ = markdown.Markdown(**markdown_options(self.settings["MARKDOWN"]))
        here = bodies.folder(build.settings.cache_folder, build.publication.reuse.version)
        warnings: list[str] = []  # what a worker has to say, sent back with its chunk
        made = bodies.Bodies(
            here, markdown_, Sanitiser(build.settings.embed_hosts), warnings.append
        )
        pages_of = rendered.Pages(build, words.text, lambda a: made.text(a).html, drafts=False)
        keep = build.publication.reuse
        now = build.site.now or build.settings.build_time()
        links = site.links_digest(keep, pages_of, build.settings.static_paths)
        self.work = site.Work(
            build, keep, pages_of, made, self.env, self.context, links, now, warnings
        )
        build.attached = _attachments(pages_of)

    def generate_output(self, writer) -> None:
        build = _build(self.settings)
        site.write_site(self.work, build.jobs)
        build.publication.indexer.start()  # from the article pages, now all written
        content, output = self.work.pages.content, Path(self.output_path)
        for source, names in build.attached.items():
            for name in names[1:]:  # the first is Pelican's to copy (on_static_files)
                files.copy_new(content / source, output / name)


def _attachments(pages_of: rendered.Pages) -> dict[str, list[str]]:
    """Static file (below the content folder) -> where the ``{attach}`` links of published
    articles move it (below the output folder), the newest article's first."""
    out: dict[str, list[str]] = {}
    for article in pages_of.named:
        if article.attaches:
            for moved, source in attached_files(pages_of, article).items():
                out.setdefault(source, []).append(moved)
    return out


def attached_files(pages_of: rendered.Pages, article: Article) -> dict[str, str]:
    url = pages_of.model.context.urls.article(article)
    return attached(pages_of.body(article), pages_of.source(article), url, pages_of.targets)


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

        def body(article: Article) -> str:  # as the build renders it (write.bodies)
            return render_body(read_body(article.path), self.md, sanitiser).html

        words = ui_strings.load(model.settings.theme_folder, model.site.languages)
        pages_of = rendered.Pages(model, words.text, body, drafts=drafts, previous=previous)
        return rendered.Renderer(self.env, self.values, pages_of)
