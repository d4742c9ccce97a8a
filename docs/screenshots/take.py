"""Screenshots of built pages in headless Chromium: `make screenshots` (after `make html`).

Serves output/ on a free localhost port, so root-relative links and the stylesheet resolve as
they do on the real site, and saves one PNG per page and width into docs/screenshots/.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (file name, page): one topic page of each kind, and the pages around them.
PAGES = [
    ("topic-actor-de", "/de/akteure/kim-jong-un/"),
    ("topic-location-en", "/en/locations/vostochny-cosmodrome/"),
    ("topic-sanction-en", "/en/sanctions/unsc-resolution-1718/"),
    ("topic-event-de", "/de/ereignisse/kim-putin-summit-2023/"),
    ("topic-topic-en", "/en/topics/ballistic-missiles/"),
    ("topic-author-en", "/en/authors/anna-berger/"),
    ("kind-index-by-activity-en", "/en/actors/by-activity/"),
    ("hub-de", "/de/dossiers/"),
]
# The reader's main pages at a phone's and a desktop's width: (file name, page, widths).
RESPONSIVE = [
    ("home-de", "/de/", (390, 1280)),
    ("article-en", "/en/2023/kim-putin-vostochny/", (390, 1280)),
    ("topic-sanction-de", "/de/sanktionen/unsc-resolution-1718/", (390, 1280)),
]
HEIGHTS = {390: 844, 1280: 1600}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass


def serve(root: Path) -> ThreadingHTTPServer:
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def shoot(browser: str, url: str, target: Path, width: int, height: int) -> None:
    subprocess.run(
        [browser, *FLAGS, f"--window-size={width},{height}", f"--screenshot={target}", url],
        check=True,
        capture_output=True,
        timeout=60,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output"), help="the built site")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1600)
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.stderr.write("Chromium is missing: install Debian's 'chromium' package.\n")
        return 2
    server = serve(args.output)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        shots = [(name, page, args.width, args.height) for name, page in PAGES]
        shots += [
            (f"{n}-{w}", page, w, HEIGHTS[w]) for n, page, widths in RESPONSIVE for w in widths
        ]
        for name, page, width, height in shots:
            target = HERE / f"{name}.png"
            shoot(browser, base + page, target, width, height)
            sys.stdout.write(f"{page} ({width} px) -> docs/screenshots/{target.name}\n")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
