"""The start-up health check of a SQLite file, done read-only so a damaged file is never touched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desk_league.errors import DatabaseDamaged


def quick_check(db_path: Path) -> None:
    """Raise DatabaseDamaged when ``PRAGMA quick_check`` finds a problem or the file isn't SQLite."""
    if not db_path.exists():
        return
    try:
        conn = sqlite3.connect(f"file:{db_path.as_posix()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(
            f"数据库文件 {db_path} 已损坏或不是团委工作台的数据库：{exc}"
        ) from exc
    problems = [row[0] for row in rows if row[0] != "ok"]
    if problems:
        detail = "；".join(problems[:3])
        raise DatabaseDamaged(f"数据库文件 {db_path} 完整性检查未通过：{detail}")
