"""``dossier serve``, the site kept in memory and kept up to date: the model, the renderer made
from it, and what the last change did.

``Live.start`` checks all content once (``check.Checker``); ``Live.change(paths)`` takes the
files the watcher saw change, and:

- a content file: the checker reads it again and checks and resolves what it touches; a model
  without errors is swapped in whole (a request sees the old model or the new, never a mix);
- a template or UI catalogue of the theme: the templates are made again (``plugin.Templates``);
- the settings file or a schema: everything is read again, as at start.

While the content has errors, the last good model keeps being served, under an overlay that
lists the diagnostics (``State.problems``); a settings file that cannot be read is shown the
same way. Each change returns which pages it affects (``Affected``), for live reload.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dossier import build as builds
from dossier import plugin
from dossier.check import Checker
from dossier.diagnostics import Diagnostic, format_text, has_errors
from dossier.enrich.urls import Urls
from dossier.read.corpus import display_path
from dossier.render import ui_strings
from dossier.render.files import Files
from dossier.render.pages import Renderer
from dossier.resolve.model import Site
from dossier.serve.images import ImageCopies

KEPT = 32  # pages kept as made, for the state they were made in


@dataclass(frozen=True)
class Affected:
    """The pages a change shows on: every page, or those at ``paths`` and below ``sections``
    (a topic page and its timeline's later pages). Paths are as a browser asks for them."""

    everything: bool = False
    paths: frozenset[str] = frozenset()
    sections: tuple[str, ...] = ()

    def __call__(self, path: str) -> bool:
        return self.everything or path in self.paths or path.startswith(self.sections)

    def __bool__(self) -> bool:
        return self.everything or bool(self.paths or self.sections)


EVERYTHING = Affected(everything=True)


@dataclass(frozen=True)
class State:
    """What is served now: the renderer of the last good model (None before there is one), and
    the problems to show over it (the content's diagnostics, or a settings error), as
    ``dossier check`` prints them."""

    renderer: Renderer | None
    problems: str = ""
    version: int = 0
    files: Files | None = None  # the model's feeds and sitemaps
    images: ImageCopies | None = None  # the smaller copies of its articles' images


@dataclass
class Live:
    """The served site. ``settings_file``: Pelican's settings; ``drafts``: serve drafts too
    (``--published-only`` turns it off); ``say``: prints a line to the terminal."""

    settings_file: Path
    drafts: bool = True
    say: Callable[[str], None] = print
    state: State = field(default_factory=lambda: State(None))
    lock: threading.Lock = field(default_factory=threading.Lock)  # one render or swap at a time
    updating: threading.Lock = field(default_factory=threading.Lock)  # one change at a time
    values: dict[str, Any] = field(default_factory=dict)
    templates: plugin.Templates | None = None
    checker: Checker | None = None
    model: builds.Model | None = None
    # The pages made in a state, the last KEPT asked for (``render``).
    rendered: tuple[State | None, OrderedDict[str, bytes | None]] = field(
        default_factory=lambda: (None, OrderedDict())
    )

    # --- what is watched --------------------------------------------------------------------

    def watched(self) -> list[Path]:
        """The files and folders a change to which changes the site."""
        if not self.values:
            return [self.settings_file]
        settings = self.checker.settings if self.checker else None
        folders = [self.settings_file]
        if settings is not None:
            folders += [settings.content_folder, settings.schema_folder, settings.theme_folder]
        return [path for path in folders if path.exists()]

    # --- start and change -------------------------------------------------------------------

    def prepare(self) -> bool:
        """Read the settings (and so learn what to watch); whether they could be read."""
        with self.updating:
            return self._settings()

    def start(self) -> State:
        """Check all content: the first model, or the problems. A change seen meanwhile waits
        for it, and is then followed."""
        with self.updating:
            if self.checker is not None:
                self._publish(*self.checker.run())
            return self.state

    def change(self, paths: Collection[Path]) -> Affected:
        """Follow a change to ``paths`` (absolute); which pages it shows on."""
        with self.updating:
            return self._change(paths)

    def _change(self, paths: Collection[Path]) -> Affected:
        started = time.perf_counter()
        settings = self.checker.settings if self.checker else None
        resolved = {path.parent.resolve() / path.name for path in paths}
        if settings is None or any(self._reloads(path, settings) for path in resolved):
            affected = self._reload()
            what = "the settings or schemas: everything read again"
        elif any(path.is_relative_to(settings.theme_folder.resolve()) for path in resolved):
            affected = self._retheme()
            what = "the theme"
        else:
            affected = self._content(resolved)
            saved = sorted(display_path(path, Path.cwd()) for path in resolved if path.exists())
            what = ", ".join(saved[:3]) + (f" and {len(saved) - 3:,} more" if saved[3:] else "")
        if not self.state.problems:
            took = (time.perf_counter() - started) * 1000
            self.say(f"Updated ({what or 'a file removed'}) in {took:.0f} ms.")
        return affected

    def _reloads(self, path: Path, settings: Any) -> bool:
        return path == self.settings_file.resolve() or path.is_relative_to(
            settings.schema_folder.resolve()
        )

    def _reload(self) -> Affected:
        """Everything again: the settings, the templates, all content."""
        if self._settings():
            assert self.checker is not None
            self._publish(*self.checker.run())
        return EVERYTHING

    def _settings(self) -> bool:
        """The settings read, and what is made of them (the checker, the templates); a
        problem with them is shown, and the last good site kept."""
        try:
            values = plugin.read_settings(self.settings_file)
        except plugin.SettingsFileError as error:
            self._problem(f"error: {error}")
            return False
        try:
            checker = Checker(values)
            builds.recover(checker.settings)
            templates = plugin.Templates(values)
        except Exception as error:  # noqa: BLE001 - shown in the browser, not a crash
            self._problem(_failure("the settings, schemas or theme", error))
            return False
        self.values, self.checker, self.templates = values, checker, templates
        return True

    def _retheme(self) -> Affected:
        ui_strings.load.cache_clear()
        try:
            templates = plugin.Templates(self.values)
        except Exception as error:  # noqa: BLE001
            return self._problem(_failure("the theme", error))
        self.templates = templates
        if self.model is not None:
            self._swap(self.model, self.state.problems)
        return EVERYTHING

    def _content(self, paths: set[Path]) -> Affected:
        assert self.checker is not None
        before, had_problems = self.model, bool(self.state.problems)
        self._publish(*self.checker.run(paths))
        after = self.model
        if had_problems or self.state.problems:
            return EVERYTHING  # the overlay comes or goes on every page
        if before is None or after is None:
            return EVERYTHING
        if after is before:  # only texts changed: the pages of those articles
            urls = after.context.urls
            shown = [after.site.by_path.get(path) for path in paths]
            return Affected(paths=frozenset(_href(urls, urls.article(a)) for a in shown if a))
        return _pages(before, after, paths)

    def _publish(self, site: Site | None, diagnostics: list[Diagnostic]) -> None:
        """Swap in the model of ``site``, or keep the last good one under the problems."""
        had_problems = bool(self.state.problems)
        problems = format_text(diagnostics) if has_errors(diagnostics) else ""
        for line in problems.splitlines():
            self.say(line)
        if site is None or self.checker is None:
            self.state = replace(self.state, problems=problems, version=self.state.version + 1)
            return
        if had_problems:
            self.say("The content is valid again.")
        if self.model is not None and site is self.model.site:  # only texts changed
            self.state = replace(self.state, problems="", version=self.state.version + 1)
            return
        self._swap(builds.model_of(self.checker.settings, site), "")

    def _swap(self, model: builds.Model, problems: str) -> None:
        assert self.templates is not None
        before = self.state.renderer
        same = before is not None and before.pages.model.settings is model.settings
        with self.lock:
            try:
                renderer = self.templates.renderer(
                    model, drafts=self.drafts, previous=before.pages if same else None
                )
            except Exception as error:  # noqa: BLE001
                self._problem(_failure("the pages", error))
                return
            files = Files(model.context, model.settings, model.settings.build_time)
            self.model = model
            images = ImageCopies(renderer.pages, self.say)
            self.state = State(renderer, problems, self.state.version + 1, files, images)

    def _problem(self, text: str) -> Affected:
        for line in text.splitlines():
            self.say(line)
        self.state = replace(self.state, problems=text, version=self.state.version + 1)
        return EVERYTHING

    # --- serving ----------------------------------------------------------------------------

    def render(self, name: str) -> tuple[State, bytes | None]:
        """The page written as ``name`` and the state it was rendered in; None when the model
        has no such page. Raises what rendering raised (a template error). A page other than an
        article's, asked for again in the same state, is the page made the first time: an open
        tab, its reload and a second tab cost one rendering (a topic page of thousands of
        stories is the slowest), and leave the next save the processor. An article's page is
        made each time: it shows its text as saved, before the watcher has seen the save."""
        with self.lock:
            state = self.state
            if state.renderer is None:
                return state, None
            if state.renderer.pages.articles.get(name) is not None:
                return state, state.renderer.render(name)  # its text as it is on disk now
            if self.rendered[0] is not state:
                self.rendered = (state, OrderedDict())
            made = self.rendered[1]
            if name in made:
                made.move_to_end(name)
                return state, made[name]
            page = made[name] = state.renderer.render(name)
            if len(made) > KEPT:
                made.popitem(last=False)
            return state, page

    def attachment(self, name: str) -> Path | None:
        """The static file an article's ``{attach}`` link moves to ``name`` (``render.links``);
        None when no article does."""
        with self.lock:  # the article's text is rendered to find its links
            renderer = self.state.renderer
            return renderer.pages.attachment(name) if renderer else None


def _pages(before: builds.Model, after: builds.Model, paths: set[Path]) -> Affected:
    """The pages a change to the articles at ``paths`` shows on, in both models: the articles
    themselves, their language versions and their neighbours (whose pages link them by title),
    the topic pages of every entity they name (all their pages), and the pages that list
    articles or count them (home, hub, kind indexes, the landing page). A change to anything
    else (a registry entry: its name is on every page that names it) shows everywhere."""
    articles = {path for path in paths if path in before.site.by_path or path in after.site.by_path}
    if any(path.exists() for path in paths - articles):
        return EVERYTHING  # not an article: an entry, an image
    paths = articles  # (the rest came and went: an editor's temporary files)
    pages: set[str] = {"/"}
    sections: set[str] = set()
    for model in (before, after):
        site, urls = model.site, model.context.urls
        for path in paths:
            article = site.by_path.get(path)
            if article is None:
                continue
            shown = [article, *site.translations(article), *site.neighbours(article)]
            pages |= {_href(urls, urls.article(a)) for a in shown if a is not None}
            for entity_id in {*article.entity_ids, *article.data.get("authors", ())}:
                entity = site.entities.get(entity_id)
                for lang in site.languages if entity else ():
                    sections.add(_href(urls, urls.entity(entity, lang)))
        for lang in site.languages:
            pages |= {_href(urls, urls.home(lang)), _href(urls, urls.hub(lang))}
            for kind in site.kinds:
                pages |= {
                    _href(urls, urls.kind(kind, lang)),
                    _href(urls, urls.kind_by_activity(kind, lang)),
                }
    return Affected(paths=frozenset(pages), sections=tuple(sorted(sections)))


def _href(urls: Urls, url: str) -> str:
    """A page's URL as its path on the server: '/de/2023/slug/'."""
    return "/" + url.lstrip("/")


def _failure(what: str, error: BaseException) -> str:
    """An error of the server's own making, located where Python says it happened."""
    last = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
    return f"error: {what} could not be loaded: {type(error).__name__}: {error}{where}"
