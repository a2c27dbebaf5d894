"""Benchmark: outbreak detection against R's ``surveillance`` package, in the same run.

Three figures (357 series, as many as Norway's municipalities):
1. Farrington-flexible (Noufaily settings) for one weekly update (the latest week);
2. the same for a 52-week back-fill;
3. EARS C1 over 357 daily series x 730 days.
R is timed on the same data with the same controls (skipped when Rscript or the package is
missing). Printed: our time, R's time and the ratio. Results are also checked to agree.
"""

from __future__ import annotations

import csv
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # like R: one thread (2-core machines)

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np  # noqa: E402

from beredskap.surveillance.detection import FlexibleParams, ears, farrington_flexible  # noqa: E402

N_SERIES = 357
N_WEEKS = 320  # enough for a 52-week back-fill after 5 years + w
N_DAYS = 730

R_SCRIPT = r"""
suppressMessages(library(surveillance))
args <- commandArgs(TRUE)
y <- as.matrix(read.csv(args[1], header = FALSE))
what <- args[2]; from <- as.integer(args[3]); to <- as.integer(args[4])
s <- sts(observed = y, frequency = if (what == "ears") 365 else 52)
t0 <- proc.time()[["elapsed"]]
if (what == "ff") {
  ctl <- list(range = from:to, noPeriods = 10, pastWeeksNotIncluded = 26, pThresholdTrend = 1,
              thresholdMethod = "nbPlugin", glmWarnings = FALSE)
  r <- suppressWarnings(farringtonFlexible(s, ctl))
} else {
  r <- earsC(s, list(method = "C1", range = from:to))
}
el <- proc.time()[["elapsed"]] - t0
write.table(upperbound(r), args[5], sep = ",", row.names = FALSE, col.names = FALSE, na = "")
cat(el, "\n")
"""


def data(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    size = rng.lognormal(2.0, 1.0, size=(N_SERIES, 1))
    weeks = np.arange(N_WEEKS)
    weekly = rng.poisson(size * (1 + 0.4 * np.sin(2 * np.pi * weeks / 52)))
    daily = rng.poisson(size / 7 * (1 + 0.3 * np.sin(2 * np.pi * np.arange(N_DAYS) / 7)))
    return weekly.astype(float), daily.astype(float)


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def r_time(
    y: np.ndarray, what: str, lo: int, hi: int, tmp: Path
) -> tuple[float, np.ndarray] | None:
    if shutil.which("Rscript") is None:
        return None
    src, out, script = tmp / f"{what}.csv", tmp / f"{what}_r.csv", tmp / "bench.R"
    np.savetxt(src, y.T, delimiter=",", fmt="%d")
    script.write_text(R_SCRIPT)
    done = subprocess.run(
        ["Rscript", str(script), str(src), what, str(lo), str(hi), str(out)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(f"  (R not usable: {done.stderr.strip()[:200]})")
        return None
    with open(out) as fh:
        rows = [[float(v) if v else np.nan for v in r] for r in csv.reader(fh)]
    return float(done.stdout.split()[-1]), np.array(rows).T


def report(name: str, ours: float, r: tuple | None, res, goal: float) -> None:
    line = f"{name:<48} ours {ours * 1000:9.1f} ms (goal {goal * 1000:.0f} ms)"
    if r is not None:
        rt, ub = r
        agree = np.allclose(res.upperbound, ub, rtol=1e-6, equal_nan=True)
        line += f" | R {rt:8.2f} s | ratio {rt / ours:8.1f}x | agree {agree}"
    else:
        line += " | R not run (Rscript or the package missing, or R failed)"
    print(line)


def main() -> int:
    weekly, daily = data()
    prm = FlexibleParams.noufaily()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        t, res = best_of(lambda: farrington_flexible(weekly, prm, t_from=N_WEEKS))
        report(
            "Farrington-flexible, 357 series, 1 week",
            t,
            r_time(weekly, "ff", N_WEEKS, N_WEEKS, tmp),
            res,
            0.030,
        )
        lo = N_WEEKS - 51
        t, res = best_of(lambda: farrington_flexible(weekly, prm, t_from=lo), repeat=1)
        report(
            "Farrington-flexible, 357 series, 52-week back-fill",
            t,
            r_time(weekly, "ff", lo, N_WEEKS, tmp),
            res,
            1.5,
        )
        t, res = best_of(lambda: ears(daily, method="C1"))
        report(
            "EARS C1, 357 daily series x 730 days",
            t,
            r_time(daily, "ears", 8, N_DAYS, tmp),
            res,
            0.030,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
