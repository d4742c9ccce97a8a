"""``dossier serve``, what it adds to the pages it serves, and only to those: the live-reload
script, and while the content has problems, the overlay that lists them.

The page itself is the build's, byte for byte; the additions go right before its last
``</body>``, so that taking them out again gives the built page (the serve tests do that).
"""

from __future__ import annotations

from html import escape
from importlib.resources import files

PREFIX = "/_dossier/"  # the server's own addresses; no page of a site lives below it
SCRIPT = f'<script src="{PREFIX}live.js" defer></script>'
ASSETS = {"live.js": "text/javascript; charset=utf-8", "overlay.css": "text/css; charset=utf-8"}


def asset(name: str) -> bytes | None:
    """One of the server's own files (the script, the overlay's style), by name."""
    if name not in ASSETS:
        return None
    return files(__package__).joinpath(name).read_bytes()


def overlay(problems: str, last_good: bool) -> str:
    """The problems, exactly as ``dossier check`` prints them, escaped; and what is shown
    under them."""
    under = (
        "The page below is the last version without them; it updates when they are fixed."
        if last_good
        else "Nothing can be shown until they are fixed; the page reloads when they are."
    )
    return (
        f'<link rel="stylesheet" href="{PREFIX}overlay.css">'
        '<aside id="dossier-problems" role="alert" aria-labelledby="dossier-problems-title">'
        '<h2 id="dossier-problems-title">dossier serve: the site has problems</h2>'
        f"<p>{under}</p><pre>{escape(problems)}</pre></aside>"
    )


def inject(page: bytes, problems: str) -> bytes:
    """A served page: the built one with the script (and the overlay) before its ``</body>``."""
    added = (overlay(problems, last_good=True) if problems else "") + SCRIPT
    at = page.rfind(b"</body>")
    if at < 0:
        return page + added.encode("utf-8")
    return page[:at] + added.encode("utf-8") + page[at:]


def problems_page(problems: str, title: str = "dossier serve") -> bytes:
    """A page of its own for problems when there is no page to show them over: no model yet,
    or a template that fails."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>"
        f"<body><main>{overlay(problems, last_good=False)}</main>{SCRIPT}"
        "</body></html>"
    ).encode()
