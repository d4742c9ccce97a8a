"""``dossier serve``, watching: the content, the schemas, the theme and the settings file, with
watchfiles (inotify on Linux, FSEvents on macOS). A burst of saves (an editor that writes a
file in several steps, a ``git checkout``) is taken as one change.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

import watchfiles

from dossier.serve.live import Affected, Live

# How long a burst of changes may go quiet before it is taken (ms), and the longest it is
# collected: short, so that a save shows at once.
STEP, DEBOUNCE = 30, 400
# How often the watcher looks up when nothing happens (ms): the first look says it is ready.
TICK = 100


def follow(
    live: Live,
    changed: Callable[[Affected], None],
    stop: threading.Event,
    ready: threading.Event,
) -> None:
    """Watch what ``live`` is made of until ``stop`` is set; after each change, ``changed``
    hears which pages it shows on. ``ready`` is set once the files are watched: a save made
    after it is seen. When the settings name other folders, they are watched instead."""
    while not stop.is_set():
        watched = live.watched()
        for changes in watchfiles.watch(
            *watched,
            step=STEP,
            debounce=DEBOUNCE,
            stop_event=stop,
            rust_timeout=TICK,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            ready.set()
            if not changes:
                continue
            try:
                changed(live.change({Path(path) for _, path in changes}))
            except Exception:  # noqa: BLE001 - the watcher must outlive any one change
                sys.stderr.write(f"error: following a change failed:\n{traceback.format_exc()}")
            if live.watched() != watched:
                break
