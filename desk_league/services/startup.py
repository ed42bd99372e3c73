"""Opening the office database for the app: the safe start, first-run data, and the checks that
run once the window shows.

The window appears at once; ``open_office_database`` runs on a worker (diagnosis, lock, upgrade
if needed, reference or demo data). Then ``check_and_back_up`` runs in the background while the
clerk already works: the quick check, and the start backup unless nothing changed since the
last one. When something is wrong, ``newest_sound_backup`` and ``replace_damaged_with_backup``
or ``start_afresh`` carry out what the clerk chose; none of them deletes a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desk_league.data.backup import backup_infos
from desk_league.data.db import Database, open_database
from desk_league.data.integrity import find_problems
from desk_league.data.storage import SqliteStorage
from desk_league.errors import DeskLeagueError
from desk_league.services.progress import NO_PROGRESS, Progress
from desk_league.services.reference import seed_reference_data


def open_office_database(
    path: Path, url: str | None = None, *, demo_if_new: bool = False
) -> Database:
    """Open the database (see ``open_database``), then add first-run data. The start check and
    backup are left to ``check_and_back_up``, so the data is on screen first."""
    db = open_database(path, url=url, backup=False)
    try:
        with db.transaction() as session:
            if db.storage.created and demo_if_new:
                from desk_league.services.demo import build_demo  # only for a demo

                build_demo(session)
            else:
                seed_reference_data(session)
    except BaseException:
        db.close()
        raise
    return db


@dataclass(frozen=True)
class StartCheck:
    problems: list[str]  # what the quick check found; [] when sound
    backup: Path | None = None  # the start backup written; None when the data had not changed
    sound_backup: Path | None = None  # with problems: the newest backup that passes the check


def check_and_back_up(db: Database, progress: Progress = NO_PROGRESS) -> StartCheck:
    """The quick check, then the start backup unless unchanged. A damaged file is not copied:
    its copy would push a good backup out of the folder."""

    def stop() -> bool:
        return progress.cancelled

    problems = db.storage.find_problems(cancelled=stop)
    if problems:
        return StartCheck(problems, sound_backup=newest_sound_backup(db.path) if db.path else None)
    return StartCheck([], db.storage.back_up_if_changed(cancelled=stop))


def newest_sound_backup(path: Path) -> Path | None:
    """The newest automatic backup that passes the quick check itself."""
    for info in backup_infos(path):
        try:
            if not find_problems(info.path):
                return info.path
        except DeskLeagueError:
            continue
    return None


def replace_damaged_with_backup(path: Path, backup: Path) -> None:
    """Keep the damaged file (with its -wal and -shm) as ``.damaged`` and restore ``backup``."""
    SqliteStorage(path).restore(backup, damaged=True)


def start_afresh(path: Path) -> Path:
    """Keep the unusable file as ``.empty`` so the next opening makes a new database."""
    return SqliteStorage(path).set_aside("empty")
