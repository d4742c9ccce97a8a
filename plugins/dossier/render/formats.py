"""Render stage, formats: dates and numbers as readers of each language write them (Babel, with
the locale ``data/languages.yaml`` gives each language). The templates use them as filters."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from dossier.data import load_languages


def date_text(value: date | datetime, lang: str) -> str:
    """A date as readers of the language write it (13. September 2023, 13 September 2023), on
    the day it is where its time zone says."""
    return _date_text(value, _zone(value), lang)


# Babel's formatting is slow, and one article's date appears on many pages. The cache keys on
# the zone too: two datetimes of the same instant are equal, but may fall on different days.
@cache
def _date_text(value: date | datetime, zone: tuple, lang: str) -> str:
    return format_date(value, "long", locale=load_languages()[lang]["formats"])


def datetime_text(value: datetime, lang: str) -> str:
    """A date and time in its own time zone, named as readers of the language abbreviate it
    (1 March 2027, 08:00 CET; 1. März 2027, 08:00 MEZ), or by its offset where the language has
    no abbreviation for it (Babel writes a long name or a bare offset then): UTC-5."""
    return _datetime_text(value, _zone(value), lang)


@cache
def _datetime_text(value: datetime, zone: tuple, lang: str) -> str:
    locale = load_languages()[lang]["formats"]
    name = format_datetime(value, "z", tzinfo=value.tzinfo, locale=locale)
    if not re.fullmatch(r"[A-Z]{2,5}", name):
        minutes = int((value.utcoffset() or timedelta()).total_seconds()) // 60
        hours, rest = divmod(abs(minutes), 60)
        name = f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02}" if rest else "")
    time = format_time(value, "HH:mm", tzinfo=value.tzinfo, locale=locale)
    return f"{date_text(value, lang)}, {time} {name}"


def _zone(value: date | datetime) -> tuple:
    if not isinstance(value, datetime):
        return ()
    return (value.utcoffset(), str(value.tzinfo))


def month_text(value: date | datetime, lang: str) -> str:
    return _month_text(value, _zone(value), lang)


@cache
def _month_text(value: date | datetime, zone: tuple, lang: str) -> str:
    return format_date(value, "MMMM y", locale=load_languages()[lang]["formats"])


@cache
def number_text(value: int, lang: str) -> str:
    return format_decimal(value, locale=load_languages()[lang]["formats"])
