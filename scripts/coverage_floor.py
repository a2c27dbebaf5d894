"""The coverage floor only goes up.

`python scripts/coverage_floor.py check` reads the coverage data of the last test run (`.coverage`,
written by `pytest --cov=beredskap`) and fails when the total is below the floor stored in
`scripts/coverage_floor.txt`; `raise` moves the floor up to one point below today's total (never
down), so a change that adds tested code can lock in the gain in the same commit.
"""

from __future__ import annotations

import io
import math
import sys
from pathlib import Path

import coverage

FLOOR = Path(__file__).resolve().parent / "coverage_floor.txt"
MARGIN = 1.0  # room for the run-to-run noise of randomly ordered, sampled tests


def total() -> float:
    cov = coverage.Coverage()
    cov.load()
    return cov.report(file=io.StringIO())


def floor() -> float:
    return float(FLOOR.read_text(encoding="utf-8").strip())


def check() -> int:
    now, low = total(), floor()
    if now < low:
        print(f"coverage {now:.1f} % is below the floor {low:.1f} % ({FLOOR.name})")
        return 1
    hint = " (python scripts/coverage_floor.py raise)" if now - MARGIN >= low + 1 else ""
    print(f"coverage {now:.1f} %, floor {low:.1f} %{hint}")
    return 0


def raise_floor() -> int:
    now, low = total(), floor()
    new = math.floor(now - MARGIN)
    if new > low:
        FLOOR.write_text(f"{new}\n", encoding="utf-8")
        print(f"floor raised from {low:.0f} % to {new} % (coverage {now:.1f} %)")
    else:
        print(f"floor stays at {low:.0f} % (coverage {now:.1f} %)")
    return 0


if __name__ == "__main__":
    commands = {"check": check, "raise": raise_floor}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit("usage: coverage_floor.py check|raise")
    sys.exit(commands[sys.argv[1]]())
