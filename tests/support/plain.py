"""Plain data: the values whose repr says all there is to them, which the build's fingerprints
rely on, and a finder of everything else in a value."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date, datetime

from markupsafe import Markup

PLAIN = (str, int, float, bool, type(None), date, datetime, Markup)


def plain(value: object, where: str = "") -> list[str]:
    """Where ``value`` holds anything whose repr might not say all there is to it."""
    if isinstance(value, PLAIN):
        return []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in [*plain(k, where), *plain(v, f"{where}.{k}")]]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in plain(v, f"{where}[{i}]")]
    if is_dataclass(value) and not isinstance(value, type):
        return [
            p for f in fields(value) for p in plain(getattr(value, f.name), f"{where}.{f.name}")
        ]
    return [f"{where}: {type(value).__name__}"]
