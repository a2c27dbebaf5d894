#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (same as `beredskap`).

This checkout's own ``src`` comes first on the path, so a second working tree (a git worktree
sharing one virtual environment) runs its own code, not the code the environment was installed
from.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from beredskap.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
