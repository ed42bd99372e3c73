"""Keeping the office's data safe from the menu: backup, restore, integrity check.

A backup the clerk takes away (文件 → 备份数据库…, ``desk-league backup --to``) is a ``.zip``
holding the database and every attachment, because the activity photos live beside the
database, not in it. Restoring one puts the database back (the current one is backed up first)
and adds the photos that are missing; it never deletes or overwrites a file, and says how many
photos it could not bring back. Temporary copies go to the database's own tmp area
(``paths.work_dir``), which the next start empties.

A server database (PostgreSQL) is backed up as a logical copy — every table, in one snapshot,
into an SQLite file, inside the .zip or as the .db — with pg_dump's own dump beside it in the
.zip when pg_dump is on PATH. Such a backup restores onto the server (every row replaced in one
transaction, only while no other PC has the database open) and onto an SQLite file alike, so
it also moves an office from one PC to a server. A server database keeps no photos.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from desk_league.data import migrate
from desk_league.data.backup import BackupInfo, backup_database
from desk_league.data.db import Database
from desk_league.data.integrity import find_problems
from desk_league.data.paths import attachments_dir
from desk_league.data.sqlite_files import work_area
from desk_league.errors import DatabaseDamaged, DeskLeagueError
from desk_league.exports.files import atomic_output
from desk_league.services.progress import NO_PROGRESS, Progress

log = logging.getLogger(__name__)

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

# Why an automatic backup was taken, as the restore list says it (codes from data/backup.py).
BACKUP_REASONS = {
    "start": "启动时",
    "manual": "手动",
    "before-import": "导入前",
    "before-restore": "恢复前",
    "before-demo": "生成演示数据前",
    "before-upgrade": "升级前",
}


def backup_now(db: Database, dest: Path | None = None, progress: Progress = NO_PROGRESS) -> Path:
    """A backup to keep (see ``backup_to_file``); of a server database, a logical copy."""
    if db.path is None:
        return db.storage.back_up(dest, reason="manual", cancelled=lambda: progress.cancelled)
    return backup_to_file(db.path, dest, progress)


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
    with atomic_output(dest) as part, work_area(db_path) as tmp:
        snapshot = backup_database(db_path, tmp / _DATABASE_IN_ZIP, reason="manual")
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
    """The automatic backup taken before an import or restore (of a server database: a
    logical copy kept on this PC)."""
    return db.storage.back_up(reason=f"before-{what}")


def available_backups(db: Database) -> list[BackupInfo]:
    """The automatic backups, newest first."""
    return db.storage.backups()


def describe_backup(info: BackupInfo) -> str:
    """One line of the restore list: 2026-11-30 08:12　启动时　35.2 MB."""
    reason = BACKUP_REASONS.get(info.reason, info.reason or "其他")
    return f"{info.taken_at:%Y-%m-%d %H:%M}　{reason}　{human_size(info.size)}"


def backups_summary(db: Database) -> str:
    """How much room the automatic backups take: 自动备份 12 份，共 420 MB."""
    backups = db.storage.backups()
    where = "" if db.path else "本机保存的服务器数据库"
    if not backups:
        return f"还没有{where}自动备份"
    return f"{where}自动备份 {len(backups)} 份，共 {human_size(sum(b.size for b in backups))}"


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:.1f} GB"


def restore_from(db: Database, backup: Path, *, damaged: bool = False) -> None:
    """Replace the open database with ``backup``: the current data is backed up first, or, when
    ``damaged``, kept as it is under another name. The schema is then brought up to date."""
    db.engine.dispose()  # no connection may hold the file while it is replaced
    db.storage.restore(backup, damaged=damaged)
    db.storage.upgrade_schema(db.engine)


@dataclass(frozen=True)
class RestoredFiles:
    """What came back from a backup besides the database."""

    added: int = 0  # attachments the office did not have any more
    missing: list[str] = field(default_factory=list)  # in the backup but unreadable there
    not_kept: int = 0  # photos in the backup that a server database does not keep

    def describe(self) -> str:
        text = "已从备份恢复。" + (f"补回附件 {self.added} 个。" if self.added else "")
        if self.not_kept:
            text += f"\n服务器数据库不保存照片等附件：备份中的 {self.not_kept} 个附件未恢复。"
        if self.missing:
            text += (
                f"\n有 {len(self.missing)} 个附件（照片等）在备份文件中已损坏，未能恢复："
                + "、".join(self.missing[:5])
                + ("等" if len(self.missing) > 5 else "")
                + "。"
            )
        return text


def restore_from_file(db: Database, file: Path, progress: Progress = NO_PROGRESS) -> RestoredFiles:
    """Restore a backup the clerk chose (.zip or .db); says which attachments came back.

    The backup is copied out and checked before anything changes: it must open, hold a database
    that passes the integrity check, and not come from a newer program. The chosen file itself
    is only read. A server database gets the rows (it keeps no photos: the zip's are counted
    as not restored).
    """
    path = db.path or db.storage.place
    if not file.is_file():
        raise DeskLeagueError(f"找不到备份文件：{file}")
    with work_area(path) as tmp:
        candidate = tmp / _DATABASE_IN_ZIP
        if file.suffix.lower() != FULL_BACKUP_SUFFIX:
            shutil.copyfile(file, candidate)
            _check_restorable(candidate, file)
            restore_from(db, candidate)
            return RestoredFiles()
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
            if db.path is None:
                return RestoredFiles(not_kept=len(_photos_in(archive)))
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
        if find_problems(candidate):
            raise DatabaseDamaged(str(chosen))
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


def _add_missing_attachments(
    archive: zipfile.ZipFile, folder: Path, progress: Progress
) -> RestoredFiles:
    """Write the backup's attachments that are not on disk; never outside ``folder``.

    An attachment the archive cannot give back whole (a damaged or cut-off zip) is counted as
    missing, and the others are still restored.
    """
    members = [
        m
        for m in archive.infolist()
        if not m.is_dir() and PurePosixPath(m.filename).parts[:1] == (_ATTACHMENTS_IN_ZIP,)
    ]
    root = folder.resolve()
    added, missing = 0, []
    for done, member in enumerate(members):
        progress.step(done, len(members), member.filename)
        target = (root / PurePosixPath(member.filename).relative_to(_ATTACHMENTS_IN_ZIP)).resolve()
        if not target.is_relative_to(root):
            continue  # a name that climbs out of the folder is never written
        if target.exists():
            continue  # a file the office already has
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with (
                archive.open(member) as packed,
                atomic_output(target) as part,
                part.open("wb") as out,
            ):
                shutil.copyfileobj(packed, out)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            log.warning("attachment %s not restored: %s", member.filename, exc)
            missing.append(PurePosixPath(member.filename).name)
            continue
        added += 1
    return RestoredFiles(added, missing)


def check_database(db: Database, progress: Progress = NO_PROGRESS) -> str:
    """The full check (工具 → 数据库完整性检查): what it found, in a sentence or a list.

    Raises DatabaseDamaged when it finds problems, so the message shows as a warning.
    """
    if db.path is None:
        return _check_server(db, progress)
    problems = db.storage.find_problems(full=True, cancelled=lambda: progress.cancelled)
    revision = migrate.current_revision(db.engine)
    if problems:
        raise DatabaseDamaged(
            f"数据库 {db.path} 完整性检查发现 {len(problems)} 处问题：\n"
            + "\n".join(problems[:10])
            + "\n\n请用“从备份恢复…”恢复最近的正常备份，或把数据库文件交给技术人员检查。"
        )
    return (
        f"数据库 {db.path} 完整性检查通过（逐页、逐条记录、每个索引与表一致、"
        f"每条引用都指向存在的记录）；数据结构版本 {revision}。"
    )


def _photos_in(archive: zipfile.ZipFile) -> list[str]:
    return [
        PurePosixPath(m.filename).name
        for m in archive.infolist()
        if not m.is_dir() and PurePosixPath(m.filename).parts[:1] == (_ATTACHMENTS_IN_ZIP,)
    ]


def _check_server(db: Database, progress: Progress) -> str:
    """A server database: what this program can check (the connection, every table and column
    it needs, every row of every table read); its pages and indexes are the server's to check."""
    problems = db.storage.find_problems(full=True, cancelled=lambda: progress.cancelled)
    if problems:
        raise DatabaseDamaged(
            f"数据库 {db.describe()} 的数据结构与本程序不一致：\n"
            + "\n".join(problems[:10])
            + "\n\n请联系管理员；数据未被改动。"
        )
    return (
        f"数据库 {db.describe()} 检查通过：连接正常，本程序需要的每张表、每一列都在，"
        f"每张表的全部记录都能读出；数据结构版本 {migrate.current_revision(db.engine)}。"
        "数据页和索引由 PostgreSQL 服务器自己维护，未在此检查（管理员可用 amcheck 检查）。"
    )
