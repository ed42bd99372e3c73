"""Keeping the office's data safe from the menu: backup, restore, integrity check."""

from __future__ import annotations

from pathlib import Path

from desk_league.data import migrate
from desk_league.data.backup import backup_database, list_backups, restore_backup
from desk_league.data.db import Database
from desk_league.data.integrity import quick_check
from desk_league.errors import DeskLeagueError


def _require_file(db: Database) -> Path:
    if db.path is None:
        raise DeskLeagueError("服务器数据库请由管理员在服务器上备份。")
    return db.path


def backup_now(db: Database, dest: Path | None = None) -> Path:
    return backup_database(_require_file(db), dest, reason="manual")


def backup_before(db: Database, what: str) -> Path | None:
    """The automatic backup taken before an import or restore (none for a server database)."""
    return backup_database(db.path, reason=f"before-{what}") if db.path else None


def available_backups(db: Database) -> list[Path]:
    return list_backups(db.path) if db.path else []


def restore_from(db: Database, backup: Path) -> None:
    """Replace the open database with ``backup``; the current data is backed up first."""
    path = _require_file(db)
    quick_check(backup)
    db.engine.dispose()  # no connection may hold the file while it is replaced
    restore_backup(backup, path)
    migrate.upgrade(db.engine)


def check_integrity(db: Database) -> str:
    path = _require_file(db)
    quick_check(path)
    return f"数据库 {path} 完整性检查通过；数据结构版本 {migrate.current_revision(db.engine)}。"
