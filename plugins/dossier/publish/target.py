"""Publish stage, the target: whether a folder may receive the published site.

Publishing replaces the output folder whole, and deletes what was in it. So before the build
makes anything, the folder it would replace is checked against what the build reads and what no
build made. It is refused when it

- is or holds the content folder, the project (the settings file's folder), the theme, the
  schemas or the cache, or holds a Git repository (``.git``);
- lies inside the content folder (or the folders content is read from, when the content
  folder is the project itself), the theme, the schemas or the cache, inside a ``.git`` folder,
  or inside another site Dossier published (inside the project is where it belongs:
  ``output/``);
- is not a folder, or bears the name of the build's own staging folders;
- exists, holds files, and was not published by Dossier: Dossier marks what it publishes with a
  small file, ``.dossier-site`` (``MARKER``); a folder published before the marker existed
  counts when the cache's manifest of it (``publish.reuse``) names files it still holds as
  they were written.

Paths are compared with every symbolic link resolved. ``refusal`` decides from what was found
at the paths (``Found``), and touches nothing; ``check_output`` looks and decides.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from dossier.publish.reuse import manifest_path
from dossier.settings import DossierSettings

MARKER = ".dossier-site"
# The same bytes in every build, so that two builds of the same content write the same site.
MARKER_BYTES = (
    b"This folder is a site published by Dossier (dossier build). Every build replaces it\n"
    b"whole: do not keep anything else in it.\n"
)
STAGING_PREFIX = ".dossier-build-"  # the build's staging folders (publish.transaction)
LOST_FOUND = "lost+found"  # what mkfs leaves at the root of a new file system
GIT = ".git"
_EVIDENCE = 20  # files of a manifest looked at, for a folder published before the marker


class UnsafeOutputError(Exception):
    """The output folder would delete what must stay; nothing was made or removed."""

    exitcode = 2  # a usage error (Pelican's main exits with a raised error's exitcode)

    def __init__(self, folder: Path, reason: str) -> None:
        self.folder, self.reason = folder, reason
        super().__init__(f"{folder}: {reason}")


@dataclass(frozen=True, kw_only=True)
class Inputs:
    """What a build reads and must never delete, every path resolved."""

    project: Path  # the settings file's folder
    content: Path
    theme: Path
    schemas: Path
    cache: Path
    reading: tuple[Path, ...] = ()  # below the content folder: the article folders, the registry

    @classmethod
    def of(cls, settings: DossierSettings, project: Path) -> Inputs:
        content = settings.content_folder.resolve()
        return cls(
            project=project.resolve(),
            content=content,
            theme=settings.theme_folder.resolve(),
            schemas=settings.schema_folder.resolve(),
            cache=settings.cache_folder.resolve(),
            reading=tuple(
                (content / folder).resolve()
                for folder in (*settings.article_paths, settings.registry_path)
            ),
        )

    def whole(self) -> list[tuple[str, Path]]:
        """The folders the output must neither be nor hold, the widest first."""
        return [
            ("the project folder", self.project),
            ("the content folder", self.content),
            ("the theme", self.theme),
            ("the schemas folder", self.schemas),
            ("the cache folder", self.cache),
        ]

    def interiors(self) -> list[tuple[str, Path]]:
        """The folders the output must not lie in. The project is not one (``output/`` lies
        there); nor is a content folder that is the project itself (``PATH = "."``), whose
        article folders and registry still are."""
        found = [("the content folder", self.content)] if self.content != self.project else []
        found += [
            ("the theme", self.theme),
            ("the schemas folder", self.schemas),
            ("the cache folder", self.cache),
        ]
        return found + [("a folder the content is read from", folder) for folder in self.reading]


@dataclass(frozen=True)
class Found:
    """What is at the output path now."""

    kind: str  # "missing", "folder", "file" (or anything else that is not a folder)
    entries: frozenset[str] = frozenset()  # the names in the folder
    published: bool = False  # the cache's manifest names files it holds as they were written
    mount: bool = False  # a file system of its own is mounted there
    site: Path | None = None  # a site Dossier published that the output would lie in

    @classmethod
    def at(cls, path: Path, manifest: Path | None = None, mount: bool = False) -> Found:
        site = next((p for p in path.parents if (p / MARKER).is_file()), None)
        if not path.exists():
            return cls("missing", site=site)
        if not path.is_dir():
            return cls("file", site=site)
        entries = frozenset(p.name for p in path.iterdir())
        published = MARKER not in entries and manifest is not None and _recorded(path, manifest)
        return cls("folder", entries, published, mount, site)


def refusal(output: Path, found: Found, inputs: Inputs, cwd: Path) -> str | None:
    """Why the build must not publish into ``output`` (resolved), in the words the user reads
    after the folder's name; None when it may."""
    shown = _Shown(cwd)
    instead = f"choose a folder of its own, such as {shown(_suggestion(inputs))}"
    if output.name.startswith(STAGING_PREFIX):
        return f"names beginning with {STAGING_PREFIX} are the build's staging folders; {instead}"
    if found.kind == "file":
        return f"that is a file, not a folder; {instead}"
    if GIT in output.parts:
        return f"it lies inside a Git repository's own folder ({GIT}); {instead}"
    for name, folder in inputs.whole():
        if output == folder:
            return f"that is {name}; {instead}"
    for name, folder in inputs.whole():
        if folder.is_relative_to(output):
            return f"it holds {name} ({shown(folder)}), which publishing would delete; {instead}"
    for name, folder in inputs.interiors():
        if output.is_relative_to(folder):
            return f"it lies inside {name} ({shown(folder)}); {instead}"
    if found.site is not None:
        return (
            f"it lies inside the site published at {shown(found.site)}, which the next build "
            f"there replaces whole; {instead}"
        )
    if GIT in found.entries:
        return f"it holds a Git repository ({GIT}), which publishing would delete; {instead}"
    if _others(found):
        return (
            f"it holds files that no Dossier build published (there is no {MARKER} in it), "
            f"which publishing would delete; {instead}, or empty this one yourself if none of "
            "it is needed"
        )
    return None


def check_output(output: Path, inputs: Inputs, cwd: Path | None = None) -> Path:
    """``output`` resolved, when the build may publish there; raises UnsafeOutputError otherwise.
    Looks, and touches nothing."""
    try:
        resolved = output.resolve()
    except (OSError, RuntimeError) as error:  # a loop of symbolic links
        raise UnsafeOutputError(output, f"its path cannot be resolved ({error})") from None
    manifest = manifest_path(inputs.cache, resolved)
    found = Found.at(resolved, manifest, is_mount(resolved))
    reason = refusal(resolved, found, inputs, (cwd or Path.cwd()).resolve())
    if reason is not None:
        raise UnsafeOutputError(output, reason)
    return resolved


def is_mount(path: Path) -> bool:
    """Whether a file system is mounted at ``path`` (a container's volume): it cannot be renamed
    or swapped, only written into. os.path.ismount misses a folder bind-mounted from the same
    file system; Linux lists every mount point in /proc/self/mountinfo."""
    if os.path.ismount(path):
        return True
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    wanted = str(path)
    return any(_mount_point(line) == wanted for line in lines)


def _mount_point(line: str) -> str:
    """The fifth field of a line of mountinfo, its octal escapes (a space is \\040) undone."""
    fields = line.split(" ")
    if len(fields) < 5:
        return ""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[4])


def _others(found: Found) -> bool:
    """Whether the folder holds anything a build did not publish."""
    if found.kind != "folder" or MARKER in found.entries or found.published:
        return False
    ignored = {LOST_FOUND} if found.mount else set()
    return any(
        name not in ignored and not name.startswith(STAGING_PREFIX) for name in found.entries
    )


def _recorded(folder: Path, manifest: Path) -> bool:
    """Whether the cache's manifest of ``folder`` names files it still holds as they were
    written (a folder published before the marker existed)."""
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        names = list(files)[:_EVIDENCE]
        for name in names:
            stat = (folder / name).stat()
            if [stat.st_size, stat.st_mtime_ns] != list(files[name][1:3]):
                return False
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return False
    return bool(names)


def _suggestion(inputs: Inputs) -> Path:
    """A folder the build could publish into: ``output`` in the project, unless that is taken."""
    read = [folder for _, folder in inputs.interiors()]
    for name in ("output", "site", "public"):
        candidate = inputs.project / name
        if not any(f.is_relative_to(candidate) or candidate.is_relative_to(f) for f in read):
            return candidate
    return inputs.project / "output"


class _Shown:
    """A path as the user would type it: relative to the current folder where it lies below."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd

    def __call__(self, path: Path) -> str:
        return path.relative_to(self.cwd).as_posix() if path.is_relative_to(self.cwd) else str(path)
