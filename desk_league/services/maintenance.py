"""Keeping the office's data safe from the menu: backup, restore, integrity check.

A backup the clerk takes away (文件 → 备份数据库…, ``desk-league backup --to``) is a ``.zip``
holding the database and every attachment, because the activity photos live beside the
database, not in it. Restoring one puts the database back (the current one is backed up first)
and adds the photos that are missing; it never deletes or overwrites a file.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from desk_league.data import migrate
from desk_league.data.backup import backup_database, list_backups, restore_backup
from desk_league.data.db import Database
from desk_league.data.integrity import quick_check
from desk_league.data.paths import attachments_dir
from desk_league.errors import DatabaseDamaged, DeskLeagueError
from desk_league.exports.files import atomic_output
from desk_league.services.progress import NO_PROGRESS, Progress

FULL_BACKUP_SUFFIX = ".zip"
_DATABASE_IN_ZIP = "desk_league.db"
_ATTACHMENTS_IN_ZIP = "attachments"
_ALREADY_COMPRESSED = {
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".zip",
    ".docx",
    ".xlsx",
    ".pdf",
    ".mp4",
}


def _require_file(db: Database) -> Path:
    if db.path is None:
        raise DeskLeagueError("服务器数据库请由管理员在服务器上备份。")
    return db.path


def backup_now(db: Database, dest: Path | None = None, progress: Progress = NO_PROGRESS) -> Path:
    return backup_to_file(_require_file(db), dest, progress)


def backup_to_file(
    db_path: Path, dest: Path | None = None, progress: Progress = NO_PROGRESS
) -> Path:
    """``dest`` ending in .zip: the database and its attachments; other names: the database
    alone; none: the database into the automatic backups folder."""
    if dest is None or dest.suffix.lower() != FULL_BACKUP_SUFFIX:
        return backup_database(db_path, dest, reason="manual")
    dest.parent.mkdir(parents=True, exist_ok=True)
    folder = attachments_dir(db_path)
    files = sorted(f for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else []
    with atomic_output(dest) as part, tempfile.TemporaryDirectory() as tmp:
        snapshot = backup_database(db_path, Path(tmp) / _DATABASE_IN_ZIP, reason="manual")
        with zipfile.ZipFile(part, "w") as archive:
            archive.write(snapshot, _DATABASE_IN_ZIP, compress_type=zipfile.ZIP_DEFLATED)
            for done, file in enumerate(files):
                progress.step(done, len(files), file.name)
                packed = (
                    zipfile.ZIP_STORED
                    if file.suffix.lower() in _ALREADY_COMPRESSED
                    else zipfile.ZIP_DEFLATED
                )
                name = PurePosixPath(_ATTACHMENTS_IN_ZIP, *file.relative_to(folder).parts)
                archive.write(file, str(name), compress_type=packed)
    return dest


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


def restore_from_file(db: Database, file: Path, progress: Progress = NO_PROGRESS) -> int:
    """Restore a backup the clerk chose (.zip or .db); returns how many attachments came back.

    The backup is copied out and checked before anything changes: it must open, hold a database
    that passes the integrity check, and not come from a newer program. The chosen file itself
    is only read.
    """
    path = _require_file(db)
    if not file.is_file():
        raise DeskLeagueError(f"找不到备份文件：{file}")
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        candidate = Path(tmp) / _DATABASE_IN_ZIP
        if file.suffix.lower() != FULL_BACKUP_SUFFIX:
            shutil.copy2(file, candidate)
            _check_restorable(candidate, file)
            restore_from(db, candidate)
            return 0
        with _open_full_backup(file) as archive:
            try:
                with archive.open(_DATABASE_IN_ZIP) as packed, candidate.open("wb") as out:
                    shutil.copyfileobj(packed, out)
            except (zipfile.BadZipFile, OSError) as exc:
                raise DeskLeagueError(
                    f"无法从 {file.name} 中取出数据库：{exc}。当前数据未被改动。"
                ) from exc
            _check_restorable(candidate, file)
            restore_from(db, candidate)
            return _add_missing_attachments(archive, attachments_dir(path), progress)


def _open_full_backup(file: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DeskLeagueError(
            f"{file.name} 无法作为备份打开（不是完整的 zip 文件：{exc}）。当前数据未被改动。"
        ) from exc
    if _DATABASE_IN_ZIP not in archive.namelist():
        archive.close()
        raise DeskLeagueError(
            f"{file.name} 里没有 {_DATABASE_IN_ZIP}，不是团委工作台的完整备份。当前数据未被改动。"
        )
    return archive


def _check_restorable(candidate: Path, chosen: Path) -> None:
    """Refuse, before anything changes, what is not a sound database of this program."""
    untouched = "当前数据未被改动。"
    try:
        quick_check(candidate)
        with contextlib.closing(sqlite3.connect(candidate)) as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except (DatabaseDamaged, sqlite3.Error):
        raise DeskLeagueError(
            f"备份文件 {chosen.name} 中的数据库已损坏或不是团委工作台的数据库。{untouched}"
        ) from None
    if revision is None:
        raise DeskLeagueError(
            f"{chosen.name} 不是团委工作台的数据库（没有数据结构版本）。{untouched}"
        )
    migrate.refuse_newer(revision[0])


def _add_missing_attachments(archive: zipfile.ZipFile, folder: Path, progress: Progress) -> int:
    """Write the backup's attachments that are not on disk; never outside ``folder``."""
    members = [
        m
        for m in archive.infolist()
        if not m.is_dir() and PurePosixPath(m.filename).parts[:1] == (_ATTACHMENTS_IN_ZIP,)
    ]
    root = folder.resolve()
    added = 0
    for done, member in enumerate(members):
        progress.step(done, len(members), member.filename)
        target = (root / PurePosixPath(member.filename).relative_to(_ATTACHMENTS_IN_ZIP)).resolve()
        if not target.is_relative_to(root) or target.exists():
            continue  # a name that climbs out of the folder, or a file the office already has
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as packed, atomic_output(target) as part, part.open("wb") as out:
            shutil.copyfileobj(packed, out)
        added += 1
    return added


def check_integrity(db: Database) -> str:
    path = _require_file(db)
    quick_check(path)
    return f"数据库 {path} 完整性检查通过；数据结构版本 {migrate.current_revision(db.engine)}。"
