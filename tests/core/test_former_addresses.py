"""Articles' former addresses (``formerly``, written by ``dossier move``): worked out from the
front matter, planned as redirect pages for the published versions, found by ``dossier serve``'s
index, and checked, also by the incremental check ``dossier serve`` runs after each save."""

from __future__ import annotations

from pathlib import Path

import pytest
from dossier.build import Model
from dossier.check import read_content
from dossier.enrich import plan
from dossier.plugin import read_settings
from dossier.render.pages import Pages
from dossier.schemas import former_front_matter
from dossier.settings import DossierSettings, of
from dossier.validate.run import Validation

from ..conftest import REPO, Site, make_site
from ..support.model import article, context, registry, settings, site

SUMMIT = {"slug": "kim-putin-vostochny", "year": 2023}


def test_a_former_address_is_the_slug_and_the_year_of_the_date_it_had() -> None:
    data = {"slug": "kim-putin-summit", "lang": "en", "date": "2024-09-13T12:30:00+02:00"}
    assert former_front_matter(data, SUMMIT) == {
        **data,
        "slug": "kim-putin-vostochny",
        "date": "2023-09-13T12:30:00+02:00",
    }
    leap = {**data, "date": "2024-02-29T12:30:00+02:00"}
    assert former_front_matter(leap, SUMMIT) is None  # no 29 February in 2023
    for item in ({"slug": "a"}, {"slug": "a", "year": "2023"}, {"slug": "a", "year": True}, "a"):
        assert former_front_matter(data, item) is None


def moved_model() -> Model:
    """A published article moved twice, and a draft with a former address."""
    moved = article(
        "kim-putin-summit", "en", "2023-09-13T12:30:00+02:00",
        formerly=[SUMMIT, {"slug": "summit", "year": 2022}],
    )  # fmt: skip
    draft = article(
        "plans", "de", "2023-10-01T09:00:00+02:00", status="draft",
        formerly=[{"slug": "old-plans", "year": 2023}],
    )  # fmt: skip
    base = site(registry(), [moved, draft])
    return Model(settings(), base, context(base))


def words(key: str, lang: str) -> str:
    return f"{key} ({lang}): {{tagline}}"


def test_each_former_address_of_a_published_version_is_a_redirect_to_it() -> None:
    made = moved_model()
    groups = plan.page_groups(made.settings, made.context, list, words)
    redirects = {url: g for g in groups if g.template == "redirect" for url in g.urls}
    assert set(redirects) == {"en/2023/kim-putin-vostochny/", "en/2022/summit/"}
    for url, group in redirects.items():
        assert group.lang == "en"
        ((made_url, view),) = group.views()
        assert made_url == url
        assert view == {
            "target": "/en/2023/kim-putin-summit/",
            "canonical": "https://news.example/en/2023/kim-putin-summit/",
            "name": "kim-putin-summit (en)",
        }
    index = Pages(made, words, lambda a: "<p>Text.</p>", drafts=True)
    found = index.find("en/2023/kim-putin-vostochny/index.html")
    assert found is not None
    assert found.template == "redirect"
    assert index.find("de/2023/old-plans/index.html") is None  # a draft never had an address


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Site, DossierSettings]:
    site_ = make_site(tmp_path / "site", REPO / "content")
    return site_, of(read_settings(site_.root / "settings.py") | {"PATH": str(site_.content)})


def with_formerly(path: Path, items: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", f"\nformerly:\n{items}---\n", 1), encoding="utf-8")


def test_the_incremental_check_finds_what_the_whole_check_finds(sample) -> None:
    """``dossier serve`` checks after each save only what the save can change: a save that
    gives an article a former address another article has, or an article the former address of
    another, is reported at that former address, as the whole check reports it."""
    site_, configured = sample
    corpus, schemas = read_content(configured, site_.root)
    checked = Validation.of(corpus, schemas, configured)
    assert checked.diagnostics() == []
    resolution = site_.content / "articles/2006/resolution-1718.en.md"
    shoigu = site_.content / "articles/2023/shoigu-pyongyang.en.md"
    visit = shoigu.with_name("shoigu-visit.en.md")

    def saved(*paths: Path) -> list[str]:
        nonlocal checked
        corpus, _ = read_content(configured, site_.root)
        docs = {doc.path.name: doc for doc in corpus.articles}
        changes = {
            next((p for p in checked.articles if p.name == path.name), path): docs.get(path.name)
            for path in paths
        }
        checked = checked.again(corpus, changes, entries=False)
        whole = Validation.of(corpus, schemas, configured).diagnostics()
        assert checked.diagnostics() == whole
        return [f"{d.path}:{d.field}: {d.message}" for d in whole]

    original = resolution.read_text(encoding="utf-8")
    with_formerly(resolution, "  - {slug: shoigu-pyongyang, year: 2023}\n")
    assert saved(resolution) == [
        (
            "content/articles/2006/resolution-1718.en.md:formerly[0]: the former address "
            "en/2023/shoigu-pyongyang/ is the address of "
            "content/articles/2023/shoigu-pyongyang.en.md now"
        )
    ]
    text = shoigu.read_text(encoding="utf-8")
    shoigu.unlink()
    visit.write_text(text.replace("slug: shoigu-pyongyang", "slug: shoigu-visit"), "utf-8")
    assert saved(shoigu, visit) == []  # the address is free: it redirects
    resolution.write_text(original, encoding="utf-8")
    with_formerly(resolution, "  - {slug: shoigu-visit, year: 2023}\n")
    assert len(saved(resolution)) == 1
    resolution.write_text(original, encoding="utf-8")
    assert saved(resolution) == []
