"""Render stage, formats: dates and numbers as readers of each language write them (Babel, with
the locale ``data/languages.yaml`` gives each language). The templates use them as filters."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel.dates import format_date
from babel.numbers import format_decimal

from dossier.data import load_languages


@cache  # Babel's formatting is slow, and one article's date appears on many pages
def date_text(value: date | datetime, lang: str) -> str:
    """A date as readers of the language write it (13. September 2023, 13 September 2023)."""
    return format_date(value, "long", locale=load_languages()[lang]["formats"])


@cache
def month_text(value: date | datetime, lang: str) -> str:
    return format_date(value, "MMMM y", locale=load_languages()[lang]["formats"])


@cache
def number_text(value: int, lang: str) -> str:
    return format_decimal(value, locale=load_languages()[lang]["formats"])
