"""The ``dossier`` command: ``check`` validates content, ``build`` validates and publishes.

Exit status: 0 clean, 1 problems in the content (or a failed build), 2 wrong usage.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import click

from .diagnostics import ContentError, format_json, format_text, has_errors

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Validate and publish a Dossier site."""


@main.command()
@SETTINGS
@FORMAT
def check(settings_file: Path, fmt: str) -> None:
    """Validate every article and registry file; render nothing."""
    from .pipeline import load_site

    _, diagnostics = load_site(_settings(settings_file))
    click.echo(format_json(diagnostics) if fmt == "json" else format_text(diagnostics))
    sys.exit(1 if has_errors(diagnostics) else 0)


@main.command()
@SETTINGS
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Publish here instead of the settings' OUTPUT_PATH.",
)
def build(settings_file: Path, output: Path | None) -> None:
    """Validate, build into a fresh folder, and swap it in as the output only on success."""
    with _terminate_cleanly():
        _build(settings_file, output)


def _build(settings_file: Path, output: Path | None) -> None:
    from pelican import Pelican

    from .plugin import REUSE, VOLATILE
    from .publish import (
        ErrorCounter,
        SearchIndexError,
        discard,
        index_for_search,
        staging_dir,
        swap_in,
    )
    from .reuse import Reuse, build_version, manifest_path

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    settings = _settings(settings_file)
    target = (output or Path(settings["OUTPUT_PATH"])).resolve()
    staging = staging_dir(target)
    settings["OUTPUT_PATH"] = str(staging)
    keep = Reuse.load(
        target,
        staging,
        manifest_path(Path(settings["CACHE_PATH"]), target),
        build_version(settings, VOLATILE),
    )
    settings[REUSE] = keep
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    # Content warnings come from the plugin's logger; print them as `check` does, on stdout.
    plugin_log = logging.getLogger("dossier")
    echo = _Echo()
    for handler in (echo, errors):
        plugin_log.addHandler(handler)
    plugin_log.propagate = False
    try:
        Pelican(settings).run()
    except ContentError as error:
        discard(staging)
        click.echo(format_text(error.diagnostics))
        click.echo(f"Nothing was published; {target} is unchanged.", err=True)
        sys.exit(1)
    except BaseException:
        discard(staging)
        raise
    finally:
        logging.getLogger().removeHandler(errors)
        for handler in (echo, errors):
            plugin_log.removeHandler(handler)
        plugin_log.propagate = True
    if errors.records:
        discard(staging)
        click.echo(f"The build logged {len(errors.records)} error(s); nothing was published.",
                   err=True)  # fmt: skip
        sys.exit(1)
    # The index is built on the staging folder, so the published site and its index always match.
    try:
        index = index_for_search(staging)
    except SearchIndexError as error:
        discard(staging)
        click.echo(f"Indexing for search failed: {error}", err=True)
        click.echo(f"Nothing was published; {target} is unchanged.", err=True)
        sys.exit(1)
    except BaseException:
        discard(staging)
        raise
    click.echo(keep.summary())
    click.echo(index.summary())
    swap_in(staging, target)
    keep.save()
    click.echo(f"Published to {target}.")


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
    from .schemaorg_vocabulary import RELEASE, missing_files

    if missing := missing_files(vocabulary):
        raise click.BadParameter(
            f"{vocabulary} lacks {', '.join(missing)}; copy the file(s) from the schema.org "
            f"release folder {RELEASE}",
            param_hint="--vocabulary",
        )
    from .jsonld_check import check_site

    report = check_site(output_dir, vocabulary)
    if fmt == "json":
        click.echo(format_json(report.diagnostics))
    else:
        for diagnostic in report.diagnostics:
            click.echo(diagnostic.format())
        click.echo(report.summary())
    sys.exit(1 if has_errors(report.diagnostics) else 0)


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
        click.echo(record.getMessage())


def _settings(settings_file: Path) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file))


if __name__ == "__main__":  # pragma: no cover
    main()
