"""`dossier check` on files no golden fixture holds well: images made on the spot (broken data,
more pixels than a lowered limit), settings that would lead out of the site, a registry entry
too long to read, and the ids the site keeps for its own pages, as the editing commands meet
them. Each is a located message and an exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import ExifTags, Image

from ..conftest import FIXTURES, REPO, Site, make_site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "site", FIXTURES / "site" / "content")


def _settings(site: Site, text: str) -> None:
    with (site.root / "settings.py").open("a", encoding="utf-8") as settings:
        settings.write(text)


def test_an_image_with_broken_data_is_named(site: Site) -> None:
    """Its header is fine, its size can be read; a chunk of its data is not what it claims."""
    data = bytearray((REPO / "content/images/dossier-default-16x9.png").read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64
    site.write("images/corrupt.png", bytes(data))
    result = site.check()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "content/images/corrupt.png:1:1: cannot be decoded: the image data is broken (broken "
            "PNG file (bad header checksum in b'IDAT')); save the image again, or use another one"
        ),
        "Found 1 error in 1 file.",
    ]


def test_a_lower_pixel_limit_refuses_larger_images(site: Site) -> None:
    Image.new("RGB", (2000, 1500), "white").save(site.content / "images/scan.jpg")
    assert site.check().output == "All content is valid.\n"
    _settings(site, "DOSSIER_IMAGE_MAX_PIXELS = 2_000_000\n")
    result = site.check()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "content/images/scan.jpg:1:1: is 2,000×1,500 pixels, more than the limit of 2,000,000 "
            "pixels; use a smaller version of the image (DOSSIER_IMAGE_MAX_PIXELS)"
        ),
        "Found 1 error in 1 file.",
    ]


def _photo_taken_at(latitude: float, longitude: float) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (latitude, 0.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (longitude, 0.0, 0.0),
    }
    exif[ExifTags.Base.Model] = "Camera"
    return exif


@pytest.mark.parametrize("suffix", ["jpg", "png", "webp"])
def test_a_photo_that_says_where_it_was_taken_is_not_published(site: Site, suffix: str) -> None:
    """The site publishes an image file as it is: a GPS position in its EXIF data would tell
    every reader where the photo was taken. Other metadata (the camera) is no problem."""
    photo = Image.new("RGB", (1600, 900), "white")
    photo.save(site.content / f"images/source.{suffix}", exif=_photo_taken_at(39.0, 125.7))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Camera"
    photo.save(site.content / f"images/harmless.{suffix}", exif=exif)
    result = site.check()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            f"content/images/source.{suffix}:1:1: holds the place where it was taken (a GPS "
            "position in its EXIF data), which the site would publish with it; remove the "
            "position (exiftool -gps:all= FILE), or save the image without its metadata"
        ),
        "Found 1 error in 1 file.",
    ]


def test_an_article_image_that_says_where_it_was_taken_is_named_where_it_is_used(
    site: Site,
) -> None:
    Image.new("RGB", (1600, 900), "white").save(
        site.content / "images/launch.jpg", exif=_photo_taken_at(39.0, 125.7)
    )
    article = site.content / "articles/2023/summit.en.md"
    text = article.read_text(encoding="utf-8")
    site.write(
        "articles/2023/summit.en.md",
        text.replace(
            "slug: summit\n", "slug: summit\nimage: {src: images/launch.jpg, alt: A launch}\n", 1
        ),
    )
    result = site.check()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "content/articles/2023/summit.en.md:4:14: image.src: content/images/launch.jpg holds "
            "the place where it was taken (a GPS position in its EXIF data), which the site would "
            "publish with it; remove the position (exiftool -gps:all= FILE), or save the image "
            "without its metadata"
        ),
        "Found 1 error in 1 file.",
    ]


def test_settings_cannot_lead_out_of_the_site_or_raise_the_pixel_limit(site: Site) -> None:
    _settings(
        site,
        "DOSSIER_IMAGE_MAX_PIXELS = 10**9\n"
        "STATIC_PATHS = ['images', '../secrets']\n"
        "ARTICLE_URL = '../{slug}/'\n"
        "DOSSIER_SITE_URL = 'javascript:alert(1)'\n",
    )
    result = site.check()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "settings:1:1: DOSSIER_SITE_URL: must be an absolute http:// or https:// URL, not "
            "'javascript:alert(1)'"
        ),
        (
            "settings:1:1: STATIC_PATHS: '../secrets' is not a folder below PATH; name a folder "
            "inside the content folder"
        ),
        (
            "settings:1:1: DOSSIER_IMAGE_MAX_PIXELS: must be a whole number from 1 to 89,478,485, "
            "not 1000000000"
        ),
        (
            "settings:1:1: ARTICLE_URL: '../{slug}/' leads out of the site's folder; write it "
            "relative to the site's root, without a leading '/' and without '..'"
        ),
        "Found 4 errors in 1 file.",
    ]


def test_a_registry_entry_too_long_to_read_is_refused_unread(site: Site) -> None:
    path = site.content / "entities/topics/ballistic-missiles.yaml"
    with path.open("a", encoding="utf-8") as entry:
        entry.write("# " + "x" * 4_000_000 + "\n")
    result = site.check()
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"content/entities/topics/ballistic-missiles.yaml:1:1: this file is "
        f"{path.stat().st_size:,} bytes long; the limit is 1,000,000 characters; no field "
        "needs that much: long text belongs in an article's body"
    )
    assert "Traceback" not in result.output


# --- the ids of the site's own pages, as the editing commands meet them -------------------------


@pytest.fixture
def sample(tmp_path: Path) -> Site:
    return make_site(tmp_path / "site", REPO / "content")


def test_new_refuses_an_id_the_site_keeps_for_itself(sample: Site) -> None:
    result = sample.run(
        "new", "entity", "topics", "by-activity", "--name-de", "Aktiv", "--name-en", "Active"
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        (
            "content/entities/topics/by-activity.yaml:1:1: the id 'by-activity' is taken by the "
            "site: en/topics/by-activity/ is the address of the index of topics by activity (en); "
            "choose another id (dossier rename changes it everywhere)"
        ),
        "Found 1 error in 1 file.",
    ]
    assert not (sample.content / "entities/topics/by-activity.yaml").exists()


def test_rename_refuses_an_id_the_site_keeps_for_itself(sample: Site) -> None:
    before = sorted(p.name for p in (sample.content / "entities/actors").iterdir())
    result = sample.run("rename", "kim-jong-un", "nach-aktivitaet", "--apply")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for NEW_ID: 'nach-aktivitaet' is taken by the site: "
        "de/akteure/nach-aktivitaet/ is the address of the index of actors by activity (de)"
    )
    assert sorted(p.name for p in (sample.content / "entities/actors").iterdir()) == before
