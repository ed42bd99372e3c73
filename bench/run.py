"""Run every benchmark script in bench/ and print their numbers (``make bench``).

    python bench/run.py [--scale 50] [--scale 200] [--runs 5]

The options go to the scripts that measure whole ``desk-league`` processes against their
floors (P1–P5); the others (plan, activities, overview) run as they are.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WHOLE_PROCESSES = {"startup_and_lists.py", "volunteers.py", "certificates.py"}

if __name__ == "__main__":
    failed = 0
    for script in sorted(HERE.glob("*.py")):
        if script.name in {"run.py", "common.py"} or script.name.startswith("_"):
            continue
        options = sys.argv[1:] if script.name in WHOLE_PROCESSES else []
        print(f"== {script.name}", flush=True)
        failed += subprocess.run([sys.executable, str(script), *options]).returncode != 0
    sys.exit(1 if failed else 0)
