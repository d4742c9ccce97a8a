"""The built sample site in a real browser: axe-core, the Nu Html Checker and Lighthouse; and
the one page only `dossier serve` makes, a draft's, with its banner.

Static checks of the HTML cannot see what a reader's browser does with it (contrast, focus,
landmarks as rendered, layout shifts). The tools are pinned in package.json and installed by
`make test` (`npm ci`); Chromium and Java come from Debian. The node scripts in tests/browser/
print JSON, and these tests assert on it. Nothing here is skipped: a missing tool or page fails.
What they measure (axe-core's and the Nu Html Checker's counts, Lighthouse's scores) is printed
at the end of the run, by conftest's terminal summary, whether the tests pass or fail.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ..conftest import REPO, Site, make_site
from ..support.sample import KIND_PATHS, LANGS, drafts, entities, published, strings
from ..support.serving import Server, serving

SCRIPTS = REPO / "tests" / "browser"
NODE_MODULES = REPO / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SET_UP = "run `make test`, which installs it"

ARTICLE = "2023/kim-putin-vostochny"
# One topic page of each kind.
TOPICS = {
    "actors": "kim-jong-un",
    "locations": "vostochny-cosmodrome",
    "sanctions": "unsc-resolution-1718",
    "events": "kim-putin-summit-2023",
    "topics": "ballistic-missiles",
    "authors": "anna-berger",
}
BY_ACTIVITY = {"de": "nach-aktivitaet", "en": "by-activity"}


def _pages() -> list[str]:
    """Every page type in both languages: home, article, hub, each kind's indexes and a topic."""
    pages = ["/"]
    for lang in LANGS:
        pages += [f"/{lang}/", f"/{lang}/{ARTICLE}/", f"/{lang}/dossiers/"]
        for kind, entity in TOPICS.items():
            kind_path = f"/{lang}/{KIND_PATHS[kind][lang]}/"
            pages += [kind_path, f"{kind_path}{BY_ACTIVITY[lang]}/", f"{kind_path}{entity}/"]
    return pages


PAGES = _pages()
# Listed apart while they are being added, so the pages above can be seen to pass meanwhile.
SEARCH_AND_404 = ["/de/suche/", "/en/search/", "/404.html"]
LIGHTHOUSE_PAGES = [f"/en/{ARTICLE}/", "/en/actors/kim-jong-un/"]
LIGHTHOUSE_MINIMUM = 95


class _QuietHandler(SimpleHTTPRequestHandler):
    """A file server that keeps its request log out of the test output."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        pass


@contextmanager
def _served(output: Path) -> Iterator[str]:
    """A built site on a free localhost port. The output folder is the web root, as on the real
    host, because pages link root-relative (`/theme/css/site.css`)."""
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def served_site(sample_site: Site) -> Iterator[str]:
    with _served(sample_site.output) as url:
        yield url


@pytest.fixture(scope="session")
def served_sharded_site(tmp_path_factory) -> Iterator[str]:
    """The sample site with its search index cut into one shard per language and year, as a
    large archive's is: de-2006, de-2023, en-2006, en-2023."""
    site = make_site(tmp_path_factory.mktemp("sharded") / "site", REPO / "content")
    settings = site.root / "settings.py"
    settings.write_text(settings.read_text("utf-8") + "DOSSIER_SEARCH_SHARD_PAGES = 1\n", "utf-8")
    result = site.build()
    assert result.exit_code == 0, result.output
    assert sorted(p.parent.name for p in site.output.glob("pagefind/*/pagefind-entry.json")) == [
        "de-2006",
        "de-2023",
        "en-2006",
        "en-2023",
    ]
    with _served(site.output) as url:
        yield url


def _node(script: str, *args: str) -> dict:
    """Run one of the scripts in tests/browser/ and return the JSON it prints."""
    assert shutil.which("node"), "node is missing: install Node.js 20 or newer with npm"
    assert (NODE_MODULES / ".package-lock.json").is_file(), f"node_modules/ is missing: {SET_UP}"
    assert Path(CHROMIUM).is_file(), f"Chromium is missing at {CHROMIUM}: {SET_UP}"
    result = subprocess.run(
        ["node", str(SCRIPTS / script), *args],
        capture_output=True,
        text=True,
        env=os.environ | {"CHROMIUM": CHROMIUM},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stderr}"
    return json.loads(result.stdout)


def _missing(site: Site, pages: list[str]) -> list[str]:
    return [page for page in pages if not site.page(page).is_file()]


@pytest.fixture(scope="session")
def axe_violations(
    sample_site: Site, served_site: str, summary: list[str]
) -> dict[str, list[dict]]:
    """axe-core's WCAG 2.1 A/AA violations for every listed page the build has, in one browser."""
    present = [page for page in [*PAGES, *SEARCH_AND_404] if sample_site.page(page).is_file()]
    report = _node("axe.mjs", served_site, *present)
    for page in report["pages"]:
        assert page["status"] == 200, f"{page['path']} answered {page['status']}"
    found = sum(len(page["violations"]) for page in report["pages"])
    summary.append(f"axe-core: {len(report['pages'])} pages, {found} violations (WCAG 2.1 A, AA)")
    return {page["path"]: page["violations"] for page in report["pages"]}


def _assert_no_violations(site: Site, violations: dict[str, list[dict]], pages: list[str]) -> None:
    """One message with every missing page and every violation, page by page."""
    found = [f"{page}: not in the build\n" for page in _missing(site, pages)]
    found += _violations(violations, pages)
    assert not found, f"{len(found)} problems:\n" + "".join(found)


def _violations(violations: dict[str, list[dict]], pages: list[str]) -> list[str]:
    return [
        f"{page}: {v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(f"    {target}\n" for target in v["targets"])
        for page in pages
        for v in violations.get(page, [])
    ]


def test_axe_finds_no_violations(sample_site: Site, axe_violations: dict[str, list[dict]]) -> None:
    """WCAG 2.1 A and AA as axe-core checks them, on every page type in both languages."""
    _assert_no_violations(sample_site, axe_violations, PAGES)


def test_axe_finds_no_violations_on_search_and_404_pages(
    sample_site: Site, axe_violations: dict[str, list[dict]]
) -> None:
    """The same for the search pages and the 404 page, which must exist."""
    _assert_no_violations(sample_site, axe_violations, SEARCH_AND_404)


def _html_check(folder: Path) -> tuple[set[Path], list[str], list[str]]:
    """The Nu Html Checker (the W3C validator) on every page in ``folder``: the pages it
    checked, and its errors and warnings, each as ``kind: page:line: message``, in order."""
    assert shutil.which("java"), "java is missing: install Debian's default-jre-headless"
    assert VNU.is_file(), f"{VNU} is missing: {SET_UP}"
    command = ["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", "--verbose"]
    result = subprocess.run(
        [*command, str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # --verbose names each checked file on stdout; the messages come as JSON, last on stderr.
    report = result.stderr.strip().rpartition("\n")[2]
    assert report.startswith("{"), result.stderr
    checked = {Path(line) for line in result.stdout.splitlines()}
    messages = json.loads(report)["messages"]

    def where(message: dict) -> tuple[str, int, str]:
        path = Path(message.get("url", "").removeprefix("file:"))
        name = path.relative_to(folder) if path.is_absolute() else path
        return str(name), message.get("lastLine", 0), message["message"]

    # --verbose also notes each file that --skip-non-html passed over: that is no warning.
    skipped = "File was not checked."
    warnings = [m for m in messages if m["type"] == "info" and not m["message"].startswith(skipped)]
    errors = [m for m in messages if m["type"] != "info"]

    def lines(kind: str, found: list[dict]) -> list[str]:
        return [f"{kind}: {name}:{line}: {text}" for name, line, text in sorted(map(where, found))]

    return checked, lines("error", errors), lines("warning", warnings)


def test_every_page_is_valid_html(sample_site: Site, summary: list[str]) -> None:
    """The Nu Html Checker (the W3C validator) on every page: no errors and no warnings."""
    checked, errors, warnings = _html_check(sample_site.output)
    pages = set(sample_site.output.rglob("*.html"))
    assert checked == pages, f"vnu checked {len(checked & pages)} of {len(pages)} pages"
    summary.append(
        f"Nu Html Checker: {len(checked)} pages, {len(errors)} errors, {len(warnings)} warnings"
    )
    problems = [*errors, *warnings]
    assert not problems, f"{len(problems)} HTML problems:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def dossier_served(sample_site: Site) -> Iterator[Server]:
    """The sample site as `dossier serve` serves it: the drafts too, under their banner."""
    with serving(sample_site) as served:
        yield served


def test_a_served_draft_passes_axe_and_the_html_checker(
    dossier_served: Server, tmp_path: Path, summary: list[str]
) -> None:
    """A draft's page, with the banner no built page has: axe-core finds no violation of WCAG
    2.1 A and AA (the banner's contrast included), the Nu Html Checker no error or warning."""
    paths = [draft["url"] for draft in drafts()]
    assert paths
    report = _node("axe.mjs", dossier_served.base, *paths)
    for page in report["pages"]:
        assert page["status"] == 200, f"{page['path']} answered {page['status']}"
    violations = {page["path"]: page["violations"] for page in report["pages"]}
    found = _violations(violations, paths)
    assert not found, f"{len(found)} problems:\n" + "".join(found)
    for number, path in enumerate(paths):
        status, body, _ = dossier_served.get(path)
        assert status == 200, path
        (tmp_path / f"draft-{number}.html").write_bytes(body)
    checked, errors, warnings = _html_check(tmp_path)
    assert len(checked) == len(paths)
    summary.append(
        f"draft pages served: {len(paths)}; axe-core: 0 violations; "
        f"Nu Html Checker: {len(errors)} errors, {len(warnings)} warnings"
    )
    problems = [*errors, *warnings]
    assert not problems, f"{len(problems)} HTML problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", LIGHTHOUSE_PAGES)
def test_lighthouse_scores(
    sample_site: Site, served_site: str, summary: list[str], page: str
) -> None:
    """Performance, accessibility, best practices and SEO as Lighthouse scores them (mobile)."""
    assert not _missing(sample_site, [page]), f"{page} is not in the build"
    (report,) = _node("lighthouse.mjs", served_site, page)["pages"]
    scores = report["scores"]
    failing = "".join(
        f"  {category} {audit['id']} (weight {audit['weight']}): {audit['title']}"
        f" {audit['displayValue'] or ''}\n" + "".join(f"    {item}\n" for item in audit["items"])
        for category, audits in report["failing"].items()
        for audit in audits
    )
    summary.append(f"Lighthouse {page}: " + ", ".join(f"{c} {s}" for c, s in scores.items()))
    summary.extend(failing.splitlines())  # the audits that kept a score under 100
    low = [c for c, score in scores.items() if score is None or score < LIGHTHOUSE_MINIMUM]
    assert not low, (
        f"{page}: {', '.join(low)} under {LIGHTHOUSE_MINIMUM}: {scores}\n"
        f"{report['runtimeError'] or ''}\nAudits that did not pass:\n{failing}"
    )


@pytest.mark.parametrize(
    ("path", "query", "facet", "value"),
    [
        ("/de/suche/", "Putin", "actor", "Sergej Schoigu"),
        ("/en/search/", "Kim", "topic", "Russia–North Korea relations"),
    ],
)
def test_a_reader_searches_every_language_then_narrows_by_language_and_facet(
    served_site: str, path: str, query: str, facet: str, value: str
) -> None:
    """Typing a query in the real browser finds the articles in every language that contain
    it; the language facet keeps those in the other language, and cleared, all again; then a
    facet value keeps those that name that entity by that name. Expectations come from the
    Markdown: the words in title, summary or body, and the front matter's references."""
    lang = path.split("/")[1]
    (other,) = [o for o in LANGS if o != lang]
    names = strings()["language_name"]  # each language by its name in itself
    registry = entities()
    kind = {"actor": "actors", "topic": "topics"}[facet]
    (entity_id,) = [
        i for i, e in registry.items() if e["kind"] == kind and e["name"][lang] == value
    ]
    matching = {a["url"]: a for a in published() if _mentions(a, query)}
    in_other = {url for url, a in matching.items() if a["lang"] == other}
    narrowed = {url for url, a in matching.items() if entity_id in a.get(kind, [])}
    narrowed = {url for url in narrowed if matching[url]["lang"] == lang}  # named so here
    assert {a["lang"] for a in matching.values()} == set(LANGS)
    assert 0 < len(in_other) < len(matching)  # the language facet really narrows
    assert 0 < len(narrowed) < len(matching)  # and so does the other

    report = _node(
        "search.mjs",
        served_site,
        path,
        query,
        f"language={names[other]}",
        "language=",
        f"{facet}={value}",
    )

    assert {r["href"] for r in report["query"]} == set(matching)
    by_language, cleared, by_entity = report["steps"]
    # Nothing is chosen at first; every language with results is offered by its own name.
    assert sorted(by_language["options"], key=lambda o: o["value"]) == [
        {"value": names[o], "selected": False} for o in sorted(LANGS, key=names.get)
    ]
    assert {r["href"] for r in by_language["results"]} == in_other
    assert {r["href"] for r in cleared["results"]} == set(matching)
    assert {r["href"] for r in by_entity["results"]} == narrowed
    assert value in [option["value"] for option in by_entity["options"]]
    for result in [*by_language["results"], *by_entity["results"]]:
        article = matching[result["href"]]
        assert result["title"] == article["title"]
        assert result["summary"] == article["summary"]
        assert result["date"]  # shown, in the article's language


def test_a_search_over_many_shards_finds_what_one_index_finds(served_sharded_site: str) -> None:
    """The German search page of a site indexed in four shards (two years, two languages)
    opens the newest German shard and merges the other three in: a word from articles of both
    years and both languages finds them all, and the language facet keeps the German ones, from
    both of their shards."""
    query = "Sicherheitsrat"
    matching = {a["url"]: a for a in published() if _mentions(a, query)}
    german = {url for url, a in matching.items() if a["lang"] == "de"}
    assert {a["date"].year for a in matching.values() if a["lang"] == "de"} == {2006, 2023}
    names = strings()["language_name"]
    report = _node(
        "search.mjs", served_sharded_site, "/de/suche/", query, f"language={names['de']}"
    )
    assert {r["href"] for r in report["query"]} == set(matching)
    (by_language,) = report["steps"]
    assert {r["href"] for r in by_language["results"]} == german


def _mentions(article: dict, query: str) -> bool:
    """Whether the query (or a longer word starting with it, as Pagefind's stemming finds it)
    occurs in what the article page indexes: title, summary, body, sources, and the titles of
    its other language versions, which its header links."""
    path = (
        REPO
        / "content"
        / "articles"
        / f"{article['date']:%Y}"
        / (f"{article['slug']}.{article['lang']}.md")
    )
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    sources = " ".join(s["title"] for s in article.get("sources", []))
    versions = [
        other["title"]
        for other in published()
        if other["slug"] == article["slug"] and other["lang"] != article["lang"]
    ]
    text = " ".join([article["title"], article["summary"], body, sources, *versions])
    return query.casefold() in text.casefold()
