"""The editor's front matter form, frontmatter.json, is exactly what `dossier editor-config` makes
of the registry and the schemas today; and its preview opens each article at the address the
build gives it, where `dossier serve` serves it."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dossier.address import SERVE_HOST, SERVE_PORT
from dossier.check import read_content
from dossier.enrich.urls import Urls
from dossier.plugin import read_settings
from dossier.resolve.model import Article, resolve
from dossier.settings import DossierSettings, of

from ..conftest import REPO

DOSSIER = Path(sys.executable).with_name("dossier")  # the console script the set-up installs


def test_the_committed_front_matter_form_is_current(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(DOSSIER), "editor-config", "--check"], cwd=REPO, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    config = committed()
    (content_type,) = config["frontMatter.taxonomy.contentTypes"]
    fields = {f["name"]: f for f in content_type["fields"]}
    actors = {c["id"] for c in fields["actors"]["choices"]}
    assert actors == {p.stem for p in (REPO / "content/entities/actors").glob("*.yaml")}
    assert fields["actors"]["multiple"] is True
    assert fields["lang"]["choices"] == ["de", "en"]


# --- the preview ------------------------------------------------------------------------------


def committed() -> dict[str, Any]:
    return json.loads((REPO / "frontmatter.json").read_text(encoding="utf-8"))


@cache
def sample() -> tuple[DossierSettings, tuple[Article, ...]]:
    """The project's settings (pelicanconf.py) and its sample articles, drafts included."""
    settings = of(read_settings(REPO / "pelicanconf.py"))
    corpus, schemas = read_content(settings, REPO)
    return settings, tuple(resolve(corpus, schemas).articles)


# The date-fns tokens Dossier writes into previewPath, as strftime codes.
DATE_FNS = {"yyyy": "%Y", "yy": "%y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}


def front_matter_preview(config: dict[str, Any], data: dict[str, Any]) -> str:
    """The address Front Matter's preview opens for an article in the page folder, with the
    front matter ``data`` (read as Front Matter reads YAML 1.2: the date is text), following
    vscode-front-matter's Preview.getContentSlug: the folder's previewPath, its {{fm.field}}
    filled from the front matter and its {{date|format}} from the date in the configured time
    zone (UTC unless set), then the front matter's slug joined on, then a slash with
    trailingSlash; all after the host."""
    (folder,) = config["frontMatter.content.pageFolders"]
    path = re.sub(r"{{fm\.([^}|]*)}}", lambda m: str(data[m[1]]), folder["previewPath"])
    zone = ZoneInfo(config.get("frontMatter.global.timezone", "UTC"))
    date = datetime.fromisoformat(data["date"]).astimezone(zone)
    path = re.sub(r"{{date\|([^}]*)}}", lambda m: date.strftime(DATE_FNS[m[1]]), path)
    assert "{{" not in path, f"a placeholder this test does not fill: {path}"
    address = posixpath.normpath(posixpath.join(path, data["slug"]))
    if folder.get("trailingSlash"):
        address += "/"
    return f"{config['frontMatter.preview.host'].rstrip('/')}/{address.lstrip('/')}"


def test_the_preview_opens_dossier_serve_at_its_default_address() -> None:
    config = committed()
    assert config["frontMatter.preview.host"] == f"http://{SERVE_HOST}:{SERVE_PORT}"
    (folder,) = config["frontMatter.content.pageFolders"]
    assert folder["previewPath"] == "{{fm.lang}}/{{date|yyyy}}"  # ARTICLE_URL less its {slug}/
    assert config["frontMatter.global.timezone"] == sample()[0].timezone


def test_the_preview_opens_each_article_at_its_address() -> None:
    """Drafts too: dossier serve serves them at the address they will have."""
    config = committed()
    settings, articles = sample()
    urls = Urls(settings)
    assert {article.published for article in articles} == {True, False}
    for article in articles:
        expected = f"http://{SERVE_HOST}:{SERVE_PORT}/{urls.article(article)}"
        assert front_matter_preview(config, article.data) == expected, article.path


@pytest.mark.parametrize(
    "date",
    [
        "2024-01-01T00:30:00+01:00",  # still 2023 in UTC
        "2023-12-31T23:30:00+01:00",
        "2024-06-30T23:59:59+02:00",
        "2024-12-31T23:59:59+01:00",
    ],
)
def test_the_preview_has_the_year_of_the_address_around_midnight(date: str) -> None:
    """Front Matter formats the date in frontMatter.global.timezone; Pelican in the date's own
    UTC offset. With the newsroom's zone they agree for the dates written in it."""
    settings, _ = sample()
    data = {"lang": "de", "slug": "neujahr", "date": date}
    article = Article(source="", path=Path("neujahr.de.md"), data=data, references={})
    expected = f"http://{SERVE_HOST}:{SERVE_PORT}/{Urls(settings).article(article)}"
    assert front_matter_preview(committed(), data) == expected
