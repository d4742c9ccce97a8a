"""Static files are confined: the build copies into the site only images of the static folders,
as regular files, never a file reached through a symbolic link or lying outside the content
folder; check says so, located, and the build refuses, and never copies such a file even if
check let it through. The exact wording of the other static cases is in tests/fixtures/bad/
(static-file-not-an-image, body-link-outside-content, image-too-large-or-broken)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ..conftest import REPO, Site

LOGO = REPO / "content/images/dossier-logo.png"
SECRET = b"SECRET-MARKER"


def _secret_image(folder: Path) -> Path:
    """A valid PNG outside the site, with a marker after its end a copy would carry along."""
    folder.mkdir(exist_ok=True)
    path = folder / "secret.png"
    path.write_bytes(LOGO.read_bytes() + SECRET)
    return path


def _outside(site: Site) -> list[str]:
    return sorted(p.name for p in site.root.parent.iterdir())


def _copied_secret(site: Site) -> list[str]:
    """Files of the output that carry the marker."""
    if not site.output.exists():
        return []
    return [
        p.relative_to(site.output).as_posix()
        for p in site.output.rglob("*")
        if p.is_file() and SECRET in p.read_bytes()
    ]


@pytest.mark.parametrize("link", ["images/leak.png", "images/elsewhere"])  # a file, a folder
def test_a_static_link_out_of_the_content_folder_is_refused_and_not_copied(
    fixture_site: Site, tmp_path: Path, link: str
) -> None:
    secret = _secret_image(tmp_path / "outside")
    target = secret if link.endswith(".png") else secret.parent
    (fixture_site.content / link).symlink_to(target)
    before = _outside(fixture_site)
    message = (
        f"content/{link}:1:1: is a symbolic link: the build would copy what it points to; "
        "copy the file itself here instead"
    )

    checked = fixture_site.check()
    assert checked.exit_code == 1
    assert message in checked.output.splitlines()
    assert "Traceback" not in checked.output

    built = fixture_site.build()
    assert built.exit_code == 1
    assert message in built.output.splitlines()
    assert not fixture_site.output.exists()
    assert _outside(fixture_site) == before


def test_a_static_link_inside_the_content_folder_is_refused(fixture_site: Site) -> None:
    """Even to an image of the site: the link is what is published, and whatever it points to
    later with it."""
    (fixture_site.content / "images/copy.png").symlink_to(
        fixture_site.content / "images/dossier-logo.png"
    )
    result = fixture_site.check()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "content/images/copy.png:1:1: is a symbolic link: the build would copy what it points "
            "to; copy the file itself here instead"
        ),
        "Found 1 error in 1 file.",
    ]


def test_a_static_folder_that_is_a_link_is_refused(fixture_site: Site, tmp_path: Path) -> None:
    outside = tmp_path / "photos"
    shutil.copytree(fixture_site.content / "images", outside)
    _secret_image(outside)
    shutil.rmtree(fixture_site.content / "images")
    (fixture_site.content / "images").symlink_to(outside)

    result = fixture_site.build()

    assert result.exit_code == 1
    assert (
        "content/images:1:1: the static folder is a symbolic link: the build would copy what it "
        "points to; make it a folder of its own and copy the images into it"
    ) in result.output.splitlines()
    assert "Traceback" not in result.output
    assert not fixture_site.output.exists()


def test_a_link_from_an_article_to_an_image_behind_a_symbolic_link_is_refused(
    fixture_site: Site, tmp_path: Path
) -> None:
    (fixture_site.content / "images/elsewhere").symlink_to(_secret_image(tmp_path / "o").parent)
    article = fixture_site.content / "articles/2023/summit.en.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n![Secret]({static}/images/elsewhere/secret.png)\n", "utf-8")

    lines = fixture_site.check().output.splitlines()

    line = len(text.split("\n")) + 1
    assert (
        f"content/articles/2023/summit.en.md:{line}:11: text: {{static}}/images/elsewhere/"
        "secret.png: leads out of the content folder; link to an image in a static folder, "
        "e.g. {static}/images/photo.jpg"
    ) in lines


# --- the build refuses by itself what check would refuse ----------------------------------------


@pytest.fixture
def check_blind_to_static(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check as if it missed every static file and every {static} link: what the build copies
    must then be refused by the build itself."""
    monkeypatch.setattr("dossier.read.corpus._read_static", lambda *args: None)
    monkeypatch.setattr("dossier.validate.rules.check_links", lambda *args: iter(()))


@pytest.mark.usefixtures("check_blind_to_static")
def test_the_build_never_copies_a_linked_file_check_missed(
    fixture_site: Site, tmp_path: Path
) -> None:
    (fixture_site.content / "images/leak.png").symlink_to(_secret_image(tmp_path / "outside"))
    before = _outside(fixture_site)

    result = fixture_site.build()

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "content/images/leak.png:1:1: the build would copy this file into the site, but it is "
            "outside the content folder"
        ),
        "Found 1 error in 1 file.",
        f"Nothing was published; {fixture_site.output} is unchanged.",
    ]
    assert not fixture_site.output.exists()
    assert _outside(fixture_site) == before


@pytest.mark.usefixtures("check_blind_to_static")
def test_the_build_never_copies_a_file_a_body_link_leads_out_to(fixture_site: Site) -> None:
    (fixture_site.root / "notes.txt").write_bytes(SECRET)
    article = fixture_site.content / "articles/2023/summit.en.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n[notes]({static}/../notes.txt)\n", encoding="utf-8")

    result = fixture_site.build()

    # The pages are Dossier's to write, and a link names only what a static folder holds:
    # the file is not copied, and the link is left as written (check refuses it first).
    assert result.exit_code == 0, result.output
    copied = [p for p in fixture_site.output.rglob("*") if p.is_file() and SECRET in p.read_bytes()]
    assert copied == []
    link = BeautifulSoup(fixture_site.page("/en/2023/summit/").read_bytes(), "html.parser")
    assert link.find("a", string="notes")["href"] == "{static}/../notes.txt"


@pytest.mark.usefixtures("check_blind_to_static")
def test_the_build_never_copies_a_static_file_that_is_no_image(fixture_site: Site) -> None:
    fixture_site.write("images/evil.html", "<script>alert(1)</script>")

    result = fixture_site.build()

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "content/images/evil.html:1:1: the build would copy this file into the site, but it is "
            "not an image the site publishes"
        ),
        "Found 1 error in 1 file.",
        f"Nothing was published; {fixture_site.output} is unchanged.",
    ]
    assert not fixture_site.output.exists()


def test_a_valid_site_copies_its_images_and_nothing_else(fixture_site: Site) -> None:
    fixture_site.write("images/.DS_Store", b"\0\0\0\1Bud1")
    fixture_site.write("pages/README.txt", "Not a page Pelican reads.")
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    copied = sorted(p.name for p in (fixture_site.output / "images").rglob("*") if p.is_file())
    assert ".DS_Store" not in copied
    assert copied
    assert all(Path(name).suffix in {".png", ".jpg", ".webp"} for name in copied)
    assert not (fixture_site.output / "pages").exists()
    assert _copied_secret(fixture_site) == []
