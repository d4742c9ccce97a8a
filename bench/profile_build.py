"""Profile one Dossier build (or check) of a generated corpus under cProfile.

``python bench/profile_build.py [N] [--seed S] [--top 25] [--command check] [--fresh]`` runs
``dossier build`` (or ``check``) over the corpus of N stories (default 1,000; made into
``bench/.cache/`` if missing) and writes ``bench/.out/profile-<command>-<N>.pstats`` and a
``.txt`` with the top lines by cumulative time, by total time, and Dossier's own functions by
cumulative time. Pagefind runs in child processes, started from a thread while the rest of the
site is written; cProfile sees the main thread only, so the index shows up as the wait for it
at the end (``search_index.py(finish)``). ``--fresh`` removes the caches and the last profiled
site first: a build from nothing.
"""

from __future__ import annotations

import argparse
import io
import pstats
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import OUT, corpus, dossier_settings  # noqa: E402


def profile(args: argparse.Namespace, stats_file: Path) -> None:
    """Run the command under cProfile, in the corpus folder, as its own process."""
    folder = corpus(args.n, args.seed)
    settings = dossier_settings(folder)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.fresh:  # no caches and no published site: everything read, checked and made anew
        shutil.rmtree(folder / "cache", ignore_errors=True)
        shutil.rmtree(stats_file.with_suffix(".site"), ignore_errors=True)
    argv = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "dossier"]
    argv += [args.command, "--settings", str(settings)]
    if args.command == "build":
        argv += ["--output", str(stats_file.with_suffix(".site"))]
    subprocess.run(argv, cwd=folder, check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--command", choices=("build", "check"), default="build")
    parser.add_argument("--report-only", action="store_true", help="reuse the last .pstats")
    parser.add_argument("--fresh", action="store_true", help="remove caches and output first")
    args = parser.parse_args(argv)
    name = f"profile-{args.command}-{args.n}"
    stats_file = OUT / f"{name}.pstats"
    if not args.report_only:
        profile(args, stats_file)
    report = io.StringIO()
    for order, only in (("cumulative", ""), ("tottime", ""), ("cumulative", "plugins/dossier")):
        report.write(f"## by {order}{' in ' + only if only else ''}\n")
        stats = pstats.Stats(str(stats_file), stream=report)
        if not only:
            stats.strip_dirs()
        stats.sort_stats(order).print_stats(only, args.top)
    text = report.getvalue()
    (OUT / f"{name}.txt").write_text(text, encoding="utf-8")
    print(text)  # noqa: T201


if __name__ == "__main__":
    main()
