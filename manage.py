#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (same as `beredskap`)."""

import sys

from beredskap.cli import main

if __name__ == "__main__":
    sys.exit(main())
