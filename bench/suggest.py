"""Time ``dossier suggest`` on a generated corpus: the registry's matchers made, every article
scanned, and the whole command.

``python bench/suggest.py [--size 10000] [--seed 1] [--runs 5]``
``python bench/suggest.py --sample``

The corpus is ``bench/run.py``'s (made once, kept in ``bench/.cache/``). In this process, after
reading the corpus once: (1) making the matchers of both languages from the registry (a
``Lexicon`` and its two automata), (2) scanning every article's title, summary and text with
them and wording the notes, each timed ``--runs`` times, each run with matchers made anew (so
each folds its words afresh). Then (3) ``dossier suggest`` on the whole corpus as a process,
reading included, ``--runs`` times. The scan's CPU time is given too: on a shared machine it
says what the wall time cannot. Medians go to stdout as a Markdown table and to
``bench/.out/suggest-<N>.json``.

``--sample`` measures what the notes are worth instead, on the sample content: each article's
reference lists and ``about`` taken away, how many of the newsroom's own references the notes
propose again (by kind), and how many notes name one of them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "plugins"))

from run import OUT, corpus, dossier_settings  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", action="store_true", help="the sample's references again")
    args = parser.parse_args(argv)
    if args.sample:
        sample()
        return

    from dossier.check import read_content
    from dossier.plugin import read_settings
    from dossier.settings import of
    from dossier.suggest.names import Lexicon
    from dossier.suggest.notes import Fields, article_notes
    from dossier.suggest.words import WORD

    folder = corpus(args.size, args.seed)
    settings_file = dossier_settings(folder)
    settings = of(read_settings(settings_file))
    start = time.perf_counter()
    content, schemas = read_content(settings, folder)
    read = time.perf_counter() - start
    articles = [doc for doc in content.articles if isinstance(doc.data, dict)]
    languages = sorted({doc.data["lang"] for doc in articles})
    fields = Fields.of(schemas)
    words = sum(
        len(WORD.findall(f"{d.data.get('title', '')} {d.data.get('summary', '')} {d.body}"))
        for d in articles
    )

    def made() -> Lexicon:
        lexicon = Lexicon.of(content.entities, fields.by_kind)
        for lang in languages:
            lexicon.matcher(lang)
        return lexicon

    build, scan, scan_cpu, notes = [], [], [], 0
    for _ in range(args.runs):
        start = time.perf_counter()
        lexicon = made()
        build.append(time.perf_counter() - start)
        start, cpu = time.perf_counter(), time.process_time()
        found = [note for doc in articles for note in article_notes(doc, lexicon, fields)]
        scan.append(time.perf_counter() - start)
        scan_cpu.append(time.process_time() - cpu)
        notes = len(found)
    names = sum(
        len(by_lang.get(lang, ())) for by_lang in lexicon.names.values() for lang in languages
    )

    # This checkout's code, whatever the environment installed.
    command = [sys.executable, "-m", "dossier", "suggest", "--settings", str(settings_file)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    whole = []
    for _ in range(args.runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=folder, capture_output=True, check=False, env=env)
        whole.append(time.perf_counter() - start)
        if done.returncode:
            sys.exit(f"dossier suggest failed:\n{done.stdout.decode()}{done.stderr.decode()}")

    result = {
        "size": args.size,
        "articles": len(articles),
        "entries": len(lexicon.kinds),
        "names": names,
        "words": words,
        "notes": notes,
        "read_seconds": read,
        "build_seconds": build,
        "scan_seconds": scan,
        "scan_cpu_seconds": scan_cpu,
        "command_seconds": whole,
    }
    OUT.mkdir(exist_ok=True)
    (OUT / f"suggest-{args.size}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    med = statistics.median
    lines = [
        (
            f"N = {args.size:,} stories: {len(articles):,} article files, {words:,} words; "
            f"{len(lexicon.kinds):,} entries with {names:,} names in {len(languages)} languages; "
            f"{notes:,} notes; medians of {args.runs} runs"
        ),
        "",
        "| step | seconds |",
        "| --- | ---: |",
        f"| reading the corpus (once, for context) | {read:.2f} |",
        f"| making the matchers (registry, {len(languages)} automata) | {med(build):.3f} |",
        f"| scanning every article and wording the notes | {med(scan):.2f} |",
        f"| the same, CPU time of this process | {med(scan_cpu):.2f} |",
        f"| `dossier suggest`, the whole command | {med(whole):.2f} |",
    ]
    print("\n".join(lines), flush=True)  # noqa: T201


def sample() -> None:
    """The sample's articles with their references taken away: what the notes propose again."""
    from dossier.check import read_content
    from dossier.plugin import read_settings
    from dossier.read.source import Document
    from dossier.settings import of
    from dossier.suggest.names import Lexicon
    from dossier.suggest.notes import Fields, article_notes

    settings = of(read_settings(ROOT / "pelicanconf.py") | {"PATH": str(ROOT / "content")})
    content, schemas = read_content(settings, ROOT)
    fields = Fields.of(schemas)
    lexicon = Lexicon.of(content.entities, fields.by_kind)
    lists = (*fields.by_kind.values(), "about")
    by_kind: dict[str, list[int]] = {}
    notes = naming = 0
    for doc in content.articles:
        references = {i for name in fields.by_kind.values() for i in doc.data.get(name, ())}
        bare = Document(
            doc.path, doc.display, {k: v for k, v in doc.data.items() if k not in lists}
        )
        bare.body, bare.body_line = doc.body, doc.body_line
        proposed: set[str] = set()
        for note in article_notes(bare, lexicon, fields):
            ids = {word for word in note.message.split("'")[1::2] if word in lexicon.kinds}
            notes += 1
            naming += bool(ids & references)
            proposed |= ids
        for entry_id in references:
            counts = by_kind.setdefault(lexicon.kinds[entry_id], [0, 0])
            counts[0] += 1
            counts[1] += entry_id in proposed
    total, again = (sum(c[i] for c in by_kind.values()) for i in (0, 1))
    lines = [
        (
            f"The sample's {total} references, taken away: {again} proposed again "
            f"({again / total:.0%}); {naming} of {notes} notes name one of them."
        ),
        *(f"- {kind}: {c[1]} of {c[0]}" for kind, c in by_kind.items()),
    ]
    print("\n".join(lines), flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
