"""Read stage, whole tree: find every article and registry file and read each into a Document;
list the static files the build would copy into the site; and report, located, every file the
build would read or copy that it must not: links out of the content folder, files that are no
regular files (a FIFO would hang the build), files in a static folder that are no image the
site serves (or links), and pages, which Dossier does not publish.

Hidden files and folders (a name starting with '.') are left out here, and the build leaves them
out too (``plugin.on_initialized``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dossier.diagnostics import UNPRINTABLE, Diagnostic
from dossier.read.check_cache import CheckCache
from dossier.read.images import STATIC_TYPES
from dossier.read.source import Document, read_article, read_entity
from dossier.slugs import slugify
from dossier.spelling import closest
from dossier.words import character, did_you_mean

# What Pelican's readers read (Markdown, HTML, reStructuredText): in a page folder, a page.
PAGE_SUFFIXES = frozenset({".md", ".markdown", ".mkd", ".mdown", ".html", ".htm", ".rst"})
# A static file's name, in bytes: the copies made for srcset add a width ("-1200w") to it, and
# a file system takes at most 255 bytes.
MAX_NAME_BYTES = 200


@dataclass(frozen=True)
class EntityFile:
    kind: str
    id: str
    doc: Document


@dataclass(frozen=True)
class StaticFile:
    """A file of a static folder (``STATIC_PATHS``): the build copies it into the site as it is."""

    path: Path  # absolute, below the resolved content folder
    display: str


@dataclass
class Corpus:
    articles: list[Document] = field(default_factory=list)
    entities: list[EntityFile] = field(default_factory=list)
    layout: list[Diagnostic] = field(default_factory=list)  # files in the wrong place or form
    static: list[StaticFile] = field(default_factory=list)  # images whose type and name are fine
    # The files a planned change (``Overlay``) writes or removes: links to them are judged by
    # the change, not by the disk.
    planned: Mapping[Path, bytes | None] = field(default_factory=dict)


# Files as a command is about to leave them, read in place of the disk's: path -> the bytes it
# will hold, or None for a file it will remove. Paths are absolute.
Overlay = Mapping[Path, bytes | None]


def display_path(path: Path, base: Path) -> str:
    """Paths as editors type them: relative to the working folder where possible."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def read_corpus(
    content: Path,
    article_dirs: list[str],
    registry_dir: str,
    kinds: list[str],
    id_pattern: str,
    cwd: Path,
    cache: CheckCache | None = None,
    articles: Collection[Path] | None = None,
    on_file: Callable[[Path], None] | None = None,
    overlay: Overlay | None = None,
    *,
    static_dirs: Sequence[str] = (),
    page_dirs: Sequence[str] = (),
    static: Collection[Path] | None = None,
) -> Corpus:
    """Every article and registry file below ``content``; with ``articles``, only those articles
    (and still the whole registry, which any check of an article needs). ``on_file`` hears of
    each file read, for a progress display. The static files of ``static_dirs`` (with
    ``static``, only those) are listed, and the files of ``page_dirs`` that Pelican would read
    as pages are reported. With ``overlay``, the content as a change would leave it: its
    files read from memory, its removed files left out, the disk untouched."""
    corpus = Corpus()
    content = content.resolve()
    seen = on_file or (lambda path: None)
    planned = {path.parent.resolve() / path.name: raw for path, raw in (overlay or {}).items()}
    corpus.planned = planned

    def layout(path: Path, message: str, hint: str = "", code: str = "layout") -> None:
        shown = display_path(path, cwd)
        corpus.layout.append(
            Diagnostic(
                path=shown, line=1, column=1, field="", message=message, hint=hint, code=code
            )
        )

    def files(root: Path):
        for path, kind in _overlaid(_walk(root), root, planned):
            if kind == "link" and not path.resolve().is_relative_to(content):
                layout(
                    path,
                    "is a link to a file outside the content folder",
                    "copy the file into content/ instead",
                    "outside-content",
                )
            elif not _usable(path, kind, layout):
                continue
            elif kind == "file" or path.is_file():
                yield path

    for folder in article_dirs:
        for path in files(content / folder):
            if articles is not None and path not in articles:
                continue
            seen(path)
            if path.suffix == ".md":
                shown = display_path(path, cwd)
                corpus.articles.append(read_article(path, shown, cache, planned.get(path)))
            elif path.suffix in {".markdown", ".mkd", ".mdown"}:
                layout(path, "articles must end in .md", f"rename it to {path.stem}.md")
            else:
                layout(
                    path,
                    "is not an article: only Markdown files (.md) belong here",
                    "put images in content/images/",
                )

    registry = content / registry_dir
    valid_id = re.compile(id_pattern)
    for path in files(registry):
        seen(path)
        parts = path.relative_to(registry).parts
        if len(parts) != 2:
            layout(
                path,
                "registry files live in content/entities/<kind>/<id>.yaml",
                f"kinds are: {', '.join(kinds)}",
            )
            continue
        kind = parts[0]
        if kind not in kinds:
            hint = did_you_mean(closest(kind, kinds)) or f"kinds are: {', '.join(kinds)}"
            layout(path, f"unknown registry kind '{kind}'", hint, "unknown-kind")
            continue
        if path.suffix != ".yaml":
            hint = f"rename it to {path.stem}.yaml" if path.suffix == ".yml" else ""
            layout(path, "registry files end in .yaml", hint)
            continue
        if not valid_id.fullmatch(path.stem):
            suggestion = slugify(path.stem)
            hint = f"rename it to {suggestion}.yaml" if valid_id.fullmatch(suggestion) else ""
            taken = path.with_name(f"{suggestion}.yaml")
            if hint and taken.is_file() and taken.name != path.name:
                # `Kim-Jong-Un.yaml` beside `kim-jong-un.yaml`: renaming would overwrite it.
                hint = (
                    f"{display_path(taken, cwd)} already has the id '{suggestion}': "
                    "merge the two files or choose another id"
                )
            layout(
                path,
                f"'{path.stem}' is not a valid id: use lowercase letters a-z, digits "
                "and single hyphens",
                hint,
                "invalid-id",
            )
            continue
        doc = read_entity(path, display_path(path, cwd), cache, planned.get(path))
        corpus.entities.append(EntityFile(kind, path.stem, doc))
    for folder in static_dirs:
        _read_static(content / folder, corpus, layout, cwd, static)
    pages = [content / folder for folder in page_dirs]
    articles_dirs = [content / folder for folder in article_dirs]
    for root in pages:
        for path, kind in _walk(root):
            if any(path.is_relative_to(a) for a in articles_dirs if not root.is_relative_to(a)):
                continue  # Pelican reads the article folders as articles only
            if path.suffix in PAGE_SUFFIXES and _usable(path, kind, layout):
                layout(
                    path,
                    "would be read as a page, and Dossier publishes no pages",
                    f"make it an article (in {_folder(articles_dirs, content)}) or move it out "
                    "of the content folder",
                    "page",
                )
    return corpus


def mentioning(
    roots: Sequence[Path], words: Collection[str], overlay: Overlay | None = None
) -> set[Path]:
    """The Markdown files below ``roots`` (absolute, resolved) whose text holds one of
    ``words`` (an entry's id, an image's name): found by their bytes, without reading them as
    articles, so that a check of an entry reads only the articles that may name it. A file
    whose front matter holds a backslash is found too: YAML's escapes can spell any id
    (``"\\x6bim"``). With ``overlay``, the files as a change would leave them."""
    planned = {path.parent.resolve() / path.name: raw for path, raw in (overlay or {}).items()}
    needles = [word.encode("utf-8") for word in words]
    found: set[Path] = set()
    for root in roots:
        for path, kind in _overlaid(_walk(root), root, planned):
            if path.suffix != ".md" or kind not in {"file", "link"}:
                continue
            raw = planned.get(path)
            if raw is None:
                try:
                    raw = path.read_bytes()
                except OSError:
                    found.add(path)  # reading it reports why
                    continue
            end = raw.find(b"\n---", 3)
            front = raw if end < 0 else raw[:end]
            if b"\\" in front or any(needle in raw for needle in needles):
                found.add(path)
    return found


Layout = Callable[..., None]  # layout(path, message, hint, code): a problem with a file


def _usable(path: Path, kind: str, layout: Layout) -> bool:
    """Whether a listed entry can be read: reports a file name with a control character, a
    folder that cannot be read, and what is no regular file (a FIFO, a socket, a device)."""
    if found := UNPRINTABLE.search(path.name):
        layout(
            path,
            f"the file name contains the control character {character(found.group())}",
            "rename the file",
            "file-name",
        )
        return False
    if kind == "unreadable":
        layout(path, "this folder cannot be read", "check its permissions", "unreadable")
        return False
    if kind == "link" and not path.exists():
        layout(path, "is a link to nothing", "remove it, or copy the file here", "not-a-file")
        return False
    if kind == "other" or (kind == "link" and not path.is_file()):
        if kind == "link" and path.is_dir():
            return True  # a linked folder is not followed
        layout(
            path,
            "is not a regular file (a FIFO, a socket or a device)",
            "remove it: the build would wait on it, or read a device",
            "not-a-file",
        )
        return False
    return True


def _read_static(
    root: Path, corpus: Corpus, layout: Layout, cwd: Path, only: Collection[Path] | None
) -> None:
    """The files of one static folder: images the site serves, as regular files; anything else
    is reported. Names that differ only in case or Unicode normalisation are one file on macOS
    and Windows: the second is reported."""
    if root.is_symlink():
        layout(
            root,
            "the static folder is a symbolic link: the build would copy what it points to",
            "make it a folder of its own and copy the images into it",
            "static-link",
        )
        return
    names: dict[str, Path] = {}
    for path, kind in _walk(root):
        if only is not None and path not in only:
            continue
        if not _usable(path, kind, layout):
            continue
        folded = unicodedata.normalize("NFC", path.relative_to(root).as_posix()).casefold()
        other = names.setdefault(folded, path)
        suffix = path.suffix.lower().removeprefix(".")
        if kind == "link":
            layout(
                path,
                "is a symbolic link: the build would copy what it points to",
                "copy the file itself here instead",
                "static-link",
            )
        elif suffix not in STATIC_TYPES:
            kinds = ", ".join(f".{t}" for t in STATIC_TYPES)
            hint = f"only images are published from here ({kinds})"
            if suffix == "svg":  # a document that can hold scripts, served from the site's origin
                hint = "SVG files can carry scripts: export it as PNG or WebP"
            layout(path, "is not an image the site publishes", hint, "static-type")
        elif len(path.name.encode("utf-8")) > MAX_NAME_BYTES:
            layout(
                path,
                f"the file name is {len(path.name.encode('utf-8'))} bytes long; the limit is "
                f"{MAX_NAME_BYTES}",
                "give it a shorter name",
                "file-name",
            )
        elif other != path:
            layout(
                path,
                f"differs from {display_path(other, cwd)} only in case or Unicode "
                "normalisation: on macOS and Windows they are one file",
                "rename one of them",
                "file-name",
            )
        else:
            corpus.static.append(StaticFile(path, display_path(path, cwd)))


def _folder(roots: list[Path], content: Path) -> str:
    return f"content/{roots[0].relative_to(content).as_posix()}/" if roots else "content/"


def _overlaid(
    walked: list[tuple[Path, str]], root: Path, planned: Overlay
) -> list[tuple[Path, str]]:
    """``_walk``'s entries with the planned files below ``root`` added (as regular files) and
    the removed ones left out, in the same order."""
    if not planned:
        return walked
    entries = dict(walked)
    for path, raw in planned.items():
        if raw is None:
            entries.pop(path, None)
        elif path.is_relative_to(root) and not any(
            part.startswith(".") for part in path.relative_to(root).parts
        ):
            entries[path] = "file"
    order = sorted(entries, key=lambda path: path.relative_to(root).parts)
    return [(path, entries[path]) for path in order]


def _walk(root: Path) -> list[tuple[Path, str]]:
    """(path, kind) for every entry below ``root``, in path order, where kind is "file" (a
    regular file), "link" (a symbolic link: to a folder, listed but not followed), "other" (a
    FIFO, socket or device) or "unreadable" (a folder that cannot be listed); hidden files and
    folders (editor and OS droppings: .DS_Store, .swp) left out. Directory scans only: a large
    archive has tens of thousands of files, and a stat call for each adds up."""
    found: list[tuple[tuple[str, ...], Path, str]] = []
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, parts = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue  # no such folder (no pages, say), or it went away
        except OSError:
            found.append((parts, folder, "unreadable"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path, where = Path(entry.path), (*parts, entry.name)
            if entry.is_dir(follow_symlinks=False):
                stack.append((path, where))
            elif entry.is_symlink():
                found.append((where, path, "link"))
            else:
                kind = "file" if entry.is_file(follow_symlinks=False) else "other"
                found.append((where, path, kind))
    return [(path, kind) for _, path, kind in sorted(found, key=lambda f: f[0])]
