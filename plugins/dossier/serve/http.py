"""``dossier serve``, the HTTP side: the site, rendered from the model in memory when a page is
asked for.

Each request for a page renders it with the build's own renderer and templates
(``render.pages``), so a served page is byte for byte the file ``dossier build`` writes, but for
what ``inject`` adds (the live-reload script and, while the content has problems, the overlay).
Feeds, sitemaps and robots.txt are made from the same model (``render.files``), the smaller
copies of the articles' images by the build's function, into its cache (``serve.images``); static
files come from the theme's and the content's static folders, as the build copies them (a file an
article's ``{attach}`` link moves, beside the article's page, as the build does); the search
index is the last build's, from the output folder, when there is one. Nothing is written but
the smaller copies of article images, into the build's image cache (``serve.images``).

What a request may name is decided before any file is opened: a path with a ``..`` or ``.``
segment, a backslash or a NUL is refused with the site's 404 page, and a file must lie inside
its folder once links are resolved.
"""

from __future__ import annotations

import mimetypes
import queue
import sys
import traceback
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from dossier.enrich.urls import SEARCH_BUNDLE
from dossier.serve.events import KEEP_ALIVE, Events
from dossier.serve.inject import ASSETS, PREFIX, asset, inject, problems_page
from dossier.serve.live import Live
from dossier.settings import DossierSettings

HTML = "text/html; charset=utf-8"


def file_name(target: str) -> str | None:
    """The file name a request's target asks for (``/de/`` → ``de/index.html``), as the build
    names its files; None when it must not be served: a ``..`` or ``.`` segment (never sent by
    a browser, which resolves them first), a backslash, a NUL or a control character."""
    path = unquote(urlsplit(target).path)
    if not path.startswith("/") or any(c == "\\" or ord(c) < 32 for c in path):
        return None
    segments = path[1:].split("/")
    if any(segment in {"..", "."} for segment in segments):
        return None
    name = "/".join(segments)
    return f"{name}index.html" if name == "" or name.endswith("/") else name


def inside(root: Path, name: str) -> Path | None:
    """The file ``name`` below ``root``, when it is a file there once links are resolved."""
    root = root.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


@dataclass(frozen=True)
class Served:
    """What the server answers from: the live site, the folders the build copies static files
    from (each with the prefix of the names it is copied under), the last build's output
    folder (for the search index) and the open pages' event streams."""

    live: Live
    statics: tuple[tuple[str, Path], ...]
    output: Path
    events: Events
    # The names a request's Host may give when the server listens on this computer only: a
    # page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) must not read the
    # drafts. None: any (the server listens on the network, as --host asked).
    hosts: frozenset[str] | None = None

    @classmethod
    def of(cls, live: Live, settings: DossierSettings, host: str = "127.0.0.1") -> Served:
        content, theme = settings.content_folder, settings.theme_folder
        statics = [(f"{settings.theme_static_dir}/", theme / "static")]
        statics += [(f"{folder}/", content / folder) for folder in settings.static_paths]
        local = {"127.0.0.1", "localhost", "::1", "[::1]"}
        hosts = frozenset(local | {host}) if host in local else None
        return cls(live, tuple(statics), Path(settings.output_path), Events(), hosts)

    def allows(self, host: str | None) -> bool:
        """Whether a request's Host header names this server (see ``hosts``)."""
        if self.hosts is None:
            return True
        name = (host or "").strip().lower()
        name = name.rsplit(":", 1)[0] if not name.endswith("]") else name
        return name in self.hosts

    def static(self, name: str) -> Path | None:
        """The file a static name is copied from, when it lies inside its folder."""
        for prefix, folder in self.statics:
            if name.startswith(prefix) and (path := inside(folder, name.removeprefix(prefix))):
                return path
        return None

    def search_index(self, name: str) -> Path | None:
        """A file of the last build's search index, when there is one."""
        if name.startswith(f"{SEARCH_BUNDLE}/"):
            return inside(self.output, name)
        return None


class Handler(BaseHTTPRequestHandler):
    served: Served  # set on the subclass made for a server (``server``)
    server_version = "dossier-serve"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        if not self.served.allows(self.headers.get("Host")):
            text = b"dossier serve answers only requests for this computer (Host: 127.0.0.1)\n"
            self._send(HTTPStatus.FORBIDDEN, text, "text/plain; charset=utf-8", body)
            return
        target = urlsplit(self.path)
        if target.path.startswith(PREFIX):
            self._own(target.path.removeprefix(PREFIX), target.query, body)
            return
        name = file_name(self.path)
        if name is None:
            self._not_found(body)
            return
        live = self.served.live
        try:
            state, page = live.render(name)
            if page is not None:
                self._send(HTTPStatus.OK, inject(page, state.problems), HTML, body)
                return
            if state.renderer is None and name.endswith(".html"):
                # No page can be made before the content has been valid once: its problems.
                problems = problems_page(state.problems)
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, problems, HTML, body)
                return
            # /de/suche: the build's page is de/suche/index.html, which a static web server
            # finds with a redirect to the address with a slash; so does this one.
            if self.served.static(name) is None and live.render(f"{name}/index.html")[1]:
                self._send(HTTPStatus.MOVED_PERMANENTLY, b"", HTML, body, f"/{name}/")
                return
            made = state.files.render(name) if state.files else None
            copy = state.images.file(name) if state.images and made is None else None
            wanted = made is None and copy is None and self.served.static(name) is None
            attached = live.attachment(name) if wanted else None
        except Exception as error:  # noqa: BLE001 - a failing page must not stop the server
            self._failed(name, error, body)
            return
        if made is not None:
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, made, kind, body)
            return
        path = copy or self.served.static(name) or attached or self.served.search_index(name)
        if path is None:
            self._not_found(body)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, path.read_bytes(), kind, body)

    def _own(self, name: str, query: str, body: bool) -> None:
        """The server's own addresses: the event stream and the script and style it adds."""
        if name == "events":
            page = parse_qs(query).get("page", ["/"])[0]
            self._events(page)
            return
        data = asset(name)
        if data is None:
            self._not_found(body)
            return
        self._send(HTTPStatus.OK, data, ASSETS[name], body)

    def _events(self, page: str) -> None:
        """A page's event stream (Server-Sent Events), open until the page goes or the server
        stops: ``reload`` when a change shows on the page."""
        events = self.served.events
        listener = events.listen(page)
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while True:
                try:
                    message = listener.waiting.get(timeout=KEEP_ALIVE)
                except queue.Empty:
                    message = ": still here\n\n"
                if message is None:
                    break
                self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
        except OSError:  # the page went away
            pass
        finally:
            events.leave(listener)

    def _failed(self, name: str, error: Exception, body: bool) -> None:
        """A page whose rendering failed (a template's mistake): the error, located, in the
        terminal and in the browser; the server goes on."""
        text = f"error: {name}: rendering failed: {_located(error)}"
        self.log_error("%s", text)
        self._send(HTTPStatus.INTERNAL_SERVER_ERROR, problems_page(text), HTML, body)

    def _not_found(self, body: bool) -> None:
        state, page = self.served.live.render("404.html")
        data = inject(page, state.problems) if page else b"Not found\n"
        self._send(HTTPStatus.NOT_FOUND, data, HTML, body)

    def _send(
        self, status: HTTPStatus, data: bytes, kind: str, body: bool, location: str | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        # Every answer is the model as it is now: never to be kept by the browser.
        self.send_header("Cache-Control", "no-store")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's
        pass  # a line per request would bury what matters; errors go through log_error

    def log_error(self, format: str, *args: object) -> None:  # noqa: A002
        sys.stderr.write(f"{format % args}\n")


def _located(error: Exception) -> str:
    """An error as an editor can act on it: where in a template, when it happened in one
    (Jinja puts the templates' lines into the traceback)."""
    name, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if not (name and line):
        frames = traceback.extract_tb(error.__traceback__)
        found = [f for f in frames if f.filename.endswith((".html", ".xml", ".txt"))]
        name, line = (found[-1].filename, found[-1].lineno) if found else (None, None)
    where = f"{name}:{line}: " if name and line else ""
    return f"{where}{type(error).__name__}: {error}"


def server(served: Served, host: str, port: int) -> ThreadingHTTPServer:
    """A server bound to ``host``:``port`` (0: a free port), not yet serving."""
    handler = type("ServedHandler", (Handler,), {"served": served})
    httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True  # a request under way (an event stream) does not hold up Ctrl-C
    return httpd
