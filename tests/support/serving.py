"""`dossier serve`, the real command, in a process of its own on a free port: started in a
site's folder, asked for pages over HTTP, and stopped."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from ..conftest import REPO, Site


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process, self.port = process, port

    @property
    def base(self) -> str:
        """The server's address, without a path: what a browser is pointed at."""
        return f"http://127.0.0.1:{self.port}"

    def get(self, target: str) -> tuple[int, bytes, http.client.HTTPResponse]:
        """GET ``target`` sent as it is: http.client does not resolve ``..`` as browsers do."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            return response.status, response.read(), response
        finally:
            connection.close()


def start(site: Site, *options: str) -> Server:
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), *sys.path])}
    command = ["serve", "--settings", "settings.py", "--port", "0", *options]
    process = subprocess.Popen(
        [sys.executable, "-m", "dossier", *command],
        cwd=site.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(process.stdout.readline()))
    reader.start()
    reader.join(timeout=120)
    line = first[0] if first else ""
    if not line.startswith("Serving http://127.0.0.1:"):
        process.kill()
        rest = process.communicate()[0]
        pytest.fail(f"dossier serve did not start: {line}{rest}")
    port = int(line.split(":")[2].split("/")[0])
    return Server(process, port)


@contextmanager
def serving(site: Site, *options: str) -> Iterator[Server]:
    served = start(site, *options)
    try:
        yield served
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.communicate()
