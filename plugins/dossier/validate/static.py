"""Validate stage, static files and the links that reach them.

The build copies the files of the static folders (``STATIC_PATHS``) into the site as they are,
and also any file an article's body links with ``{static}`` or ``{attach}`` (Pelican's link
syntax, also written ``|static|``), wherever it is, even outside the content folder. So every
static file must be an image of the type its name says, within the pixel limit; and every such
link must name one of them: a regular file in a static folder, with a name that is neither
hidden nor a link. ``{filename}`` links must name an article or such an image.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dossier.diagnostics import Diagnostic
from dossier.read.check_cache import CheckCache, digest
from dossier.read.corpus import StaticFile
from dossier.read.images import STATIC_TYPES, ImageProblem, image_problem
from dossier.read.source import Document, Position
from dossier.settings import DossierSettings
from dossier.words import did_you_mean

# Pelican's intrasite links ({static}, |static| and their mixes), also as Markdown escapes them
# (\{static\}). What follows is the address, read by ``_addresses``.
LINK = re.compile(r"\\?[{|](?P<what>static|attach|filename)\\?[|}]")
_ATTRIBUTE = re.compile(r"=\s*(?P<quote>[\"'])\s*$")  # a quoted HTML attribute's start, before
_HINT_STATIC = "link to an image in a static folder, e.g. {static}/images/photo.jpg"


def check_static_files(
    files: Iterable[StaticFile], max_pixels: int, skip: Collection[Path] = frozenset()
) -> Iterator[Diagnostic]:
    """Every static file is an image of the type its name says and has at most ``max_pixels``
    pixels. ``skip``: files the articles show, which their checks open in full."""
    for static in files:
        if static.path in skip:
            continue
        if problem := image_problem(static.path, max_pixels):
            yield Diagnostic(
                path=static.display,
                line=1,
                column=1,
                field="",
                message=problem.message,
                hint=problem.hint,
                code=problem.code,
            )


def decoded_problem(path: Path, max_pixels: int, cache: CheckCache | None) -> ImageProblem | None:
    """``image_problem`` with the whole image decoded, as the build decodes an article's image
    to make its smaller copies. An image that decoded before is not decoded again: the check
    cache keeps the verdict under the file's size and time and a digest of its first and last
    64 KiB (hashing every image whole on every check would cost more than it saves)."""
    if cache is None:
        return image_problem(path, max_pixels, decode=True)
    try:
        stat = path.stat()
        with path.open("rb") as file:
            head = file.read(65_536)
            file.seek(max(stat.st_size - 65_536, 0))
            tail = file.read()
    except OSError as error:
        return ImageProblem(f"cannot be read: {error.strerror}", "check the file")
    sample = hashlib.blake2b(head + tail, digest_size=16).hexdigest()
    key = digest("decoded image", str(max_pixels), f"{stat.st_size} {stat.st_mtime_ns}", sample)
    if cache.passed(key):
        return None
    problem = image_problem(path, max_pixels, decode=True)
    if problem is None:
        cache.record_pass(key)
    return problem


def check_links(
    doc: Document,
    settings: DossierSettings,
    planned: Mapping[Path, bytes | None] | None = None,
) -> Iterator[Diagnostic]:
    """The body's {static}, {attach} and {filename} links, each where it is written.
    ``planned``: the files a planned change writes or removes (None), as the links find them."""
    body = doc.body
    if "static" not in body and "attach" not in body and "filename" not in body:
        return  # as most texts are: no link to look at
    content = settings.content_folder.resolve()
    for number, line in enumerate(body.split("\n")):
        if "static" not in line and "attach" not in line and "filename" not in line:
            continue
        for found in LINK.finditer(line):
            what = found.group("what")
            address, others = _addresses(line[: found.start()], line[found.end() :])
            problem = _link_problem(
                doc.path.parent, what, address, others, content, settings, planned or {}
            )
            if problem is not None:
                shown, message, hint, code = problem
                where = Position(doc.body_line + number, found.start() + 1)
                link = f"{{{what}}}{shown}"
                yield doc.diagnostic(where, "text", f"{link}: {message}", hint, code=code)


def link_addresses(line: str) -> Iterator[tuple[int, str]]:
    """Each {static}, {attach} and {filename} link of a line of an article's text: where its
    address starts on the line, and the address as check reads it."""
    if "static" in line or "attach" in line or "filename" in line:
        for found in LINK.finditer(line):
            yield found.end(), _addresses(line[: found.start()], line[found.end() :])[0]


def link_target(folder: Path, address: str, content: Path) -> Path:
    """The file a link's address names, for an article in ``folder`` (``content``: the content
    folder, resolved), as check and the build find it."""
    return _target(folder, urlsplit(address).path.replace("%20", " "), content)


def _addresses(before: str, after: str) -> tuple[str, list[str]]:
    """The address a link's indicator starts, and the other addresses it could be read as.

    In an HTML attribute it runs to the closing quote, as Pelican reads it. In Markdown
    (``[text]({static}/a.png)``, ``<{static}/a.png>``, a reference ``[x]: {static}/a.png``) it
    ends at a space, a quote or an angle bracket, and at the first ')', unless Markdown takes
    that one for part of it (``(x)`` in the address): every such reading is checked."""
    if attribute := _ATTRIBUTE.search(before):
        end = after.find(attribute.group("quote"))
        return (after[:end] if end >= 0 else after), []
    address = re.split(r"[\s\"'<>]", after, maxsplit=1)[0]
    ends = [i for i, char in enumerate(address) if char == ")"]
    readings = [address[:i] for i in ends] + [address]
    return readings[0], readings[1:]


def _link_problem(
    folder: Path,
    what: str,
    address: str,
    others: list[str],
    content: Path,
    settings: DossierSettings,
    planned: Mapping[Path, bytes | None],
) -> tuple[str, str, str, str] | None:
    """What is wrong with one link: (the address as shown, message, hint, code), or None.
    ``others``: the other readings of its address, which must not lead out of the content
    folder either; ``planned``: files a planned change writes or removes (None)."""
    if not urlsplit(address).path:
        return address, "names no file", _HINT_STATIC, "link"
    for reading in [address, *others]:
        raw = urlsplit(reading).path
        # Pelican copies what the raw path names ('%20' read as a space) and looks up the
        # unquoted and HTML-unescaped forms too: none may lead out of the content folder.
        forms = {raw.replace("%20", " "), unquote(raw), html.unescape(raw)}
        if any(not _inside(_target(folder, form, content), content) for form in forms):
            return reading, "leads out of the content folder", _HINT_STATIC, "outside-content"
    target = _target(folder, urlsplit(address).path.replace("%20", " "), content)
    shown = f"content/{target.relative_to(content).as_posix()}"
    problem = None
    if what == "filename" and target.suffix == ".md":
        if not any(target.is_relative_to(content / root) for root in settings.article_paths):
            problem = f"{shown} is not an article", "link to an article's file", "link"
        elif not (planned[target] is not None if target in planned else target.is_file()):
            problem = f"no article at {shown}", _suggestion(target, content), "missing-file"
    elif not target.exists():
        problem = f"no file at {shown}", _suggestion(target, content), "missing-file"
    elif unsafe := static_problem(target, content, settings.static_paths):
        problem = f"{shown} {unsafe}", _HINT_STATIC, "link"
    return (address, *problem) if problem else None


def static_problem(path: Path, content: Path, static_paths: Iterable[str]) -> str | None:
    """Why the build must not copy the file at ``path`` (absolute, below the resolved
    ``content``) into the site, worded after its name; None when it may: a regular file, not
    hidden and not reached through a link, in a static folder, of an image type."""
    relative = path.relative_to(content)
    if not any(relative.is_relative_to(folder) for folder in static_paths):
        folders = ", ".join(f"content/{f.strip('/')}/" for f in static_paths) or "none"
        return f"is not in a static folder ({folders}): the build would publish it as it is"
    if any(part.startswith(".") for part in relative.parts):
        return "is hidden (its name, or a folder's, starts with '.')"
    below = content
    for part in relative.parts:
        below /= part
        if below.is_symlink():
            return "is reached through a symbolic link"
    if not path.is_file():
        return "is not a regular file"
    if path.suffix.lower().removeprefix(".") not in STATIC_TYPES:
        return "is not an image the site publishes"
    return None


def _target(folder: Path, path: str, content: Path) -> Path:
    """Where a link's path leads, '..' worked out as Pelican does (not following links)."""
    base = content if path.startswith("/") else folder
    return Path(os.path.normpath(base / path.lstrip("/")))


def _inside(target: Path, content: Path) -> bool:
    return target.is_relative_to(content) and target.resolve().is_relative_to(content)


def _suggestion(target: Path, content: Path) -> str:
    """A file of the same folder whose name differs only in case; else how to fix it."""
    try:
        names = [path.name for path in target.parent.iterdir()]
    except OSError:
        names = []
    same = [n for n in names if n.lower() == target.name.lower() and n != target.name]
    if same:
        return did_you_mean(target.with_name(same[0]).relative_to(content).as_posix())
    return "add the file or correct the link"
