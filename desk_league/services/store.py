"""The database the window works on: one handle, and the unit of work each of its calls runs in.

The GUI never imports ``desk_league.data``. It hands the database it opened to ``attach`` and
from then on its operations layer (``ui/operations.py``) asks this module for a
``transaction()`` (a change: all or nothing) or a ``reading()`` (a look: nothing is committed).

Both turn the database's own refusals into ``DeskLeagueError``s a clerk can act on: a unique
constraint hit because another PC saved the same record a moment earlier becomes a ``Conflict``,
a database kept busy or a full disk says so. The raw error, with its SQL and the values it
carried, goes to the log only. The command line and the services' tests use ``Database``
directly; this module is the window's way in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from desk_league.data.db import Database
from desk_league.data.paths import data_dir
from desk_league.errors import Conflict, DeskLeagueError

__all__ = ["Database", "attach", "attached", "database", "detach", "reading", "transaction"]

log = logging.getLogger(__name__)

_database: Database | None = None


def attach(database: Database) -> None:
    """Make ``database`` the one the window reads and changes."""
    global _database
    _database = database


def detach() -> Database | None:
    """Forget the window's database (it is closed by whoever opened it); returns it."""
    global _database
    database, _database = _database, None
    return database


def attached() -> bool:
    return _database is not None


def database() -> Database:
    """The window's database, for the services that work on the file itself (backup, restore)."""
    if _database is None:
        raise DeskLeagueError("数据库尚未打开。")
    return _database


@contextmanager
def transaction() -> Iterator[Session]:
    """One change: committed when the block ends, rolled back on any error."""
    with _translated(writing=True), database().transaction() as session:
        yield session


@contextmanager
def reading(cancelled: Callable[[], bool] | None = None) -> Iterator[Session]:
    """A look at the data: nothing is committed. A statement running when ``cancelled`` turns
    true stops with ``Cancelled`` (see ``Database.reading``)."""
    with _translated(writing=False), database().reading(cancelled) as session:
        yield session


def describe() -> str:
    """Where the data is, as the title bar and the About box show it (no password)."""
    return database().describe()


def on_server() -> bool:
    """The database is shared on a server (PostgreSQL) rather than this PC's file: backups are
    logical copies kept on this PC, a restore waits for the other PCs to close, no photos."""
    return database().path is None


def attachments_dir() -> Path | None:
    """The folder of activity photos and files; None for a server database."""
    return database().attachments_dir


def data_folder(path: Path | None, url: str | None = None) -> Path:
    """The folder the log and settings files go in: beside the database file, or the user's
    data folder for a server database."""
    if url and not url.startswith("sqlite"):
        return data_dir()
    return Path(path).resolve().parent if path else data_dir()


@contextmanager
def _translated(*, writing: bool) -> Iterator[None]:
    nothing_saved = "没有保存任何内容。" if writing else ""
    try:
        yield
    except IntegrityError as exc:
        log.warning("refused by the database: %s", exc)
        raise Conflict(
            "没有保存：这项修改与数据库中已有的记录冲突（可能另一台电脑刚刚保存了相同的内容，"
            "或所用的记录已被删除）。请刷新（F5）后核对再试。"
        ) from exc
    except OperationalError as exc:
        log.warning("database not available: %s", exc)
        raise DeskLeagueError(_unavailable(exc) + nothing_saved) from exc
    except DBAPIError as exc:
        log.error("database error", exc_info=exc)
        raise DeskLeagueError(f"数据库拒绝了这次操作。{nothing_saved}详情已记入日志。") from exc


def _unavailable(exc: OperationalError) -> str:
    reason = str(exc.orig).lower()
    if "full" in reason or "no space" in reason:
        return "磁盘空间不足，请清理磁盘后再试。"
    if "locked" in reason or "busy" in reason or "timeout" in reason:
        return "数据库正被另一台电脑或程序占用，请稍后再试。"
    return "暂时无法访问数据库（文件不可读写或网络中断），请检查后再试。"
