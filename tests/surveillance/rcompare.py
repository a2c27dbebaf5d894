"""Run R's ``surveillance`` and ``beredskap surveillance detect`` on the same CSV and compare."""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from beredskap.surveillance.cli import main as detect

HERE = Path(__file__).parent / "r"
REL_TOL = 1e-6


@cache
def r_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    done = subprocess.run(
        ["Rscript", "-e", "suppressMessages(library(surveillance))"], capture_output=True
    )
    return done.returncode == 0


def need_r() -> None:
    if not r_available():
        pytest.skip("Rscript with the R package surveillance is not installed")


def rscript(*args: str) -> None:
    done = subprocess.run(["Rscript", *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def export_dataset(name: str, path: Path) -> Path:
    rscript(str(HERE / "export.R"), name, str(path))
    return path


def _read(path: Path) -> dict[tuple[str, int], dict[str, str]]:
    with open(path, newline="") as fh:
        return {(r["series"], int(r["t"])): r for r in csv.DictReader(fh)}


def _num(text: str) -> float:
    return math.nan if text in ("", "NA") else float(text)


def run_both(src: Path, tmp: Path, r_method: str, r_ctl: list[str], cli: list[str], t0, t1):
    """Paths of R's and our output for rows t0..t1 of every series."""
    r_out, py_out = tmp / "r.csv", tmp / "py.csv"
    rscript(str(HERE / "oracle.R"), r_method, str(src), str(r_out), str(t0), str(t1), *r_ctl)
    args = ["detect", "--input", str(src), "--output", str(py_out), "--from", str(t0)]
    assert detect([*args, "--to", str(t1), *cli]) == 0
    return _read(r_out), _read(py_out)


def compare(r_rows, py_rows, fields=("upperbound", "expected")) -> dict[str, int]:
    """Assert equal NA patterns, equal alarms and relative error <= 1e-6; return counts."""
    assert set(r_rows) == set(py_rows)
    stats = {"rows": 0, "alarms": 0, "na": 0}
    for key, r in r_rows.items():
        p = py_rows[key]
        assert r["alarm"] == p["alarm"], (key, r, p)
        for f in fields:
            a, b = _num(r[f]), _num(p[f])
            assert math.isnan(a) == math.isnan(b), (key, f, r, p)
            if not math.isnan(a):
                assert abs(a - b) <= REL_TOL * max(abs(a), 1e-300) or a == b, (key, f, a, b)
            stats["na"] += math.isnan(a)
        stats["rows"] += 1
        stats["alarms"] += r["alarm"] == "1"
    return stats
