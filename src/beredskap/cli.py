"""The `beredskap` console command: wraps manage.py and adds `simulate` and `surveillance`.

`beredskap demo` loads reference and demo data and prints the demo logins;
`beredskap loadreference` reloads the shipped reference data idempotently;
`beredskap simulate …` runs the simulation engine without Django;
`beredskap surveillance detect …` runs outbreak detection on a CSV file without Django.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "simulate":
        from beredskap.sim.cli import main as simulate

        return simulate(args[1:])
    if args and args[0] == "surveillance":
        from beredskap.surveillance.cli import main as surveillance

        return surveillance(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredskap.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["beredskap", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
