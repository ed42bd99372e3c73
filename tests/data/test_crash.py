"""Killing the program at random moments of a start never costs the office its data.

Each trial starts the real start sequence in a process of its own and kills it (SIGKILL, like a
power cut or the Task Manager's End task) at a random moment of its first start or of an upgrade
from the oldest schema; then a start in this process must succeed with every row intact. Half of
the upgrade trials aim at the schema change itself (from Alembic's first step to the end), where
an older version left databases that no later start could open.
The seed is printed on failure; DESK_LEAGUE_CRASH_SEED repeats a run.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk_league.data import migrate
from desk_league.data.integrity import find_problems
from desk_league.services.startup import open_office_database
from tests.data._schema import at_revision, revision_of, table_counts

TRIALS = 20

_START = """
import logging, sys, time
from pathlib import Path
from desk_league.services.startup import open_office_database

class Steps(logging.Handler):  # says when the schema change on the file begins
    def emit(self, record):
        if record.getMessage().startswith("Running upgrade 0001 -> "):
            print("migrating", flush=True)

logging.getLogger("alembic.runtime.migration").addHandler(Steps())
logging.getLogger("alembic.runtime.migration").setLevel(logging.INFO)
path = Path(sys.argv[1])
print("ready", flush=True)
began = time.perf_counter()
db = open_office_database(path)
print(f"done {time.perf_counter() - began:.3f}", flush=True)
db.close()
"""

pytestmark = pytest.mark.slow


def _start(path: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", _START, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def _durations(make_path) -> tuple[float, float]:
    """How long the start takes once its modules are loaded, and its schema change: the
    quickest of three starts, so that a slow first one (cold disk, a busy machine) does not aim
    the kills past the end."""
    return min(_duration(make_path(run)) for run in range(3))


def _duration(path: Path) -> tuple[float, float]:
    process = _start(path)
    began, migrating = time.perf_counter(), None
    for line in process.stdout:
        if line.startswith("migrating"):
            migrating = time.perf_counter()
        if line.startswith("done"):
            finished = time.perf_counter()
    process.wait()
    return finished - began, finished - (migrating or began)


def _kill_at_random(path: Path, within: float, rng: random.Random, after: str = "") -> bool:
    """Start, kill at a random moment (after the line ``after``, if given); True when the start
    had not finished yet."""
    process = _start(path)
    if after:
        while not process.stdout.readline().startswith(after):
            pass
    time.sleep(rng.uniform(0, within))
    process.kill()
    rest = process.stdout.read()
    process.wait()
    return "done" not in rest


def _seed() -> int:
    return int(os.environ.get("DESK_LEAGUE_CRASH_SEED") or time.time())


def _start_again_and_compare(path: Path, expected: dict[str, int] | None, note: str) -> None:
    db = open_office_database(path)
    db.close()
    assert revision_of(path) == migrate.head_revision(), note
    assert find_problems(path) == [], note
    counts = table_counts(path)
    if expected is None:  # a first start: only the reference data
        assert counts["key_date"] == 8 and counts["organisation"] == 0, note
    else:  # every row kept; an upgrade may fill tables newer than the old schema
        assert {table: counts[table] for table in expected} == expected, note


def test_a_first_start_killed_at_any_moment_starts_cleanly_next_time(tmp_path):
    seed = _seed()
    rng = random.Random(seed)
    within = _durations(lambda run: tmp_path / f"measure{run}.db")[0] * 1.2
    cut_short = 0
    for trial in range(TRIALS):
        path = tmp_path / f"office{trial}.db"
        if _kill_at_random(path, within, rng):
            cut_short += 1
        else:  # the machine got quicker: aim earlier
            within *= 0.8
        _start_again_and_compare(path, None, f"seed {seed}, trial {trial}")
    assert cut_short >= TRIALS // 2, f"seed {seed}: most kills came after the start had finished"


def test_an_upgrade_from_the_oldest_schema_killed_at_any_moment_keeps_every_row(
    _demo_file, tmp_path
):
    seed = _seed()
    rng = random.Random(seed)
    oldest = at_revision(_demo_file, tmp_path / "oldest.db")
    expected = table_counts(oldest)
    whole, schema = _durations(lambda run: at_revision(_demo_file, tmp_path / f"measure{run}.db"))
    whole, schema = whole * 1.2, schema * 1.2
    cut_short = 0
    for trial in range(TRIALS):
        folder = tmp_path / f"trial{trial}"
        folder.mkdir()
        path = folder / "office.db"
        path.write_bytes(oldest.read_bytes())
        if trial % 2:
            finished = not _kill_at_random(path, schema, rng, after="migrating")
            schema *= 0.8 if finished else 1
        else:
            finished = not _kill_at_random(path, whole, rng)
            whole *= 0.8 if finished else 1
        cut_short += not finished
        _start_again_and_compare(path, expected, f"seed {seed}, trial {trial}")
    assert cut_short >= TRIALS // 2, f"seed {seed}: most kills came after the upgrade had finished"
