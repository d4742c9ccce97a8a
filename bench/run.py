"""Time plain Pelican against Dossier on generated corpora, as whole processes.

``python bench/run.py [--sizes 1000,10000] [--runs 3] [--large] [--seed S] [--hugo]
[--serve [--patience SECONDS]] [--only NAMES]``

For each size the corpus is made once (``bench/make_corpus.py``, kept in ``bench/.cache/``).
Each round then runs, in this order: (a) plain Pelican on the twin corpus, (b) a full Dossier
build (no caches, no published site), (c) ``dossier check`` as an editor runs it (its cache
warm from the build), (c') ``dossier check`` with no cache, (d) a rebuild after one article's
text changed, (d') a rebuild after the same article's title changed (its front matter: every
view is made again), (e) a rebuild after one entity (the most named actor) changed. Wall time
comes from the parent's clock; peak memory is the largest sum of the resident memory of the
process and all its children (Pagefind included), sampled every 20 ms. Builds write into
``bench/.out/``; the edited files are restored afterwards. Results go to stdout as a Markdown
table and to ``bench/.out/results-<N>.json``. ``--hugo`` adds, per size, Hugo on a twin of the
corpus (``bench/hugo_loop.py``: build, ``hugo server`` start-up and its edit loop).
``--serve`` adds, per size, ``dossier serve`` on the corpus (``bench/serve_loop.py``: start-up,
resident memory and the same edit loop; a change may take ``--patience`` seconds, default 60,
to show), and then the targets, met or not, from this run's medians: every edit shown within
300 ms, at least 10 times faster than ``hugo server`` per kind of edit (with ``--hugo``), a
start-up no slower than (c') × 1.5, resident memory at most 1 GB. They are set for 10,000
stories; other sizes are shown against them too. ``--only check_cold`` runs only the named
scenarios of the rounds (the editor loop needs no build: ``--only check_cold --hugo --serve``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
CACHE = HERE / ".cache"
OUT = HERE / ".out"
PAGE = os.sysconf("SC_PAGE_SIZE")
LABELS = {
    "plain": "(a) plain Pelican build",
    "full": "(b) Dossier full build",
    "check": "(c) dossier check",
    "check_cold": "(c') dossier check, no cache",
    "article": "(d) rebuild, one article's text edited",
    "title": "(d') rebuild, one article's title edited",
    "entity": "(e) rebuild, one entity edited",
}

DOSSIER_SETTINGS = '''"""The repository's settings, aimed at a generated corpus (bench/run.py)."""

import sys

sys.path.insert(0, {root!r})

from pelicanconf import *  # noqa: F403

PATH = {content!r}
THEME = {theme!r}
PLUGIN_PATHS = [{plugins!r}]
'''


@dataclass
class Sample:
    """One run: wall seconds and peak resident memory in MB."""

    seconds: float
    peak_mb: float


@dataclass
class Scenario:
    """A command to time, where to run it, and what to do before each run (untimed)."""

    argv: list[str]
    cwd: Path
    before: Callable[[int], None] = lambda _round: None
    samples: list[Sample] = field(default_factory=list)


def corpus(n: int, seed: int) -> Path:
    """The corpus for N and seed, made now unless the cache holds one from this generator."""
    sys.path.insert(0, str(HERE))
    from make_corpus import STAMP, generator_digest

    folder = CACHE / f"n{n}-s{seed}"
    stamp = folder / STAMP
    if stamp.is_file():
        made = json.loads(stamp.read_text())
        if made.get("generator") == generator_digest():
            return folder
    script = HERE / "make_corpus.py"
    subprocess.run(
        [sys.executable, str(script), str(n), "--seed", str(seed), "--out", str(folder)],
        check=True,
    )
    return folder


def dossier_settings(folder: Path) -> Path:
    """Write the Dossier settings for a corpus; absolute paths, so any cwd works."""
    path = folder / "dossier_settings.py"
    text = DOSSIER_SETTINGS.format(
        root=str(ROOT),
        content=str(folder / "content"),
        theme=str(ROOT / "theme"),
        plugins=str(ROOT / "plugins"),
    )
    path.write_text(text, encoding="utf-8")
    return path


def measure(argv: list[str], cwd: Path) -> Sample:
    """Run argv to completion; its wall time and the peak memory of its process tree. A failure
    stops the benchmark."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    peak = TreePeak(process.pid)
    peak.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    peak.stop()
    if process.returncode:
        sys.exit(f"{' '.join(argv)} failed ({process.returncode}):\n{output.decode()}")
    return Sample(seconds, peak.bytes / 2**20)


class TreePeak(threading.Thread):
    """The largest total resident memory of a process group (a command and its children).

    GNU time's %M reports the largest single process, which leaves out the parent while a
    child such as Pagefind runs beside it."""

    def __init__(self, group: int) -> None:
        super().__init__(daemon=True)
        self.group, self.bytes, self._done = group, 0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.02):
            self.bytes = max(self.bytes, self._resident())

    def stop(self) -> None:
        self._done.set()
        self.join()

    def _resident(self) -> int:
        total = 0
        for pid in group_pids(self.group):
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            except (OSError, ValueError, IndexError):  # ended meanwhile
                continue
        return total


def group_pids(group: int) -> list[int]:
    """The processes of a process group (a command and all its children), from ``/proc``."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == group:  # pgrp
                pids.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


class Edit:
    """Changes one file before each run (differently each round) and restores it at the end."""

    def __init__(self, path: Path, change: Callable[[str, int], str]) -> None:
        self.path, self.change = path, change
        self.original = path.read_bytes()

    def __call__(self, round_: int) -> None:
        self.path.write_text(self.change(self.original.decode(), round_), encoding="utf-8")

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def add_to_description(text: str, round_: int) -> str:
    """A registry entry with one more sentence in its English description: the entity's node
    is on every page that names it, so every one of those pages changes."""
    data = yaml.safe_load(text)
    data["description"]["en"] += f" Edited in round {round_}."
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def busiest_actor(content: Path) -> Path:
    """The registry file of the actor most articles name (the head of the Zipf curve)."""
    counts: dict[str, int] = {}
    for article in (content / "articles").rglob("*.md"):
        head = article.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        block = head.split("\nactors:\n", 1)[1] if "\nactors:\n" in head else ""
        for line in block.splitlines():
            if not line.startswith("- "):
                break
            counts[line[2:]] = counts.get(line[2:], 0) + 1
    return content / "entities" / "actors" / f"{max(counts, key=counts.__getitem__)}.yaml"


def bench(n: int, runs: int, seed: int, only: set[str] | None = None) -> dict[str, Scenario]:
    """Every scenario for one size, ``runs`` rounds, interleaved so drift hits all alike."""
    folder = corpus(n, seed)
    settings = dossier_settings(folder)
    out = OUT / f"n{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    dossier = str(BIN / "dossier")
    build = [dossier, "build", "--settings", str(settings), "--output", str(out / "dossier")]
    plain_out = out / "plain"
    article = Edit(
        min((folder / "content" / "articles").rglob("*.md")),
        lambda text, r: f"{text}\nA sentence added for round {r}.\n",
    )
    # The same article's title: its front matter, so the model, changes (see reuse.py).
    title = Edit(article.path, lambda text, r: text.replace("\ntitle: ", f"\ntitle: R{r} ", 1))
    entity = Edit(busiest_actor(folder / "content"), add_to_description)
    plain = [str(BIN / "pelican"), "-s", str(folder / "plain_pelicanconf.py"), "-o", str(plain_out)]
    cache = folder / "cache"

    def fresh(_round: int) -> None:
        """No caches and no published site: a build from nothing."""
        shutil.rmtree(out / "dossier", ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    def cold(_round: int) -> None:
        (cache / "dossier-check.json").unlink(missing_ok=True)

    check = [dossier, "check", "--settings", str(settings)]
    scenarios = {
        "plain": Scenario(
            plain,
            folder,
            lambda _r: shutil.rmtree(plain_out, ignore_errors=True),
        ),
        "full": Scenario(build, folder, fresh),
        "check": Scenario(check, folder),
        "check_cold": Scenario(check, folder, cold),
        "article": Scenario(build, folder, article),
        "title": Scenario(build, folder, title),
        "entity": Scenario(build, folder, entity),
    }
    if only:
        scenarios = {name: s for name, s in scenarios.items() if name in only}
    try:
        for round_ in range(1, runs + 1):
            for name, scenario in scenarios.items():
                scenario.before(round_)
                scenario.samples.append(measure(scenario.argv, scenario.cwd))
                last = scenario.samples[-1]
                print(  # noqa: T201
                    f"N={n} round {round_} {name}: {last.seconds:.2f} s, {last.peak_mb:.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
            for edit in (article, title, entity):
                edit.restore()
    finally:
        for edit in (article, title, entity):
            edit.restore()
    return scenarios


def table(n: int, files: int, scenarios: dict[str, Scenario]) -> str:
    """A Markdown table of medians, spreads, peak memory and the target ratios."""
    med = {k: statistics.median(s.seconds for s in v.samples) for k, v in scenarios.items()}
    mem = {k: max(s.peak_mb for s in v.samples) for k, v in scenarios.items()}
    runs = len(next(iter(scenarios.values())).samples)
    lines = [
        f"N = {n:,} stories ({files:,} article files), {runs} run(s) each",
        "",
        "| measurement | median s | min s | max s | peak MB |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for key, scenario in scenarios.items():
        times = [s.seconds for s in scenario.samples]
        lines.append(
            f"| {LABELS[key]} | {med[key]:.2f} | {min(times):.2f} | {max(times):.2f} "
            f"| {mem[key]:.0f} |"
        )
    if not {"plain", "full", "check", "check_cold", "article", "title", "entity"} <= set(med):
        return "\n".join(lines)  # --only: no ratios
    ratios = [
        ("full / plain build", med["full"] / med["plain"], "≤ 1.3"),
        ("plain build / check", med["plain"] / med["check"], "≥ 20"),
        ("plain build / check, no cache", med["plain"] / med["check_cold"], "(≥ 20)"),
        ("one-article rebuild / full", med["article"] / med["full"], "≤ 0.3"),
        ("one-title rebuild / full", med["title"] / med["full"], "(≤ 0.3)"),
        ("one-entity rebuild / full", med["entity"] / med["full"], "(none)"),
        ("peak memory full / plain", mem["full"] / mem["plain"], "≤ 1.5"),
    ]
    lines += ["", "| ratio (medians) | value | target |", "| --- | ---: | --- |"]
    lines += [f"| {label} | {value:.2f} | {target} |" for label, value, target in ratios]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated story counts")
    parser.add_argument("--runs", type=int, default=3, help="rounds per size")
    parser.add_argument("--large", action="store_true", help="add N=50,000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only",
        metavar="NAMES",
        help=f"comma-separated scenarios to run, of {', '.join(LABELS)} (default: all); "
        "--serve needs check_cold",
    )
    parser.add_argument(
        "--hugo", action="store_true", help="also time Hugo on each corpus's twin (hugo_loop.py)"
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="also time dossier serve on each corpus and weigh it against the targets "
        "(serve_loop.py)",
    )
    parser.add_argument(
        "--patience",
        type=float,
        metavar="SECONDS",
        help="with --serve: how long a change may take to show (default: serve_loop.py's, 60)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.large and 50_000 not in sizes:
        sizes.append(50_000)
    OUT.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        only = set(args.only.split(",")) if args.only else None
        scenarios = bench(n, args.runs, args.seed, only)
        stamp = json.loads((CACHE / f"n{n}-s{args.seed}" / "corpus.json").read_text())
        print(table(n, stamp["article_files"], scenarios) + "\n", flush=True)  # noqa: T201
        raw = {k: [vars(s) for s in v.samples] for k, v in scenarios.items()}
        (OUT / f"results-{n}.json").write_text(json.dumps({"corpus": stamp, "runs": raw}))
        hugo = None
        if args.hugo:
            from hugo_loop import bench_hugo
            from hugo_loop import table as hugo_table

            hugo = bench_hugo(n, args.seed, args.runs)
            print(hugo_table(hugo) + "\n", flush=True)  # noqa: T201
            (OUT / f"hugo-{n}.json").write_text(json.dumps(hugo, indent=1) + "\n")
        if args.serve:
            from serve_loop import PATIENCE, bench_serve, save, targets
            from serve_loop import table as serve_table

            serve = bench_serve(n, args.seed, args.runs, args.patience or PATIENCE)
            save(serve)
            check_cold = statistics.median(s.seconds for s in scenarios["check_cold"].samples)
            print(serve_table(serve) + "\n", flush=True)  # noqa: T201
            print(targets(serve, check_cold, hugo) + "\n", flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
