#!/usr/bin/env python3
"""Build the annotated digest: `python build.py` (see README.md for the other commands).

On first use this creates `.venv/` and installs what the build needs, then runs inside it.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

if __name__ == "__main__":
    from marginalia.bootstrap import ensure_environment

    ensure_environment(sys.argv[1:])

    from marginalia.commands.cli import main_then_exit

    main_then_exit()
