"""``dossier serve``: the site, rendered from the model in memory when a page is asked for.

The model is loaded and checked once (``plugin.renderer``); each request for a page renders it
with the build's own renderer and templates (``render.pages``), so a served page is byte for
byte the file ``dossier build`` writes. Static files come from the theme's and the content's
static folders, as the build copies them. Nothing is written.

What a request may name is decided before any file is opened: a path with a ``..`` or ``.``
segment, a backslash or a NUL is refused with the site's 404 page, and a static file must lie
inside its folder once links are resolved.
"""

from __future__ import annotations

import mimetypes
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dossier.render.pages import Renderer
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


@dataclass(frozen=True)
class Served:
    """What the server answers from: the pages, and the folders the build copies static files
    from, each with the prefix of the names it is copied under."""

    renderer: Renderer
    statics: tuple[tuple[str, Path], ...]
    # Jinja and the views are not made for threads; one page is rendered at a time (a page
    # takes milliseconds), while static files are sent concurrently.
    lock: threading.Lock

    @classmethod
    def of(cls, renderer: Renderer, settings: DossierSettings) -> Served:
        content, theme = settings.content_folder, settings.theme_folder
        statics = [(f"{settings.theme_static_dir}/", theme / "static")]
        statics += [(f"{folder}/", content / folder) for folder in settings.static_paths]
        return cls(renderer, tuple(statics), threading.Lock())

    def page(self, name: str) -> bytes | None:
        with self.lock:
            return self.renderer.render(name)

    def static(self, name: str) -> Path | None:
        """The file a static name is copied from, when it lies inside its folder."""
        for prefix, folder in self.statics:
            if name.startswith(prefix):
                root = folder.resolve()
                path = (root / name.removeprefix(prefix)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return path
        return None


class Handler(BaseHTTPRequestHandler):
    served: Served  # set on the subclass made for a server (``server``)
    server_version = "dossier-serve"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        name = file_name(self.path)
        if name is None:
            self._not_found(body)
            return
        try:
            page = self.served.page(name)
            # /de/suche: the build's page is de/suche/index.html, which a static web server
            # finds with a redirect to the address with a slash; so does this one.
            folder = page is None and self.served.static(name) is None
            if folder and self.served.page(f"{name}/index.html") is not None:
                self._send(HTTPStatus.MOVED_PERMANENTLY, b"", HTML, body, f"/{name}/")
                return
        except Exception as error:  # noqa: BLE001 - one failing page must not stop the server
            self.log_error("rendering %s failed: %r", name, error)
            text = f"{name}: rendering failed: {type(error).__name__}: {error}\n"
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, text.encode(), "text/plain", body)
            return
        if page is not None:
            self._send(HTTPStatus.OK, page, HTML, body)
            return
        path = self.served.static(name)
        if path is None:
            self._not_found(body)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, path.read_bytes(), kind, body)

    def _not_found(self, body: bool) -> None:
        page = self.served.page("404.html") or b"Not found\n"
        self._send(HTTPStatus.NOT_FOUND, page, HTML, body)

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
        sys.stderr.write(f"error: {format % args}\n")


def server(served: Served, host: str, port: int) -> ThreadingHTTPServer:
    """A server bound to ``host``:``port`` (0: a free port), not yet serving."""
    handler = type("ServedHandler", (Handler,), {"served": served})
    httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True  # a request under way does not hold up Ctrl-C
    return httpd
