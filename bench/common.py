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
    """A scale-50 demo (≈10,000 volunteers, 100,000 service records), built on first use; one
    per schema version (a copy another branch's program built may be newer than this one).
    Built aside and moved into place whole, so an interrupted build is never taken for one."""
    from desk_league.data.migrate import head_revision

    path = CACHE / f"scale50-{head_revision()}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"building the scale-50 demo database at {path} …", flush=True)
        building = path.with_name(path.stem + ".building.db")
        for leftover in CACHE.glob(building.name + "*"):
            leftover.unlink()
        subprocess.run(
            [sys.executable, "-m", "desk_league.cli", "demo", "--scale", "50"]
            + ["--db", str(building)],
            check=True,
        )
        building.replace(path)
        building.with_name(building.name + ".lock").unlink(missing_ok=True)
    return path


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "OVER TARGET"
