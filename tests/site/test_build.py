"""Building small purpose-made sites: safety of the output, failed builds, determinism."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from dossier.lint.jsonld_check import check_site

from ..conftest import REPO, Site, make_site
from ..support.images import png
from ..support.pagefind import UNSTABLE, search_index

HOSTILE = "</script><script>alert(1)</script> & <b>bold</b>"


def tree(root: Path) -> dict[str, str]:
    """Every file below root with the hash of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def page(site: Site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(url).read_text(encoding="utf-8"), "html.parser")


def test_fixture_site_builds(fixture_site: Site) -> None:
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert fixture_site.page("/de/2023/summit/").is_file()
    assert fixture_site.page("/en/2023/summit/").is_file()
    assert fixture_site.page("/en/2023/launches/").is_file()
    landing = page(fixture_site, "/")
    assert {a["href"] for a in landing.select("main a")} == {"/de/", "/en/"}


def test_hostile_strings_cannot_escape_the_json_ld_script(
    fixture_site: Site, schemaorg: Path
) -> None:
    path = fixture_site.content / "articles/2023/summit.en.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "title: Kim meets Putin at Vostochny", f"title: '{HOSTILE}'"
        ),
        encoding="utf-8",
    )
    actor = fixture_site.content / "entities/actors/vladimir-putin.yaml"
    actor.write_text(
        actor.read_text(encoding="utf-8").replace("en: Vladimir Putin", f"en: '{HOSTILE}'"),
        encoding="utf-8",
    )
    result = fixture_site.build()
    assert result.exit_code == 0, result.output

    article = page(fixture_site, "/en/2023/summit/")
    # The only script on the page is the JSON-LD block, and it holds the strings intact.
    scripts = article.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    raw = scripts[0].string
    assert not {"<", ">", "&"} & set(raw)
    nodes = json.loads(raw)["@graph"]
    (news,) = [n for n in nodes if n["@id"].endswith("/en/2023/summit/#article")]
    assert news["headline"] == HOSTILE
    assert HOSTILE in {n.get("name") for n in nodes}
    # In the HTML the strings are text, not markup.
    assert article.h1.get_text() == HOSTILE
    assert article.find("meta", property="og:title")["content"] == HOSTILE
    assert article.find("meta", attrs={"name": "twitter:title"})["content"] == HOSTILE
    assert not article.select("main b")
    entity = page(fixture_site, "/en/actors/vladimir-putin/")
    assert entity.h1.get_text() == HOSTILE
    assert [s.get("type") for s in entity.find_all("script")] == ["application/ld+json"]
    # And the graphs holding them are still valid schema.org on every page.
    assert check_site(fixture_site.output, schemaorg).diagnostics == []


def test_a_failed_build_leaves_the_published_site_untouched(fixture_site: Site) -> None:
    assert fixture_site.build().exit_code == 0
    before = tree(fixture_site.output)
    fixture_site.write("articles/2023/summit.de.md", "---\ntitle: [unclosed\n---\nText\n")
    fixture_site.write("entities/topics/ballistic-missiles.yaml", "name: {de: Raketen}\n")

    result = fixture_site.build()

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "content/articles/2023/summit.de.md:2:8: YAML syntax error: did not find expected ',' "
        "or ']' (while parsing a flow sequence); a list in [brackets] is not closed, or an item "
        "needs quotes"
    )
    assert lines[1].startswith("content/entities/topics/ballistic-missiles.yaml:1:7: name.en:")
    assert lines[2] == "Found 2 errors in 2 files."
    assert tree(fixture_site.output) == before
    leftovers = [p.name for p in fixture_site.root.iterdir() if p.name.startswith(".dossier-build")]
    assert leftovers == []


def test_a_first_failed_build_creates_no_output(fixture_site: Site) -> None:
    fixture_site.write("entities/topics/ballistic-missiles.yaml", "name: {de: Raketen}\n")
    assert fixture_site.build().exit_code == 1
    assert not fixture_site.output.exists()


def test_builds_in_separate_processes_write_identical_bytes(tmp_path: Path) -> None:
    """The sample site built twice by the real command, each in its own process with another
    PYTHONHASHSEED, so that any order taken from a set or a str-keyed hash would show. The
    second build replaces the first's output, as a newsroom's rebuild does."""
    site = make_site(tmp_path / "site", REPO / "content")
    dossier = Path(sys.executable).with_name("dossier")
    trees, indexes = [], []
    for seed in ("1", "2"):
        # Everything rendered anew: without the caches the second build would keep the first's
        # files, unchanged, and prove nothing.
        shutil.rmtree(site.root / "cache", ignore_errors=True)
        # One build time for both, as reproducible builds fix it, for the news sitemap.
        env = os.environ | {"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1694649600"}
        done = subprocess.run(
            [str(dossier), "build", "--settings", "settings.py"],
            cwd=site.root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        written = tree(site.output)
        trees.append({k: v for k, v in written.items() if not UNSTABLE.fullmatch(k)})
        indexes.append(search_index(site.output))
    assert any(re.match(r"pagefind/[^/]+/fragment/", k) for k in trees[0])
    assert any(re.match(r"pagefind/[^/]+/index/", k) for k in trees[0])
    assert trees[0] == trees[1]
    assert indexes[0] == indexes[1]
    assert indexes[0]["facets"]  # there were facets to compare


def test_drafts_are_validated_but_not_written(fixture_site: Site) -> None:
    assert fixture_site.build().exit_code == 0
    assert not (fixture_site.output / "de/2006").exists()
    resolution = page(fixture_site, "/de/sanktionen/unsc-resolution-1718/")
    assert "Der Sicherheitsrat verhängt Sanktionen" not in resolution.get_text()
    # …yet an error in a draft still stops the build.
    draft = fixture_site.content / "articles/2006/resolution.de.md"
    draft.write_text(
        draft.read_text(encoding="utf-8").replace("[unsc-resolution-1718]", "[unsc-1718]"),
        encoding="utf-8",
    )
    result = fixture_site.build()
    assert result.exit_code == 1
    assert "unknown sanction 'unsc-1718'" in result.output


def test_entity_page_lists_other_language_coverage(fixture_site: Site) -> None:
    """An English-only article shows on the German topic page, marked with its language."""
    assert fixture_site.build().exit_code == 0
    german = page(fixture_site, "/de/themen/ballistic-missiles/")
    assert german.find(id="articles-title").find_next("p").get_text() == "Noch keine Artikel."
    elsewhere = german.find(id="elsewhere-title").parent.select("li")
    assert [li["lang"] for li in elsewhere] == ["en"]
    assert elsewhere[0].a["href"] == "/en/2023/launches/"


def test_other_language_coverage_shows_the_newest_and_leads_to_the_rest(
    fixture_site: Site,
) -> None:
    """Only as many other-language stories as a timeline page holds; when there are more, a
    link to the other language's topic page, with how many articles it has."""
    settings = fixture_site.root / "settings.py"
    settings.write_text(settings.read_text("utf-8") + "DOSSIER_TIMELINE_PAGE_SIZE = 1\n", "utf-8")
    launches = (fixture_site.content / "articles/2023/launches.en.md").read_text("utf-8")
    later = launches.replace("slug: launches", "slug: launches-again").replace(
        "2023-09-13T08:00:00", "2023-09-14T08:00:00"
    )
    fixture_site.write("articles/2023/launches-again.en.md", later)
    assert fixture_site.build().exit_code == 0
    german = page(fixture_site, "/de/themen/ballistic-missiles/")
    section = german.find(id="elsewhere-title").parent
    assert [li.a["href"] for li in section.select("li")] == ["/en/2023/launches-again/"]
    (more,) = section.select("p.more a")
    assert (more["href"], more["hreflang"]) == ("/en/topics/ballistic-missiles/", "en")
    assert more.get_text() == "English: alle 2 Artikel"
    assert more.span["lang"] == "en"
    # Without more than fit, no such link.
    english = page(fixture_site, "/en/actors/north-korea/")
    assert not english.select("p.more")


def test_check_reports_json(fixture_site: Site) -> None:
    fixture_site.write("entities/topics/ballistic-missiles.yaml", "name: {de: Raketen}\n")
    result = fixture_site.run("check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["errors"] == 1
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["path"] == "content/entities/topics/ballistic-missiles.yaml"
    assert (diagnostic["line"], diagnostic["column"]) == (1, 7)
    assert diagnostic["field"] == "name.en"
    assert diagnostic["code"] == "missing-field"


def test_check_passes_on_valid_content(fixture_site: Site) -> None:
    result = fixture_site.check()
    assert result.exit_code == 0
    assert result.output == "All content is valid.\n"


def test_the_installed_command_reports_and_exits_1(fixture_site: Site) -> None:
    """The real entry point, as `make check` runs it, in its own process."""
    fixture_site.write("entities/topics/ballistic-missiles.yaml", "name: {de: Raketen}\n")
    command = [sys.executable, "-m", "dossier", "check", "--settings", "settings.py"]
    result = subprocess.run(
        command, cwd=fixture_site.root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/entities/topics/ballistic-missiles.yaml:1:7: name.en: required field is missing",
        "Found 1 error in 1 file.",
    ]
    assert result.stderr == ""


def test_wrong_usage_exits_2(fixture_site: Site) -> None:
    assert fixture_site.run("check", "--format", "xml").exit_code == 2


def test_an_article_image_reaches_page_json_ld_and_social_meta(fixture_site: Site) -> None:
    fixture_site.write("images/handshake.png", png(1600, 900))
    path = fixture_site.content / "articles/2023/summit.en.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "---\nKim Jong Un arrived",
            "image:\n  src: images/handshake.png\n  alt: Kim and Putin shake hands\n"
            "  caption: Kim and Putin at the cosmodrome\n  credit: Example Agency\n"
            "---\nKim Jong Un arrived",
        ),
        encoding="utf-8",
    )
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert (fixture_site.output / "images/handshake.png").is_file()

    html = page(fixture_site, "/en/2023/summit/")
    url = "https://dossier.example/images/handshake.png"
    img = html.select_one("figure.lead-image img")
    assert (img["src"], img["alt"], img["width"], img["height"]) == (
        "/images/handshake.png",
        "Kim and Putin shake hands",
        "1600",
        "900",
    )
    assert "Example Agency" in html.select_one("figure.lead-image figcaption").get_text()
    # Smaller copies for srcset, each really that size, and the original as the largest.
    offered = [entry.rsplit(" ", 1) for entry in img["srcset"].split(", ")]
    assert offered == [
        ["/images/handshake-480w.png", "480w"],
        ["/images/handshake-800w.png", "800w"],
        ["/images/handshake-1200w.png", "1200w"],
        ["/images/handshake.png", "1600w"],
    ]
    for href, width in offered:
        header = (fixture_site.output / href.lstrip("/")).read_bytes()[16:24]
        assert struct.unpack(">II", header) == (int(width[:-1]), int(width[:-1]) * 9 // 16)
    nodes = json.loads(html.find("script", type="application/ld+json").string)["@graph"]
    by_id = {n["@id"]: n for n in nodes if "@id" in n}
    news = by_id["https://dossier.example/en/2023/summit/#article"]
    (image,) = [by_id[i["@id"]] for i in news["image"]]
    assert image == {
        "@type": "ImageObject",
        "@id": "https://dossier.example/en/2023/summit/#primaryimage",
        "url": url,
        "contentUrl": url,
        "width": 1600,
        "height": 900,
        "caption": "Kim and Putin at the cosmodrome",
        "creditText": "Example Agency",
    }
    assert by_id["https://dossier.example/en/2023/summit/"]["primaryImageOfPage"] == {
        "@id": image["@id"]
    }
    meta = {
        m.get("property") or m.get("name"): m["content"]
        for m in html.find_all("meta", content=True)
    }
    assert meta["og:image"] == meta["twitter:image"] == url
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1600", "900")
    assert meta["og:image:alt"] == "Kim and Putin shake hands"
    # The German version has no image of its own: it shows the configured defaults.
    german = page(fixture_site, "/de/2023/summit/")
    og = german.find("meta", property="og:image")["content"]
    assert og == "https://dossier.example/images/dossier-default-16x9.png"


def test_bad_settings_are_reported_like_content(fixture_site: Site) -> None:
    with (fixture_site.root / "settings.py").open("a", encoding="utf-8") as settings:
        settings.write(
            "DOSSIER_NOW = '2023-09-14 12:00'\n"
            "DOSSIER_FEED_LIMIT = 0\n"
            "DOSSIER_SITEMAP_MAX_URLS = 60000\n"
            "DOSSIER_TIMELINE_PAGE_SIZE = True\n"
        )
    result = fixture_site.check()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "settings:1:1: DOSSIER_FEED_LIMIT: must be a whole number from 1 to 10,000, not 0",
        (
            "settings:1:1: DOSSIER_TIMELINE_PAGE_SIZE: must be a whole number from 1 to 10,000, "
            "not True"
        ),
        (
            "settings:1:1: DOSSIER_SITEMAP_MAX_URLS: must be a whole number from 1 to 50,000, "
            "not 60000"
        ),
        (
            "settings:1:1: DOSSIER_NOW: '2023-09-14 12:00' is not a date and time with a UTC "
            "offset; e.g. '2023-09-14T12:00:00+02:00', or None for the time of the build"
        ),
        "Found 4 errors in 1 file.",
    ]
