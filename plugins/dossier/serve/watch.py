"""``dossier serve``, watching: the content, the schemas, the theme and the settings file, with
watchfiles (inotify on Linux, FSEvents on macOS). A burst of saves (an editor that writes a
file in several steps, a ``git checkout``) is taken as one change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from dossier.serve.live import Affected, Live

# How long a burst of changes may go quiet before it is taken (ms), and the longest it is
# collected: short, so that a save shows at once.
STEP, DEBOUNCE = 30, 400


def follow(live: Live, changed: Callable[[Affected], None], stop: threading.Event) -> None:
    """Watch what ``live`` is made of until ``stop`` is set; after each change, ``changed``
    hears which pages it shows on. When the settings name other folders, they are watched."""
    while not stop.is_set():
        watched = live.watched()
        for changes in watchfiles.watch(
            *watched, step=STEP, debounce=DEBOUNCE, stop_event=stop, raise_interrupt=False
        ):
            changed(live.change({Path(path) for _, path in changes}))
            if live.watched() != watched:
                break
