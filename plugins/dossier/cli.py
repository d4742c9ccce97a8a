"""The ``dossier`` command: check, build, and the editors' chores on the content.

``check`` validates (all content, or given files), ``suggest`` proposes the references an
article's text calls for, ``build`` validates and publishes, ``serve`` shows the site while it
is edited; ``new``, ``translate``, ``refs``, ``rename``, ``merge`` and ``move`` create and
change content files; ``editor-config`` writes the editor's form for articles;
``lint-jsonld`` checks a built site.
Exit status: 0 clean, 1 problems in the content (or a failed build or refused change),
2 wrong usage.
"""

from __future__ import annotations

import functools
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dossier.address import SERVE_HOST, SERVE_PORT
from dossier.data import kind_named, load_kinds, load_languages, singular
from dossier.diagnostics import (
    ContentError,
    format_github,
    format_json,
    format_text,
    has_errors,
    printable,
)
from dossier.settings import JOBS_VARIABLE, jobs_setting

if TYPE_CHECKING:  # the editing modules load ruamel.yaml and the schemas: imported when used
    from dossier.editing.change import Applied, Planned
    from dossier.editing.files import Created
    from dossier.editing.move import AppliedMove

SETTINGS = click.option(
    "--settings",
    "settings_file",
    default="pelicanconf.py",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Pelican settings file.",
)

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem; json: the same diagnostics as data.",
)

APPLY = click.option(
    "--apply", "write", is_flag=True, help="Write the change (default: only show it as a diff)."
)

FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}


def _diagnostics_format(text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--format for the commands that print diagnostics: one of FORMATTERS."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(FORMATTERS)),
        default="text",
        show_default=True,
        help=text,
    )


LANGUAGES = tuple(load_languages())


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
def main() -> None:
    """Check, build and edit a Dossier site.

    Run a command with --help for its options. Paths print relative to the current folder;
    run the commands from the project's folder (the one with pelicanconf.py).
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@SETTINGS
@_diagnostics_format(
    "text: one line per problem; json: the same as data; github: annotations for GitHub Actions."
)
@click.option(
    "--suggest",
    "with_notes",
    is_flag=True,
    help="Also the notes of dossier suggest on the articles checked.",
)
def check(paths: tuple[Path, ...], settings_file: Path, fmt: str, with_notes: bool) -> None:
    """Validate articles and registry entries; render nothing.

    Without PATHS, all content. With PATHS (files or folders in the content folder, as `git
    diff --name-only` lists them), every problem the build would report that those files take
    part in: their own, their language versions' (both ways), the registry entries they
    reference, and whatever references them or shares an id or slug with them. A path where
    nothing is stands for a file removed: what referenced it is checked. Exit status 0: clean
    (warnings and notes allowed), 1: errors, 2: wrong usage.
    """
    from dossier.check import NotContentError, check_files, load_site

    settings, problems = _checked_settings(settings_file)
    if paths:
        try:
            diagnostics = [*problems, *check_files(settings, paths, suggest=with_notes)]
        except NotContentError as error:
            raise click.BadParameter(str(error), param_hint="PATHS") from error
    else:
        with _progress("Checking content") as on_file:
            _, diagnostics = load_site(settings, problems, on_file=on_file, suggest=with_notes)
    click.echo(FORMATTERS[fmt](diagnostics))
    sys.exit(1 if has_errors(diagnostics) else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@SETTINGS
@_diagnostics_format(
    "text: one line per note; json: the same as data; github: notices for GitHub Actions."
)
def suggest(paths: tuple[Path, ...], settings_file: Path, fmt: str) -> None:
    """Suggest the registry entries an article's text names but its front matter does not
    reference.

    Reads the articles of PATHS (files or folders in the content folder; without PATHS, every
    article) and the registry, and prints a note for each entry whose name or alias the
    title, summary or text uses (in any inflection, in any case; abbreviations such as US in
    capitals only) and that no field of the front matter names: where the name is, and the
    line to add to which list. An entry the article is not about is silenced by adding its id
    to not_about. A note also marks an actor, location or sanction the front matter
    references but the text never names. Nothing is validated (dossier check does that) and
    nothing is written. Exit status 0: notes or none, 1: an article could not be read, 2:
    wrong usage.
    """
    from dossier.check import NotContentError, suggest_files

    settings = _settings(settings_file)
    try:
        diagnostics = suggest_files(settings, paths)
    except NotContentError as error:
        raise click.BadParameter(str(error), param_hint="PATHS") from error
    click.echo(FORMATTERS[fmt](diagnostics))
    sys.exit(1 if has_errors(diagnostics) else 0)


@main.command()
@SETTINGS
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Publish here instead of the settings' OUTPUT_PATH: a new or empty folder, or one "
    "Dossier published before (a build replaces it whole).",
)
@click.option(
    "--jobs",
    "-j",
    envvar=JOBS_VARIABLE,
    callback=lambda ctx, param, value: _jobs(ctx, value),
    help="Worker processes that render the pages. Default: DOSSIER_JOBS, or this computer's "
    "cores. The site is the same whatever the number.",
)
def build(settings_file: Path, output: Path | None, jobs: int | None) -> None:
    """Validate and publish the site.

    Builds into a fresh folder and swaps it in as the output only on success. The output folder
    is refused (exit status 2) when publishing there would delete anything else: the content,
    the project, the theme, the schemas, the cache, a Git repository, or files no Dossier build
    published."""
    with _terminate_cleanly():
        _build(settings_file, output, jobs)


def _jobs(ctx: click.Context, value: str | None) -> int | None:
    """``--jobs`` (or ``DOSSIER_JOBS``) as a number; None when neither is given."""
    if value is None:
        return None
    source = ctx.get_parameter_source("jobs")
    named = JOBS_VARIABLE if source == click.core.ParameterSource.ENVIRONMENT else ""
    found = jobs_setting(value, named)
    if isinstance(found, str):
        raise click.BadParameter(found)
    return found


def _build(settings_file: Path, output: Path | None, jobs: int | None) -> None:
    from dossier import plugin
    from dossier.publish.target import UnsafeOutputError
    from dossier.publish.transaction import PublishError

    printed = logging.StreamHandler()
    printed.setFormatter(_PrintableFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[printed])
    values = _read_settings(settings_file)
    if output is not None:
        values["OUTPUT_PATH"] = str(output)
    target = values.get("OUTPUT_PATH")  # before the build makes it its staging folder
    # Content warnings come from Dossier's loggers; print them as `check` does, on stdout.
    ours = logging.getLogger("dossier")
    echo = _Echo()
    ours.addHandler(echo)
    ours.propagate = False
    try:
        published = plugin.build_site(values, settings_file.resolve().parent, jobs)
    except UnsafeOutputError as error:
        shown = output if output is not None else _shown(error.folder)
        hint = "--output" if output is not None else "OUTPUT_PATH"
        raise click.BadParameter(f"{shown}: {error.reason}", param_hint=hint) from None
    except ContentError as error:
        click.echo(format_text(error.diagnostics))
        if isinstance(target, str):
            click.echo(f"Nothing was published; {Path(target).resolve()} is unchanged.", err=True)
        else:  # OUTPUT_PATH itself is wrong
            click.echo("Nothing was published.", err=True)
        sys.exit(1)
    except PublishError as error:
        for line in error.lines:
            click.echo(line, err=True)
        sys.exit(1)
    finally:
        ours.removeHandler(echo)
        ours.propagate = True
    for line in published.lines():
        click.echo(line)


@main.command()
@SETTINGS
@click.option(
    "--host",
    default=SERVE_HOST,
    show_default=True,
    help="The address to listen on. The default is this computer only; 0.0.0.0 shows the "
    "unpublished site to the whole network.",
)
@click.option(
    "--port",
    default=SERVE_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="0: any free.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the home page in the browser.")
@click.option(
    "--published-only",
    is_flag=True,
    help="Serve exactly what build would publish: no drafts, no scheduled stories.",
)
def serve(
    settings_file: Path, host: str, port: int, open_browser: bool, published_only: bool
) -> None:
    """Serve the site while editing: every save shows in the browser.

    The content is checked once, as by build, and kept in memory; a page is rendered from it
    on each request with the build's templates, byte for byte the file build would write.
    Each save is read and checked at once, and the pages it shows on reload. While the content
    has errors, every page shows them over the last version without them. Drafts and scheduled
    stories (what is due is decided at the start) are served with a banner, and never listed,
    indexed or built. Nothing is written but the smaller copies
    of article images, into the build's image cache. Ctrl-C stops it."""
    import gc
    import threading
    import webbrowser

    from dossier.serve import Live, Served, follow, server

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    live = Live(settings_file.resolve(), drafts=not published_only, say=_say)
    if not live.prepare():  # the settings file cannot be read: nothing to serve or watch
        sys.exit(2)
    assert live.checker is not None
    settings = live.checker.settings
    served = Served.of(live, settings, host)
    try:
        httpd = server(served, host, port)
    except OSError as error:
        raise click.BadParameter(f"{host}:{port}: {error.strerror}", param_hint="--port") from None
    bound_host, bound_port = httpd.server_address[:2]
    address = f"http://{bound_host}:{bound_port}/"
    stop, watching = threading.Event(), threading.Event()

    def changed(affected) -> None:
        if affected:
            served.events.reload(affected, live.state.version)

    # Watching before the content is checked: a save made meanwhile is followed after it.
    watcher = threading.Thread(target=follow, args=(live, changed, stop, watching), daemon=True)
    # Ctrl-C and SIGTERM are caught before the address is printed: a script that reads it may
    # stop the server at once; and while the content is checked.
    with _terminate_cleanly(), httpd:
        try:
            watcher.start()
            with _progress("Checking content"):
                state = live.start()
            # What the first check made lives as long as the server: out of the collector's
            # way, a save's full collection walks what saves made, not the whole archive (at
            # 10,000 stories: 35 ms instead of 400, in the middle of a save).
            gc.collect()
            gc.freeze()
            watching.wait(timeout=30)  # a save made once the address is known is seen
            click.echo(f"Serving {address} (Ctrl-C stops)")
            _say(_search_line(Path(settings.output_path)))
            if state.renderer is None:
                _say("No page can be shown until the problems above are fixed.")
            sys.stdout.flush()  # the address is what a script waiting for the server reads
            if open_browser:
                threading.Thread(target=webbrowser.open, args=(address,), daemon=True).start()
            httpd.serve_forever()
        except (KeyboardInterrupt, SystemExit):
            stop.set()
            served.events.close()
            click.echo("Stopped.")


def _say(line: str) -> None:
    """What the server tells the editor, beside the address (which alone goes to stdout)."""
    click.echo(line, err=True)


def _search_line(output: Path) -> str:
    """Which search index the served search page uses: the last build's, or none."""
    from dossier.enrich.urls import SEARCH_BUNDLE

    if (output / SEARCH_BUNDLE).is_dir():
        return (
            f"Search: the index of the last build ({output / SEARCH_BUNDLE}); "
            "dossier build makes it again"
        )
    return "Search: no index yet; dossier build makes one, which this server then uses"


@main.command("lint-jsonld")
@click.argument(
    "output_dir",
    default="output",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--vocabulary",
    default="../shared/schemaorg",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder with the schema.org 30.0 release files.",
)
@FORMAT
def lint_jsonld(output_dir: Path, vocabulary: Path, fmt: str) -> None:
    """Check the schema.org JSON-LD of a built site, offline.

    Every page of OUTPUT_DIR (default: output) must carry one JSON-LD @graph whose types,
    properties and values fit the schema.org vocabulary, whose references resolve, and whose
    main article follows Google's Article guidance; schema.org's SHACL shapes give a second
    opinion, and an @id defined on several pages must name the same thing everywhere. Nothing
    is fetched: the vocabulary, context and shapes come from --vocabulary.
    """
    from importlib.util import find_spec

    # The extra lint-jsonld is not part of a site build's install: one line, not a traceback.
    if missing := [name for name in ("bs4", "pyld", "pyshacl", "rdflib") if not find_spec(name)]:
        click.echo(
            f"error: lint-jsonld needs the extra 'lint-jsonld' ({', '.join(missing)} missing): "
            "pip install -e '.[lint-jsonld]' (make test and make lint-jsonld install it)",
            err=True,
        )
        sys.exit(2)
    from dossier.lint.vocabulary import RELEASE, missing_files

    if missing := missing_files(vocabulary):
        raise click.BadParameter(
            f"{vocabulary} lacks {', '.join(missing)}; copy the file(s) from the schema.org "
            f"release folder {RELEASE}",
            param_hint="--vocabulary",
        )
    from dossier.lint.jsonld_check import check_site

    report = check_site(output_dir, vocabulary)
    if fmt == "json":
        click.echo(format_json(report.diagnostics))
    else:
        for diagnostic in report.diagnostics:
            click.echo(diagnostic.format())
        click.echo(report.summary())
    sys.exit(1 if has_errors(report.diagnostics) else 0)


# --- the editors' chores ----------------------------------------------------------------------


def _edits(command: Callable[..., Any]) -> Callable[..., Any]:
    """An editing command: the editing layer's InputError is wrong usage (exit status 2, with
    the parameter it concerns), and a refusal prints what stands in the way (exit status 1).
    SIGTERM stops it as Ctrl-C does; either, while files are written, leaves them all as they
    were or all changed, and says which (exit status 130 or 143)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from dossier.editing.messages import InputError, RefusalError
        from dossier.journal import InterruptError

        _utf8_arguments(kwargs)
        try:
            with _terminate_cleanly():
                return command(*args, **kwargs)
        except InterruptError as stopped:  # Ctrl-C or SIGTERM while files were being written
            click.echo(stopped.line(), err=True)
            sys.exit(stopped.status)
        except InputError as error:
            if error.param is None:
                raise click.UsageError(str(error)) from error
            raise click.BadParameter(str(error), param_hint=error.param) from error
        except RefusalError as error:
            if error.diagnostics:
                click.echo(format_text(error.diagnostics))
            for conflict in error.conflicts:
                click.echo(f"error: {conflict}", err=True)
            click.echo(error.message, err=True)
            sys.exit(1)

    return run


def _utf8_arguments(values: dict[str, Any]) -> None:
    """Text the shell passed as bytes that are not UTF-8 (a Latin-1 terminal) is wrong usage,
    named as such: written into a file, it would be reported as that file's encoding."""
    params = {param.name: param for param in click.get_current_context().command.params}
    for name, value in values.items():
        for text in value if isinstance(value, tuple) else (value,):
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                    raise click.BadParameter(
                        f"'{printable(shown)}' is not UTF-8 text; set the terminal to UTF-8 "
                        "and type it again",
                        param=params.get(name),
                    ) from None


def _name_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--name-de, --name-en: one required option per language."""
    for lang in reversed(LANGUAGES):
        command = click.option(
            f"--name-{lang}", f"name_{lang}", required=True, help=f"The name in '{lang}'."
        )(command)
    return command


class _Kind(click.ParamType):
    """A registry kind, named by its folder ('locations') or in the singular ('location')."""

    name = "kind"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if (kind := kind_named(str(value))) is None:
            from dossier.spelling import closest

            words = [word for kind in load_kinds() for word in (kind, singular(kind))]
            meant = closest(str(value), words)
            hint = f"; did you mean '{meant}'?" if meant else ""
            self.fail(f"'{value}' is no kind of entry: {', '.join(load_kinds())}{hint}", param, ctx)
        return kind

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(kind) for kind in load_kinds() if kind.startswith(incomplete)]


@main.group()
def new() -> None:
    """Create an article or a registry entry.

    Each starts complete for its schema and passes check."""


@new.command("article")
@click.option("--lang", required=True, type=click.Choice(LANGUAGES), help="The language.")
@click.option("--title", required=True, help="The headline (at most 110 characters).")
@click.option("--slug", help="The URL name. Default: made from the title.")
@click.option(
    "--author",
    "authors",
    multiple=True,
    help="An author's id; repeat for several. Default: the setting DOSSIER_DEFAULT_AUTHORS.",
)
@click.option("--summary", help="One or two sentences. Default: a placeholder to replace.")
@SETTINGS
@_edits
def new_article(
    lang: str,
    title: str,
    slug: str | None,
    authors: tuple[str, ...],
    summary: str | None,
    settings_file: Path,
) -> None:
    """Create a draft article with complete front matter.

    The file is content/articles/<year>/<slug>.<lang>.md, dated now in the newsroom's time
    zone (TIMEZONE), with every field and empty reference lists. What is left to write is
    marked TODO(write), which check reports until it is gone."""
    from dossier.editing.new import create_article

    created = create_article(
        _settings(settings_file), lang=lang, title=title, slug=slug, authors=authors,
        summary=summary, progress=_reading,
    )  # fmt: skip
    _report(created)


@new.command("entity")
@click.argument("kind", type=_Kind())
@click.argument("entity_id", metavar="ID")
@_name_options
@click.option("--wikidata", help="The Wikidata item, e.g. Q56226.")
@click.option(
    "--set",
    "fields",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Any other field of the kind, the value written as in the file (YAML); repeat for "
    "several, e.g. --set type=Person --set nationality=country-north-korea.",
)
@SETTINGS
@_edits
def new_entity(
    kind: str, entity_id: str, wikidata: str | None, fields: tuple[str, ...], settings_file: Path,
    **names: str,
) -> None:  # fmt: skip
    """Create a registry entry.

    KIND names the registry's folder for it (actors, locations, …) or the same in the singular
    (actor, location, …). The file is content/entities/<KIND>/<ID>.yaml, with the names in
    every language and the fields given. It is written only if it passes check; otherwise
    check's messages say what is missing or wrong, and nothing is written."""
    from dossier.editing.new import create_entity

    created = create_entity(
        _settings(settings_file), settings_file, kind=kind, entity_id=entity_id,
        names={lang: names[f"name_{lang}"] for lang in LANGUAGES}, wikidata=wikidata,
        fields=fields, progress=_reading,
    )  # fmt: skip
    _report(created)


@main.command()
@click.argument("slug")
@click.option("--to", "lang", required=True, type=click.Choice(LANGUAGES), help="The language.")
@click.option(
    "--from",
    "source_lang",
    type=click.Choice(LANGUAGES),
    help="The version to translate. Default: the only other one, else DEFAULT_LANG's.",
)
@SETTINGS
@_edits
def translate(slug: str, lang: str, source_lang: str | None, settings_file: Path) -> None:
    """Start the translation of an article.

    Creates the --to version of the article SLUG: a draft dated now, with the shared fields
    (entity lists, sources, authors, image) copied. Its title, summary, image texts and every
    paragraph are marked TODO(translate), with the original beside each field: check reports
    each marker, and refuses to let the article be published until all are gone."""
    from dossier.editing.translate import translate_article

    settings = _settings(settings_file)
    _report(translate_article(settings, slug, lang, source_lang, progress=_reading))


@main.command()
@click.argument("entity_id", metavar="ID")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table; json: the same as data.",
)
@SETTINGS
@_edits
def refs(entity_id: str, fmt: str, settings_file: Path) -> None:
    """List what references a registry entry.

    Every article and registry entry that names the id ID, and where: file, line and column,
    field, and the article's title or the entry's name. Drafts count too."""
    from dossier.editing.refs import COLUMNS, references_to

    found = references_to(_settings(settings_file), entity_id, progress=_reading)
    if fmt == "json":
        click.echo(found.as_json())
        return
    click.echo(printable(found.summary()))
    if found.references:
        _print_table(COLUMNS, found.rows())


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table; json: the same as data.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The published site to compare with (default: OUTPUT_PATH in the settings).",
)
@SETTINGS
def status(fmt: str, output: Path | None, settings_file: Path) -> None:
    """Show what is not published yet, and what the next build publishes.

    Lists the drafts; the scheduled articles (status published, dated after the build time:
    the first build at or after their date publishes them), with their times in TIMEZONE; and
    the articles the next build would publish that the last did not, as the published site's
    sitemap says. The build time is the clock's, unless SOURCE_DATE_EPOCH or DOSSIER_NOW fix
    it. Exit status 0; 1 when the content has errors (the next build publishes nothing)."""
    from dossier.check import load_site
    from dossier.enrich.urls import Urls
    from dossier.publish.status import last_build
    from dossier.publish.status import status as status_of
    from dossier.read.corpus import display_path

    settings, problems = _checked_settings(settings_file)
    with _progress("Checking content") as on_file:
        site, diagnostics = load_site(settings, problems, on_file=on_file)
    if site is None:
        errors = [d for d in diagnostics if d.severity == "error"]
        click.echo(FORMATTERS["text"](errors), err=True)
        click.echo("The content has errors: the next build publishes nothing.", err=True)
        sys.exit(1)
    folder = output or Path(settings.output_path)
    last = last_build(folder, display_path(folder.resolve(), Path.cwd().resolve()))
    found = status_of(site, Urls(settings), settings.timezone, last)
    if fmt == "json":
        click.echo(found.as_json())
        return
    click.echo(printable(found.summary(), keep="\n"))
    if found.rows():
        _print_table(found.columns(), found.rows())


@main.command()
@click.argument("entity_id", metavar="ID")
@click.argument("new_id", metavar="NEW_ID")
@APPLY
@SETTINGS
@_edits
def rename(entity_id: str, new_id: str, write: bool, settings_file: Path) -> None:
    """Rename a registry entry.

    Gives the entry ID the id NEW_ID: every reference in articles and registry entries is
    rewritten (comments and formatting kept), the file is moved, and ID goes into its
    `formerly`, so that its old topic pages redirect to the new ones. Refused when NEW_ID is
    taken. Shows the change as a diff; --apply writes it."""
    from dossier.editing.change import prepare_rename

    settings = _settings(settings_file)
    planned = prepare_rename(settings, entity_id, new_id, progress=_reading)
    _change(planned, write, settings, settings_file)


@main.command()
@click.argument("entity_id", metavar="ID")
@click.argument("into_id", metavar="INTO_ID")
@APPLY
@SETTINGS
@_edits
def merge(entity_id: str, into_id: str, write: bool, settings_file: Path) -> None:
    """Merge a registry entry into its duplicate.

    Folds the entry ID into INTO_ID: every reference to ID is rewritten to
    INTO_ID (an article that names both keeps one), INTO_ID takes ID's names as aliases, its
    former ids and the fields it lacks, and ID's file is removed; its old topic pages redirect
    to INTO_ID's. Refused for entries of different kinds, types or Wikidata items. Shows the
    change as a diff; --apply writes it."""
    from dossier.editing.change import prepare_merge

    settings = _settings(settings_file)
    planned = prepare_merge(settings, entity_id, into_id, progress=_reading)
    _change(planned, write, settings, settings_file)


@main.command()
@click.argument("slug")
@click.option(
    "--year",
    type=click.IntRange(1, 9999),
    help="The year to date and file it in: each version's date gets this year (month, day "
    "and time kept) and its file goes to that year's folder.",
)
@click.option("--slug", "new_slug", help="The new slug (the URL name).")
@APPLY
@SETTINGS
@_edits
def move(
    slug: str, year: int | None, new_slug: str | None, write: bool, settings_file: Path
) -> None:
    """Move an article to another year or slug.

    Every language version of the article SLUG gets the new slug and year: its file is moved
    (content/articles/<year>/<slug>.<lang>.md), its slug and the year of its date are rewritten
    (comments and formatting kept), and its old address goes into its `formerly`, so that it
    redirects to the new one. Links to it from other articles ({filename}) follow it. The year
    is the date's, since the address and the folder are made from it. Refused when the new slug
    is taken, a file is in the way, or nothing would change. Shows the change as a diff;
    --apply writes it."""
    from dossier.editing.move import apply_move, prepare_move

    settings = _settings(settings_file)
    planned = prepare_move(settings, slug, year, new_slug, progress=_reading)
    _print_diff(planned.diff)
    if not write:
        click.echo(planned.dry_run())
        return
    _report(apply_move(planned, settings))


@main.command("editor-config")
@click.option("--check", "verify", is_flag=True, help="Only tell whether the file is current.")
@SETTINGS
@_edits
def editor_config(verify: bool, settings_file: Path) -> None:
    """Write the article form for VS Code's Front Matter CMS.

    Writes frontmatter.json, the form Front Matter CMS shows for articles: every
    field of the article schema, with the registry's entries as the choices of the reference
    fields. new entity, rename and merge refresh it; --check exits 1 when it is out of date."""
    from dossier.editing.editor_config import write_config

    settings = _settings(settings_file)
    config = write_config(settings, settings_file, check_only=verify, progress=_reading)
    click.echo(config.message())
    if verify:
        sys.exit(0 if config.current else 1)


def _change(planned: Planned, write: bool, settings: Any, settings_file: Path) -> None:
    """rename and merge: show the change as a diff; with --apply write it, and print what
    check says of the files written."""
    from dossier.editing.change import apply_change

    _print_diff(planned.diff)
    if not write:
        click.echo(planned.dry_run())
        return
    _report(apply_change(planned, settings, settings_file, progress=_reading))


def _report(result: Created | Applied | AppliedMove) -> None:
    """Print what a command that wrote files did, and end with its exit status."""
    for line in result.lines():
        click.echo(line)
    sys.exit(result.status)


def _reading() -> AbstractContextManager[Callable[[Path], None]]:
    """The editing commands' reading of the content, with progress on a terminal."""
    return _progress("Reading content")


def _print_table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:  # as text: a title is no rich markup, and prints no control character
        table.add_row(*(Text(printable(cell)) for cell in row))
    console = _console()
    with console.capture() as captured:
        console.print(table)
    # Padding after the last column is noise in a log or a pasted example.
    click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


def _print_diff(text: str) -> None:
    text = printable(text, keep="\n\t")  # the files' lines as they are, but no control character
    console = _console()
    if console.is_terminal:
        from rich.syntax import Syntax

        console.print(Syntax(text, "diff", theme="ansi_dark", background_color="default"))
    else:
        click.echo(text, nl=False)


def _console() -> Any:
    """rich's console: the terminal's width there; wide enough for whole paths elsewhere."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=200, no_color=True)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[Path], None]]:
    """A spinner with a count of the files read, on a terminal only (never in logs or pipes)."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda path: None
        return
    count = 0
    with console.status(f"{what}…") as status:

        def seen(path: Path) -> None:
            nonlocal count
            count += 1
            if count % 100 == 0:
                status.update(f"{what}: {count:,} files read…")

        yield seen


@contextmanager
def _terminate_cleanly():
    """SIGTERM (what `kill`, systemd and CI runners send) ends a build like Ctrl-C does: as an
    exception, so the staging folder is removed. Python's default would end the process on the
    spot and leave the folder, and a running Pagefind, behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


class _Echo(logging.Handler):
    """Prints the plugin's log lines (content warnings) as they are, like `check` does."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(printable(record.getMessage()))


class _PrintableFormatter(logging.Formatter):
    """Pelican's log lines name content files: their control characters are printed escaped,
    so that one message stays one line and colours nothing."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return printable(super().formatMessage(record))


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder where it lies below."""
    cwd = Path.cwd().resolve()
    return path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) else str(path)


def _checked_settings(settings_file: Path) -> tuple[Any, list[Any]]:
    """The settings file's DossierSettings and the diagnostics of what is wrong in it."""
    from dossier import settings

    checked = settings.read(_read_settings(settings_file))
    _recover(checked[0])
    return checked


def _read_settings(settings_file: Path) -> dict[str, Any]:
    """Pelican's settings from the file; one located line, not a traceback, when it cannot be
    read (wrong usage: exit status 2)."""
    from dossier import plugin

    try:
        return plugin.read_settings(settings_file)
    except plugin.SettingsFileError as error:
        raise click.BadParameter(str(error), param_hint="--settings") from None


def _settings(settings_file: Path) -> Any:
    """The settings file's DossierSettings; the commands that edit content need no more."""
    from dossier import settings

    read = settings.read(_read_settings(settings_file), files=False)[0]
    _recover(read)
    return read


def _recover(settings: Any) -> None:
    """Before a command reads the content: finish or undo a change that a crash or a kill
    interrupted (``dossier.journal``), and say so; stop when that cannot be done."""
    from dossier.journal import JournalError, recover

    try:
        recovered = recover(settings.content_folder, waiting=_say_waiting)
    except JournalError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if recovered:
        click.echo(recovered.line(), err=True)


def _say_waiting(holder: str) -> None:
    from dossier.journal import waiting_line

    click.echo(waiting_line(holder), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
