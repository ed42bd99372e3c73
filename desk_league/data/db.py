"""Opening the office database: engine, pragmas, sessions, and the safe start sequence.

``open_database`` is the one way in: integrity check (read-only) → single-instance lock →
backup → migrations → ready. Services get a ``Session`` from ``Database.transaction()``, one
transaction per use case, all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from desk_league.data import migrate
from desk_league.data.audit import current_user, install_audit
from desk_league.data.backup import backup_database
from desk_league.data.integrity import quick_check
from desk_league.data.lock import InstanceLock
from desk_league.data.paths import attachments_dir, default_db_path


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve().as_posix()}"


@dataclass
class Database:
    """An open database: where it is, its engine, and how to get a unit of work."""

    url: str
    engine: Engine
    path: Path | None = None  # the SQLite file, None for a server database
    lock: InstanceLock | None = None
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
            with session.begin():
                yield session
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only look (lists, counts): nothing is committed."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @property
    def attachments_dir(self) -> Path | None:
        return attachments_dir(self.path) if self.path else None

    def describe(self) -> str:
        return (
            str(self.path) if self.path else make_url(self.url).render_as_string(hide_password=True)
        )

    def close(self) -> None:
        self.engine.dispose()
        if self.lock:
            self.lock.release()
            self.lock = None


def open_database(
    path: Path | None = None,
    *,
    url: str | None = None,
    lock: bool = True,
    backup: bool = True,
    migrate_schema: bool = True,
) -> Database:
    """Open (creating if new) the office database, safely. See the module docstring."""
    if url and not url.startswith("sqlite"):
        engine = make_engine(url)
        if migrate_schema:
            migrate.upgrade(engine)
        return Database(url=url, engine=engine)

    path = Path(path) if path else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    quick_check(path)  # before anything writes to the file
    instance_lock = InstanceLock.for_database(path) if lock else None
    if instance_lock:
        instance_lock.acquire()
    try:
        existed = path.exists() and path.stat().st_size > 0
        if existed and backup:
            backup_database(path, reason="start")
        engine = make_engine(sqlite_url(path))
        if migrate_schema:
            migrate.upgrade(engine)
    except BaseException:
        if instance_lock:
            instance_lock.release()
        raise
    return Database(url=sqlite_url(path), engine=engine, path=path, lock=instance_lock)
