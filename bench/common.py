"""What the benchmarks share: the demo databases, whole processes timed, floors alternated.

- ``bench_database(scale)``: a demo database of that scale (50 ≈ 10,000 volunteers and 100,000
  service records), built once with the real ``desk-league demo`` and cached under the temp
  folder, named after a hash of the demo generator and the migrations, so a change to either
  builds it again. Only its copies are ever opened by a benchmark that writes.
- ``timed_process(cmd)``: a whole process, from before it is started until it has exited.
- ``alternate(app, floor)``: A B A B … at least five times each, so a busy machine (two cores
  shared with other work) slows both sides alike; ``Ratio`` gives min and median of each and of
  their ratio.
- ``desk_league(...)``: the command line of the real console script of this checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PROBE = BENCH / "_probe"
CACHE = Path(tempfile.gettempdir()) / "desk_league_bench"
RUNS = 5  # each side, at the least


def desk_league(*args: str) -> list[str]:
    """The real console script (the one ``pip install`` made) with ``args``."""
    script = Path(sys.executable).with_name("desk-league")
    if not script.exists():  # Windows: desk-league.exe
        script = script.with_suffix(".exe")
    return [str(script), *args]


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def _generator_hash() -> str:
    digest = hashlib.sha256()
    digest.update((ROOT / "desk_league" / "services" / "demo.py").read_bytes())
    for migration in sorted(
        (ROOT / "desk_league" / "data" / "migrations" / "versions").glob("*.py")
    ):
        digest.update(migration.name.encode())
    return digest.hexdigest()[:10]


def bench_database(scale: int = 50) -> Path:
    """The scale-``scale`` demo database, built with ``desk-league demo`` on first use."""
    path = CACHE / f"scale{scale}-{_generator_hash()}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.stem + "-building.db")
        for leftover in CACHE.glob(part.name + "*"):
            leftover.unlink()
        print(f"building the scale-{scale} demo database at {path} …", flush=True)
        start = time.perf_counter()
        subprocess.run(desk_league("demo", "--scale", str(scale), "--db", str(part)), check=True)
        shutil.move(part, path)
        part.with_name(part.name + ".lock").unlink(missing_ok=True)
        print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    return path


def fresh_copy(database: Path, folder: Path, name: str = "office.db") -> Path:
    """A copy to open (a start backs up and may write; the cached one stays as built)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(database, target)
    return target


def quiet_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured process: offscreen, its own settings and data folders, so
    one run's window geometry or log never changes the next; bytecode written and used."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    # an installed program runs from its bytecode: a shell that forbids writing it would have
    # every measured start compile the whole program from source again
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("DESK_LEAGUE_PROBE", None)
    if "PYTHONPATH" in extra and env.get("PYTHONPATH"):  # the probe, before what was there
        extra = {**extra, "PYTHONPATH": os.pathsep.join([extra["PYTHONPATH"], env["PYTHONPATH"]])}
    env.update(extra)
    return env


def compile_program() -> None:
    """Write the bytecode of the program under test, as its installation has it."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(python("-m", "compileall", "-q", str(ROOT / "desk_league")), env=env, check=True)


def timed_process(cmd: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds from starting ``cmd`` until it has exited; raises if it failed."""
    start = time.perf_counter()
    done = subprocess.run(list(cmd), env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def probed_process(cmd: Sequence[str], env: dict[str, str]) -> dict:
    """Run ``cmd`` (a window with the probe) and return its ``PROBE`` line's times, made relative
    to the moment the process was started (seconds)."""
    start = time.time()
    done = subprocess.run(list(cmd), env=env, capture_output=True, text=True, timeout=900)
    lines = [line for line in done.stdout.splitlines() if line.startswith("PROBE ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(cmd)} ({done.returncode}):\n{done.stderr[-3000:]}")
    found = json.loads(lines[-1][len("PROBE ") :])
    for key in ("python", "window_made", "shown", "attached", "data", "settled"):
        if key in found:
            found[key] -= start
    return found


@dataclass
class Ratio:
    """Two sides measured alternately: seconds (or any unit) of the app and of its floor."""

    app: list[float]
    floor: list[float]

    @property
    def ratios(self) -> list[float]:
        return [a / f for a, f in zip(self.app, self.floor, strict=True)]

    def line(self, name: str, target: float | None = None, unit: str = "s") -> str:
        def mm(values: list[float]) -> str:
            scale, fmt = (1000, "{:.0f}") if unit == "ms" else (1, "{:.2f}")
            low, mid = min(values) * scale, statistics.median(values) * scale
            return f"{fmt.format(low)} / {fmt.format(mid)} {unit}"

        low, mid = min(self.ratios), statistics.median(self.ratios)
        text = (
            f"{name}: app {mm(self.app)}, floor {mm(self.floor)} (min / median); "
            f"ratio {low:.2f}x / {mid:.2f}x"
        )
        if target is not None:
            text += f" (target <= {target}x) {verdict(mid, target)}"
        return text


def alternate(
    app: Callable[[], T], floor: Callable[[], U], runs: int = RUNS, warm_up: bool = True
) -> tuple[list[T], list[U]]:
    """A B A B …: ``runs`` results of each (at least five), interleaved, after one unmeasured
    warm-up of each so the first does not pay alone for a cold disk cache."""
    if warm_up:
        app()
        floor()
    apps: list[T] = []
    floors: list[U] = []
    for _ in range(max(runs, RUNS)):
        apps.append(app())
        floors.append(floor())
    return apps, floors


def median_min(values: Sequence[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    return f"{min(values) * scale:.0f} / {statistics.median(values) * scale:.0f} {unit}"


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "OVER TARGET"


def load_average() -> str:
    try:
        return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:  # Windows
        return ""


def arguments(
    description: str,
    scales: Sequence[int] = (50,),
    p2_scale: int = 500,
    parts: Sequence[str] = (),
):
    """``--scale N`` (repeatable: each is measured, and the growth from 50 printed),
    ``--runs N`` and ``--p2-scale N``, shared by the scripts; with ``parts`` (the figures a
    script measures), ``--only PART`` (repeatable) measures those alone."""
    import argparse

    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, action="append", help="demo scale (repeatable)")
    parser.add_argument("--runs", type=int, default=RUNS, help="measurements of each side")
    parser.add_argument("--p2-scale", type=int, default=p2_scale, help="scale of the P2 lists")
    if parts:
        parser.add_argument(
            "--only", action="append", choices=parts, help="measure only this part (repeatable)"
        )
    args = parser.parse_args()
    args.only = set(getattr(args, "only", None) or parts)
    args.scale = sorted(set(args.scale or scales))
    return args
