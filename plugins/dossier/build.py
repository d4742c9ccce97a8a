"""The spine of a build: ``dossier build`` and a plain ``pelican`` run with the plugin both go
through it, so both check everything first and publish all or nothing.

    start    the settings, checked (``settings.read``), and the output folder (``publish.target``)
             → read → validate → resolve (``check.load_site``): the model, or every diagnostic
             → the build context every view shares (``enrich.context``)
             → the publication: staging folder, what can be kept, search index (``publish``)
    (Pelican renders every page through the plugin's reader, generators and writer)
    finish   the search index finished and the new site swapped in; or nothing published

The plugin (``plugin.py``) calls ``start`` when Pelican is initialised and ``finish`` when it
has written everything; ``abort`` when anything in between fails.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from dossier import journal
from dossier import settings as dossier_settings
from dossier.check import load_site
from dossier.diagnostics import ContentError, has_errors
from dossier.enrich.context import BuildContext
from dossier.enrich.search import Shard, shards
from dossier.publish.reuse import model_digest
from dossier.publish.target import Inputs, UnsafeOutputError, check_output
from dossier.publish.transaction import Publication, Published, PublishError
from dossier.read.cache_files import warning
from dossier.resolve.model import Site
from dossier.settings import JOBS_VARIABLE, DossierSettings, jobs_setting

logger = logging.getLogger(__name__)


class ErrorCounter(logging.Handler):
    """Counts error records while Pelican runs: a build that logged an error is not published.

    Pelican copies static files (and the theme's) with only a warning when a copy fails, a full
    disk included (``pelican.utils.copy_file``): such a warning, which carries the OSError, is
    kept as a fault, and the site that lacks the file is not published either."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.faults: list[OSError] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.records.append(record)
        elif record.name == "pelican.utils" and isinstance(record.args, tuple):
            self.faults += [arg for arg in record.args if isinstance(arg, OSError)]


@dataclass
class Build:
    """One build under way: what every stage after resolve needs, passed on explicitly."""

    settings: DossierSettings
    site: Site
    context: BuildContext
    shards: list[Shard]  # of the search index, planned once for the search pages and indexer
    publication: Publication
    jobs: int = 1  # worker processes rendering the pages (``write.site``)
    errors: ErrorCounter = field(default_factory=ErrorCounter)
    published: Published | None = None
    # Static file -> where the articles' {attach} links move it (below the output folder).
    attached: dict[str, list[str]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    @property
    def staging(self) -> Path:
        return self.publication.staging


@dataclass(frozen=True)
class Model:
    """The checked site and what every view shares: what a build renders from, and what
    ``dossier serve`` keeps in memory between requests."""

    settings: DossierSettings
    site: Site
    context: BuildContext

    @cached_property
    def shards(self) -> list[Shard]:
        """The search index's shards, planned once, for the search pages and the indexer (the
        server asks when a search page is made: after a save, a new model's seldom are)."""
        return shards(self.site, self.context.urls, self.settings.search_shard_pages)


def load(settings: DossierSettings, problems: list) -> Model:
    """read → validate → resolve, then the build context; raises ContentError, with every
    diagnostic, when the content (or ``problems``, the settings') has an error. A change an
    editing command left half done is finished or undone first (``journal.recover``)."""
    recover(settings)
    site, diagnostics = load_site(settings, problems, warn=logger.warning)
    for diagnostic in diagnostics:
        if diagnostic.severity == "warning":
            logger.warning(diagnostic.format())
    if site is None or has_errors(diagnostics):
        raise ContentError(diagnostics)
    return model_of(settings, site)


def model_of(settings: DossierSettings, site: Site) -> Model:
    """The model of a checked site: the site, and what every view shares."""
    return Model(settings, site, BuildContext.of(site, settings))


def start(
    values: Mapping[str, Any], version: str, project: Path | None = None, jobs: int | None = None
) -> Build:
    """Check the settings, the output folder and all content, and begin the publication; raises
    UnsafeOutputError when the output folder must not be replaced, and ContentError, with every
    diagnostic, before anything is written. ``values``: Pelican's settings; ``version``: the
    build version of everything but the content (``publish.reuse.build_version``); ``project``:
    the folder of the settings file, which the output must never replace. A plain ``pelican``
    run does not say which file it read: the current folder stands in, where ``pelican`` looks
    for pelicanconf.py."""
    settings, problems = dossier_settings.read(values)
    if jobs is None:
        found = jobs_setting(os.environ.get(JOBS_VARIABLE))
        if isinstance(found, str):
            raise PublishError(f"error: {found}", "Nothing was published.")
        jobs = found
    inputs = Inputs.of(settings, project or Path.cwd())
    target = Path(settings.output_path)
    if not any(problem.field == "OUTPUT_PATH" for problem in problems):
        # Refused before the content is read; Publication.begin looks again before it makes
        # anything.
        check_output(target, inputs)
    loaded = load(settings, problems)
    publication = Publication.begin(target, version, loaded.shards, inputs, jobs)
    if publication.reuse.damage:
        logger.warning(warning(publication.reuse.manifest, publication.reuse.damage))
    publication.reuse.model = model_digest(loaded.site)
    build = Build(settings, loaded.site, loaded.context, loaded.shards, publication, jobs)
    for log in _watched():
        log.addHandler(build.errors)
    return build


def recover(settings: DossierSettings) -> None:
    """Finish or undo an editing command's change that a crash interrupted, before the content
    is read (``dossier.journal``); a journal that cannot be acted on stops the build."""
    try:
        recovered = journal.recover(
            settings.content_folder,
            waiting=lambda holder: logger.warning(journal.waiting_line(holder)),
        )
    except journal.JournalError as error:
        raise PublishError(f"error: {error}", "Nothing was published.") from error
    if recovered:
        logger.warning(recovered.line())


def finish(build: Build) -> Published:
    """Publish what the build wrote, unless it logged an error; raises PublishError then, or when
    the search index fails, and the OSError of a fault of the machine (a full disk), with the
    published site unchanged."""
    _stop_counting(build)
    if build.errors.records or build.errors.faults:
        fault = build.publication.out_of_space()
        build.publication.abort()
        if fault is not None or build.errors.faults:
            raise fault or build.errors.faults[0]
        count = len(build.errors.records)
        raise PublishError(f"The build logged {count} error(s); nothing was published.")
    published = build.publication.commit()
    articles = len(build.site.published())
    seconds = time.monotonic() - build.started
    stories = f"{articles:,} article{'' if articles == 1 else 's'}"
    jobs = f"{build.jobs} job{'' if build.jobs == 1 else 's'}"
    built = f"Built {stories} with {jobs} in {seconds:.2f} seconds."
    build.published = replace(published, built=built)
    return build.published


def abort(build: Build) -> None:
    """Leave nothing behind: the published site stays as it was."""
    _stop_counting(build)
    build.publication.abort()


def _watched() -> list[logging.Logger]:
    """Where error records arrive: the root logger, and Dossier's own where `dossier build`
    prints it instead of passing it on."""
    ours = logging.getLogger("dossier")
    return [logging.getLogger()] + ([] if ours.propagate else [ours])


def _stop_counting(build: Build) -> None:
    for log in (logging.getLogger(), logging.getLogger("dossier")):
        log.removeHandler(build.errors)


__all__ = [
    "Build",
    "ContentError",
    "Model",
    "PublishError",
    "UnsafeOutputError",
    "abort",
    "finish",
    "load",
    "model_of",
    "recover",
    "start",
]
