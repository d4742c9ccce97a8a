"""Settings Dossier reads besides the content: the publisher and the default images.

Checked like content, with one located diagnostic per problem, because a missing logo would
otherwise reach search engines as a broken link on every page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier.diagnostics import Diagnostic
from dossier.read.images import Image, is_remote, local_file, read_image, size_problem
from dossier.schemas import parse_datetime

WHERE = "settings"
# Settings that count something, and their largest sensible value (the protocols' limits).
COUNTS = {
    "DOSSIER_FEED_LIMIT": 10_000,
    "DOSSIER_TIMELINE_PAGE_SIZE": 10_000,
    "DOSSIER_SITEMAP_MAX_URLS": 50_000,
    "DOSSIER_NEWS_SITEMAP_LIMIT": 1_000,
    "DOSSIER_SEARCH_SHARD_PAGES": 1_000_000,
}  # diagnostics about settings name the setting, not a content file


def configured_images(settings: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(setting, src) for every image the settings name."""
    out = []
    logo = settings["DOSSIER_PUBLISHER"].get("logo")
    if logo:
        out.append(("DOSSIER_PUBLISHER.logo", logo))
    for i, src in enumerate(settings.get("DOSSIER_DEFAULT_IMAGES", [])):
        out.append((f"DOSSIER_DEFAULT_IMAGES[{i}]", src))
    return out


def check_settings(settings: Mapping[str, Any], content: Path) -> Iterator[Diagnostic]:
    publisher = settings.get("DOSSIER_PUBLISHER")
    if not isinstance(publisher, Mapping) or not publisher.get("name"):
        yield _problem("DOSSIER_PUBLISHER", "needs at least a name", 'e.g. {"name": "Dossier"}')
        return
    for setting, src in configured_images(settings):
        if is_remote(src):
            continue
        image = read_image(content, src)
        if not local_file(content, src).is_file():
            yield _problem(
                setting, f"no file at {_shown(local_file(content, src))}", "add the image"
            )
        elif image.width is None:
            yield _problem(setting, f"{src} is not an image file that can be read")
        elif setting.startswith("DOSSIER_DEFAULT_IMAGES") and (problem := size_problem(image)):
            yield _problem(setting, f"{src} {problem}", "use a larger image")
    for setting, most in COUNTS.items():
        value = settings.get(setting, 1)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
            yield _problem(setting, f"must be a whole number from 1 to {most:,}, not {value!r}")
    now = settings.get("DOSSIER_NOW")
    if now is not None and parse_datetime(str(now)) is None:
        yield _problem(
            "DOSSIER_NOW",
            f"{now!r} is not a date and time with a UTC offset",
            "e.g. '2023-09-14T12:00:00+02:00', or None for the time of the build",
        )
    if not settings.get("DOSSIER_DEFAULT_IMAGES"):
        yield _problem(
            "DOSSIER_DEFAULT_IMAGES",
            "is empty; articles without an image need a default for search engines",
            "name at least one image of 1200 pixels or wider",
        )


def read_images(settings: Mapping[str, Any], srcs: list[str], content: Path) -> dict[str, Image]:
    """Every image the pages show (the articles' and the configured ones), with its size."""
    wanted = [*srcs, *(src for _, src in configured_images(settings))]
    return {src: read_image(content, src) for src in dict.fromkeys(wanted)}


def _shown(path: Path) -> str:
    """A path as the editor would type it: relative to the current folder where possible."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _problem(setting: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(WHERE, 1, 1, setting, message, hint, "invalid-setting")


def build_time(settings: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> datetime:
    """ "Now" for what depends on the build's time (the news sitemap's last two days).

    SOURCE_DATE_EPOCH (the reproducible-builds convention) wins, then DOSSIER_NOW, then the
    clock. Always timezone-aware."""
    environ = os.environ if environ is None else environ
    if environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return datetime.fromtimestamp(int(environ["SOURCE_DATE_EPOCH"]), tz=UTC)
    if settings.get("DOSSIER_NOW"):
        return parse_datetime(str(settings["DOSSIER_NOW"]))
    return datetime.now(tz=UTC)
