"""The one settings object: every setting Dossier reads is declared once, with its default, its
check and its documentation (which tests/golden/test_settings_docs.py compares with
docs/settings.md); a wrong value is a located diagnostic, never a crash. No Pelican, no files."""

from __future__ import annotations

import re
import runpy
from dataclasses import fields
from pathlib import Path

import pytest
from dossier import settings
from dossier.settings import DossierSettings, Publisher, read

from ..conftest import REPO

# What Pelican's reader always fills in, and the two settings Dossier cannot do without.
PELICAN = {
    "PATH": "content",
    "ARTICLE_PATHS": ["articles"],
    "THEME": "theme",
    "DEFAULT_LANG": "de",
    "CACHE_PATH": "cache",
    "OUTPUT_PATH": "output",
    "SITEURL": "",
    "ARTICLE_URL": "{slug}/",
}
MINIMAL = PELICAN | {
    "DOSSIER_SITE_URL": "https://news.example",
    "DOSSIER_PUBLISHER": {"name": "N"},
    "DOSSIER_DEFAULT_IMAGES": ["images/default.png"],
}
EMPTY_IMAGES = (
    "settings:1:1: DOSSIER_DEFAULT_IMAGES: is empty; articles without an image need a "
    "default for search engines; name at least one image of 1200 pixels or wider"
)


def names() -> set[str]:
    return {f.metadata["name"] for f in fields(DossierSettings)}


def test_every_dossier_setting_the_code_and_the_sample_name_is_declared() -> None:
    """A DOSSIER_ name read anywhere in the package, or set in the sample's settings, is a
    field of DossierSettings: no setting is read past the one object."""
    package = REPO / "plugins" / "dossier"
    used = {
        name
        for path in package.rglob("*.py")
        for name in re.findall(r"\bDOSSIER_[A-Z_]+\b", path.read_text(encoding="utf-8"))
    }
    used -= {"DOSSIER_BUILD"}  # the plugin's key for the build under way, not a setting
    # The build's worker processes: an environment variable, which changes no byte of the site.
    used -= {"DOSSIER_JOBS"}
    used |= {k for k in runpy.run_path(str(REPO / "pelicanconf.py")) if k.startswith("DOSSIER_")}
    assert used <= names(), used - names()
    assert {n for n in names() if n.startswith("DOSSIER_")} <= used  # and each is in use


def test_defaults_fill_what_is_not_set() -> None:
    configured, problems = read(MINIMAL, files=False)
    assert problems == []
    assert configured.timeline_page_size == 20
    assert configured.feed_limit == 50
    assert configured.sitemap_max_urls == 50_000
    assert configured.search_shard_pages == 2_000
    assert configured.entity_url == "{lang}/{kind}/{id}/"
    assert configured.timezone == "UTC"
    assert configured.publisher == Publisher("N")
    assert configured.content_folder == Path("content")


def test_values_take_the_attributes_types() -> None:
    values = MINIMAL | {
        "DOSSIER_PUBLISHER": {
            "name": "N",
            "logo": "images/l.png",
            "same_as": ["https://x.example"],
        },
        "DOSSIER_DEFAULT_IMAGES": ["images/a.png"],
        "DOSSIER_DEFAULT_AUTHORS": ["desk"],
    }
    configured = settings.of(values)
    assert configured.publisher == Publisher("N", "images/l.png", ("https://x.example",))
    assert configured.default_images == ("images/a.png",)
    assert configured.default_authors == ("desk",)
    assert configured.article_paths == ("articles",)
    with pytest.raises(AttributeError):
        configured.feed_limit = 3  # frozen


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DOSSIER_FEED_LIMIT", "50", "must be a whole number from 1 to 10,000, not '50'"),
        ("DOSSIER_CACHE", "no", "must be True or False, not 'no'"),
        ("DOSSIER_ENTITY_URL", None, "must be a URL pattern (text), not None"),
        ("DOSSIER_DEFAULT_AUTHORS", "desk", "must be a list of texts, not 'desk'"),
        ("DOSSIER_PUBLISHER", {"logo": "x.png"}, "needs at least a name"),
        ("DOSSIER_NOW", "today", "'today' is not a date and time with a UTC offset"),
    ],
)
def test_a_wrong_value_is_a_diagnostic_and_the_default_stands_in(
    name: str, value: object, message: str
) -> None:
    configured, problems = read(MINIMAL | {name: value}, files=False)
    assert [(d.path, d.line, d.field, d.code) for d in problems] == [
        ("settings", 1, name, "invalid-setting")
    ]
    assert problems[0].message == message
    field = next(f for f in fields(DossierSettings) if f.metadata["name"] == name)
    if field.metadata["default"] not in (settings.REQUIRED, settings.PELICAN):
        assert getattr(configured, field.name) == field.metadata["convert"](
            field.metadata["default"]
        )


def test_a_missing_required_setting_says_so_and_the_rest_is_still_checked() -> None:
    values = dict(PELICAN)
    del values["PATH"]
    values["DOSSIER_FEED_LIMIT"] = 0
    _, problems = read(values, files=False)
    assert [d.format() for d in problems] == [
        "settings:1:1: DOSSIER_SITE_URL: is not set; add DOSSIER_SITE_URL = … to the settings file",
        (
            "settings:1:1: DOSSIER_PUBLISHER: is not set; add DOSSIER_PUBLISHER = … to the "
            "settings file"
        ),
        EMPTY_IMAGES,
        "settings:1:1: PATH: is not set; add PATH = … to the settings file",
        "settings:1:1: DOSSIER_FEED_LIMIT: must be a whole number from 1 to 10,000, not 0",
    ]
    with pytest.raises(ValueError, match="DOSSIER_SITE_URL: is not set"):
        settings.of(values)


def test_the_build_time_is_fixed_by_source_date_epoch_then_dossier_now() -> None:
    now = "2023-09-14T12:00:00+02:00"
    configured = settings.of(MINIMAL | {"DOSSIER_NOW": now})
    assert configured.build_time({}).isoformat() == now
    epoch = configured.build_time({"SOURCE_DATE_EPOCH": "1694649600"})
    assert epoch.isoformat() == "2023-09-14T00:00:00+00:00"
    assert settings.of(MINIMAL).build_time({}).tzinfo is not None


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999", "-5", "1.5"])
def test_a_source_date_epoch_that_is_no_time_is_an_error_not_the_clock(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SOURCE_DATE_EPOCH decides what is published: set and unreadable, it is reported (it
    was silently the clock, or a traceback), and the build time is not taken from it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    configured, problems = read(MINIMAL, files=False)
    assert [(d.path, d.field, d.code) for d in problems] == [
        ("environment", "SOURCE_DATE_EPOCH", "invalid-setting")
    ]
    assert problems[0].message.startswith(f"{value!r} is not a time")
    assert configured.build_time({"SOURCE_DATE_EPOCH": value}).year >= 2026  # the clock's
    assert configured.build_time({"SOURCE_DATE_EPOCH": "1694649600"}).isoformat() == (
        "2023-09-14T00:00:00+00:00"
    )
