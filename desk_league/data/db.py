"""Opening the office database: engine, pragmas, sessions, and the safe start sequence.

``open_database`` is the one way in: the storage is opened (diagnosis, single-instance lock,
leftovers removed, a new file built whole — see ``storage``), the schema is upgraded if behind
(under the lock, after a check and a backup, in one transaction), and with ``backup`` the file is
checked and backed up unless unchanged since the last start. The window does that last step in
the background once it shows (``Database.storage``). Services get a ``Session`` from
``Database.transaction()``, one transaction per use case, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from desk_league.data.audit import current_user, install_audit
from desk_league.data.integrity import quick_check
from desk_league.data.lock import InstanceLock
from desk_league.data.paths import attachments_dir, default_db_path
from desk_league.data.sqlite_files import (
    diagnose_for_reading,
    engine_url,
    storage_error,
)
from desk_league.data.storage import (
    ServerStorage,
    SqliteStorage,
    Storage,
    make_engine,
    read_only_engine,
)
from desk_league.errors import Cancelled, DeskLeagueError

__all__ = ["Database", "make_engine", "open_database"]


@dataclass
class Database:
    """An open database: where it is, its engine, and how to get a unit of work."""

    url: str | URL
    engine: Engine
    storage: Storage
    path: Path | None = None  # the SQLite file, None for a server database
    user: str = field(default_factory=current_user)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        install_audit(self._sessions)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One use case: commit on success, roll back on any error."""
        session = self._sessions()
        session.info["user"] = self.user
        try:
            with self._explained(), session.begin():
                yield session
        finally:
            session.close()

    @contextmanager
    def reading(self, cancelled: Callable[[], bool] | None = None) -> Iterator[Session]:
        """A read-only look (lists, counts): nothing is committed.

        ``cancelled`` is asked while a statement runs; once it says yes the statement stops
        and ``Cancelled`` is raised (a list read that a newer search has made useless)."""
        session = self._sessions()
        try:
            with self._explained(), _interruptible(session, cancelled):
                yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def _explained(self) -> Iterator[None]:
        """A full disk, a read-only file or a damaged page reach the clerk in Chinese."""
        try:
            yield
        except DBAPIError as exc:
            problem = storage_error(exc, self.path) if self.path else None
            if problem is None:
                raise
            raise problem from exc

    @property
    def attachments_dir(self) -> Path | None:
        return attachments_dir(self.path) if self.path else None

    def describe(self) -> str:
        return self.storage.describe()

    def close(self) -> None:
        self.engine.dispose()
        self.storage.close()


def _interruptible(session: Session, cancelled: Callable[[], bool] | None):
    """SQLite asks ``cancelled`` every few thousand steps of a statement and stops it when it
    says yes. A server database has no such hook here: its statement runs to the end and the
    caller drops the answer."""
    if cancelled is None:
        return nullcontext()
    raw = session.connection().connection.dbapi_connection
    if not hasattr(raw, "set_progress_handler"):
        return nullcontext()
    return _stopped_when(raw, cancelled)


@contextmanager
def _stopped_when(raw, cancelled: Callable[[], bool]) -> Iterator[None]:
    raw.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
    try:
        yield
    except OperationalError:
        if cancelled():
            raise Cancelled("已取消。") from None
        raise
    finally:
        raw.set_progress_handler(None, 0)


def open_database(
    path: Path | None = None,
    *,
    url: str | None = None,
    lock: bool | InstanceLock = True,
    backup: bool = True,
    migrate_schema: bool = True,
    read_only: bool = False,
) -> Database:
    """Open (creating if new) the office database, safely. See the module docstring.

    ``lock`` may be a lock the caller already holds (a command that replaces the file first).
    ``read_only`` opens an existing file through read-only connections: nothing is created,
    upgraded or locked, and the file is never changed (``desk-league check``).
    """
    if url and not url.startswith("sqlite"):
        server, storage = make_engine(url), ServerStorage(url)
        if migrate_schema:
            storage.upgrade_schema(server)
        return Database(url=url, engine=server, storage=storage)

    path = Path(path) if path else default_db_path()
    if read_only:
        return _open_read_only(path)
    sqlite = SqliteStorage(path)
    engine: Engine | None = None
    try:
        sqlite.open(lock=lock)
        engine = make_engine(sqlite.url)
        if migrate_schema:
            sqlite.upgrade_schema(engine)
        if backup:
            quick_check(path)
            sqlite.back_up_if_changed()
    except BaseException as exc:
        if engine is not None:
            engine.dispose()
        sqlite.close()
        problem = storage_error(exc, path) if isinstance(exc, DBAPIError | OSError) else None
        if problem is not None:
            raise problem from exc
        raise
    return Database(url=sqlite.url, engine=engine, storage=sqlite, path=path)


def _open_read_only(path: Path) -> Database:
    if not path.exists():
        raise DeskLeagueError(f"数据库文件不存在：{path}")
    diagnose_for_reading(path)
    engine = read_only_engine(path)
    return Database(url=engine_url(path), engine=engine, storage=SqliteStorage(path), path=path)
