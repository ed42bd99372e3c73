"""Checking an SQLite file's health, always through a read-only connection.

Two depths:

- ``quick`` — ``PRAGMA quick_check``: every page and record is readable and well formed. It does
  not compare indexes with their tables. Run after every start, in the background.
- ``full`` — ``PRAGMA integrity_check`` (quick_check plus: every index holds exactly its table's
  rows, UNIQUE and NOT NULL hold) and ``PRAGMA foreign_key_check`` (every reference points at a
  row that exists). Run by ``desk-league check --full`` and 工具 → 数据库完整性检查.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from desk_league.data.sqlite_files import connect_read_only, diagnose_for_reading, storage_error
from desk_league.errors import Cancelled, DatabaseDamaged

MAX_REPORTED = 20


def find_problems(
    db_path: Path, *, full: bool = False, cancelled: Callable[[], bool] | None = None
) -> list[str]:
    """The problems the check finds, [] for a sound file. Never changes the file.

    Raises DatabaseUnavailable when the file cannot be read, DatabaseEmpty or DatabaseDamaged
    when it is not a database at all, Cancelled when ``cancelled()`` turns true.
    """
    diagnose_for_reading(db_path)
    try:
        with contextlib.closing(connect_read_only(db_path)) as conn:
            if cancelled is not None:
                conn.set_progress_handler(lambda: 1 if cancelled() else 0, 20_000)
            pragma = "integrity_check" if full else "quick_check"
            rows = conn.execute(f"PRAGMA {pragma}({MAX_REPORTED})").fetchall()
            problems = [row[0] for row in rows if row[0] != "ok"]
            if full:
                problems += [
                    f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在"
                    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check")
                ][:MAX_REPORTED]
    except sqlite3.Error as exc:
        if cancelled is not None and cancelled():
            raise Cancelled("已取消检查。") from None
        raise storage_error(exc, db_path) or exc from exc
    return problems


def quick_check(db_path: Path, *, cancelled: Callable[[], bool] | None = None) -> None:
    """Raise DatabaseDamaged when the quick check finds a problem (nothing when no file)."""
    if not db_path.exists():
        return
    problems = find_problems(db_path, cancelled=cancelled)
    if problems:
        raise DatabaseDamaged(
            f"数据库文件 {db_path} 完整性检查未通过：{'；'.join(problems[:3])}。文件未被改动。"
        )
