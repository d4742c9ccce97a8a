"""bench/scaling.py's fits and Amdahl's law, against numbers worked out by hand."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "scaling.py"
_spec = importlib.util.spec_from_file_location("bench_scaling", SCRIPT)
scaling = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = scaling  # its dataclass looks itself up there
_spec.loader.exec_module(scaling)

# Three sizes that no power law and no line passes through exactly.
NS = [1.0, 10.0, 100.0]
YS = [1.0, 10.0, 1000.0]


def test_power_fit_is_least_squares_in_log_space():
    # log10: x = 0, 1, 2 and y = 0, 1, 3; slope = ((-1)(-4/3) + 0 + (1)(5/3)) / 2 = 1.5,
    # intercept = 4/3 - 1.5 · 1 = -1/6, so a = 10^(-1/6).
    fit = scaling.power_fit(NS, YS)
    assert fit.b == pytest.approx(1.5)
    assert fit.a == pytest.approx(10 ** (-1 / 6))
    assert fit(1000) == pytest.approx(10 ** (-1 / 6) * 1000**1.5)


def test_linear_fit_is_least_squares():
    # mean N = 37, mean y = 337; slope = 62,694 / 5,994; intercept = 337 - 37 · slope = -50.
    fit = scaling.linear_fit(NS, YS)
    assert fit.b == pytest.approx(62_694 / 5_994)
    assert fit.a == pytest.approx(-50)
    assert fit(1000) == pytest.approx(-50 + 1000 * 62_694 / 5_994)
    assert fit.formula() == "10.5·N − 50"


def test_relative_error_is_the_root_mean_square_of_relative_errors():
    # The line y = 2N against 1, 10, 100: relative errors 1, 1, 1 → 1; against 2, 30, 100:
    # 0, -1/3, 1 → sqrt((0 + 1/9 + 1) / 3).
    line = scaling.Fit("linear", 0.0, 2.0)
    assert scaling.relative_error(line, NS, [1.0, 10.0, 100.0]) == pytest.approx(1.0)
    assert scaling.relative_error(line, NS, [2.0, 30.0, 100.0]) == pytest.approx(
        math.sqrt((1 / 9 + 1) / 3)
    )


@pytest.mark.parametrize(
    ("ys", "kind"),
    [
        ([5 + 2 * n for n in NS], "linear"),  # 7, 25, 205: a line with a fixed cost
        ([3 * n**1.2 for n in NS], "power"),
    ],
)
def test_better_fit_is_the_one_through_the_points(ys, kind):
    fits = [scaling.power_fit(NS, ys), scaling.linear_fit(NS, ys)]
    assert scaling.better_fit(fits, NS, ys).kind == kind


def test_two_sizes_tell_no_better_fit():
    ns, ys = [1_000.0, 10_000.0], [7.5, 74.5]
    fits = [scaling.power_fit(ns, ys), scaling.linear_fit(ns, ys)]
    assert scaling.better_fit(fits, ns, ys) is None


def test_parallel_fraction_and_projection_by_amdahl():
    # 10 s at one job, 6 s at two: 6/10 = 1 - p/2, so p = 0.8; at 8 cores 10 · (0.2 + 0.1).
    p = scaling.parallel_fraction(10.0, 6.0, 2)
    assert p == pytest.approx(0.8)
    assert scaling.amdahl(10.0, p, 8) == pytest.approx(3.0)
    assert scaling.amdahl(10.0, p, 16) == pytest.approx(2.5)
    # 4 jobs: 10 s → 4 s means 0.4 = 1 - 0.75 p, p = 0.8 again.
    assert scaling.parallel_fraction(10.0, 4.0, 4) == pytest.approx(0.8)


def test_parallel_fraction_needs_two_jobs():
    with pytest.raises(ValueError, match="at least two jobs"):
        scaling.parallel_fraction(10.0, 10.0, 1)
