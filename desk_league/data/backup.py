"""Automatic backups of the SQLite file, kept in a bounded folder beside the database.

A backup is a consistent, compacted copy made with ``VACUUM INTO`` on a read-only connection
(the app may go on writing meanwhile; the copy is one snapshot), written to a ``.part`` file
and renamed when complete, owner-only.

Which copies are kept (``thin_backups``): the newest three, and in each doubling band of age —
under a day, 1–2 days, 2–4, 4–8 … 128–256 days, older — the newest one. So there is always a
copy from about one, two, four … 256 days ago, and never more than 13 files, however often the
program starts (before: one a day for sixty days, about 70 files).

A start does not copy a database that has not changed since the start backup before it: the
file's size and modification time, taken while it was closed, are kept beside that backup
(``START_MARKER``) and compared at the next start.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desk_league.data.paths import backups_dir
from desk_league.data.sqlite_files import (
    connect_read_only,
    fsync_file,
    fsync_folder,
    private_file,
    private_folder,
    storage_error,
)
from desk_league.errors import Cancelled, DeskLeagueError, os_error_reason

KEEP_NEWEST = 3
AGE_BANDS = 10  # [0, 1) [1, 2) [2, 4) … [128, 256) [256, ∞) days
MAX_KEPT = KEEP_NEWEST + AGE_BANDS
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"-(\d{8}-\d{6}-\d{6})-([a-z][a-z-]*)\.db$")
START_REASON = "start"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str  # start, manual, before-import, before-restore, before-demo, before-upgrade …
    size: int


def backup_database(
    db_path: Path,
    dest: Path | None = None,
    *,
    reason: str = "auto",
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Copy the database consistently (its -wal included) to ``dest`` or the backups folder.

    ``cancelled`` is polled while copying; when it turns true the copy stops, leaves nothing
    behind and raises Cancelled.
    """
    automatic = dest is None
    if dest is None:
        dest = automatic_backup_path(db_path, reason)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    try:
        part.unlink(missing_ok=True)
        private_file(part)
        _vacuum_into(db_path, part, cancelled)
        fsync_file(part)
        part.replace(dest)
        fsync_folder(dest.parent)
    except (OSError, sqlite3.Error) as exc:
        part.unlink(missing_ok=True)
        raise _backup_error(exc, db_path, dest) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    if automatic:
        thin_backups(db_path)
    return dest


def automatic_backup_path(db_path: Path, reason: str) -> Path:
    """Where the next automatic backup of ``db_path`` goes: named by time and reason."""
    folder = private_folder(backups_dir(db_path))
    return folder / f"{db_path.stem}-{datetime.now().strftime(_STAMP)}-{reason}.db"


def _backup_error(exc: OSError | sqlite3.Error, source: Path, dest: Path) -> DeskLeagueError:
    """Which side failed, in the clerk's words: the database read, or the copy written."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return storage_error(exc, source) or DeskLeagueError(str(exc))
    if code == sqlite3.SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC:
        reason = f"{dest.parent} 所在的磁盘空间不足"
    elif code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        reason = "无法写入这个位置（没有写入权限或磁盘只读）"
    elif isinstance(exc, OSError):
        reason = os_error_reason(exc)
    else:
        reason = str(storage_error(exc, source) or exc)
    return DeskLeagueError(f"备份失败（{dest}）：{reason}。当前数据不受影响。")


def _vacuum_into(source: Path, target: Path, cancelled: Callable[[], bool] | None) -> None:
    with contextlib.closing(connect_read_only(source)) as conn:
        if cancelled is not None:
            conn.set_progress_handler(lambda: 1 if cancelled() else 0, 20_000)
        try:
            conn.execute("VACUUM INTO ?", (str(target),))
        except sqlite3.OperationalError:
            if cancelled is not None and cancelled():
                raise Cancelled("已取消备份。") from None
            raise


# --- the automatic folder ------------------------------------------------------------------


def backup_infos(db_path: Path) -> list[BackupInfo]:
    """The automatic backups of this database, newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    infos = []
    for path in folder.glob(f"{_glob_escape(db_path.stem)}-*.db"):
        match = _NAME.search(path.name[len(db_path.stem) :])
        try:
            stat = path.stat()
        except OSError:
            continue
        if match:
            taken, reason = datetime.strptime(match[1], _STAMP), match[2]
        else:  # a file copied in by hand: its time is its modification time
            taken, reason = datetime.fromtimestamp(stat.st_mtime), ""
        infos.append(BackupInfo(path, taken, reason, stat.st_size))
    return sorted(infos, key=lambda info: info.taken_at, reverse=True)


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    return [info.path for info in backup_infos(db_path)]


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def age_band(age_days: float) -> int:
    """0 for under a day, then 1 + floor(log2(days)), the last band open-ended."""
    if age_days < 1:
        return 0
    return min(AGE_BANDS - 1, 1 + math.floor(math.log2(age_days)))


def thin_backups(db_path: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete the backups the rule in the module docstring does not keep; return them."""
    now = now or datetime.now()
    kept_bands: set[int] = set()
    removed = []
    for index, info in enumerate(backup_infos(db_path)):
        band = age_band(max(0.0, (now - info.taken_at).total_seconds() / 86400))
        if index < KEEP_NEWEST or band not in kept_bands:
            kept_bands.add(band)
            continue
        with contextlib.suppress(OSError):  # a copy open elsewhere goes at the next thinning
            info.path.unlink()
            removed.append(info.path)
    return removed


# --- skipping an unchanged database ----------------------------------------------------------


def _marker(db_path: Path) -> Path:
    return backups_dir(db_path) / f".{db_path.stem}-start.json"


def unchanged_since_start_backup(db_path: Path, fingerprint: dict[str, int]) -> bool:
    """True when the last start backup was of a file with this same fingerprint, and is kept."""
    try:
        note = json.loads(_marker(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    backup = backups_dir(db_path) / str(note.get("backup", ""))
    return note.get("database") == fingerprint and backup.is_file()


def remember_start_backup(db_path: Path, backup: Path, fingerprint: dict[str, int]) -> None:
    note = {"backup": backup.name, "database": fingerprint}
    with contextlib.suppress(OSError):  # without the note the next start backs up again
        _marker(db_path).write_text(json.dumps(note), encoding="utf-8")
