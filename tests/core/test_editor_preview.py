"""ARTICLE_URL as Front Matter's preview path (``editor_config.preview``): each placeholder
Front Matter can fill, the slug left for it to add, and a message naming what it cannot write."""

from __future__ import annotations

import pytest
from dossier.editing.editor_config import PreviewError, preview


@pytest.mark.parametrize(
    ("article_url", "path", "trailing_slash"),
    [
        ("{lang}/{date:%Y}/{slug}/", "{{fm.lang}}/{{date|yyyy}}", True),
        ("{lang}/{slug}/", "{{fm.lang}}", True),
        ("{slug}/", "/", True),
        ("{date:%Y/%m/%d}/{slug}", "{{date|yyyy}}/{{date|MM}}/{{date|dd}}", False),
        ("{lang}/{date:%y-%m-%dT%H%M%S}/{slug}/",
         "{{fm.lang}}/{{date|yy}}-{{date|MM}}-{{date|dd}}T{{date|HH}}{{date|mm}}{{date|ss}}", True),
        ("news/{category}/{slug}/", "news/{{fm.category}}", True),
        # Front Matter adds /<slug> after these too: the preview opens a page one level below
        ("{lang}/{slug}/{date:%Y}/", "{{fm.lang}}/{{fm.slug}}/{{date|yyyy}}", True),
        ("{lang}/{slug}.html", "{{fm.lang}}/{{fm.slug}}.html", False),
    ],
)  # fmt: skip
def test_article_url_becomes_the_preview_path(
    article_url: str, path: str, trailing_slash: bool
) -> None:
    assert preview(article_url) == {"previewPath": path, "trailingSlash": trailing_slash}


CODES = "%Y, %y, %m, %d, %H, %M and %S"
KNOWS = f"it knows the strftime codes {CODES}"
FIELDS = "it can write a front matter field ({lang}) and the date's parts ({date:%Y})"


@pytest.mark.parametrize(
    ("article_url", "has", "hint"),
    [
        ("{lang}/{date:%B}/{slug}/", "%B in {date:%B}", KNOWS),
        ("{date:%Y/%j}/{slug}/", "%j in {date:%Y/%j}", KNOWS),
        ("{lang}/{date}/{slug}/", "{date}",
         f"give the date's parts with the strftime codes it knows ({CODES})"),
        ("{lang!s}/{slug}/", "{lang!s}", FIELDS),
        ("{date.year}/{slug}/", "{date.year}", FIELDS),
        ("{lang}/{slug:.20}/", "{slug:.20}",
         "it writes a field as it is ({slug}), and a format only for the date ({date:%Y})"),
    ],
)  # fmt: skip
def test_what_front_matter_cannot_write_is_named(article_url: str, has: str, hint: str) -> None:
    with pytest.raises(PreviewError) as refused:
        preview(article_url)
    assert str(refused.value) == (
        f"ARTICLE_URL {article_url!r} has {has}, which Front Matter's preview cannot write: {hint}"
    )


def test_a_pattern_that_is_not_one_is_named() -> None:
    with pytest.raises(PreviewError) as refused:
        preview("{lang/{slug}/")
    assert str(refused.value) == (
        "ARTICLE_URL '{lang/{slug}/' is not a pattern (expected '}' before end of string)"
    )
