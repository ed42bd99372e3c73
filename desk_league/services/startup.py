"""Opening the office database for the app: the safe start, then reference or demo data."""

from __future__ import annotations

from pathlib import Path

from desk_league.data.backup import list_backups, restore_backup
from desk_league.data.db import Database, open_database
from desk_league.errors import DeskLeagueError
from desk_league.services.demo import build_demo
from desk_league.services.reference import seed_reference_data


def open_office_database(
    path: Path, url: str | None = None, *, demo_if_new: bool = False
) -> Database:
    """Integrity check, lock, backup, migrations (see ``open_database``), then first-run data."""
    is_new = url is None and not (path.exists() and path.stat().st_size > 0)
    db = open_database(path, url=url)
    try:
        with db.transaction() as session:
            if is_new and demo_if_new:
                build_demo(session)
            else:
                seed_reference_data(session)
    except BaseException:
        db.close()
        raise
    return db


def newest_backup(path: Path) -> Path | None:
    backups = list_backups(path)
    return backups[0] if backups else None


def replace_damaged_with_backup(path: Path, backup: Path) -> Path:
    """Put the damaged file aside (never deleted) and restore ``backup`` in its place."""
    damaged_copy = path.with_name(path.name + ".damaged")
    n = 1
    while damaged_copy.exists():
        damaged_copy = path.with_name(f"{path.name}.damaged{n}")
        n += 1
    try:
        path.replace(damaged_copy)
    except OSError as exc:
        raise DeskLeagueError(f"无法移开损坏的数据库文件 {path}：{exc}") from exc
    restore_backup(backup, path)
    return damaged_copy
