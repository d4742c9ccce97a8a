"""Read stage, whole tree: find every article and registry file and read each into a Document."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dossier.diagnostics import Diagnostic
from dossier.read.check_cache import CheckCache
from dossier.read.source import Document, read_article, read_entity
from dossier.words import did_you_mean


@dataclass(frozen=True)
class EntityFile:
    kind: str
    id: str
    doc: Document


@dataclass
class Corpus:
    articles: list[Document] = field(default_factory=list)
    entities: list[EntityFile] = field(default_factory=list)
    layout: list[Diagnostic] = field(default_factory=list)  # files in the wrong place or form


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
) -> Corpus:
    """Every article and registry file below ``content``; with ``articles``, only those articles
    (and still the whole registry, which any check of an article needs). ``on_file`` hears of
    each file read, for a progress display. With ``overlay``, the content as a change would
    leave it: its files read from memory, its removed files left out, the disk untouched."""
    corpus = Corpus()
    content = content.resolve()
    seen = on_file or (lambda path: None)
    planned = {path.parent.resolve() / path.name: raw for path, raw in (overlay or {}).items()}

    def layout(path: Path, message: str, hint: str = "", code: str = "layout") -> None:
        shown = display_path(path, cwd)
        corpus.layout.append(
            Diagnostic(
                path=shown, line=1, column=1, field="", message=message, hint=hint, code=code
            )
        )

    def files(root: Path):
        for path, is_link, is_file in _overlaid(_walk(root), root, planned):
            if is_link and not path.resolve().is_relative_to(content):
                layout(
                    path,
                    "is a link to a file outside the content folder",
                    "copy the file into content/ instead",
                    "outside-content",
                )
                continue
            if is_file:
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
            close = difflib.get_close_matches(kind, kinds, n=1)
            hint = did_you_mean(close[0]) if close else f"kinds are: {', '.join(kinds)}"
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
    return corpus


def _overlaid(
    walked: list[tuple[Path, bool, bool]], root: Path, planned: Overlay
) -> list[tuple[Path, bool, bool]]:
    """``_walk``'s entries with the planned files below ``root`` added and the removed ones
    left out, in the same order."""
    if not planned:
        return walked
    entries = {path: (link, is_file) for path, link, is_file in walked}
    for path, raw in planned.items():
        if raw is None:
            entries.pop(path, None)
        elif path.is_relative_to(root) and not any(
            part.startswith(".") for part in path.relative_to(root).parts
        ):
            entries[path] = (False, True)
    order = sorted(entries, key=lambda path: path.relative_to(root).parts)
    return [(path, *entries[path]) for path in order]


def _walk(root: Path) -> list[tuple[Path, bool, bool]]:
    """(path, is a symbolic link, is a file) for every entry below ``root``, in path order;
    hidden files and folders (editor and OS droppings: .DS_Store, .swp) left out, links to
    folders listed but not followed. Directory scans only: a large archive has tens of
    thousands of files, and a stat call for each adds up."""
    found: list[tuple[tuple[str, ...], Path, bool, bool]] = []
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, parts = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path, where = Path(entry.path), (*parts, entry.name)
            if entry.is_dir(follow_symlinks=False):
                stack.append((path, where))
            elif entry.is_symlink():
                found.append((where, path, True, path.is_file()))
            else:
                found.append((where, path, False, entry.is_file(follow_symlinks=False)))
    return [(path, link, is_file) for _, path, link, is_file in sorted(found, key=lambda f: f[0])]


def slugify(text: str) -> str:
    """A valid id from any text, for suggestions: 'Kim Jong Ün' -> 'kim-jong-un'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
