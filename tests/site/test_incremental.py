"""Rebuilds keep what has not changed: a file whose inputs are the same as in the published build
is linked from it, not rendered again; and a rebuild always gives exactly the site a clean
build of the same content gives, byte for byte."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from dossier.enrich import pages as enrich
from dossier.enrich import topic_pages
from dossier.publish.reuse import Reuse
from dossier.write import bodies
from PIL import Image

from ..conftest import Site, make_site
from ..support.pagefind import UNSTABLE
from ..support.plain import plain

ARTICLE = "articles/2023/summit.en.md"
ACTOR = "entities/actors/vladimir-putin.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, but those Pagefind writes in another order each time it indexes
    (test_build.py says why and compares what they find)."""
    return {
        name: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not UNSTABLE.fullmatch(name := p.relative_to(folder).as_posix())
    }


KEPT = re.compile(r".*\.html|.*/feed\.(xml|json)|pagefind/[^/]+/.*")  # what a build may keep


def inodes(folder: Path) -> dict[str, int]:
    """The inode of each page, feed and search index file: a kept file is the published one,
    linked, under the same inode. (Static files, sitemaps and robots.txt are written anew.)"""
    return {
        name: p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file() and KEPT.fullmatch(name := p.relative_to(folder).as_posix())
    }


def counts(output: str) -> tuple[int, int]:
    """(rendered, kept) from the build's summary line."""
    found = re.search(r"Rendered ([\d,]+) files, kept ([\d,]+) unchanged ones", output)
    assert found, output
    rendered, kept = (int(n.replace(",", "")) for n in found.groups())
    return rendered, kept


def clean_build(site: Site, tmp_path: Path) -> dict[str, bytes]:
    """The same content built from nothing: no caches, no published site."""
    fresh = make_site(tmp_path / "fresh", site.content)
    shutil.rmtree(fresh.content)
    shutil.copytree(site.content, fresh.content)
    result = fresh.build()
    assert result.exit_code == 0, result.output
    return tree(fresh.output)


def edit(site: Site, relative: str, old: str, new: str) -> None:
    path = site.content / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_of_unchanged_content_renders_nothing(fixture_site: Site) -> None:
    first = fixture_site.build()
    rendered, kept = counts(first.output)
    assert kept == 0
    assert rendered > 50
    before = inodes(fixture_site.output)
    again = fixture_site.build()
    assert counts(again.output) == (0, rendered)
    assert "0 indexed anew" in again.output
    # Every file the same as published, search index included: linked, not written again.
    assert inodes(fixture_site.output) == before


def test_an_edited_article_is_rendered_again_and_matches_a_clean_build(
    fixture_site: Site, tmp_path: Path
) -> None:
    total = sum(counts(fixture_site.build().output))
    before = inodes(fixture_site.output)
    edit(
        fixture_site,
        ARTICLE,
        "arrived by train.",
        "arrived by train. A sentence added in a rebuild.",
    )
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    rendered, kept = counts(result.output)
    after = inodes(fixture_site.output)
    new = sorted(name for name, inode in after.items() if before.get(name) != inode)
    # The body shows on its own page only; the search index shard that holds the article is
    # made again, the other language's is kept.
    shard = [n for n in new if n.startswith("pagefind/en-2023/")]
    assert [n for n in new if n not in shard] == ["en/2023/summit/index.html"]
    assert any(n.startswith("pagefind/de-") for n in after)
    assert (rendered, rendered + kept) == (1 + len(shard), total)
    assert "1 indexed anew" in result.output
    page = fixture_site.page("/en/2023/summit/").read_text(encoding="utf-8")
    assert "A sentence added in a rebuild." in page
    assert tree(fixture_site.output) == clean_build(fixture_site, tmp_path)


@pytest.mark.parametrize(
    ("source", "old", "new"),
    [
        (ARTICLE, "title: ", "title: Renamed "),  # on its page, topic pages, feeds, home…
        (ACTOR, "en: Vladimir Putin", "en: Vladimir V. Putin"),  # on every page naming him
    ],
    ids=["article-title", "entity-name"],
)
def test_a_change_to_the_model_reaches_every_page_that_shows_it(
    fixture_site: Site, tmp_path: Path, source: str, old: str, new: str
) -> None:
    fixture_site.build()
    edit(fixture_site, source, old, new)
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    rendered, kept = counts(result.output)
    assert rendered > 5
    assert kept > 0
    assert tree(fixture_site.output) == clean_build(fixture_site, tmp_path)


def test_an_image_of_another_size_reaches_every_page_that_shows_it(
    fixture_site: Site, tmp_path: Path
) -> None:
    """Image sizes are part of the model: the default image in every page's Open Graph meta
    and JSON-LD, replaced by a larger one, is a change even with no text file changed."""
    fixture_site.build()
    image = fixture_site.content / "images/dossier-default-16x9.png"
    Image.new("RGB", (1920, 1080), "white").save(image)
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert counts(result.output)[0] > 5
    page = BeautifulSoup(fixture_site.page("/en/2023/summit/").read_text("utf-8"), "html.parser")
    assert page.find("meta", property="og:image:width")["content"] == "1920"
    assert tree(fixture_site.output) == clean_build(fixture_site, tmp_path)


def test_a_published_file_changed_by_hand_is_rendered_again(fixture_site: Site) -> None:
    fixture_site.build()
    page = fixture_site.page("/en/2023/summit/")
    original = page.read_bytes()
    page.write_bytes(b"<p>changed on the server</p>")
    result = fixture_site.build()
    assert counts(result.output)[0] == 1
    assert fixture_site.page("/en/2023/summit/").read_bytes() == original


def test_a_theme_change_renders_every_page(fixture_site: Site, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(Path(__file__).resolve().parent.parent.parent / "theme", theme)
    settings = fixture_site.root / "settings.py"
    settings.write_text(settings.read_text("utf-8") + f"THEME = {str(theme)!r}\n", "utf-8")
    rendered = counts(fixture_site.build().output)[0]
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<!-- x --></body>"), "utf-8")
    again = fixture_site.build()
    assert counts(again.output)[0] == rendered
    assert b"<!-- x -->" in fixture_site.page("/en/2023/summit/").read_bytes()


def test_a_failed_build_keeps_the_published_manifest(fixture_site: Site) -> None:
    total = sum(counts(fixture_site.build().output))
    good = (fixture_site.content / ARTICLE).read_bytes()
    fixture_site.write(ARTICLE, "---\ntitle: [broken\n---\n")
    assert fixture_site.build().exit_code == 1
    (fixture_site.content / ARTICLE).write_bytes(good)
    assert counts(fixture_site.build().output) == (0, total)


def test_kept_files_are_links_to_the_published_ones_until_the_swap(fixture_site: Site) -> None:
    """A kept file is the published file itself, linked: never copied, never written to."""
    fixture_site.build()
    page = fixture_site.page("/en/2023/summit/")
    inode = page.stat().st_ino
    fixture_site.build()
    assert fixture_site.page("/en/2023/summit/").stat().st_ino == inode
    fixture_site.settled()  # the previous site is removed after the swap, in the background
    assert page.stat().st_nlink == 1


def test_the_manifest_names_only_files_of_the_published_site(fixture_site: Site) -> None:
    fixture_site.build()
    (manifest,) = (fixture_site.root / "cache").glob("dossier-published-*.json")
    files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    for name, (_, size, mtime, _text) in files.items():
        stat = (fixture_site.output / name).stat()
        assert (stat.st_size, stat.st_mtime_ns) == (size, mtime), name
    on_disk = {
        p.relative_to(fixture_site.output).as_posix()
        for p in fixture_site.output.rglob("*.html")
        if "pagefind" not in p.parts
    }
    assert on_disk <= set(files)
    assert not [f for f in files if f.startswith(os.sep)]


def test_every_fingerprinted_part_is_plain_data(monkeypatch, fixture_site: Site) -> None:
    """Fingerprints are digests of repr(): sound only for plain data, which this proves for
    every page and feed of a real build."""
    monkeypatch.setenv("DOSSIER_JOBS", "1")  # the parts are seen in this process
    seen: list[tuple] = []
    original = Reuse.fingerprint

    def checked(self: Reuse, *parts: object) -> str:
        seen.append(parts)
        return original(self, *parts)

    monkeypatch.setattr(Reuse, "fingerprint", checked)
    assert fixture_site.build().exit_code == 0
    assert len(seen) > 50
    assert [problem for parts in seen for problem in plain(parts)] == []


def test_the_rendered_texts_are_kept_between_builds(fixture_site: Site, monkeypatch) -> None:
    """The articles' rendered texts live in a folder named by the build version, which must not
    change from one run to the next: a rebuild renders no Markdown at all, not even when every
    article page is made again (a change to the front matter remakes every view)."""
    monkeypatch.setenv("DOSSIER_JOBS", "1")  # the calls are counted in this process
    fixture_site.build()
    first = sorted(p.name for p in (fixture_site.root / "cache").glob(f"{bodies.PREFIX}*"))
    rendered: list[str] = []
    original = bodies.render_body

    def counted(text: str, *args):
        rendered.append(text)
        return original(text, *args)

    monkeypatch.setattr(bodies, "render_body", counted)
    assert fixture_site.build().exit_code == 0
    edit(fixture_site, "articles/2023/summit.de.md", "title: ", "title: Neu ")
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert counts(result.output)[0] > 20  # every article page made again, and more
    assert sorted(p.name for p in (fixture_site.root / "cache").glob(f"{bodies.PREFIX}*")) == first
    assert len(first) == 1
    assert rendered == []
    edit(fixture_site, ARTICLE, "arrived by train.", "arrived by a slow train.")
    assert fixture_site.build().exit_code == 0
    assert len(rendered) == 1
    assert "arrived by a slow train." in rendered[0]


def test_an_edit_of_an_articles_text_alone_makes_no_other_view(
    fixture_site: Site, tmp_path: Path, monkeypatch
) -> None:
    """With every article's and entry's data as published, the topic pages, indexes and feeds
    are what they were: they are linked without a view being made, and so is every article
    page whose text is unchanged. Only the edited article's view is made."""
    monkeypatch.setenv("DOSSIER_JOBS", "1")  # the calls are counted in this process
    fixture_site.build()
    made: list[str] = []
    viewed: set[str] = set()
    for module, name in ((enrich, "article_view"), (topic_pages, "entity_views")):
        original = getattr(module, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            made.append(_name)
            viewed.add(args[0].source if _name == "article_view" else "")
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    edit(fixture_site, ARTICLE, "arrived by train.", "arrived by a slow train.")
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert set(made) == {"article_view"}
    assert viewed == {f"content/{ARTICLE}"}
    assert "a slow train" in fixture_site.page("/en/2023/summit/").read_text(encoding="utf-8")
    assert tree(fixture_site.output) == clean_build(fixture_site, tmp_path)
    # A change to the front matter is a change to the model: every view is made again.
    made.clear()
    edit(fixture_site, ARTICLE, "title: ", "title: Again ")
    assert fixture_site.build().exit_code == 0
    assert made.count("article_view") > 1
    assert "entity_views" in made


def test_the_previous_site_is_removed_after_the_swap_in_the_background(fixture_site: Site) -> None:
    """The published site a build replaces is moved into the cache folder and removed there by
    a process of its own: the build does not wait for it, and nothing of it stays behind."""
    fixture_site.build()
    old = fixture_site.output / "en" / "2023" / "summit" / "index.html"
    old_inode = old.stat().st_ino
    edit(fixture_site, ARTICLE, "arrived by train.", "arrived by a slow train.")
    assert fixture_site.build().exit_code == 0
    assert old.stat().st_ino != old_inode  # the page was written anew
    retired = fixture_site.root / "cache" / "dossier-retired"
    assert retired.is_dir()
    fixture_site.settled()
    assert list(retired.iterdir()) == []
    beside = [p.name for p in fixture_site.root.iterdir() if p.name.startswith(".dossier-build")]
    assert beside == []
