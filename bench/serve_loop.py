"""Time ``dossier serve`` on a generated corpus: its start-up, its memory and its edit loop.

``python bench/serve_loop.py N [--seed S] [--runs 5] [--patience 60]``

Dossier's side of the comparison with ``hugo server`` (``bench/hugo_loop.py``): the same corpus
(``bench/.cache/n<N>-s<S>``, made by ``bench/make_corpus.py``), the same article and actor, the
same edits and the same polling. It measures:

(b) ``dossier serve`` as an editor runs it (127.0.0.1, a free port): the time from starting it
    until it serves the German home page, and then the resident memory of it and any children
    (VmRSS), and their peak (VmHWM) after start-up and after the edit loop;
(c) the edit loop, with the server running: the time from writing a file in place, as an
    editor saves it, until every page it affects shows the change: an article's text (its
    page), the same article's title (its page), a rename of the most named actor (its topic
    page and the article's page) and a new article naming that actor (its own page, and the
    actor's topic page listing it). The pages are fetched over HTTP every few milliseconds. When
    the server sends reload events (Server-Sent Events at ``/_dossier/events``), the time until
    the event came is recorded beside; the pages are what is timed.

A change the pages do not show within ``--patience`` seconds is reported (the edit, the pages)
and the loop goes on with the next kind of edit. Whatever happens the server is stopped, as Ctrl-C
stops it, the edited files are restored and the new articles removed, so the corpus stays as
generated. Medians go to stdout as a Markdown table and everything to
``bench/.out/serve-<N>.json``. ``bench/run.py --serve`` runs this after its builds and weighs
the results against the targets (``targets``).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import json
import re
import runpy
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hugo_loop import LABELS as HUGO_LABELS  # noqa: E402
from hugo_loop import (  # noqa: E402
    SETTLE,
    Edit,
    NotShownError,
    Server,
    appended,
    edit_loop,
    fetch,
    launch,
    marker,
    named_article,
    resident_mb,
    retitled,
    showing,
    stop_server,
    timing_row,
)
from make_corpus import FIRST_YEAR, YEARS  # noqa: E402
from run import BIN, CACHE, OUT, busiest_actor, dossier_settings, group_pids  # noqa: E402

PATIENCE = 60.0  # seconds a change may take to show before it counts as not shown
START_PATIENCE = 600.0  # seconds a start-up may take: all content is read and checked first
EVENTS = "/_dossier/events"  # the server's reload events (Server-Sent Events), if it has them
SERVING = re.compile(r"^Serving (http://[^/\s]+)/", re.MULTILINE)  # its first line on stdout
KINDS = ("text", "title", "entity", "new")
LABELS = {"start": "(b) dossier serve, until the home page is served"}
LABELS |= {kind: HUGO_LABELS[kind] for kind in KINDS}
# The targets (the issue's, for 10,000 stories): every edit shown within 300 ms, at least ten
# times faster than hugo server, started no slower than a cold dossier check times 1.5, in 1 GB.
TARGET_N = 10_000
VISIBLE = 0.3
FASTER = 10.0
START_FACTOR = 1.5
MEMORY_MB = 1024.0


def address(log: Path) -> str | None:
    """The address ``dossier serve`` printed once it listens (``Serving http://HOST:PORT/``)."""
    found = SERVING.search(log.read_text(encoding="utf-8", errors="replace"))
    return found.group(1) if found else None


def start_server(settings: Path, tmp: Path) -> tuple[Server, float]:
    """(b) Start ``dossier serve`` as an editor does, on a free port, and wait for the German
    home page; returns the server and the seconds that took."""
    argv = [str(BIN / "dossier"), "serve", "--settings", str(settings)]
    argv += ["--host", "127.0.0.1", "--port", "0"]
    log = tmp / "serve.log"
    return launch(argv, settings.parent, log, lambda: address(log), START_PATIENCE)


def stop(server: Server) -> int:
    """Stop the server as Ctrl-C does (SIGINT); its exit status. One that stopped cleanly
    printed ``Stopped.`` and ends with 0; anything else is said on stderr."""
    stop_server(server, signal.SIGINT)
    status = server.process.returncode
    if status or "Stopped." not in server.log.read_text(encoding="utf-8", errors="replace"):
        print(f"  dossier serve did not stop cleanly ({status}): see {server.log}", file=sys.stderr)  # noqa: T201
    return status


def group_mb(server: Server, field: str = "VmRSS") -> float:
    """``field`` of /proc/PID/status (VmRSS, VmHWM) summed over the server and its children."""
    total = 0.0
    for pid in group_pids(server.process.pid):
        with contextlib.suppress(OSError):  # a child that ended meanwhile
            total += resident_mb(pid, field)
    return total


@contextlib.contextmanager
def terminated_as_exit() -> Iterator[None]:
    """SIGTERM (a timeout, a CI runner) unwinds like Ctrl-C, through every ``finally``: the
    server stopped, the corpus restored. Python's default would end this process on the spot
    and leave both behind."""
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def front_matter(path: Path) -> dict:
    """An article's YAML front matter."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def article_url(settings: Path) -> Callable[[dict], str]:
    """An article's address below the site (front matter -> ``de/2024/<slug>/``), made as
    Pelican makes it: from ARTICLE_URL in the settings file."""
    pattern = runpy.run_path(str(settings))["ARTICLE_URL"]

    def url(meta: dict) -> str:
        date = datetime.fromisoformat(str(meta["date"]))
        return pattern.format(lang=meta["lang"], slug=meta["slug"], date=date)

    return url


def linked(page: str, body: str, entity: str) -> str | None:
    """The page of the served site that ``page`` links to for the registry entry ``entity``
    (its topic page), as a browser follows the link; None when there is no such link."""
    for href in re.findall(rf'href="([^"]*/{re.escape(entity)}/)"', body):
        target = urljoin(page, html.unescape(href))
        if urlsplit(target).netloc == urlsplit(page).netloc:
            return target
    return None


def dump(data: dict) -> str:
    """YAML as ``make_corpus.py`` writes it, so an edit changes only what it means to."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def edits(folder: Path, settings: Path, actor: str, base: str) -> dict[str, Edit]:
    """The four changes of (c) on the article and the actor ``hugo_loop.edits`` changes in the
    twin. The pages are found on the served site (the article's from ARTICLE_URL, the actor's
    topic page by the article's link to it) and seen to show what they should before anything
    is timed; a page that does not stops the benchmark."""
    content = folder / "content"
    article = named_article(content, actor)
    meta = front_matter(article)
    url = article_url(settings)
    page = f"{base}/{url(meta)}"
    body = fetch(page)
    if not showing(html.escape(meta["title"], quote=False))(body):
        sys.exit(f"{article}: its page is not at {page} (ARTICLE_URL of {settings})")
    topic = linked(page, body or "", actor)
    registry = content / "entities" / "actors" / f"{actor}.yaml"
    name = yaml.safe_load(registry.read_text(encoding="utf-8"))["name"]["de"]
    name = html.escape(name, quote=False)
    if topic is None or not showing(name)(fetch(topic)):
        sys.exit(f"{page} links to no topic page of {actor} that shows its name {name!r}")
    # Dated the last day of the corpus's last year: newer than every article, so first on the
    # actor's topic page. The original's `modified` would be older than that date: dropped.
    year = FIRST_YEAR + YEARS - 1
    fresh = content / "articles" / str(year) / "serveloop-new.de.md"  # rounds: ...-new-<r>
    fresh_meta = {**meta, "slug": "serveloop-new-{round}", "date": f"{year}-12-31"}
    fresh_page = f"{base}/{url(fresh_meta)}"  # {round}: see Edit.pages
    named = [topic, page] if name in body else [topic]  # the article's too, as in Hugo's twin
    mark = {kind: marker("Serve", kind) for kind in KINDS}

    def rename(original: str, round_: int) -> str:
        data = yaml.safe_load(original)
        names = data["name"].items()
        data["name"] = {lang: f"{mark['entity'](round_)} {value}" for lang, value in names}
        return dump(data)

    def new(_original: str, round_: int) -> str:
        data = {key: value for key, value in meta.items() if key != "modified"}
        data["title"] = f"{mark['new'](round_)} {meta['title']}"
        data["slug"] = f"serveloop-new-{round_}"
        data["date"] = f"{year}-12-31T12:{round_:02d}:00+01:00"
        return f"---\n{dump(data)}---\nEin neuer Artikel.\n"

    return {
        "text": Edit(article, appended(mark["text"]), [page], mark["text"]),
        "title": Edit(article, retitled(mark["title"]), [page], mark["title"]),
        "entity": Edit(registry, rename, named, mark["entity"]),
        "new": Edit(fresh, new, [fresh_page, topic], mark["new"], fresh=True),
    }


class Events(threading.Thread):
    """The server's reload events as they come, each with its time (``time.perf_counter``) and
    its data (JSON): a Server-Sent Events stream at EVENTS, read beside the edit loop. A server
    without one (404) gives none; nothing is timed by them."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=5)
        self.reloads: list[tuple[float, object]] = []
        # Connected here, so that ``stop`` always has the socket to shut, whenever it comes.
        with contextlib.suppress(OSError):
            self.connection.connect()
        self.socket = self.connection.sock
        if self.socket is not None:
            self.socket.settimeout(None)  # events come when edits do

    def run(self) -> None:
        if self.socket is None:
            return
        try:
            self.connection.request("GET", EVENTS, headers={"Accept": "text/event-stream"})
            response = self.connection.getresponse()
            if response.status != HTTPStatus.OK:
                return
            kind, data = "message", []
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("event:"):
                    kind = line.removeprefix("event:").strip()
                elif line.startswith("data:"):
                    data.append(line.removeprefix("data:").removeprefix(" "))
                elif not line:  # the end of an event
                    if kind == "reload":
                        self.reloads.append((time.perf_counter(), parsed("\n".join(data))))
                    kind, data = "message", []
        except (OSError, ValueError, http.client.HTTPException):
            return  # stopped, or the server went away

    def stop(self) -> None:
        """Close the stream (which ends ``run``) and wait for it."""
        if self.socket is not None:
            with contextlib.suppress(OSError):
                self.socket.shutdown(socket.SHUT_RDWR)
        self.connection.close()
        self.join(timeout=5)

    def after(self, written: float, until: float) -> dict | None:
        """The first reload event from ``written`` to ``until``: its seconds after ``written``
        and its data; None when none came."""
        for when, data in self.reloads:
            if written <= when < until:
                return {"seconds": when - written, "data": data}
        return None


def parsed(data: str) -> object:
    """An event's data: JSON as the server promises, else the text as it came."""
    try:
        return json.loads(data)
    except ValueError:
        return data


def failure(error: NotShownError) -> dict:
    """A change never shown, for the record: the pages still waited for, and for what."""
    return {"pages": error.pages, "what": error.what, "patience": error.patience}


def never(failed: dict) -> str:
    """What did not happen in time: ``never changed in 60 s``."""
    return f"never {failed['what']} in {failed['patience']:g} s"


def edit_loops(
    server: Server, changes: dict[str, Edit], runs: int, patience: float, results: dict
) -> None:
    """(c) Each kind of change ``runs`` times into ``results``: its seconds, and any reload
    event that came between the write and the page showing it (give or take SETTLE). A kind
    whose change is not shown is recorded in ``results["failed"]`` and the next one is tried."""
    events = Events(server.base)
    events.start()
    try:
        for kind, edit in changes.items():
            for url in edit.pages(1):
                fetch(url)  # visited, as the editor's open tab is
            rounds = []
            try:
                for written, seconds in edit_loop(edit, runs, patience):
                    rounds.append((written, seconds))
                    results[kind].append(seconds)
            except NotShownError as error:
                results["failed"][kind] = failure(error)
            results["reload"][kind] = [events.after(w, w + s + SETTLE) for w, s in rounds]
            line = f"  {kind}: {[round(s, 3) for s in results[kind]]}"
            if failed := results["failed"].get(kind):
                line += f" {', '.join(failed['pages'])} {never(failed)}"
            print(line, flush=True)  # noqa: T201
    finally:
        events.stop()


def bench_serve(n: int, seed: int, runs: int, patience: float = PATIENCE) -> dict:
    """Every measurement of ``dossier serve`` on corpus N (seed): ``runs`` start-ups, the edit
    loop (``runs`` rounds of each kind) on the last; seconds and MB."""
    folder = CACHE / f"n{n}-s{seed}"
    if not (folder / "content").is_dir():
        sys.exit(f"{folder}: no corpus; make one with bench/make_corpus.py {n} --seed {seed}")
    settings = dossier_settings(folder)
    actor = busiest_actor(folder / "content").stem
    results: dict = {"n": n, "seed": seed, "runs": runs, "patience": patience, "actor": actor}
    for key in ("start", "rss_mb", "peak_mb", "exit", *KINDS):
        results[key] = []
    results["reload"], results["failed"] = {}, {}
    with terminated_as_exit(), tempfile.TemporaryDirectory(prefix="dossier-serve-") as tmp:
        for round_ in range(1, runs + 1):
            server, seconds = start_server(settings, Path(tmp))
            try:
                results["start"].append(seconds)
                results["rss_mb"].append(group_mb(server))
                print(f"  server up in {seconds:.2f} s, {results['rss_mb'][-1]:.0f} MB", flush=True)  # noqa: T201
                if round_ == runs:
                    changes = edits(folder, settings, actor, server.base)
                    edit_loops(server, changes, runs, patience, results)
                results["peak_mb"].append(group_mb(server, "VmHWM"))
            finally:
                results["exit"].append(stop(server))
    return results


def table(results: dict) -> str:
    """The medians as a Markdown table, then the changes never shown."""
    rows = [
        (
            f"dossier serve on N = {results['n']:,} (seed {results['seed']}), "
            f"{results['runs']} run(s) each"
        ),
        "",
        "| what | median | min | max |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, label in LABELS.items():
        if key in results["failed"]:
            rows.append(f"| {label} | {never(results['failed'][key])} | | |")
        elif results[key]:
            rows.append(timing_row(label, results[key]))
    for kind, events in results["reload"].items():
        if events and all(events):
            label = LABELS[kind].replace("(c) edit loop", "(c) reload event")
            rows.append(timing_row(label, [event["seconds"] for event in events]))
    rows.append(f"| dossier serve resident memory after start-up | "
                f"{statistics.median(results['rss_mb']):.0f} MB | | |")  # fmt: skip
    rows.append(f"| dossier serve peak resident memory, start-up and edit loop | "
                f"{max(results['peak_mb']):.0f} MB | | |")  # fmt: skip
    failed = [
        f"- {LABELS[kind]}: {', '.join(failed['pages'])} {never(failed)}"
        for kind, failed in results["failed"].items()
    ]
    return "\n".join(rows + ([""] if failed else []) + failed)


def targets(results: dict, check_cold: float, hugo: dict | None = None) -> str:
    """The targets, met or not, as a Markdown table, from the medians of one run of
    ``bench/run.py``: every edit shown within 300 ms; at least ten times faster than
    ``hugo server`` per kind of edit (when Hugo was timed too); start-up no slower than
    ``check_cold`` (a cold ``dossier check``) × 1.5; resident memory, at its peak, ≤ 1 GB."""
    rows = [
        f"Targets of dossier serve (set for N = {TARGET_N:,}; here N = {results['n']:,}), medians",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
    ]

    def row(target: str, measured: str, met: bool) -> None:
        rows.append(f"| {target} | {measured} | {'met' if met else 'NOT met'} |")

    seen = {
        kind: statistics.median(results[kind])
        for kind in KINDS
        if results[kind] and kind not in results["failed"]
    }
    for kind in KINDS:
        edit = LABELS[kind].removeprefix("(c) edit loop: ")
        target = f"{edit}: shown in ≤ {VISIBLE * 1000:.0f} ms"
        if kind in seen:
            row(target, f"{seen[kind] * 1000:.0f} ms", seen[kind] <= VISIBLE)
        else:
            row(target, never(results["failed"][kind]), False)
        if hugo:
            peer = statistics.median(hugo[kind])
            target = f"{edit}: ≥ {FASTER:g}× faster than hugo server ({peer:.3f} s)"
            if kind in seen:
                row(target, f"{peer / seen[kind]:.1f}×", peer / seen[kind] >= FASTER)
            else:
                row(target, never(results["failed"][kind]), False)
    start, limit = statistics.median(results["start"]), START_FACTOR * check_cold
    target = (
        f"start-up ≤ cold dossier check ({check_cold:.2f} s) × {START_FACTOR:g} = {limit:.2f} s"
    )
    row(target, f"{start:.2f} s", start <= limit)
    rss, peak = statistics.median(results["rss_mb"]), max(results["peak_mb"])
    target = f"resident memory ≤ 1 GB ({MEMORY_MB:,.0f} MB), at its peak"
    row(target, f"{peak:.0f} MB ({rss:.0f} MB after start-up)", peak <= MEMORY_MB)
    return "\n".join(rows)


def save(results: dict) -> Path:
    """Everything measured, as JSON in ``bench/.out/serve-<N>.json``."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"serve-{results['n']}.json"
    path.write_text(json.dumps(results, indent=1) + "\n")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="stories in the corpus (bench/.cache/n<N>-s<SEED>)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement")
    parser.add_argument(
        "--patience",
        type=float,
        default=PATIENCE,
        metavar="SECONDS",
        help=f"how long a change may take to show (default {PATIENCE:g})",
    )
    args = parser.parse_args(argv)
    results = bench_serve(args.n, args.seed, args.runs, args.patience)
    save(results)
    print(table(results))  # noqa: T201
    if results["failed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
