"""Time Dossier against its peers, plain Pelican and Hugo, on generated corpora, as whole processes.

``python bench/run.py [--sizes 1000,10000] [--runs 3] [--large] [--seed S] [--only NAMES]
[--hugo] [--serve [--patience SECONDS]]``

For each size the corpus is made once (``bench/make_corpus.py``, kept in ``bench/.cache/``), and
its Hugo twin (``bench/make_hugo_twin.py``). Each round then runs, in this order: (a) plain
Pelican on the twin corpus; (h) Hugo building the twin into a fresh folder, the command of
``bench/hugo_loop.py``'s (a) (left out, with a note, when Hugo is not installed); (b1) a full
Dossier build with ``--jobs 1`` and (b) one with the default jobs (``DOSSIER_JOBS``, else the
machine's cores), each with no caches and no published site; (c) ``dossier check`` as an editor
runs it (its cache warm from (b)); (c') ``dossier check`` with no cache; (d) a rebuild after one
article's text changed; (d') a rebuild after the same article's title changed (its front
matter: every view is made again); (e) a rebuild after one entity (the most named actor)
changed. The peers run in the same rounds as Dossier, so drift on a shared machine hits all
alike, and each round's ratios compare runs made minutes apart.

Wall time comes from the parent's clock; the CPU time (user + system) of the whole process tree
from ``getrusage(RUSAGE_CHILDREN)`` around each run, which counts every descendant that was
waited for (forked workers and Pagefind included): wall time far above CPU time ÷ cores tells of
a busy machine rather than a slow build. Peak memory is the largest sum of the proportional set
size (PSS) of the process and all its children: forked workers share their parent's pages,
which PSS counts once and a sum of resident sizes (RSS) once per process (``TreePeak`` says how
it is sampled and what that costs). Builds write into ``bench/.out/``; the edited files are
restored afterwards.

Results go to stdout as Markdown tables: the medians; each round's ratios, their medians and
the targets (``RATIOS``), met or not and by how much; the speed-up from the jobs, Amdahl's
parallel fraction and the full build projected for 8 and 16 cores. ``bench/.out/results-<N>.json``
holds every round's samples, the medians, the ratios, the jobs and the cores: ``bench/scaling.py``
fits them across sizes. ``--hugo`` adds, per size, Hugo's editor loop on the twin
(``bench/hugo_loop.py``: build, ``hugo server`` start-up and its edit loop). ``--serve`` adds,
per size, ``dossier serve`` on the corpus (``bench/serve_loop.py``: start-up, resident memory
and the same edit loop; a change may take ``--patience`` seconds, default 60, to show), and then
the targets, met or not, from this run's medians: every edit shown within 300 ms, at least 10
times faster than ``hugo server`` per kind of edit (with ``--hugo``), a start-up no slower than
(c') × 1.5, resident memory at most 1 GB. The targets are set for 10,000 stories (the rounds'
for 50,000 too); other sizes are shown against them too. ``--only check_cold`` runs only the
named scenarios of the rounds (the editor loop needs no build: ``--only check_cold --hugo
--serve``); its results go to ``results-<N>-only.json``, so a whole run's stay for scaling.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scaling import CORES, amdahl, parallel_fraction  # noqa: E402

ROOT = HERE.parent
BIN = Path(sys.executable).parent
CACHE = HERE / ".cache"
OUT = HERE / ".out"
PAGE = os.sysconf("SC_PAGE_SIZE")
ROLLUP = Path("/proc/self/smaps_rollup").is_file()  # Linux 4.14 and later
LABELS = {
    "plain": "(a) plain Pelican build",
    "hugo": "(h) Hugo full build of the twin",
    "full_j1": "(b1) Dossier full build, --jobs 1",
    "full": "(b) Dossier full build, default jobs",
    "check": "(c) dossier check",
    "check_cold": "(c') dossier check, no cache",
    "article": "(d) rebuild, one article's text edited",
    "title": "(d') rebuild, one article's title edited",
    "entity": "(e) rebuild, one entity edited",
}


@dataclass(frozen=True)
class Ratio:
    """One ratio of two scenarios' measurements in the same round, and its target if it has one:
    ``≤`` bounds Dossier's cost (the numerator) by the peer's, ``≥`` asks Dossier (the
    denominator) to be that many times faster than the peer."""

    label: str
    num: str
    den: str
    measure: str = "seconds"  # or "peak_mb"
    target: str | None = None  # "≤", "≥" or None
    bound: float = 0.0

    @property
    def name(self) -> str:
        """Its key in the results JSON."""
        return f"{'peak ' if self.measure == 'peak_mb' else ''}{self.num}/{self.den}"


# The ratios of each round and the targets, set for 10,000 and 50,000 stories.
RATIOS = (
    Ratio("full build ÷ plain Pelican", "full", "plain", target="≤", bound=1.0),
    Ratio("full build ÷ Hugo twin", "full", "hugo", target="≤", bound=2.0),
    Ratio("full build --jobs 1 ÷ default jobs (the speed-up)", "full_j1", "full"),
    Ratio("rebuild, one article's text ÷ full build", "article", "full", target="≤", bound=0.05),
    Ratio("rebuild, one article's title ÷ full build", "title", "full", target="≤", bound=0.10),
    Ratio("rebuild, one entity ÷ full build", "entity", "full", target="≤", bound=0.20),
    Ratio("plain Pelican ÷ dossier check, no cache", "plain", "check_cold", target="≥", bound=20),
    Ratio("peak memory, full build ÷ plain Pelican", "full", "plain", "peak_mb", "≤", 2.0),
)

DOSSIER_SETTINGS = '''"""The repository's settings, aimed at a generated corpus (bench/run.py)."""

import sys

sys.path.insert(0, {root!r})

from pelicanconf import *  # noqa: F403

PATH = {content!r}
THEME = {theme!r}
PLUGIN_PATHS = [{plugins!r}]
'''


@dataclass
class Sample:
    """One run: wall seconds, CPU seconds of the process tree (user + system), its peak memory
    in MB (PSS, or RSS where PSS could not be read: ``memory`` says which), the tree's RSS sum at
    that moment, and the CPU seconds the memory sampler itself took."""

    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0
    memory: str = "PSS"
    peak_rss_mb: float = 0.0
    sampler_cpu: float = 0.0
    readings: int = 0


@dataclass
class Scenario:
    """A command to time, where to run it, and what to do before each run (untimed)."""

    argv: list[str]
    cwd: Path
    before: Callable[[int], None] = lambda _round: None
    samples: list[Sample] = field(default_factory=list)


def corpus(n: int, seed: int) -> Path:
    """The corpus for N and seed, made now unless the cache holds one from this generator."""
    from make_corpus import STAMP, generator_digest

    folder = CACHE / f"n{n}-s{seed}"
    stamp = folder / STAMP
    if stamp.is_file():
        made = json.loads(stamp.read_text())
        if made.get("generator") == generator_digest():
            return folder
    script = HERE / "make_corpus.py"
    subprocess.run(
        [sys.executable, str(script), str(n), "--seed", str(seed), "--out", str(folder)],
        check=True,
    )
    return folder


def dossier_settings(folder: Path) -> Path:
    """Write the Dossier settings for a corpus; absolute paths, so any cwd works."""
    path = folder / "dossier_settings.py"
    text = DOSSIER_SETTINGS.format(
        root=str(ROOT),
        content=str(folder / "content"),
        theme=str(ROOT / "theme"),
        plugins=str(ROOT / "plugins"),
    )
    path.write_text(text, encoding="utf-8")
    return path


def default_jobs() -> int:
    """The jobs a plain ``dossier build`` runs, by the build's own rule (``DOSSIER_JOBS``, else
    the cores this process may run on); a wrong ``DOSSIER_JOBS`` stops the benchmark."""
    from dossier.settings import JOBS_VARIABLE, jobs_setting

    jobs = jobs_setting(os.environ.get(JOBS_VARIABLE))
    if isinstance(jobs, str):
        sys.exit(jobs)
    return jobs


def dossier_package() -> str:
    """Where the timed ``dossier`` imports its code from: the environment is passed on to every
    command, so ``PYTHONPATH`` decides (a worktree's ``plugins``, or the venv's own)."""
    probe = [sys.executable, "-c", "import dossier; print(dossier.__path__[0])"]
    return subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()


def hugo_version() -> str:
    """The version line of the Hugo that (h) ran."""
    from hugo_loop import find_hugo
    from hugo_loop import hugo_version as version

    return version(find_hugo())


def measure(argv: list[str], cwd: Path) -> Sample:
    """Run argv to completion; its wall time, the CPU time of its process tree and the peak
    memory of that tree. A failure stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    peak = TreePeak(process.pid)
    peak.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    peak.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if process.returncode:
        sys.exit(f"{' '.join(argv)} failed ({process.returncode}):\n{output.decode()}")
    mb = 2**20
    return Sample(seconds, peak.pss / mb, cpu, peak.kind, peak.rss / mb, peak.cpu, peak.readings)


class TreePeak(threading.Thread):
    """The largest total PSS of a process group (a command and its children), and the RSS sum
    at that moment.

    GNU time's %M reports the largest single process, which leaves out the parent while a
    child such as Pagefind runs beside it; a sum of RSS counts the pages forked workers share
    with their parent once per worker. ``/proc/PID/smaps_rollup`` gives a process's PSS (and
    RSS); where it cannot be read (a kernel before 4.14, a process of another user) the RSS
    from ``statm`` stands in, and ``kind`` says so ("PSS", "RSS" or "PSS+RSS").

    Reading smaps_rollup walks the process's page tables: about 10 ms of CPU per GB mapped
    (statm: 30 µs), and the scan of ``/proc`` for the group takes about 1 ms. Every 20 ms, as
    with statm, that would be a seventh of a core for a 200 MB tree and all of one for 2 GB,
    taken from the cores the build runs on; a walk also holds the process's memory map lock,
    which its own mmap calls wait for. So the pause after each reading is the larger of
    INTERVAL and what keeps the sampler within BUDGET of one core. On the shared two-core
    machine at 1,000 stories a reading took 3 ms for a 60 MB tree (one every 60 ms) and 4 to
    6 ms for 200 to 350 MB (one every 90 to 130 ms); at 2 GB, about one every 400 ms. ``cpu``
    and ``readings`` are reported with each run. A peak shorter than the pause can be missed;
    a build's memory rises and stays up for seconds."""

    INTERVAL = 0.02  # seconds, the shortest pause
    BUDGET = 0.05  # of one core

    def __init__(self, group: int) -> None:
        super().__init__(daemon=True)
        self.group, self.pss, self.rss, self.cpu, self.readings = group, 0, 0, 0.0, 0
        self.kinds: set[str] = set()
        self._done = threading.Event()

    @property
    def kind(self) -> str:
        """What was summed: "PSS", "RSS" or, mixed, "PSS+RSS"."""
        return "+".join(sorted(self.kinds, reverse=True)) or "PSS"

    def run(self) -> None:
        pause = self.INTERVAL
        while not self._done.wait(pause):
            start = time.thread_time()
            pss, rss = self._memory()
            if pss > self.pss:
                self.pss, self.rss = pss, rss
            cost = time.thread_time() - start
            self.cpu, self.readings = self.cpu + cost, self.readings + 1
            pause = max(self.INTERVAL, cost / self.BUDGET - cost)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def _memory(self) -> tuple[int, int]:
        """The PSS and RSS sums of the group now, in bytes."""
        pss = rss = 0
        for pid in group_pids(self.group):
            one = process_memory(pid)
            if one:
                pss, rss = pss + one[0], rss + one[1]
                self.kinds.add(one[2])
        return pss, rss


def process_memory(pid: int) -> tuple[int, int, str] | None:
    """A process's PSS and RSS in bytes, and what stands for its PSS: "PSS", or "RSS" where
    ``smaps_rollup`` cannot be read; None once the process has ended."""
    if ROLLUP:
        try:
            return (*smaps_rollup(pid), "PSS")
        except PermissionError:
            pass
        except (OSError, ValueError):  # ended meanwhile
            return None
    try:
        resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return None
    return resident, resident, "RSS"


def smaps_rollup(pid: int) -> tuple[int, int]:
    """A process's PSS and RSS in bytes, from ``/proc/PID/smaps_rollup``."""
    sizes = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        if key in ("Pss", "Rss"):
            sizes[key] = int(value.split()[0]) * 1024
    return sizes.get("Pss", 0), sizes.get("Rss", 0)


def group_pids(group: int) -> list[int]:
    """The processes of a process group (a command and all its children), from ``/proc``."""
    pids = []
    for entry in os.scandir("/proc"):
        name = entry.name
        if not name.isdigit():
            continue
        try:  # os.open and os.read: a quarter of the time of Path.read_text, every 50 ms
            handle = os.open(f"/proc/{name}/stat", os.O_RDONLY)
            try:
                stat = os.read(handle, 4096)
            finally:
                os.close(handle)
            fields = stat[stat.rindex(b")") + 2 :].split(None, 3)
            if int(fields[2]) == group:  # pgrp
                pids.append(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


class Edit:
    """Changes one file before each run (differently each round) and restores it at the end."""

    def __init__(self, path: Path, change: Callable[[str, int], str]) -> None:
        self.path, self.change = path, change
        self.original = path.read_bytes()

    def __call__(self, round_: int) -> None:
        self.path.write_text(self.change(self.original.decode(), round_), encoding="utf-8")

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def add_to_description(text: str, round_: int) -> str:
    """A registry entry with one more sentence in its English description: the entity's node
    is on every page that names it, so every one of those pages changes."""
    data = yaml.safe_load(text)
    data["description"]["en"] += f" Edited in round {round_}."
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def busiest_actor(content: Path) -> Path:
    """The registry file of the actor most articles name (the head of the Zipf curve)."""
    counts: dict[str, int] = {}
    for article in (content / "articles").rglob("*.md"):
        head = article.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        block = head.split("\nactors:\n", 1)[1] if "\nactors:\n" in head else ""
        for line in block.splitlines():
            if not line.startswith("- "):
                break
            counts[line[2:]] = counts.get(line[2:], 0) + 1
    return content / "entities" / "actors" / f"{max(counts, key=counts.__getitem__)}.yaml"


def hugo_scenario(folder: Path, out: Path) -> Scenario | None:
    """(h): Hugo building the corpus's twin (made now if missing or stale) into a fresh folder,
    with ``bench/hugo_loop.py``'s command; None, said so on stderr, when Hugo is not installed."""
    from hugo_loop import MISSING, build_argv, find_hugo
    from make_hugo_twin import make_twin

    binary = find_hugo()
    if binary is None:
        print(f"{MISSING}; (h) left out of the rounds", file=sys.stderr, flush=True)  # noqa: T201
        return None
    site = make_twin(folder)
    target = out / "hugo"
    return Scenario(
        build_argv(binary, site, target), site, lambda _r: shutil.rmtree(target, ignore_errors=True)
    )


def bench(n: int, runs: int, seed: int, only: set[str] | None = None) -> dict[str, Scenario]:
    """Every scenario for one size, ``runs`` rounds, interleaved so drift hits all alike."""
    folder = corpus(n, seed)
    settings = dossier_settings(folder)
    out = OUT / f"n{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    dossier = str(BIN / "dossier")
    where = ["--settings", str(settings), "--output", str(out / "dossier")]
    build = [dossier, "build", *where]
    plain_out = out / "plain"
    article = Edit(
        min((folder / "content" / "articles").rglob("*.md")),
        lambda text, r: f"{text}\nA sentence added for round {r}.\n",
    )
    # The same article's title: its front matter, so the model, changes (see reuse.py).
    title = Edit(article.path, lambda text, r: text.replace("\ntitle: ", f"\ntitle: R{r} ", 1))
    entity = Edit(busiest_actor(folder / "content"), add_to_description)
    plain = [str(BIN / "pelican"), "-s", str(folder / "plain_pelicanconf.py"), "-o", str(plain_out)]
    cache = folder / "cache"

    def fresh(_round: int) -> None:
        """No caches and no published site: a build from nothing."""
        shutil.rmtree(out / "dossier", ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    def cold(_round: int) -> None:
        (cache / "dossier-check.json").unlink(missing_ok=True)

    check = [dossier, "check", "--settings", str(settings)]
    wanted = set(LABELS) if only is None else only
    hugo = hugo_scenario(folder, out) if "hugo" in wanted else None
    scenarios = {
        "plain": Scenario(
            plain,
            folder,
            lambda _r: shutil.rmtree(plain_out, ignore_errors=True),
        ),
        **({"hugo": hugo} if hugo else {}),
        "full_j1": Scenario([dossier, "build", "--jobs", "1", *where], folder, fresh),
        "full": Scenario(build, folder, fresh),
        "check": Scenario(check, folder),
        "check_cold": Scenario(check, folder, cold),
        "article": Scenario(build, folder, article),
        "title": Scenario(build, folder, title),
        "entity": Scenario(build, folder, entity),
    }
    scenarios = {name: s for name, s in scenarios.items() if name in wanted}
    try:
        for round_ in range(1, runs + 1):
            for name, scenario in scenarios.items():
                scenario.before(round_)
                scenario.samples.append(measure(scenario.argv, scenario.cwd))
                print(  # noqa: T201
                    f"N={n} round {round_} {name}: {progress(scenario.samples[-1])}",
                    file=sys.stderr,
                    flush=True,
                )
            for edit in (article, title, entity):
                edit.restore()
    finally:
        for edit in (article, title, entity):
            edit.restore()
    return scenarios


def progress(sample: Sample) -> str:
    """One run in a line, as it ends."""
    share = sample.sampler_cpu / sample.seconds
    return (
        f"{sample.seconds:.2f} s, CPU {sample.cpu_seconds:.2f} s, {sample.peak_mb:.0f} MB "
        f"{sample.memory} ({sample.peak_rss_mb:.0f} MB RSS); sampler {share:.1%} of a core, "
        f"{sample.readings} readings"
    )


def medians(scenarios: dict[str, Scenario]) -> dict[str, dict[str, float]]:
    """Per scenario, the median over the rounds of each measurement."""
    fields = ("seconds", "cpu_seconds", "peak_mb", "peak_rss_mb")
    return {
        key: {f: statistics.median(getattr(s, f) for s in scenario.samples) for f in fields}
        for key, scenario in scenarios.items()
    }


def round_ratios(scenarios: dict[str, Scenario]) -> dict[Ratio, list[float]]:
    """Each ratio whose two scenarios ran, one value per round."""
    ratios = {}
    for ratio in RATIOS:
        if ratio.num in scenarios and ratio.den in scenarios:
            pairs = zip(scenarios[ratio.num].samples, scenarios[ratio.den].samples, strict=True)
            ratios[ratio] = [
                getattr(a, ratio.measure) / getattr(b, ratio.measure) for a, b in pairs
            ]
    return ratios


def verdict(ratio: Ratio, value: float, med: dict[str, dict[str, float]]) -> str:
    """Whether the median ratio meets its target, and by how much: in the ratio, and in
    Dossier's own seconds or MB over what the target allows it (from the medians)."""
    if ratio.target is None:
        return ""
    num, den = med[ratio.num][ratio.measure], med[ratio.den][ratio.measure]
    if ratio.target == "≤":
        met, over = value <= ratio.bound, num - ratio.bound * den
    else:
        met, over = value >= ratio.bound, den - num / ratio.bound
    gap = abs(value - ratio.bound)
    if met:
        return f"met, {figure(gap)} to spare"
    unit = "MB" if ratio.measure == "peak_mb" else "s"
    side = "over" if ratio.target == "≤" else "short"
    return f"**not met**: {figure(gap)} {side}, about {over:,.1f} {unit} too many"


def figure(value: float) -> str:
    """A ratio with the digits that tell: three decimals below 10, one above."""
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def measurements_table(n: int, files: int, scenarios: dict[str, Scenario], jobs: int) -> str:
    """The medians and spreads of every scenario: wall time, CPU time, peak memory."""
    med = medians(scenarios)
    samples = [s for scenario in scenarios.values() for s in scenario.samples]
    kinds = sorted({s.memory for s in samples})
    sampler = max(s.sampler_cpu / s.seconds for s in samples)
    head = (
        f"N = {n:,} stories ({files:,} article files), {len(samples) // len(scenarios)} run(s) "
        f"each; {os.cpu_count()} cores, default jobs {jobs}; peak memory: {' and '.join(kinds)} "
        f"of the process tree (the sampler took at most {sampler:.1%} of a core)"
    )
    lines = [
        head,
        "",
        "| measurement | median s | min s | max s | CPU s | peak MB | its RSS sum MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, scenario in scenarios.items():
        times = [s.seconds for s in scenario.samples]
        kind = {s.memory for s in scenario.samples} - {"PSS"}
        lines.append(
            f"| {LABELS[key]} | {med[key]['seconds']:.2f} | {min(times):.2f} | {max(times):.2f} "
            f"| {med[key]['cpu_seconds']:.2f} | {med[key]['peak_mb']:.0f}"
            f"{' (' + ', '.join(sorted(kind)) + ')' if kind else ''} "
            f"| {med[key]['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def tag(key: str) -> str:
    """A scenario's letter in the tables, as "(b1)"."""
    return LABELS[key].split(" ", 1)[0]


def ratios_table(scenarios: dict[str, Scenario]) -> str:
    """Each round's ratios, their medians, and the targets met or not."""
    med, ratios = medians(scenarios), round_ratios(scenarios)
    if not ratios:  # --only some: nothing to compare
        return ""
    runs = len(next(iter(scenarios.values())).samples)
    rounds = [f"round {r}" for r in range(1, runs + 1)]
    lines = [
        "| ratio | " + " | ".join(rounds) + " | median | target | verdict |",
        "| --- |" + " ---: |" * (runs + 1) + " --- | --- |",
    ]
    for ratio in RATIOS:
        target = f"{ratio.target} {ratio.bound:g}" if ratio.target else ""
        if ratio not in ratios:
            missing = ", ".join(tag(k) for k in (ratio.num, ratio.den) if k not in scenarios)
            cells = [ratio.label, *[""] * (runs + 1), target, f"not measured: no {missing}"]
        else:
            values = ratios[ratio]
            middle = statistics.median(values)
            cells = [ratio.label, *map(figure, values), f"**{figure(middle)}**", target]
            cells.append(verdict(ratio, middle, med))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def jobs_table(scenarios: dict[str, Scenario], jobs: int) -> str:
    """(b1) against (b): the speed-up from the default jobs, Amdahl's parallel fraction p
    (t_N = t_1·((1 − p) + p/N)), and the full build projected for 8 and 16 cores from it."""
    if not {"full_j1", "full"} <= set(scenarios):
        return ""
    med = medians(scenarios)
    t1, tn = med["full_j1"]["seconds"], med["full"]["seconds"]
    lines = [
        "| jobs | wall s | CPU s | speed-up | |",
        "| ---: | ---: | ---: | ---: | --- |",
        f"| 1 | {t1:.2f} | {med['full_j1']['cpu_seconds']:.2f} | 1.00 | measured, (b1) |",
        f"| {jobs} | {tn:.2f} | {med['full']['cpu_seconds']:.2f} | {t1 / tn:.2f} | measured, (b) |",
    ]
    if jobs < 2:
        return "\n".join([*lines, "", "One job by default here: no speed-up to measure."])
    p = parallel_fraction(t1, tn, jobs)
    if p <= 0:
        return "\n".join(
            [*lines, "", f"p = {p:.2f}: no gain from {jobs} jobs, nothing to project."]
        )
    for cores in CORES:
        tc = amdahl(t1, p, cores)
        lines.append(f"| {cores} | {tc:.2f} | | {t1 / tc:.2f} | projected, p = {p:.2f} |")
    return "\n".join(lines)


def results(n: int, seed: int, scenarios: dict[str, Scenario], jobs: int, tools: dict) -> dict:
    """What ``results-<N>.json`` holds: enough for ``bench/scaling.py`` and for a reader."""
    med = medians(scenarios)
    ratios = {}
    for ratio, values in round_ratios(scenarios).items():
        middle = statistics.median(values)
        ratios[ratio.name] = {"label": ratio.label, "rounds": values, "median": middle}
        if ratio.target:
            met = middle <= ratio.bound if ratio.target == "≤" else middle >= ratio.bound
            ratios[ratio.name] |= {"target": f"{ratio.target} {ratio.bound:g}", "met": met}
    p = None
    if {"full_j1", "full"} <= set(med) and jobs >= 2:
        p = parallel_fraction(med["full_j1"]["seconds"], med["full"]["seconds"], jobs)
    return {
        "n": n,
        "seed": seed,
        "cpu_count": os.cpu_count(),
        "jobs": jobs,
        **tools,
        "memory": "+".join(sorted({s.memory for sc in scenarios.values() for s in sc.samples})),
        "medians": med,
        "ratios": ratios,
        "parallel_fraction": p,
        "runs": {key: [asdict(s) for s in scenario.samples] for key, scenario in scenarios.items()},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated story counts")
    parser.add_argument("--runs", type=int, default=3, help="rounds per size")
    parser.add_argument("--large", action="store_true", help="add N=50,000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only",
        metavar="NAMES",
        help=f"comma-separated scenarios to run, of {', '.join(LABELS)} (default: all); "
        "--serve needs check_cold",
    )
    parser.add_argument(
        "--hugo",
        action="store_true",
        help="also time Hugo's editor loop on each corpus's twin (hugo_loop.py)",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="also time dossier serve on each corpus and weigh it against the targets "
        "(serve_loop.py)",
    )
    parser.add_argument(
        "--patience",
        type=float,
        metavar="SECONDS",
        help="with --serve: how long a change may take to show (default: serve_loop.py's, 60)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.large and 50_000 not in sizes:
        sizes.append(50_000)
    only = set(args.only.split(",")) if args.only else None
    if only and only - set(LABELS):
        parser.error(f"--only: no scenario {', '.join(sorted(only - set(LABELS)))}")
    OUT.mkdir(parents=True, exist_ok=True)
    jobs, package = default_jobs(), dossier_package()
    print(f"Timing the dossier in {package}", file=sys.stderr, flush=True)  # noqa: T201
    for n in sizes:
        scenarios = bench(n, args.runs, args.seed, only)
        stamp = json.loads((CACHE / f"n{n}-s{args.seed}" / "corpus.json").read_text())
        tools = {
            "corpus": stamp,
            "dossier": package,
            "hugo": hugo_version() if "hugo" in scenarios else None,
        }
        tables = [
            measurements_table(n, stamp["article_files"], scenarios, jobs),
            ratios_table(scenarios),
            jobs_table(scenarios, jobs),
        ]
        print("\n\n".join(t for t in tables if t) + "\n", flush=True)  # noqa: T201
        data = results(n, args.seed, scenarios, jobs, tools)
        # Some scenarios only (--only) must not replace a whole run's, which scaling.py fits.
        name = f"results-{n}-only.json" if only else f"results-{n}.json"
        (OUT / name).write_text(json.dumps(data, indent=1) + "\n")
        hugo = None
        if args.hugo:
            from hugo_loop import bench_hugo
            from hugo_loop import table as hugo_table

            hugo = bench_hugo(n, args.seed, args.runs)
            print(hugo_table(hugo) + "\n", flush=True)  # noqa: T201
            (OUT / f"hugo-{n}.json").write_text(json.dumps(hugo, indent=1) + "\n")
        if args.serve:
            from serve_loop import PATIENCE, bench_serve, save, targets
            from serve_loop import table as serve_table

            serve = bench_serve(n, args.seed, args.runs, args.patience or PATIENCE)
            save(serve)
            check_cold = statistics.median(s.seconds for s in scenarios["check_cold"].samples)
            print(serve_table(serve) + "\n", flush=True)  # noqa: T201
            print(targets(serve, check_cold, hugo) + "\n", flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
