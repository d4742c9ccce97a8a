"""Write a large, valid Dossier corpus and its plain-Pelican twin, for benchmarks.

``python bench/make_corpus.py N [--out DIR] [--seed S]`` writes into DIR:

- ``content/``: ``articles/<year>/<slug>.<lang>.md`` (N stories, about 10% of them translated)
  and ``entities/<kind>/<id>.yaml`` (about N/10 entries), plus the sample's ``images/``;
- ``plain/``: the same Markdown bodies with Pelican's own metadata only;
- ``plain_pelicanconf.py``: settings for plain Pelican (no plugins, default theme, Pelican's own
  default feeds).

The same N and seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import pprint
import random
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STAMP = "corpus.json"  # written last: what was made, and by which version of this script
LANGS = ("de", "en")
REFERENCE_KINDS = ("actors", "locations", "sanctions", "events", "topics")
# Share of the registry per kind (authors are a fixed 20).
KIND_SHARES = {"actors": 0.35, "locations": 0.25, "sanctions": 0.1, "events": 0.2, "topics": 0.1}
# How many ids of each kind an article names: (least, most).
PER_ARTICLE = {"actors": (1, 6), "locations": (0, 4), "sanctions": (0, 2), "events": (0, 3),
               "topics": (1, 3)}  # fmt: skip
AUTHORS = 20
ZIPF_EXPONENT = 1.1
FIRST_YEAR = 2011
YEARS = 15

SYLLABLES = ("ka", "lo", "min", "ser", "tu", "va", "ren", "do", "pa", "shi", "mor", "el", "an",
             "tor", "qui", "bel", "ga", "ny", "ost", "rik", "sun", "hal", "de", "zo")  # fmt: skip
PROSE = {
    "en": (
        "the government said on Monday that talks with its neighbours would resume after a "
        "long pause while officials in the capital warned of new sanctions and diplomats "
        "described the meeting as constructive but difficult because the council had not "
        "agreed on a statement and the ministry rejected the report as politically motivated "
        "analysts expect further missile tests this year as satellite images show construction "
        "near the border where troops have gathered since spring according to the agency"
    ),
    "de": (
        "die Regierung erklärte am Montag dass die Gespräche mit den Nachbarn nach einer langen "
        "Pause weitergehen sollen während Beamte in der Hauptstadt vor neuen Sanktionen warnten "
        "und Diplomaten das Treffen als konstruktiv aber schwierig beschrieben weil der Rat sich "
        "nicht auf eine Erklärung einigen konnte und das Ministerium den Bericht als politisch "
        "motiviert zurückwies Fachleute erwarten weitere Raketentests in diesem Jahr da "
        "Satellitenbilder Bauarbeiten nahe der Grenze zeigen wo seit dem Frühjahr Truppen stehen"
    ),
}
WORDS = {lang: text.split() for lang, text in PROSE.items()}
HEADINGS = {
    "en": ("Background", "What comes next", "Reactions", "The sanctions", "A long history"),
    "de": ("Hintergrund", "Wie es weitergeht", "Reaktionen", "Die Sanktionen", "Vorgeschichte"),
}
PUBLISHERS = ("United Nations", "Reuters", "KCNA", "Yonhap", "Associated Press", "NK News")


@dataclass
class Entity:
    """One registry entry: its kind, id, YAML data and names."""

    kind: str
    id: str
    data: dict = field(default_factory=dict)


@dataclass
class Story:
    """One story: the fields its language versions share, and the languages it exists in."""

    slug: str
    date: datetime
    langs: tuple[str, ...]
    authors: list[str]
    refs: dict[str, list[str]]
    about: list[str]
    sources: list[dict]
    modified: datetime | None


def name(rng: random.Random, parts: int = 2) -> str:
    """A made-up proper name such as 'Kalo Sermin'."""
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(parts)
    )


def slugify(text: str) -> str:
    """Lowercase words joined by single hyphens."""
    return "-".join(text.lower().split())


def sentence(rng: random.Random, lang: str, names: list[str], markup: bool = True) -> str:
    """A sentence of 8 to 24 words, sometimes with a name, a link or emphasis."""
    words = rng.choices(WORDS[lang], k=rng.randint(8, 24))
    if names and rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), rng.choice(names))
    roll = rng.random() if markup else 1.0
    i = rng.randrange(len(words))
    if roll < 0.1:
        words[i] = f"[{words[i]}](https://example.org/{lang}/{slugify(words[i])}-{i})"
    elif roll < 0.2:
        words[i] = f"*{words[i]}*"
    elif roll < 0.25:
        words[i] = f"**{words[i]}**"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, lang: str, names: list[str]) -> str:
    """Markdown prose of roughly 200 to 1,500 words in paragraphs, with a heading or two."""
    target = int(min(1500, rng.lognormvariate(6.3, 0.5)) + 150)
    paragraphs, count = [], 0
    while count < target:
        if paragraphs and rng.random() < 0.12:
            paragraphs.append(f"## {rng.choice(HEADINGS[lang])}")
        para = " ".join(sentence(rng, lang, names) for _ in range(rng.randint(2, 6)))
        count += len(para.split())
        paragraphs.append(para)
    return "\n\n".join(paragraphs) + "\n"


def localized(de: str, en: str) -> dict:
    return {"de": de, "en": en}


def make_registry(rng: random.Random, n_entities: int) -> dict[str, list[Entity]]:
    """About ``n_entities`` entries over the six kinds, linked without cycles."""
    counts = {kind: max(3, round(n_entities * share)) for kind, share in KIND_SHARES.items()}
    used: set[str] = set()

    def new_id(prefix: str, label: str) -> str:
        base = f"{prefix}{slugify(label)}"
        candidate = base
        for n in itertools.count(2):
            if candidate not in used:
                break
            candidate = f"{base}-{n}"
        used.add(candidate)
        return candidate

    def describe(label: str, what_en: str, what_de: str) -> dict:
        return localized(f"{label}, {what_de}.", f"{label}, {what_en}.")

    reg: dict[str, list[Entity]] = {kind: [] for kind in (*REFERENCE_KINDS, "authors")}
    # Locations: the first tenth are countries; the rest lie in an earlier location.
    n_countries = max(2, counts["locations"] // 10)
    for i in range(counts["locations"]):
        label = name(rng, 1)
        country = i < n_countries
        data = {
            "type": "Country" if country else rng.choice(("City", "Place", "AdministrativeArea",
                                                         "CivicStructure", "SeaBodyOfWater")),
            "name": localized(label, label),
            "description": describe(label, "a place in the news", "ein Ort in den Nachrichten"),
        }  # fmt: skip
        if not country:
            data["geo"] = {"lat": round(rng.uniform(-60, 70), 3),
                           "lon": round(rng.uniform(-180, 180), 3)}  # fmt: skip
            data["contained_in"] = rng.choice(reg["locations"][: max(1, i // 2)]).id
        reg["locations"].append(Entity("locations", new_id("", label), data))
    countries = [e.id for e in reg["locations"][:n_countries]]
    # Actors: countries, then organisations (parent: an earlier non-person), then persons.
    n_states = max(1, counts["actors"] // 10)
    n_orgs = max(1, counts["actors"] * 3 // 10)
    for i in range(counts["actors"]):
        if i < n_states:
            label, data = name(rng, 1), {"type": "Country"}
        elif i < n_states + n_orgs:
            label = f"{name(rng, 1)} {rng.choice(('Council', 'Agency', 'Ministry', 'Institute'))}"
            data = {"type": rng.choice(("Organization", "GovernmentOrganization"))}
            if rng.random() < 0.6:
                data["parent"] = rng.choice(reg["actors"][:i]).id
        else:
            label = name(rng, 2)
            data = {
                "type": "Person",
                "job_title": localized("Ministerin", "Minister"),
                "nationality": rng.choice(countries),
            }
        data = {"type": data.pop("type"), "name": localized(label, label),
                "description": describe(label, "an actor", "ein Akteur"), **data}  # fmt: skip
        if rng.random() < 0.3:
            data["wikidata"] = f"Q{rng.randint(1, 10**7)}"
            data["aliases"] = [label.upper()]
        reg["actors"].append(Entity("actors", new_id("", label), data))
    bodies = [e.id for e in reg["actors"][n_states : n_states + n_orgs]]
    # Sanctions: each amends up to two earlier ones, so amends chains never loop.
    for i in range(counts["sanctions"]):
        number = 1000 + i * 3
        year = FIRST_YEAR - 5 + i * (YEARS + 5) // counts["sanctions"]
        data = {
            "name": localized(f"Resolution {number}", f"Resolution {number}"),
            "identifier": f"S/RES/{number} ({year})",
            "legislation_type": localized("Resolution", "Resolution"),
            "adopted": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "adopted_by": rng.choice(bodies),
            "url": f"https://example.org/res/{number}",
        }
        if i and rng.random() < 0.6:
            earlier = reg["sanctions"][max(0, i - 10) : i]
            data["amends"] = sorted({e.id for e in rng.sample(earlier, min(2, len(earlier)))})
        reg["sanctions"].append(Entity("sanctions", new_id("resolution-", str(number)), data))
    for _ in range(counts["events"]):
        label = f"{name(rng, 1)} {rng.choice(('summit', 'launch', 'talks', 'test'))}"
        start = datetime(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange(YEARS * 365))
        data = {
            "name": localized(label, label),
            "start": start.date().isoformat(),
            "location": rng.choice(reg["locations"]).id,
            "participants": sorted({e.id for e in rng.sample(reg["actors"], 2)}),
        }
        if rng.random() < 0.3:
            data["end"] = (start + timedelta(days=rng.randint(0, 5))).date().isoformat()
        reg["events"].append(Entity("events", new_id("", label), data))
    for _ in range(counts["topics"]):
        label = f"{name(rng, 1)} {rng.choice(('relations', 'programme', 'trade', 'policy'))}"
        data = {"name": localized(label, label),
                "description": describe(label, "a subject we follow", "ein Thema")}  # fmt: skip
        reg["topics"].append(Entity("topics", new_id("", label), data))
    for _ in range(AUTHORS):
        label = name(rng, 2)
        data = {"type": "Person", "name": localized(label, label),
                "job_title": localized("Korrespondentin", "Correspondent")}  # fmt: skip
        reg["authors"].append(Entity("authors", new_id("", label), data))
    return reg


class Zipf:
    """Draws ids with weight 1/rank**s: a few are named very often, most rarely."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.cum = list(itertools.accumulate(1 / r**ZIPF_EXPONENT for r in range(1, len(ids) + 1)))

    def sample(self, rng: random.Random, k: int) -> list[str]:
        k = min(k, len(self.ids))
        out: dict[str, None] = {}
        while len(out) < k:
            out[self.ids[bisect.bisect(self.cum, rng.random() * self.cum[-1])]] = None
        return list(out)


def make_stories(rng: random.Random, n: int, reg: dict[str, list[Entity]]) -> list[Story]:
    """N stories over 15 years; every registry entry is named by at least one of them."""
    draws = {kind: Zipf([e.id for e in reg[kind]]) for kind in REFERENCE_KINDS}
    authors = [e.id for e in reg["authors"]]
    start = datetime(FIRST_YEAR, 1, 1, 6)
    stories, slugs = [], set()
    for i in range(n):
        when = start + timedelta(minutes=rng.randrange(YEARS * 365 * 24 * 60))
        when = when.replace(hour=6 + when.hour % 14)  # daytime, far from New Year's midnight
        offset = timezone(timedelta(hours=rng.choice((1, 2, 9, -5))))
        refs = {k: draws[k].sample(rng, rng.randint(*PER_ARTICLE[k])) for k in REFERENCE_KINDS}
        named = [x for ids in refs.values() for x in ids]
        slug = f"{slugify(name(rng, 2))}-{i}"
        slugs.add(slug)
        main = rng.choice(LANGS) if rng.random() < 0.5 else "de"
        langs = (main, "en" if main == "de" else "de") if rng.random() < 0.1 else (main,)
        sources = [
            {"url": f"https://example.org/source/{i}/{j}", "title": f"Report {i}-{j}",
             "publisher": rng.choice(PUBLISHERS)}
            for j in range(rng.choice((0, 0, 1, 2, 3)))
        ]  # fmt: skip
        stories.append(
            Story(
                slug=slug,
                date=when.replace(tzinfo=offset),
                langs=langs,
                authors=rng.sample(authors, rng.choice((1, 1, 1, 2))),
                refs=refs,
                about=rng.sample(named, min(len(named), rng.randint(1, 3))),
                sources=sources,
                modified=(when + timedelta(hours=rng.randint(1, 48))).replace(tzinfo=offset)
                if rng.random() < 0.2
                else None,
            )
        )
    # The long tail: give every entry nobody drew one story, so no topic page is empty.
    named_ids = {x for s in stories for ids in s.refs.values() for x in ids}
    for kind in REFERENCE_KINDS:
        for entity in reg[kind]:
            if entity.id not in named_ids:
                rng.choice(stories).refs[kind].append(entity.id)
    return stories


def front_matter(story: Story, lang: str, title: str, summary: str) -> str:
    """Dossier's YAML front matter for one language version."""
    data = {
        "title": title,
        "slug": story.slug,
        "lang": lang,
        "date": story.date.isoformat(),
        **({"modified": story.modified.isoformat()} if story.modified else {}),
        "authors": story.authors,
        "summary": summary,
        **{kind: ids for kind, ids in story.refs.items() if ids},
        "about": story.about,
        **({"sources": story.sources} if story.sources else {}),
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def pelican_meta(story: Story, lang: str, title: str, summary: str, names: dict) -> str:
    """Pelican's own metadata lines for the same version."""
    lines = {
        "Title": title,
        "Date": story.date.isoformat(),
        "Slug": story.slug,
        "Lang": lang,
        "Authors": ", ".join(names[a] for a in story.authors),
        "Summary": summary,
        "Tags": ", ".join(names[t] for t in story.refs["topics"]),
    }
    return "".join(f"{key}: {value}\n" for key, value in lines.items() if value)


PLAIN_CONF = '''"""Plain Pelican on the twin corpus: no plugins, default theme, default feeds."""

from pathlib import Path

PATH = str(Path(__file__).resolve().parent / "plain")
ARTICLE_PATHS = ["articles"]
SITENAME = "Plain"
SITEURL = ""
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
ARTICLE_TRANSLATION_ID = "slug"
ARTICLE_URL = "{lang}/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PLUGINS = []
MARKDOWN = MARKDOWN
'''


def write(out: Path, n: int, seed: int) -> None:
    """Write the corpus, the twin and the plain settings into ``out`` (replacing them)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
    reg = make_registry(rng, max(30, n // 10))
    stories = make_stories(rng, n, reg)
    (out / STAMP).unlink(missing_ok=True)
    for sub in ("content", "plain"):
        shutil.rmtree(out / sub, ignore_errors=True)
    content, plain = out / "content", out / "plain"
    for kind, entities in reg.items():
        (content / "entities" / kind).mkdir(parents=True)
        for e in entities:
            text = yaml.safe_dump(e.data, allow_unicode=True, sort_keys=False, width=1000)
            (content / "entities" / kind / f"{e.id}.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "content" / "images", content / "images")
    names = {e.id: e.data["name"]["en"] for entities in reg.values() for e in entities}
    for story in stories:
        shown = [names[x] for ids in story.refs.values() for x in ids]
        year = str(story.date.year)
        for lang in story.langs:
            title = " ".join(rng.choices(WORDS[lang], k=rng.randint(5, 12)))[:100].capitalize()
            summary = sentence(rng, lang, shown[:3], markup=False)[:290].rstrip(" .") + "."
            text = body(rng, lang, shown)
            for root, head in (
                (content, f"---\n{front_matter(story, lang, title, summary)}---\n"),
                (plain, pelican_meta(story, lang, title, summary, names) + "\n"),
            ):
                folder = root / "articles" / year
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{story.slug}.{lang}.md").write_text(head + text, encoding="utf-8")
    markdown = pprint.pformat(_repo_markdown_settings(), width=90)
    conf = PLAIN_CONF.replace("MARKDOWN = MARKDOWN", f"MARKDOWN = {markdown}")
    (out / "plain_pelicanconf.py").write_text(conf, encoding="utf-8")
    files = sum(len(s.langs) for s in stories)
    stamp = {"n": n, "seed": seed, "generator": generator_digest(), "article_files": files,
             "entities": sum(map(len, reg.values()))}  # fmt: skip
    (out / STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")


def generator_digest() -> str:
    """A digest of this script: a corpus made by another version of it is made again."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _repo_markdown_settings() -> dict:
    """The MARKDOWN setting of the repository's pelicanconf.py, so both builds render alike."""
    scope: dict = {"__file__": str(ROOT / "pelicanconf.py")}
    exec(compile((ROOT / "pelicanconf.py").read_text(), "pelicanconf.py", "exec"), scope)  # noqa: S102
    return scope["MARKDOWN"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of stories")
    parser.add_argument("--out", type=Path, help="default: bench/.cache/n<N>-s<SEED>")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / ".cache" / f"n{args.n}-s{args.seed}"
    out.mkdir(parents=True, exist_ok=True)
    write(out, args.n, args.seed)
    print(out)  # noqa: T201


if __name__ == "__main__":
    main()
