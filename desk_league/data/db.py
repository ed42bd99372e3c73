"""Opening the office database: engine, pragmas, sessions, and the safe start sequence.

``open_database`` is the one way in: the storage is opened (diagnosis, single-instance lock,
leftovers removed, a new file built whole — see ``storage``), the schema is upgraded if behind
(under the lock, after a check and a backup, in one transaction), and with ``backup`` the file is
checked and backed up unless unchanged since the last start. The window does that last step in
the background once it shows (``Database.storage``). Services get a ``Session`` from
``Database.transaction()``, one transaction per use case, all or nothing.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desk_league.data.audit import current_user, install_audit
from desk_league.data.constraints import clash
from desk_league.data.integrity import quick_check
from desk_league.data.lock import InstanceLock
from desk_league.data.paths import attachments_dir, default_db_path
from desk_league.data.server import is_server_url, server_error
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
from desk_league.errors import Cancelled, DeskLeagueError, StaleRecord

__all__ = ["Database", "make_engine", "open_database"]
log = logging.getLogger(__name__)


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
                if self.engine.dialect.name == "sqlite":
                    # the write lock from the start (SQLite's driver would begin only at the
                    # first write): what the use case read — the day's hours, the next free
                    # number, a record's status — still holds when it writes, even with two
                    # programs on one file. PostgreSQL locks the rows it must (FOR UPDATE).
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
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
        """A full disk, a read-only file, a damaged page, a lost server, a rule another PC's
        save broke at the same moment, a record changed meanwhile: in the clerk's words."""
        try:
            yield
        except StaleDataError as exc:  # the row's version moved on between reading and saving
            raise StaleRecord() from exc
        except IntegrityError as exc:
            told = clash(exc)
            if told is None:
                raise
            log.warning("refused by the database: %s: %s", type(exc).__name__, exc)
            raise told from exc
        except DBAPIError as exc:
            problem: DeskLeagueError | None
            if self.path is not None:
                problem = storage_error(exc, self.path)
            else:
                problem = server_error(exc, self.url)
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
    """Stop the statement running when ``cancelled`` says yes: SQLite asks it every few
    thousand steps (a progress handler); a server's statement is cancelled from a watching
    thread (the driver's ``cancel``, which PostgreSQL answers by ending the query)."""
    if cancelled is None:
        return nullcontext()
    raw = session.connection().connection.dbapi_connection
    if hasattr(raw, "set_progress_handler"):
        return _stopped_when(raw, cancelled)
    cancel = getattr(raw, "cancel_safe", None) or getattr(raw, "cancel", None)
    if cancel is None:
        return nullcontext()  # a driver without one: the statement ends and is dropped
    return _watched(cancel, cancelled)


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


CANCEL_POLL_SECONDS = 0.05


@contextmanager
def _watched(cancel: Callable[[], object], cancelled: Callable[[], bool]) -> Iterator[None]:
    done = threading.Event()

    def watch() -> None:
        while not done.wait(CANCEL_POLL_SECONDS):
            if cancelled():  # again at each turn: a cancel sent between statements is lost
                with contextlib.suppress(Exception):  # the query may have ended meanwhile
                    cancel()

    watcher = threading.Thread(target=watch, name="cancel-watch", daemon=True)
    watcher.start()
    try:
        yield
    except DBAPIError:
        if cancelled():
            raise Cancelled("已取消。") from None
        raise
    finally:
        done.set()
        watcher.join()


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
    if is_server_url(url):
        assert url is not None
        return _open_server(url, lock=lock is True, migrate_schema=migrate_schema)

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


def _open_server(url: str, *, lock: bool, migrate_schema: bool) -> Database:
    """Connect, hold the in-use lock (``lock``), bring the schema up (PCs starting together
    wait for one another)."""
    storage = ServerStorage(url)
    try:
        storage.open(lock=lock)
        if migrate_schema:
            storage.upgrade_schema(storage.engine)
    except BaseException:
        storage.close()
        raise
    return Database(url=storage.url, engine=storage.engine, storage=storage)


def _open_read_only(path: Path) -> Database:
    if not path.exists():
        raise DeskLeagueError(f"数据库文件不存在：{path}")
    diagnose_for_reading(path)
    engine = read_only_engine(path)
    return Database(url=engine_url(path), engine=engine, storage=SqliteStorage(path), path=path)
