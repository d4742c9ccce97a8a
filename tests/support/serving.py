"""`dossier serve` in a process of its own, driven over HTTP: start it on a free port, ask for
pages, listen to a page's event stream, wait until a page shows what a save changed."""

from __future__ import annotations

import http.client
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from dossier.serve.inject import SCRIPT

from ..conftest import REPO, Site

PATIENCE = 30.0  # seconds a change may take to show before a test fails (a busy machine)


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process, self.port = process, port
        self.errors: list[str] = []  # what the server said on stderr, line by line
        self._drain = threading.Thread(target=self._read_errors, daemon=True)
        self._drain.start()

    @property
    def base(self) -> str:
        """The server's address, without a path: what a browser is pointed at."""
        return f"http://127.0.0.1:{self.port}"

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.errors.append(line.rstrip("\n"))

    def get(self, target: str) -> tuple[int, bytes, http.client.HTTPResponse]:
        """GET ``target`` sent as it is: http.client does not resolve ``..`` as browsers do."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            return response.status, response.read(), response
        finally:
            connection.close()

    def text(self, target: str) -> str:
        return self.get(target)[1].decode("utf-8")

    def wait_for(self, target: str, shows: Callable[[int, str], bool]) -> str:
        """The page at ``target`` once ``shows(status, text)`` holds; fails after PATIENCE."""
        deadline = time.monotonic() + PATIENCE
        while True:
            status, body, _ = self.get(target)
            text = body.decode("utf-8", "replace")
            if shows(status, text):
                return text
            if time.monotonic() > deadline:
                pytest.fail(f"{target} never showed the change: {status}\n{self.errors[-20:]}")
            time.sleep(0.05)

    def said(self, line: str) -> bool:
        """Whether the server printed ``line`` (on stderr) yet, waiting up to PATIENCE."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            if line in self.errors:
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> str:
        """Ctrl-C; what it printed on stdout after the address."""
        if self.process.poll() is None:
            self.process.send_signal(2)
        return self.process.communicate(timeout=30)[0]


class Stream:
    """A page's event stream (``/_dossier/events``), read in a thread: the events it got."""

    def __init__(self, server: Server, page: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        self.connection.request("GET", f"/_dossier/events?page={page}")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.events: queue.Queue[str] = queue.Queue()
        self.opened = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.opened.wait(10)

    def _read(self) -> None:
        event = ""
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("retry:"):
                    self.opened.set()
                elif line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line == "" and event:
                    self.events.put(event)
                    event = ""
        except OSError:
            pass

    def next(self, timeout: float = PATIENCE) -> str | None:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.connection.close()


def start(site: Site, *args: str) -> Server:
    """``dossier serve`` on a free port in the site's folder, started for real."""
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), *sys.path])}
    command = [sys.executable, "-m", "dossier", "serve", "--settings", "settings.py"]
    process = subprocess.Popen(
        [*command, "--port", "0", *args],
        cwd=site.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: first.append(process.stdout.readline()))
    reader.start()
    reader.join(timeout=120)
    line = first[0] if first else ""
    if not line.startswith("Serving http://127.0.0.1:"):
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"dossier serve did not start: {line}{out}{err}")
    port = int(line.split(":")[2].split("/")[0])
    return Server(process, port)


@contextmanager
def serving(site: Site, *options: str) -> Iterator[Server]:
    """``start``, stopped (Ctrl-C) when the block ends."""
    served = start(site, *options)
    try:
        yield served
    finally:
        served.stop()


def without_script(page: bytes) -> bytes:
    """A served page as built: without the live-reload script the server adds (once)."""
    assert page.count(SCRIPT.encode()) == 1
    return page.replace(SCRIPT.encode(), b"")


def built(site: Site) -> list[str]:
    """The names of every file the build wrote, sorted."""
    return sorted(
        path.relative_to(site.output).as_posix()
        for path in site.output.rglob("*")
        if path.is_file()
    )


def url_of(name: str) -> str:
    """The address a built file is asked for at: 'de/index.html' -> '/de/', percent-encoded."""
    return "/" + quote(name.removesuffix("index.html"))
