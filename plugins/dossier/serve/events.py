"""``dossier serve``, live reload: Server-Sent Events to the open pages.

Each page's script opens ``/_dossier/events?page=<its path>``; after a change, the pages it
shows on (``live.Affected``) are sent a ``reload`` event, and the others nothing.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

KEEP_ALIVE = 15.0  # seconds between comments on a quiet stream: proxies close silent ones


@dataclass(eq=False)
class Listener:
    """One open page: its path and the events waiting for it (None: the server stops)."""

    page: str
    waiting: queue.Queue[str | None] = field(default_factory=queue.Queue)


class Events:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.listeners: set[Listener] = set()
        self.closed = False

    def listen(self, page: str) -> Listener:
        listener = Listener(page)
        with self.lock:
            if self.closed:
                listener.waiting.put(None)
            self.listeners.add(listener)
        return listener

    def leave(self, listener: Listener) -> None:
        with self.lock:
            self.listeners.discard(listener)

    def reload(self, shows_on: Callable[[str], bool], version: int) -> int:
        """Send ``reload`` to every page a change shows on; how many were sent."""
        message = f"event: reload\ndata: {json.dumps({'version': version})}\n\n"
        with self.lock:
            chosen = [listener for listener in self.listeners if shows_on(listener.page)]
        for listener in chosen:
            listener.waiting.put(message)
        return len(chosen)

    def close(self) -> None:
        """End every stream: the server stops."""
        with self.lock:
            self.closed = True
            for listener in self.listeners:
                listener.waiting.put(None)
