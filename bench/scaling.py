"""Fit the benchmark's times and peak memory against the number of stories, and project them.

``python bench/scaling.py [--out DIR]``

Reads ``bench/.out/results-<N>.json`` (``bench/run.py`` writes one per size: 1,000 and 10,000
stories, 50,000 with ``--large``) and fits each median against N in two ways, both by least
squares: a power law t = a·N^b (a straight line through (log N, log t), so each size weighs
alike whatever its magnitude) and a straight line t = c + d·N (a fixed cost and a cost per
story). Which fits better is told by the root mean square of the relative errors at the sizes
measured; with only two sizes both lines pass through both points, and the two projections
show how far apart the assumptions lead. The table gives the measured values, both fits and
both projections for 250,000 and 1,000,000 stories: five to twenty times beyond 50,000, they
carry the trend of the sizes measured, not what a new bottleneck there (memory, the file
system) would add.

Then the full build on 8 and 16 cores, by Amdahl's law: from ``--jobs 1`` against the default
jobs at the same size, the parallel fraction p (t_N = t_1·((1 − p) + p/N)); beyond the sizes
measured, t_1 comes from its fit (the better one, else the larger projection: the cautious one)
and p is that of the largest size measured, assumed to hold. This feeds ``docs/scaling.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / ".out"
PROJECTED = (250_000, 1_000_000)
CORES = (8, 16)
# What is fitted: (scenario in run.py's rounds, field of its medians, label).
QUANTITIES = (
    ("full_j1", "seconds", "full build, --jobs 1"),
    ("full", "seconds", "full build, default jobs"),
    ("article", "seconds", "rebuild, one article's text edited"),
    ("title", "seconds", "rebuild, one article's title edited"),
    ("entity", "seconds", "rebuild, one entity edited"),
    ("check_cold", "seconds", "dossier check, no cache"),
    ("plain", "seconds", "plain Pelican (the peer)"),
    ("hugo", "seconds", "Hugo, the twin (the peer)"),
    ("full_j1", "peak_mb", "peak memory, full build --jobs 1"),
    ("full", "peak_mb", "peak memory, full build, default jobs"),
)


@dataclass(frozen=True)
class Fit:
    """A fitted curve: ``power`` is y = a·N^b, ``linear`` is y = a + b·N."""

    kind: str
    a: float
    b: float

    def __call__(self, n: float) -> float:
        return self.a * n**self.b if self.kind == "power" else self.a + self.b * n

    def formula(self) -> str:
        if self.kind == "power":
            return f"{self.a:.3g}·N^{self.b:.2f}"
        sign = "−" if self.a < 0 else "+"
        return f"{self.b:.3g}·N {sign} {abs(self.a):.3g}"


def power_fit(ns: list[float], ys: list[float]) -> Fit:
    """y = a·N^b by least squares on (ln N, ln y)."""
    slope, intercept = statistics.linear_regression(
        [math.log(n) for n in ns], [math.log(y) for y in ys]
    )
    return Fit("power", math.exp(intercept), slope)


def linear_fit(ns: list[float], ys: list[float]) -> Fit:
    """y = a + b·N by least squares."""
    slope, intercept = statistics.linear_regression(ns, ys)
    return Fit("linear", intercept, slope)


def relative_error(fit: Fit, ns: list[float], ys: list[float]) -> float:
    """The root mean square of (fitted − measured) / measured over the sizes measured."""
    return math.sqrt(statistics.fmean(((fit(n) - y) / y) ** 2 for n, y in zip(ns, ys, strict=True)))


def better_fit(fits: list[Fit], ns: list[float], ys: list[float]) -> Fit | None:
    """The fit with the smaller relative error; None with fewer than three sizes, where every
    two-parameter fit passes through all the points."""
    if len(ns) < 3:
        return None
    return min(fits, key=lambda fit: relative_error(fit, ns, ys))


def parallel_fraction(t1: float, tn: float, jobs: int) -> float:
    """Amdahl's p from the wall time at one job and at ``jobs``: t_N / t_1 = 1 − p + p/N."""
    if jobs < 2:
        raise ValueError("the parallel fraction needs a run with at least two jobs")
    return (1 - tn / t1) / (1 - 1 / jobs)


def amdahl(t1: float, p: float, jobs: int) -> float:
    """The wall time at ``jobs`` by Amdahl's law, from the time at one job and p."""
    return t1 * ((1 - p) + p / jobs)


def seconds(value: float) -> str:
    """A duration as a reader takes it in: seconds, minutes or hours."""
    if value < 100:
        return f"{value:.1f} s"
    if value < 6000:
        return f"{value / 60:.1f} min"
    return f"{value / 3600:.1f} h"


def megabytes(value: float) -> str:
    return f"{value:,.0f} MB" if value < 10_000 else f"{value / 1024:.1f} GB"


def show(value: float, field: str) -> str:
    return megabytes(value) if field == "peak_mb" else seconds(value)


def load(out: Path) -> dict[int, dict]:
    """The results per size, smallest first, of whole runs (``results-<N>-only.json``, from
    ``run.py --only``, is not read); files from a run.py without medians are left out, said so
    on stderr."""
    results = {}
    for path in out.glob("results-*.json"):
        if not path.stem.removeprefix("results-").isdigit():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if "medians" not in data:
            print(f"{path}: no medians (an older bench/run.py): left out", file=sys.stderr)  # noqa: T201
            continue
        results[data["n"]] = data
    return dict(sorted(results.items()))


def fit_table(results: dict[int, dict]) -> str:
    """Measured values, both fits and both projections, one row per quantity."""
    sizes = list(results)
    head = ["measurement", *(f"{n:,}" for n in sizes), "power law", "linear", "better"]
    head += [f"{n:,} (power / linear)" for n in PROJECTED]
    lines = [row(head), "| --- |" + " ---: |" * (len(head) - 1)]
    for key, field, label in QUANTITIES:
        points = [(n, r["medians"][key][field]) for n, r in results.items() if key in r["medians"]]
        if not points:
            continue
        cells = [label]
        measured = dict(points)
        cells += [show(measured[n], field) if n in measured else "" for n in sizes]
        if len(points) < 2:
            lines.append(row([*cells, "one size: no fit", "", "", "", ""]))
            continue
        ns, ys = [float(n) for n, _ in points], [y for _, y in points]
        fits = [power_fit(ns, ys), linear_fit(ns, ys)]
        best = better_fit(fits, ns, ys)
        errors = [f" (±{relative_error(f, ns, ys):.0%})" if best else "" for f in fits]
        cells += [f.formula() + e for f, e in zip(fits, errors, strict=True)]
        cells.append(
            {"power": "power law", "linear": "linear"}[best.kind] if best else "(two sizes)"
        )
        cells += [" / ".join(show(f(n), field) for f in fits) for n in PROJECTED]
        lines.append(row(cells))
    return "\n".join(lines)


def cautious(ns: list[float], ys: list[float]) -> Fit:
    """The fit to project with: the better one, else the one projecting more at 1,000,000."""
    fits = [power_fit(ns, ys), linear_fit(ns, ys)]
    return better_fit(fits, ns, ys) or max(fits, key=lambda fit: fit(PROJECTED[-1]))


def cores_table(results: dict[int, dict]) -> str:
    """The full build on 8 and 16 cores by Amdahl's law, measured sizes and projected ones."""
    measured = {
        n: (r["medians"]["full_j1"]["seconds"], r["medians"]["full"]["seconds"], r["jobs"])
        for n, r in results.items()
        if {"full_j1", "full"} <= set(r["medians"]) and r.get("jobs", 1) >= 2
    }
    if not measured:
        return "No size has both --jobs 1 and at least two default jobs: no parallel fraction."
    head = ["stories", "--jobs 1", "default jobs", "p", *(f"{c} cores" for c in CORES)]
    lines = [row(head), "| --- |" + " ---: |" * (len(head) - 1)]
    for n, (t1, tn, jobs) in measured.items():
        p = parallel_fraction(t1, tn, jobs)
        cells = [f"{n:,}", seconds(t1), f"{seconds(tn)} ({jobs} jobs)", f"{p:.2f}"]
        lines.append(row(cells + on_cores(t1, p)))
    if len(measured) >= 2:
        t1, tn, jobs = measured[max(measured)]
        p = parallel_fraction(t1, tn, jobs)  # the largest size's
        fit = cautious([float(n) for n in measured], [t1 for t1, _, _ in measured.values()])
        for n in PROJECTED:
            cells = [f"{n:,} (projected, {fit.kind})", seconds(fit(n)), "", f"{p:.2f}"]
            lines.append(row(cells + on_cores(fit(n), p)))
    return "\n".join(lines)


def on_cores(t1: float, p: float) -> list[str]:
    """The wall time on each of CORES by Amdahl's law; none where the jobs gained nothing."""
    if p <= 0:
        return ["no gain from jobs"] * len(CORES)
    return [seconds(amdahl(t1, p, cores)) for cores in CORES]


def row(cells: list[str]) -> str:
    """A row of a Markdown table."""
    return "| " + " | ".join(cells) + " |"


def report(results: dict[int, dict]) -> str:
    """Both tables and what they rest on."""
    first = next(iter(results.values()))
    sizes = ", ".join(f"{n:,}" for n in results)
    jobs = ", ".join(sorted({str(r.get("jobs", "?")) for r in results.values()}))
    memory = ", ".join(sorted({r.get("memory", "?") for r in results.values()}))
    cores = first.get("cpu_count", "?")
    notes = [f"Sizes: {sizes} stories; {cores} cores; default jobs {jobs}; peak memory: {memory}."]
    if len({r.get("jobs") for r in results.values()}) > 1:
        notes.append("The sizes ran with different default jobs: the default-jobs fit mixes them.")
    return "\n\n".join([*notes, fit_table(results), cores_table(results)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where run.py wrote its results")
    args = parser.parse_args(argv)
    results = load(args.out)
    if not results:
        sys.exit(f"{args.out}: no results-<N>.json from bench/run.py")
    print(report(results))  # noqa: T201


if __name__ == "__main__":
    main()
