"""Write a Hugo site that is the twin of a generated corpus, so Dossier can be timed against Hugo.

``python bench/make_hugo_twin.py N [--seed S]`` reads ``bench/.cache/n<N>-s<S>/content`` (made
by ``bench/make_corpus.py``) and writes ``bench/.cache/n<N>-s<S>/hugo/``:

- ``content/articles/<year>/<slug>.<lang>.md``: the same Markdown bodies, front matter reduced
  to what Hugo reads (title, date, lastmod, slug, summary) and the six kinds as taxonomies;
- ``content/<kind>/<id>/_index.<lang>.md``: one term page per registry entry, titled with the
  entry's name in that language (a rename in the registry is a title edit here);
- ``hugo.toml`` and ``themes/twin/``, copied from ``bench/hugo_twin/``: two languages, six
  taxonomies, term pages paged by 20 with RSS feeds, and a theme of a few small templates (title,
  date, body, the terms linked), so the comparison is not about theme work.

Languages come from the file names (``<slug>.<lang>.md``), Hugo's "translation by file name":
the corpus is laid out that way already, a story's versions pair up by path as Dossier pairs
them by slug, and an edit in the twin touches the same relative path as in the corpus.

The twin is made again only when the corpus or this script changes (a digest in
``hugo/.twin.json``); a ``hugo/`` folder without that stamp was not made here and is left alone.
The same corpus always gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SITE = HERE / "hugo_twin"
CACHE = HERE / ".cache"
STAMP = ".twin.json"
KINDS = ("actors", "locations", "sanctions", "events", "topics", "authors")
LANGS = ("de", "en")
# The taxonomy pages' titles; the term pages take theirs from the registry.
KIND_TITLES = {
    "actors": {"de": "Akteure", "en": "Actors"},
    "locations": {"de": "Orte", "en": "Locations"},
    "sanctions": {"de": "Sanktionen", "en": "Sanctions"},
    "events": {"de": "Ereignisse", "en": "Events"},
    "topics": {"de": "Themen", "en": "Topics"},
    "authors": {"de": "Autorinnen und Autoren", "en": "Authors"},
}


def corpus_digest(content: Path) -> str:
    """A digest of every article and registry file, of the site's settings and theme, and of
    this script (paths and bytes): any change to what the twin is made of makes it again."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    files = [*content.glob("articles/*/*.md"), *content.glob("entities/*/*.yaml")]
    for root, paths in ((content, files), (SITE, SITE.rglob("*"))):
        for path in sorted(p for p in paths if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def dump(data: dict) -> str:
    """YAML front matter in a fixed form: the twin's bytes depend only on the corpus."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"


def article(text: str) -> str:
    """One article in Hugo's terms: the body as it is, the front matter Hugo reads."""
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    data = {"title": meta["title"], "date": meta["date"]}
    if "modified" in meta:
        data["lastmod"] = meta["modified"]
    data |= {"slug": meta["slug"], "summary": meta["summary"]}
    data |= {kind: meta[kind] for kind in KINDS if meta.get(kind)}
    return dump(data) + body


def term(entity: dict, lang: str) -> str:
    """A term page's content file: the entry's name in the language is its title."""
    return dump({"title": entity["name"][lang]})


def write(content: Path, out: Path) -> None:
    """Write the whole twin of ``content`` into the empty folder ``out``."""
    site = out / "content"
    for path in sorted(content.glob("articles/*/*.md")):
        target = site / path.relative_to(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(article(path.read_text(encoding="utf-8")), encoding="utf-8")
    for kind in KINDS:
        for lang in LANGS:
            (site / kind).mkdir(parents=True, exist_ok=True)
            head = dump({"title": KIND_TITLES[kind][lang]})
            (site / kind / f"_index.{lang}.md").write_text(head, encoding="utf-8")
        for path in sorted((content / "entities" / kind).glob("*.yaml")):
            entity = yaml.safe_load(path.read_text(encoding="utf-8"))
            (site / kind / path.stem).mkdir()
            for lang in LANGS:
                page = site / kind / path.stem / f"_index.{lang}.md"
                page.write_text(term(entity, lang), encoding="utf-8")
    for lang in LANGS:
        (site / f"_index.{lang}.md").write_text(dump({"title": "Start"}), encoding="utf-8")
    shutil.copytree(SITE, out, dirs_exist_ok=True)


def make_twin(folder: Path) -> Path:
    """The Hugo twin of the corpus in ``folder`` (``folder/hugo``), made now unless up to date.

    Refuses (SystemExit) when ``folder/hugo`` exists but holds no stamp of this script: that
    folder was not made here and nothing in it may be removed."""
    content, out = folder / "content", folder / "hugo"
    if not content.is_dir():
        sys.exit(f"{content}: no corpus here; make one with bench/make_corpus.py")
    digest = corpus_digest(content)
    stamp = out / STAMP
    if out.exists():
        if not stamp.is_file():
            sys.exit(f"{out} exists and was not made by make_hugo_twin.py: left alone")
        if json.loads(stamp.read_text(encoding="utf-8")).get("digest") == digest:
            return out
    fresh = Path(tempfile.mkdtemp(prefix=".hugo-twin-", dir=folder))
    try:
        write(content, fresh)
        files = sum(1 for _ in (fresh / "content").rglob("*.md"))
        made = {"digest": digest, "content_files": files}
        (fresh / STAMP).write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)  # stamped above: made here
        fresh.rename(out)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of stories of the corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="default: bench/.cache/n<N>-s<SEED>")
    args = parser.parse_args(argv)
    print(make_twin(args.folder or CACHE / f"n{args.n}-s{args.seed}"))  # noqa: T201


if __name__ == "__main__":
    main()
