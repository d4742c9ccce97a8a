"""Write stage, the site: every article page, topic page, index, feed and sitemap of the model,
rendered (``render.pages``, as ``dossier serve`` renders them) and written into the staging
folder, or linked from the published site when it is what it was (``publish.reuse``).

The work is cut into units (an article page; a group of pages one view function makes, such as
an entity's paged timeline; an entity's feeds in one language; the sitemaps), the units into
chunks, and the chunks are handed out to ``jobs`` worker processes as each finishes its last.
The workers are forked once the model is built, so they share it, and what the build keeps of
the published site, copy-on-write: nothing is sent to them but a chunk's number. Each sends back
what it wrote (manifest entries, counts) and what it has to say (warnings); the build merges
them in the chunks' order, so the output and the messages are those of one process, whatever
the number of jobs (``tests/site/test_parallel.py`` builds both ways and compares every byte).
With one job, the chunks run in the build's own process, one after another.

Rendering an article page needs its text only when the page changed: an unchanged page is known
by its fingerprint, made of the digest of its Markdown (``Article.text``) and its view; its text
comes from the cache of rendered texts (``write.bodies``) unless the Markdown itself changed.
The search index is made once the workers are done (``publish.search_index``): each Pagefind
process holds a whole shard in memory, and beside the workers they would add up.

The workers ignore Ctrl-C (the build stops them) and die with the build's process
(``PR_SET_PDEATHSIG``): a killed build leaves no worker writing into a staging folder that the
next build will remove.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from dossier.diagnostics import ContentError, Diagnostic
from dossier.enrich import pages, sitemaps
from dossier.enrich.feeds import entity_feed, feed_urls, site_feed
from dossier.enrich.urls import save_as
from dossier.publish.files import write_feed
from dossier.publish.reuse import Reuse
from dossier.publish.transaction import PublishError
from dossier.render.pages import Environment, Pages, html
from dossier.settings import WHERE
from dossier.write.bodies import Bodies

logger = logging.getLogger(__name__)
# Pelican's logger class (once Pelican is imported) drops a warning it has logged before in the
# same process (its LimitFilter): each build's warnings are that build's to say, and dossier
# serve or a test builds many times in one process.
logger.filters = [f for f in logger.filters if type(f).__name__ != "LimitFilter"]

# Units per chunk: small enough that two workers finish together, large enough that sending
# results back costs nothing next to rendering them.
CHUNK = {"article": 48, "group": 8, "feed": 48, "sitemaps": 1}


@dataclass(frozen=True)
class Unit:
    kind: str  # article, group, feed, sitemaps
    key: Any  # a page's name; a group's place in ``Pages.groups``; (language, entity id or None)


@dataclass
class Work:
    """What the workers need, made before they are forked. ``model``: the build (its settings,
    site, context and shards); ``keep``: what may be linked from the published site; ``pages``:
    the model's pages (``render.pages.Pages``, whose ``body`` is ``bodies``); ``env`` and
    ``context``: the template environment and what every template starts from; ``links``: the
    digest of what the articles' links may name; ``now``: the time that decided what is
    published, which the news sitemap counts back from."""

    model: Any  # build.Build; build lies beside this stage, so it is not imported
    keep: Reuse
    pages: Pages
    bodies: Bodies
    env: Environment
    context: Mapping[str, Any]
    links: str
    now: datetime
    warnings: list[str] = field(default_factory=list)


@dataclass
class Done:
    """What one chunk wrote and linked, and the warnings it gave."""

    new: dict[str, list]
    rendered: int
    linked: int
    warnings: list[str]


# The build's work and its chunks, set before the workers are forked: they inherit both.
_work: Work | None = None
_planned: list[list[Unit]] = []


def units(work: Work) -> Iterator[list[Unit]]:
    """The chunks of the build's work, article pages first. A model that is the published one
    (``Reuse.keep_derived``) has had its topic pages, indexes and feeds linked already."""
    yield from _chunks("article", (Unit("article", name) for name in work.pages.articles))
    site = work.model.site
    if not work.keep.keep_derived():
        yield from _chunks("group", (Unit("group", n) for n in range(len(work.pages.groups))))
        feeds = (
            Unit("feed", (lang, entity))
            for lang in site.languages
            for entity in [None, *site.entities]
        )
        yield from _chunks("feed", feeds)
    yield [Unit("sitemaps", None)]


def _chunks(kind: str, made: Iterable[Unit]) -> Iterator[list[Unit]]:
    it = iter(made)
    while chunk := list(islice(it, CHUNK[kind])):
        yield chunk


def write_site(work: Work, jobs: int) -> None:
    """Write every file of ``work``'s model, in ``jobs`` processes. Raises what a worker raised
    (ContentError for a page that would land outside the output folder, OSError for a fault
    of the machine), after every worker has stopped; PublishError when a worker died."""
    global _work  # noqa: PLW0603 - what the forked workers inherit
    chunks = _planned[:] = list(units(work))
    _work = work
    executor = None
    try:
        if jobs > 1 and len(chunks) > 1:
            # What the workers share is never collected in them: its pages stay shared.
            gc.collect()
            gc.freeze()
            executor = ProcessPoolExecutor(
                min(jobs, len(chunks)), mp_context=get_context("fork"), initializer=_started
            )
            results: Iterable[Done] = executor.map(_run, range(len(chunks)), chunksize=1)
        else:
            results = map(_run, range(len(chunks)))
        for done in results:
            work.keep.merge(done.new, done.rendered, done.linked)
            for line in done.warnings:
                logger.warning(line)
    except BrokenProcessPool:
        raise PublishError(
            "A worker process of the build ended before its work was done (killed, or out "
            "of memory); nothing was published.",
            "Build again; with less memory, give fewer jobs (--jobs or DOSSIER_JOBS).",
        ) from None
    finally:
        if executor is not None:
            _stop(executor)
            gc.unfreeze()
        _work = None
        _planned.clear()


def _run(number: int) -> Done:
    """One chunk, in a worker (or in the build's process, with one job)."""
    work = _work
    assert work is not None
    keep = work.keep.forked()
    work.warnings.clear()
    for unit in _planned[number]:
        _UNITS[unit.kind](work, keep, unit.key)
    return Done(keep.new, keep.counts.rendered, keep.counts.linked, list(work.warnings))


def _started() -> None:
    """A worker's start: Ctrl-C is the build's to handle (it stops the workers), SIGTERM ends
    the worker, and so does the end of the build's process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop the workers now, finished or not: nothing may write into the staging folder once
    the build goes on to publish it or throw it away."""
    processes = list(getattr(executor, "_processes", {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join()


# --- the units -----------------------------------------------------------------------------------


def _article(work: Work, keep: Reuse, name: str) -> None:
    """An article page: linked when its text and its view are what they were; else rendered,
    its text from the cache of rendered texts when its Markdown is what it was."""
    article = work.pages.articles[name]
    text = keep.fingerprint(
        article.text, article.title, article.lang, work.links if article.links else ""
    )
    if keep.keep_as_before(name, text):
        return
    # The view as it would be with any word count: the text's digest stands for its count.
    ctx, site = work.model.context, work.model.site
    view = pages.article_view(
        article, ctx, work.model.settings.default_lang, 0, site.neighbours(article)
    )
    fingerprint = keep.fingerprint("article", name, view, text)
    if keep.link(name, fingerprint, text):
        return
    found = work.pages.find(name)
    assert found is not None
    _write(work, keep, name, fingerprint, found.template, found.variables, text)


def _group(work: Work, keep: Reuse, number: int) -> None:
    """The pages of one view function (an entity's timeline pages, a kind's index…)."""
    group = work.pages.groups[number]
    for url, view in group.views():
        name = save_as(url)
        if work.pages.planned.get(name, (None,))[0] is not group:
            continue  # another group makes it (as dossier serve finds it)
        variables = {"page": view, "lang": group.lang}
        fingerprint = keep.fingerprint(f"{group.template}.html", name, view, group.lang)
        if not keep.link(name, fingerprint):
            _write(work, keep, name, fingerprint, group.template, variables)


def _feed(work: Work, keep: Reuse, key: tuple[str, str | None]) -> None:
    """The site's feeds, or an entity's, in one language, in every format."""
    lang, entity_id = key
    ctx, limit = work.model.context, work.model.settings.feed_limit
    if entity_id is None:
        write_feed(feed_urls(ctx.urls, lang), site_feed(ctx, lang, limit), keep)
    else:
        entity = ctx.site.entities[entity_id]
        write_feed(feed_urls(ctx.urls, lang, entity), entity_feed(ctx, entity, lang, limit), keep)


def _sitemaps(work: Work, keep: Reuse, _key: None) -> None:
    """The sitemaps and robots.txt, made from the model alone (linked with the other such files
    when it is the published one), and the news sitemap, made from the time too."""
    site, urls, settings = work.model.site, work.model.context.urls, work.model.settings
    if not keep.keep_derived():
        fingerprint = keep.fingerprint("sitemaps", keep.model)
        for name, made in sitemaps.site_files(site, urls, settings).items():
            keep.write(name, fingerprint, lambda made=made: made)
    items = sitemaps.news_items(site, urls, settings, work.now)
    fingerprint = keep.fingerprint("news", items)
    keep.write(sitemaps.NEWS_FILE, fingerprint, lambda: sitemaps.news_file(items))


_UNITS: dict[str, Callable[[Work, Reuse, Any], None]] = {
    "article": _article,
    "group": _group,
    "feed": _feed,
    "sitemaps": _sitemaps,
}


def _write(
    work: Work,
    keep: Reuse,
    name: str,
    fingerprint: str,
    template: str,
    variables: dict[str, Any],
    text: str = "",
) -> None:
    """Render a page and write it as ``name``, which must lie inside the staging folder."""
    output = keep.staging.resolve()
    if not Path(os.path.normpath(output / name)).is_relative_to(output):
        raise ContentError([_outside_output(name)])
    made = html(work.env.get_template(f"{template}.html"), work.context, name, variables)
    keep.write(name, fingerprint, lambda: made.encode("utf-8"), text)


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


def links_digest(keep: Reuse, pages_of: Pages, static_paths: Iterable[str]) -> str:
    """The digest of what an article's links may name: every article's address, and the files
    of the static folders. A page whose text has a link is made again when it changes."""
    content = pages_of.content
    static = sorted(
        path.relative_to(content).as_posix()
        for folder in static_paths
        for path in (content / folder).rglob("*")
        if path.is_file()
    )
    return keep.fingerprint(sorted(pages_of.targets.articles.items()), static)
