"""Backups through SQLite's online backup API, kept in a rotating folder beside the database."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

from desk_league.data.paths import backups_dir
from desk_league.errors import DeskLeagueError

KEEP_RECENT = 10  # every backup among the newest ten is kept …
KEEP_DAYS = 60  # … and beyond those, the newest one of each day for sixty days


def backup_database(db_path: Path, dest: Path | None = None, *, reason: str = "auto") -> Path:
    """Copy a live database consistently (WAL included) to ``dest`` or the backups folder."""
    if dest is None:
        folder = backups_dir(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        dest = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        source = sqlite3.connect(f"file:{db_path.as_posix()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        tmp.replace(dest)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise DeskLeagueError(f"备份失败（{dest}）：{exc}") from exc
    if dest.parent == backups_dir(db_path):
        rotate_backups(dest.parent)
    return dest


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    folder = backups_dir(db_path)
    if not folder.exists():
        return []
    return sorted(
        folder.glob(f"{db_path.stem}-*.db"), key=lambda p: p.stat().st_mtime, reverse=True
    )


def rotate_backups(folder: Path, *, now: datetime | None = None) -> None:
    """Starting the app several times a day must not push last month's backups out."""
    now = now or datetime.now()
    backups = sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    days_kept: set[date] = set()
    for backup in backups[KEEP_RECENT:]:
        taken = datetime.fromtimestamp(backup.stat().st_mtime)
        if (now - taken).days < KEEP_DAYS and taken.date() not in days_kept:
            days_kept.add(taken.date())
            continue
        backup.unlink(missing_ok=True)


def restore_backup(backup: Path, db_path: Path) -> Path:
    """Replace the database with a backup; the current file is backed up first, never lost."""
    if db_path.exists():
        backup_database(db_path, reason="before-restore")
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    tmp = db_path.with_name(db_path.name + ".restoring")
    shutil.copy2(backup, tmp)
    tmp.replace(db_path)
    return db_path
