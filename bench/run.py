"""Run every benchmark script in bench/ and print their numbers (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    failed = 0
    for script in sorted(HERE.glob("*.py")):
        if script.name in {"run.py", "common.py"} or script.name.startswith("_"):
            continue
        print(f"== {script.name}", flush=True)
        failed += subprocess.run([sys.executable, str(script), *sys.argv[1:]]).returncode != 0
    sys.exit(1 if failed else 0)
