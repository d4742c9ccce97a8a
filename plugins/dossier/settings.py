"""Dossier's settings: every setting the pipeline reads, with its default, its check and its
documentation, in this one place.

They come from Pelican's settings file (``pelicanconf.py``, ``publishconf.py``): Dossier's own
carry the ``DOSSIER_`` prefix; a few of Pelican's are read too (``PATH``, ``DEFAULT_LANG``…),
with Pelican's defaults. ``read`` turns them into one frozen, typed ``DossierSettings``, built
and checked once; a wrong value becomes a located diagnostic (``settings:1:1: NAME: …``),
reported with the content's, and the default stands in for it so the rest of the check can go
on. Everything downstream takes the object, never Pelican's dict. ``docs/settings.md`` holds the
table ``markdown_table`` writes (a test keeps the two equal).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier.diagnostics import Diagnostic
from dossier.read.images import (
    PILLOW_MAX_PIXELS,
    Image,
    is_remote,
    local_file,
    read_image,
    size_problem,
)
from dossier.schemas import CONTROL, FORMATS, parse_datetime

WHERE = "settings"  # diagnostics about settings name the setting, not a content file
PELICAN = "Pelican's"  # the default of a setting Pelican owns: Pelican's own
REQUIRED = "required"

Check = Callable[[Any], Iterator[tuple[str, str]]]  # value -> (message, hint) per problem


@dataclass(frozen=True)
class Publisher:
    """The publisher in every JSON-LD graph and feed."""

    name: str
    logo: str | None = None  # below PATH, or an https URL
    same_as: tuple[str, ...] = ()  # its profiles elsewhere


# --- checks of one value -----------------------------------------------------------------------


def _count(most: int) -> Check:
    def check(value: Any) -> Iterator[tuple[str, str]]:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
            yield f"must be a whole number from 1 to {most:,}, not {value!r}", ""

    return check


def _text(value: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(value, str):
        yield f"must be text, not {value!r}", ""


def _texts(value: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        yield f"must be a list of texts, not {value!r}", ""


def _flag(value: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(value, bool):
        yield f"must be True or False, not {value!r}", ""


def _pattern(value: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(value, str):
        yield f"must be a URL pattern (text), not {value!r}", ""
    elif not _below(value):
        yield (
            f"{value!r} leads out of the site's folder",
            "write it relative to the site's root, without a leading '/' and without '..'",
        )


def _below(path: str) -> bool:
    """Whether a relative path (a URL pattern, a folder) stays below where it starts."""
    parts = path.replace("\\", "/").split("/")
    return not (path.startswith(("/", "\\")) or ".." in parts or "://" in path)


def _folder(value: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(value, str):
        yield f"must be a folder (text), not {value!r}", ""
    elif not _below(value):
        yield f"{value!r} is not a folder below PATH", "name a folder inside the content folder"


def _folders(value: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        yield f"must be a list of folders (texts), not {value!r}", ""
        return
    for folder in value:
        yield from _folder(folder)


def _site_url(value: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(value, str) or not FORMATS.conforms(value, "uri") or CONTROL.search(value):
        yield f"must be an absolute http:// or https:// URL, not {value!r}", ""


def _publisher(value: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(value, Mapping) or not value.get("name"):
        yield "needs at least a name", 'e.g. {"name": "Dossier"}'


def _default_images(value: Any) -> Iterator[tuple[str, str]]:
    yield from _texts(value)
    if isinstance(value, list | tuple) and not value:
        yield (
            "is empty; articles without an image need a default for search engines",
            "name at least one image of 1200 pixels or wider",
        )


def _now(value: Any) -> Iterator[tuple[str, str]]:
    if value is not None and parse_datetime(str(value)) is None:
        yield (
            f"{value!r} is not a date and time with a UTC offset",
            "e.g. '2023-09-14T12:00:00+02:00', or None for the time of the build",
        )


_HOST = re.compile(
    r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", re.IGNORECASE
)


def _hosts(value: Any) -> Iterator[tuple[str, str]]:
    yield from _texts(value)
    if isinstance(value, list | tuple):
        for host in value:
            if isinstance(host, str) and not _HOST.fullmatch(host):
                yield (
                    f"{host!r} is not a host name",
                    "write the host alone, e.g. 'player.vimeo.com': no https://, no path",
                )


def _publisher_of(value: Mapping[str, Any]) -> Publisher:
    return Publisher(value["name"], value.get("logo") or None, tuple(value.get("same_as") or ()))


def setting(
    name: str,
    default: Any = REQUIRED,
    *,
    doc: str,
    section: str,
    check: Check = _text,
    convert: Callable[[Any], Any] = lambda value: value,
) -> Any:
    """One setting: its name in the settings file, its default (``REQUIRED``: none; ``PELICAN``:
    Pelican's), what it means, the section of docs/settings.md that lists it, how its value is
    checked and turned into the attribute's type."""
    meta = {"name": name, "default": default, "doc": doc, "section": section}
    return field(metadata=meta | {"check": check, "convert": convert})


SECTIONS = (
    "The site",
    "Content",
    "Addresses",
    "Topic pages",
    "Feeds",
    "Sitemaps",
    "Search, caches and rebuilds",
    "Editors",
)
SITE, CONTENT, URLS, TOPICS, FEEDS, SITEMAPS, SEARCH, EDITORS = SECTIONS


@dataclass(frozen=True, kw_only=True)
class DossierSettings:
    """Every setting Dossier reads, checked. Checks run, and report, in this order; the docs
    list the settings by section (``SECTIONS``)."""

    # The site
    site_url: str = setting(
        "DOSSIER_SITE_URL",
        section=SITE,
        check=_site_url,
        doc="the site's canonical address: JSON-LD `@id`s, canonical and hreflang links, feeds "
        "and sitemaps use it",
    )
    publisher: Publisher = setting(  # noqa: RUF009 - setting() makes a dataclass field
        "DOSSIER_PUBLISHER",
        section=SITE,
        check=_publisher,
        convert=_publisher_of,
        doc="the publisher in every JSON-LD graph: `name` (required), `logo` (a path below "
        "`PATH` or an https URL; square, at least 112 pixels), `same_as` (URLs of its profiles "
        "elsewhere)",
    )
    default_images: tuple[str, ...] = setting(
        "DOSSIER_DEFAULT_IMAGES",
        (),
        section=SITE,
        check=_default_images,
        convert=tuple,
        doc="the images search engines and social networks get for an article without its own; "
        "each at least 1200 pixels wide (checked); the first is the Open Graph image of every "
        "other page",
    )
    links_url: str = setting(
        "SITEURL",
        PELICAN,
        section=SITE,
        doc="where links point; empty keeps them root-relative, for local serving",
    )
    # Content
    content: str = setting("PATH", PELICAN, section=CONTENT, doc="the content folder")
    article_paths: tuple[str, ...] = setting(
        "ARTICLE_PATHS",
        PELICAN,
        section=CONTENT,
        check=_folders,
        convert=tuple,
        doc="where articles are read, below `PATH`; new articles go into the first",
    )
    registry_path: str = setting(
        "DOSSIER_REGISTRY_PATH",
        "entities",
        section=CONTENT,
        check=_folder,
        doc="the registry, below `PATH`",
    )
    # What the build copies or would read besides articles and the registry
    static_paths: tuple[str, ...] = setting(
        "STATIC_PATHS",
        ("images",),
        section=CONTENT,
        check=_folders,
        convert=tuple,
        doc="folders below `PATH` copied into the site as they are (Pelican's default). Only "
        "images may be there (`.jpg`, `.jpeg`, `.png`, `.webp`, `.avif`, `.gif`), as regular "
        "files, not links; check refuses anything else, SVG included (it can carry scripts)",
    )
    page_paths: tuple[str, ...] = setting(
        "PAGE_PATHS",
        ("pages",),
        section=CONTENT,
        check=_folders,
        convert=tuple,
        doc="where Pelican reads pages, below `PATH` (Pelican's default). Dossier publishes "
        "none: check refuses every file there that Pelican would read (Markdown, HTML, "
        "reStructuredText)",
    )
    theme_static_dir: str = setting(
        "THEME_STATIC_DIR",
        "theme",
        section=CONTENT,
        check=_folder,
        doc="where the theme's files go in the site (Pelican's default); no registry id or "
        "slug may put a page there",
    )
    image_max_pixels: int = setting(
        "DOSSIER_IMAGE_MAX_PIXELS",
        PILLOW_MAX_PIXELS,
        section=CONTENT,
        check=_count(PILLOW_MAX_PIXELS),
        doc="the most pixels (width × height) an image below `PATH` may have; check opens every "
        "image and refuses larger ones, and broken ones. At most the default, Pillow's "
        "decompression-bomb limit (about 0.25 GiB decoded), which Pillow warns above and "
        "refuses at twice",
    )
    schema_path: str = setting(
        "DOSSIER_SCHEMA_PATH", "schema", section=CONTENT, doc="the JSON Schemas of the content"
    )
    theme: str = setting("THEME", PELICAN, section=CONTENT, doc="the theme: templates, UI strings")
    default_lang: str = setting(
        "DEFAULT_LANG",
        PELICAN,
        section=CONTENT,
        doc="the language `x-default` points to (where a page has no version in it: the first "
        "version in the site's language order); the version `dossier translate` starts from "
        "when there are several",
    )
    timezone: str = setting(
        "TIMEZONE",
        "UTC",
        section=CONTENT,
        doc="the newsroom's time zone: `dossier new article` and `dossier translate` date new "
        "files now, in this zone (Pelican assumes UTC too when it is not set)",
    )
    embed_hosts: tuple[str, ...] = setting(
        "DOSSIER_EMBED_HOSTS",
        (
            "www.youtube-nocookie.com",
            "player.vimeo.com",
            "www.openstreetmap.org",
            "datawrapper.dwcdn.net",
        ),
        section=CONTENT,
        check=_hosts,
        convert=lambda value: tuple(host.lower() for host in value),
        doc="the hosts an article may embed players, maps and charts from: "
        '`<iframe src="https://host/…" title="…">`, which Dossier sandboxes. Host names alone '
        "(no `https://`, no path); `[]` allows no embeds. Every other host is an error of "
        "`dossier check` (see the editor's guide)",
    )
    # Addresses
    article_url: str = setting(
        "ARTICLE_URL",
        PELICAN,
        section=URLS,
        check=_pattern,
        doc="article pages (with `ARTICLE_SAVE_AS` to match); Dossier formats the same pattern "
        "for its links",
    )
    entity_url: str = setting(
        "DOSSIER_ENTITY_URL",
        "{lang}/{kind}/{id}/",
        section=URLS,
        check=_pattern,
        doc="a topic page; `{kind}` is the localized segment from "
        "`plugins/dossier/data/kinds.yaml`",
    )
    entity_page_url: str = setting(
        "DOSSIER_ENTITY_PAGE_URL",
        "{lang}/{kind}/{id}/{page}/",
        section=URLS,
        check=_pattern,
        doc="page 2 and on of a topic page's timeline",
    )
    kind_url: str = setting(
        "DOSSIER_KIND_URL", "{lang}/{kind}/", section=URLS, check=_pattern, doc="a kind's index"
    )
    kind_by_activity_url: str = setting(
        "DOSSIER_KIND_BY_ACTIVITY_URL",
        "{lang}/{kind}/{by_activity}/",
        section=URLS,
        check=_pattern,
        doc="a kind's index, most covered first; `{by_activity}` is the localized segment from "
        "`plugins/dossier/data/languages.yaml`",
    )
    home_url: str = setting(
        "DOSSIER_HOME_URL", "{lang}/", section=URLS, check=_pattern, doc="a language's home page"
    )
    hub_url: str = setting(
        "DOSSIER_HUB_URL",
        "{lang}/dossiers/",
        section=URLS,
        check=_pattern,
        doc="the Dossiers hub: every kind with its most covered entities",
    )
    search_url: str = setting(
        "DOSSIER_SEARCH_URL",
        "{lang}/{search}/",
        section=URLS,
        check=_pattern,
        doc="a language's search page (`/de/suche/`, `/en/search/`); `{search}` is the "
        "localized segment from `plugins/dossier/data/languages.yaml`. Pagefind's index and UI "
        "are always written to `pagefind/`",
    )
    id_url: str = setting(
        "DOSSIER_ID_URL",
        "id/{kind}/{id}",
        section=URLS,
        check=_pattern,
        doc="an entity's `@id`, below `DOSSIER_SITE_URL`",
    )
    # Feeds
    feed_url: str = setting(
        "DOSSIER_FEED_URL",
        "{lang}/feed.{ext}",
        section=FEEDS,
        check=_pattern,
        doc="the site's feed of a language; `{ext}` is `xml` for Atom, `json` for JSON Feed 1.1",
    )
    entity_feed_url: str = setting(
        "DOSSIER_ENTITY_FEED_URL",
        "{lang}/{kind}/{id}/feed.{ext}",
        section=FEEDS,
        check=_pattern,
        doc="an entity's feed of a language, beside its topic page",
    )
    feed_limit: int = setting(
        "DOSSIER_FEED_LIMIT",
        50,
        section=FEEDS,
        check=_count(10_000),
        doc="entries per feed, newest first, in the site's feed of each language and in every "
        "entity's",
    )
    timeline_page_size: int = setting(
        "DOSSIER_TIMELINE_PAGE_SIZE",
        20,
        section=TOPICS,
        check=_count(10_000),
        doc="articles per page of a topic page's timeline",
    )
    # Sitemaps
    sitemap_max_urls: int = setting(
        "DOSSIER_SITEMAP_MAX_URLS",
        50_000,
        section=SITEMAPS,
        check=_count(50_000),
        doc="URLs in `sitemap.xml`; past this it becomes an index of `sitemap-1.xml`, "
        "`sitemap-2.xml`, …; at most 50,000 (the protocol's limit)",
    )
    news_sitemap_limit: int = setting(
        "DOSSIER_NEWS_SITEMAP_LIMIT",
        1_000,
        section=SITEMAPS,
        check=_count(1_000),
        doc="articles in `sitemap-news.xml`, the newest of the last two days; at most 1,000 "
        "(Google's limit)",
    )
    # Search, caches and rebuilds
    search_shard_pages: int = setting(
        "DOSSIER_SEARCH_SHARD_PAGES",
        2_000,
        section=SEARCH,
        check=_count(1_000_000),
        doc="article pages per search index shard, per language: consecutive years are packed "
        "into a shard up to this many (a year is never split). Smaller shards take Pagefind "
        "less memory to write and readers more files to fetch on their first search",
    )
    now: str | None = setting(
        "DOSSIER_NOW",
        None,
        section=SITEMAPS,
        check=_now,
        doc='"now" for what a build publishes (an article dated after it is scheduled), the '
        "Google News sitemap and dating new files: `None` is the time of the build; an ISO "
        "8601 date and time with UTC offset fixes it (tests, reproducible builds). The "
        "`SOURCE_DATE_EPOCH` environment variable, when set, wins",
    )
    cache: bool = setting(
        "DOSSIER_CACHE",
        True,
        section=SEARCH,
        check=_flag,
        doc="the check cache (`CACHE_PATH/dossier-check.json`): YAML that read cleanly and data "
        "that passed its schema, under the same registry facts, are not parsed or validated "
        "again; `False` reads and writes none",
    )
    cache_path: str = setting(
        "CACHE_PATH",
        PELICAN,
        section=SEARCH,
        doc="Dossier's caches: the check cache, the manifest of each published output folder "
        "(`dossier-published-<hash>.json`: each file's fingerprint, size and time, so that a "
        "rebuild links what has not changed), and the articles' rendered texts by the digest "
        "of their Markdown, in a folder per build version (`dossier-bodies-<hash>/`). Delete "
        "the folder to build everything anew",
    )
    output_path: str = setting(
        "OUTPUT_PATH",
        PELICAN,
        section=SEARCH,
        doc="where the site is published; `dossier build --output` overrides it. A build "
        "replaces the folder whole, so it must be new, empty or published by Dossier (it holds "
        "`.dossier-site`), and neither be, hold nor lie in the content, theme, schemas or cache "
        "folder, nor be or hold the project folder or a Git repository",
    )
    # Editors
    default_authors: tuple[str, ...] = setting(
        "DOSSIER_DEFAULT_AUTHORS",
        (),
        section=EDITORS,
        check=_texts,
        convert=tuple,
        doc="the byline (author ids) `dossier new article` writes when no `--author` is given",
    )

    # --- derived -------------------------------------------------------------------------------

    @property
    def content_folder(self) -> Path:
        return Path(self.content)

    @property
    def schema_folder(self) -> Path:
        return Path(self.schema_path).resolve()

    @property
    def theme_folder(self) -> Path:
        return Path(self.theme).resolve()

    @property
    def cache_folder(self) -> Path:
        return Path(self.cache_path or "cache")

    def images(self) -> list[tuple[str, str]]:
        """(setting, src) for every image the settings name."""
        out = []
        if self.publisher.logo:
            out.append(("DOSSIER_PUBLISHER.logo", self.publisher.logo))
        out += [(f"DOSSIER_DEFAULT_IMAGES[{i}]", s) for i, s in enumerate(self.default_images)]
        return out

    def read_images(self, srcs: list[str]) -> dict[str, Image]:
        """Every image the pages show (the articles' and the configured ones), with its size."""
        wanted = [*srcs, *(src for _, src in self.images())]
        return {src: read_image(self.content_folder, src) for src in dict.fromkeys(wanted)}

    def build_time(self, environ: Mapping[str, str] | None = None) -> datetime:
        """ "Now" for what depends on the build's time: what is published (an article dated
        after it is scheduled), the news sitemap's last two days.

        SOURCE_DATE_EPOCH (the reproducible-builds convention) wins, then DOSSIER_NOW, then the
        clock. Always timezone-aware."""
        environ = os.environ if environ is None else environ
        epoch = source_date_epoch(environ.get("SOURCE_DATE_EPOCH", ""))
        if epoch is not None:  # (a value that is not one is a problem ``read`` reports)
            return epoch
        if self.now:
            return parse_datetime(str(self.now))
        return datetime.now(tz=UTC)


def source_date_epoch(value: str) -> datetime | None:
    """SOURCE_DATE_EPOCH's time: whole seconds since 1970 in ASCII digits, as the
    reproducible-builds convention has it; None for anything else."""
    if not re.fullmatch(r"[0-9]+", value):
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _environment(environ: Mapping[str, str]) -> Iterator[Diagnostic]:
    """The environment's part of the settings: SOURCE_DATE_EPOCH decides what is published,
    so one that is set and cannot be read is an error, not the clock silently."""
    value = environ.get("SOURCE_DATE_EPOCH")
    if value is not None and value != "" and source_date_epoch(value) is None:
        yield _problem(
            "SOURCE_DATE_EPOCH",
            f"{value[:40]!r} is not a time: whole seconds since 1970 (UTC) are expected",
            "set it to a number such as 1694649600, or unset it for the time of the build",
            where="environment",
        )


def read(
    values: Mapping[str, Any], *, files: bool = True
) -> tuple[DossierSettings, list[Diagnostic]]:
    """The settings from Pelican's (or any mapping of setting names to values), and one
    diagnostic per problem. A setting that is wrong takes its default, where it has one, so that
    the content can still be checked. With ``files``, the images the settings name are checked
    in the content folder too."""
    problems: list[Diagnostic] = []
    chosen: dict[str, Any] = {}
    for spec in fields(DossierSettings):
        meta = spec.metadata
        name, default = meta["name"], meta["default"]
        if name not in values and default in (REQUIRED, PELICAN):
            problems.append(_problem(name, "is not set", f"add {name} = … to the settings file"))
            continue
        value = values.get(name, default)
        found = list(meta["check"](value))
        problems += [_problem(name, message, hint) for message, hint in found]
        if found and default in (REQUIRED, PELICAN):
            continue
        chosen[spec.name] = meta["convert"](default if found else value)
        if spec.name == "publisher" and files and not found:
            problems += _image_problems(chosen["publisher"].logo, values, "DOSSIER_PUBLISHER.logo")
        if spec.name == "default_images" and files and not found:
            for i, src in enumerate(chosen["default_images"]):
                problems += _image_problems(src, values, f"DOSSIER_DEFAULT_IMAGES[{i}]")
    problems += _environment(os.environ)
    missing = [f for f in fields(DossierSettings) if f.name not in chosen]
    if missing:  # a required setting is missing or wrong: stand-ins, so the check can go on
        chosen |= {f.name: _STAND_INS[f.name] for f in missing}
    return DossierSettings(**chosen), problems


# What a missing required setting is replaced with while the rest is checked: the build stops
# on the diagnostic anyway.
_STAND_INS: dict[str, Any] = {
    "site_url": "https://example.invalid",
    "publisher": Publisher("?"),
    "links_url": "",
    "content": "content",
    "article_paths": ("articles",),
    "theme": "theme",
    "default_lang": "en",
    "timezone": "UTC",
    "article_url": "{lang}/{slug}/",
    "cache_path": "cache",
    "output_path": "output",
}


def of(values: Mapping[str, Any]) -> DossierSettings:
    """Settings that must be right (tests, tools): a ValueError naming every problem, else the
    settings. Image files are not looked at."""
    settings, problems = read(values, files=False)
    if problems:
        raise ValueError("; ".join(d.format() for d in problems))
    return settings


def with_output(settings: DossierSettings, output: Path) -> DossierSettings:
    return replace(settings, output_path=str(output))


def _image_problems(src: str | None, values: Mapping[str, Any], setting: str) -> list[Diagnostic]:
    content = Path(values.get("PATH", "."))
    if not src or is_remote(src):
        return []
    file = local_file(content, src)
    if not file.is_file():
        return [_problem(setting, f"no file at {_shown(file)}", "add the image")]
    image = read_image(content, src)
    if image.width is None:
        return [_problem(setting, f"{src} is not an image file that can be read")]
    if setting.startswith("DOSSIER_DEFAULT_IMAGES") and (problem := size_problem(image)):
        return [_problem(setting, f"{src} {problem}", "use a larger image")]
    return []


def _shown(path: Path) -> str:
    """A path as the editor would type it: relative to the current folder where possible."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _problem(setting: str, message: str, hint: str = "", where: str = WHERE) -> Diagnostic:
    return Diagnostic(
        path=where,
        line=1,
        column=1,
        field=setting,
        message=message,
        hint=hint,
        code="invalid-setting",
    )


# --- documentation -----------------------------------------------------------------------------


def markdown_table() -> str:
    """docs/settings.md's tables: one per section, every setting with its default and meaning."""
    out: list[str] = []
    sections: dict[str, list[str]] = {section: [] for section in SECTIONS}
    for spec in fields(DossierSettings):
        meta = spec.metadata
        default = meta["default"]
        shown = default if default in (REQUIRED, PELICAN) else f"`{_python(default)}`"
        sections.setdefault(meta["section"], []).append(
            f"| `{meta['name']}` | {shown} | {meta['doc']} |"
        )
    for section, rows in sections.items():
        out += [f"### {section}", "", "| setting | default | meaning |", "| --- | --- | --- |"]
        out += [*rows, ""]
    return "\n".join(out)


def _python(value: Any) -> str:
    return repr(list(value)) if isinstance(value, tuple) else repr(value)


# --- the worker processes of a build (the environment, or the command line) ----------------------

JOBS_VARIABLE = "DOSSIER_JOBS"


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def jobs_setting(value: str | None, name: str = JOBS_VARIABLE) -> int | str:
    """A number of jobs as given (``--jobs``, or ``DOSSIER_JOBS`` by default): the number, the
    cores when it is unset or empty, or what is wrong with it."""
    if value is None or not value.strip():
        return default_jobs()
    if value.strip().isdigit() and int(value) >= 1:
        return int(value)
    given = f"{name}={value!r}" if name else repr(value)
    return f"{given}: give a whole number of jobs, 1 or more"
