"""Build the same content with two versions of the code and compare the sites, byte for byte.

``python bench/compare_builds.py --base REF [--stories 2000] [--seed 1] [--keep]``

Use it to show that a restructuring changes no output: commit or not, then run
``python bench/compare_builds.py --base main`` and expect one "identical" line per site and exit
status 0. REF is any git revision of this repository (``main``, ``HEAD~3``, a commit id); its
tree is exported (``git archive``) into a temporary folder and compared with the working tree
this script lives in, uncommitted edits included ("ours"). Two sites are built by each: the
sample content (``content/`` of ours, for both builds, so that only the code differs) and a
generated corpus of ``--stories`` stories (``bench/make_corpus.py``, kept in ``bench/.cache/``;
``--stories 0``: the sample only). Every build starts from nothing in a site folder of its own
(no caches, no published site) and runs as ``python -m dossier build`` with the tree's
``plugins/`` first on PYTHONPATH, its settings (``pelicanconf.py``), theme and schemas, and the
same SOURCE_DATE_EPOCH and PYTHONHASHSEED. The output trees must hold the same file names and
the same bytes, except the files Pagefind 1.5.2 names by content hash and writes in a random
hash-map order (``tests/support/pagefind.py``, UNSTABLE): those are compared decoded, per shard. A
difference lists the first files that differ and a short diff of the first one that is text.
Exit status: 0 when every site is identical, 1 when one differs, 2 when nothing could be
compared (a build failed, REF names no commit). ``--keep`` keeps the temporary folders (the
exported tree, each build's site folder) and prints where they are. Build times are printed
for information only.
"""

from __future__ import annotations

import argparse
import difflib
import os
import pprint
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from run import corpus  # noqa: E402

from tests.support.pagefind import UNSTABLE, shard  # noqa: E402

# The time "now" of every build (the news sitemap lists the articles of the two days before it)
# and one hash seed for all: what differs between the two builds is the code, nothing else.
ENV = {"SOURCE_DATE_EPOCH": "1694649600", "PYTHONHASHSEED": "1"}
LISTED = 20  # differing files named
DIFF_LINES = 40  # lines of the diff shown
WIDTH = 200  # a longer line is shown around where the two versions part

SETTINGS = '''"""One build of bench/compare_builds.py: {label}."""

import sys

sys.path.insert(0, {tree!r})

from pelicanconf import *  # noqa: F403

PATH = {content!r}
THEME = {theme!r}
PLUGIN_PATHS = [{plugins!r}]
OUTPUT_PATH = {output!r}
CACHE_PATH = {cache!r}
DOSSIER_SCHEMA_PATH = {schema!r}
'''


def say(text: str) -> None:
    print(text, flush=True)  # noqa: T201


def fail(text: str) -> NoReturn:
    """Stop: nothing could be compared (status 2; 1 means the sites differ)."""
    print(text, file=sys.stderr, flush=True)  # noqa: T201
    sys.exit(2)


@dataclass
class Comparison:
    """Two output trees side by side: what differs, and how many files were compared how."""

    files: int
    base_files: int
    decoded: int = 0
    differ: list[tuple[str, str]] = field(default_factory=list)  # (path, how)
    diff: list[str] = field(default_factory=list)


def export(ref: str, folder: Path) -> str:
    """Write the tree of ``ref`` into ``folder``; its commit id."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not commit:
        fail(f"{ref!r} names no commit of {ROOT}")
    folder.mkdir(parents=True)
    archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", commit], stdout=subprocess.PIPE)
    untar = subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=False)
    archive.stdout.close()  # tar holds it now
    if archive.wait() or untar.returncode:
        fail(f"could not export {ref} ({commit}) into {folder}")
    return commit


def build(label: str, tree: Path, content: Path, site: Path) -> float:
    """Build ``content`` with the code, settings, theme and schemas of ``tree`` in the new site
    folder ``site`` (its output in ``site/output``); the wall seconds it took."""
    site.mkdir(parents=True)
    settings = SETTINGS.format(
        label=label,
        tree=str(tree),
        content=str(content),
        theme=str(tree / "theme"),
        plugins=str(tree / "plugins"),
        output=str(site / "output"),
        cache=str(site / "cache"),
        schema=str(tree / "schema"),
    )
    (site / "settings.py").write_text(settings, encoding="utf-8")
    env = os.environ | ENV | {"PYTHONPATH": str(tree / "plugins")}
    # The tree's code, not the copy installed in the virtualenv: else both builds run the same.
    found = subprocess.run(
        [sys.executable, "-c", "import dossier; print(dossier.__file__)"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not Path(found).is_relative_to(tree / "plugins"):
        fail(f"{label}: Python imports dossier from {found or '?'}, not {tree / 'plugins'}")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dossier", "build", "--settings", "settings.py"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        fail(f"{label}: the build failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds


def files(output: Path) -> dict[str, Path]:
    """Every file below ``output``, by its path relative to it."""
    return {p.relative_to(output).as_posix(): p for p in output.rglob("*") if p.is_file()}


def compare(ours: Path, base: Path) -> Comparison:
    """The two output trees: the same names and bytes, and Pagefind's unstable files by what
    they hold (one view per shard folder)."""
    mine, theirs = files(ours), files(base)
    result = Comparison(len(mine), len(theirs))
    shards: set[str] = set()
    first_text: tuple[str, str, str] | None = None
    for name in sorted(mine.keys() | theirs.keys()):
        if UNSTABLE.fullmatch(name):
            shards.add(name.split("/")[1])
            result.decoded += name in mine
        elif name not in theirs:
            result.differ.append((name, "only in ours"))
        elif name not in mine:
            result.differ.append((name, "only in base"))
        elif (new := mine[name].read_bytes()) != (old := theirs[name].read_bytes()):
            result.differ.append((name, "differs"))
            if first_text is None and None not in (was := text(old), now := text(new)):
                first_text = (name, was, now)
    first_shard: tuple[str, str, str] | None = None
    for name in sorted(shards):
        mine_view, their_view = (decoded(output / "pagefind" / name) for output in (ours, base))
        if mine_view == their_view:
            continue
        if (where := broken(mine_view, their_view)) is None:
            where = parts(mine_view, their_view)
            if first_shard is None:
                first_shard = (name, readable(their_view), readable(mine_view))
        result.differ.append((f"pagefind/{name}/", f"differs decoded ({where})"))
    result.differ.sort()
    if first_text is not None:
        result.diff = text_diff(*first_text)
    elif first_shard is not None:
        name, old_view, new_view = first_shard
        result.diff = text_diff(f"pagefind/{name}/ (decoded)", old_view, new_view)
    return result


def decoded(bundle: Path) -> dict:
    """A shard folder's unstable files, decoded (tests/support/pagefind.py, shard), or what keeps
    them from being read (a file missing, or not what Pagefind writes)."""
    if not (bundle / "pagefind-entry.json").is_file():
        return {"unreadable": "no pagefind-entry.json"}
    try:
        return shard(bundle)
    except (OSError, ValueError, LookupError, AssertionError) as error:
        return {"unreadable": f"{type(error).__name__}: {error}".replace(str(bundle), "")}


def broken(ours: dict, base: dict) -> str | None:
    """What keeps a shard from being compared part by part, if anything."""
    for label, view in (("ours", ours), ("base", base)):
        if "unreadable" in view:
            return f"unreadable in {label}: {view['unreadable']}"
    return None


def parts(ours: dict, base: dict) -> str:
    """Where two decoded shards differ: "en filters", "entry", …"""
    found = []
    for key in sorted(ours.keys() | base.keys()):
        mine, theirs = ours.get(key), base.get(key)
        if mine == theirs:
            continue
        if isinstance(mine, dict) and isinstance(theirs, dict) and key != "entry":
            keys = sorted(mine.keys() | theirs.keys())
            found += [f"{key} {k}" for k in keys if mine.get(k) != theirs.get(k)]
        else:
            found.append(key)
    return ", ".join(found)


def text(data: bytes) -> str | None:
    """The text of a file, or None if it is no UTF-8 text."""
    try:
        string = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\0" in string else string


def readable(view: object) -> str:
    return pprint.pformat(view, width=WIDTH)


def text_diff(name: str, old: str, new: str) -> list[str]:
    """The first lines of a unified diff from base to ours; a long line only around the column
    where the first differing lines part."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    column = 0
    for a, b in zip(old_lines, new_lines, strict=False):
        if a != b:
            column = next(
                (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)),
            )
            break
    lines = difflib.unified_diff(
        old_lines, new_lines, f"base/{name}", f"ours/{name}", lineterm="", n=2
    )
    shown = []
    for i, line in enumerate(lines):
        if i == DIFF_LINES:
            shown.append("…")
            break
        if len(line) > WIDTH and line[0] in "+-" and not line.startswith(("+++", "---")):
            start = max(0, column - WIDTH // 3)
            shown.append(f"{line[0]}…{line[start + 1 : start + WIDTH]}…")
        elif len(line) > WIDTH:
            shown.append(f"{line[:WIDTH]}…")
        else:
            shown.append(line)
    return shown


def report(site: str, result: Comparison) -> bool:
    """Print the result for one site; whether it was identical."""
    count = f"{result.files:,} files"
    if result.base_files != result.files:
        count = f"{result.files:,} files in ours, {result.base_files:,} in base"
    pagefind = f"{result.decoded} Pagefind files compared decoded"
    if not result.differ:
        say(f"{site}: {count}, identical ({pagefind})")
        return True
    say(f"{site}: {count}, {len(result.differ):,} differ ({pagefind}):")
    for path, how in result.differ[:LISTED]:
        say(f"  {how}: {path}")
    if len(result.differ) > LISTED:
        say(f"  … and {len(result.differ) - LISTED:,} more")
    for line in result.diff:
        say(f"    {line}")
    return False


def sites(stories: int, seed: int) -> Iterator[tuple[str, Path]]:
    """The sites to build: the sample, then the corpus (made when first needed)."""
    yield "sample", ROOT / "content"
    if stories:
        yield f"corpus n{stories}-s{seed}", corpus(stories, seed) / "content"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    parser.add_argument("--stories", type=int, default=2000, help="stories in the corpus (0: none)")
    parser.add_argument("--seed", type=int, default=1, help="the corpus's seed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args(argv)
    temp = Path(tempfile.mkdtemp(prefix="dossier-compare-"))
    same = True
    try:
        base = temp / "base"
        commit = export(args.base, base)
        say(f"ours: {ROOT}; base: {args.base} = {commit[:12]}")
        for number, (site, content) in enumerate(sites(args.stories, args.seed)):
            outputs, times = {}, {}
            for label, tree in (("base", base), ("ours", ROOT)):
                folder = temp / f"site{number}-{label}"
                times[label] = build(f"{site}, {label}", tree, content, folder)
                outputs[label] = folder / "output"
            say(f"{site}: built by base in {times['base']:.1f} s, by ours in {times['ours']:.1f} s")
            same &= report(site, compare(outputs["ours"], outputs["base"]))
    finally:
        if args.keep:
            say(f"kept: {temp} (base/: the exported tree; site*-base/, site*-ours/: the builds)")
        else:
            shutil.rmtree(temp, ignore_errors=True)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
