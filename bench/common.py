"""What the benchmarks share: the scale-50 demo database, built once and cached."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CACHE = Path(tempfile.gettempdir()) / "desk_league_bench"


def scale50_database() -> Path:
    """A scale-50 demo (≈10,000 volunteers, 100,000 service records), built on first use."""
    path = CACHE / "scale50.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"building the scale-50 demo database at {path} …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "desk_league.cli", "demo", "--scale", "50", "--db", str(path)],
            check=True,
        )
    return path


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "OVER TARGET"
