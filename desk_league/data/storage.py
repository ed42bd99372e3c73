"""Where the data is kept, behind one interface.

The program's health checks, backups, restores and schema upgrades go through a ``Storage``
and never look at files themselves. ``SqliteStorage`` is the office's single file (with its
-wal and -shm, and beside it the backups folder and a tmp area); ``ServerStorage`` is a shared
database on a server, whose backups and checks belong to the server (pg_dump and PostgreSQL's
own checks are for whoever adds them there).

Opening a file (``SqliteStorage.open``), in order, before the first SQLite connection:
read diagnosis (unreadable ≠ damaged, zero bytes, not SQLite) → write diagnosis (read-only file
or disk, unwritable folder, full disk) → a look through a read-only connection (not this
program's, a newer program's, an interrupted upgrade that cannot be repaired) → the
single-instance lock → leftovers of a crash
removed → a new database built aside and moved into place whole → the fingerprint that lets an
unchanged file skip its start backup.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from desk_league.data import migrate, server
from desk_league.data.backup import (
    START_REASON,
    BackupInfo,
    automatic_backup_path,
    backup_database,
    backup_infos,
    remember_start_backup,
    thin_backups,
    unchanged_since_start_backup,
)
from desk_league.data.integrity import find_problems, quick_check
from desk_league.data.lock import InstanceLock
from desk_league.data.models import Base, partial_index_conditions
from desk_league.data.paths import attachments_dir, backups_dir, data_dir, work_dir
from desk_league.data.sqlite_files import (
    COMPANIONS,
    check_folder_writable,
    companion,
    connect_read_only,
    database_files,
    diagnose_for_reading,
    diagnose_for_writing,
    engine_url,
    fingerprint,
    fsync_file,
    fsync_folder,
    private_file,
    private_folder,
    remove_tree,
    set_aside,
    storage_error,
    work_area,
)
from desk_league.errors import DatabaseDamaged, DatabaseLocked, DeskLeagueError, os_error_reason

Cancelled = Callable[[], bool] | None
CREATE_WAIT = 30  # seconds a start waits for another one building the same new file
DATABASE_IN_ZIP = "desk_league.db"  # the database in a .zip backup (both engines)
SERVER_DUMP_IN_ZIP = "desk_league.pgdump"  # pg_dump's own dump beside it, for the server's admin


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str | URL) -> Engine:
    if str(url).startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = server.server_engine(url)
    partial_index_conditions(engine.dialect.name)
    return engine


def read_only_engine(path: Path) -> Engine:
    """An engine whose connections cannot change the file (no WAL switch, no writes)."""
    return create_engine("sqlite://", creator=lambda: connect_read_only(path), poolclass=NullPool)


class Storage:
    """What the program asks of where its data is kept, beyond SQL."""

    url: str | URL
    place: Path  # backups/ and the tmp area are kept beside it (the file, or a name for a server)
    created = False  # this opening made a new, empty database

    def describe(self) -> str:
        raise NotImplementedError

    def locked(self) -> contextlib.AbstractContextManager:
        """The data to this program alone, for a change that replaces it."""
        raise NotImplementedError

    def holds_data(self) -> bool:
        """Anything there that a new database would replace."""
        raise NotImplementedError

    def make_way(self, *, reason: str) -> None:
        """Clear the place for a new database, keeping what was there as a backup."""
        raise NotImplementedError

    def upgrade_schema(self, engine: Engine) -> None:
        """Bring the schema to the program's version, safely (see the implementations)."""
        migrate.upgrade(engine)

    def settle(self) -> None:
        """After a bulk load (a demo): whatever the database needs to read it fast again."""

    def find_problems(self, *, full: bool = False, cancelled: Cancelled = None) -> list[str]:
        """What a health check finds, [] when sound. ``full`` is the thorough, slower check."""
        return []

    def back_up(
        self, dest: Path | None = None, *, reason: str = "manual", cancelled: Cancelled = None
    ) -> Path:
        raise NotImplementedError

    def back_up_if_changed(self, *, cancelled: Cancelled = None) -> Path | None:
        """The start backup, unless the data has not changed since the last one."""
        return None

    def backups(self) -> list[BackupInfo]:
        """The automatic backups, newest first."""
        return []

    def restore(self, backup: Path, *, damaged: bool = False) -> None:
        """Put ``backup`` in place of the data (every connection closed by the caller)."""
        raise NotImplementedError

    def close(self) -> None:
        pass


class ServerStorage(Storage):
    """A database on a server (PostgreSQL) shared by the office's PCs (see ``data/server.py``).

    Its DDL is transactional, so an upgrade needs no file juggling; its backups are logical
    copies kept on this PC, in the data folder's ``backups/`` under the database's name and
    server; a restore replaces every row in one transaction while no other PC has it open.
    """

    def __init__(self, url: str | URL) -> None:
        self.url = server.server_url(url)
        self.engine = server.server_engine(self.url)
        self._holder: Connection | None = None
        self._alone = False  # this program holds the database exclusively
        # backups and copies are named after the database and its server
        label = re.sub(r"[^A-Za-z0-9_.@-]+", "_", f"{self.url.database}@{self.url.host or 'local'}")
        self.place = data_dir() / f"{label}.server"

    def describe(self) -> str:
        return server.describe(self.url)

    def open(self, *, lock: bool = True) -> None:
        """Connect (a failure is told in Chinese, naming the server); with ``lock``, hold the
        in-use lock for as long as the database is open, so that no other PC replaces it."""
        with server.explained(self.url):
            if lock:
                self._holder = server.hold_in_use(self.engine)
            else:
                with self.engine.connect():
                    pass

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """The database to this program alone (refused while another PC has it open)."""
        if self._alone:
            yield
            return
        with server.explained(self.url), server.exclusive(self.engine, self._holder):
            self._alone = True
            try:
                yield
            finally:
                self._alone = False

    def settle(self) -> None:
        with server.explained(self.url):
            server.analyze(self.engine)

    def holds_data(self) -> bool:
        with server.explained(self.url), self.engine.connect() as conn:
            if migrate.current_revision(conn) is None:
                return False
            return any(server.table_counts(conn).values())

    def upgrade_schema(self, engine: Engine) -> None:
        """A backup of data an older version left first, then the upgrade, in one transaction
        under the migration lock (PCs starting together wait for one another)."""
        with server.explained(self.url):
            if not migrate.needs_upgrade(engine):
                return
            if migrate.current_revision(engine) is not None:
                self.back_up(reason="before-upgrade")
            else:
                self.created = True
            migrate.upgrade(engine)

    def find_problems(self, *, full: bool = False, cancelled: Cancelled = None) -> list[str]:
        """The schema against the program's (every table and column there); ``full`` also
        reads every row of every table. Pages and indexes are the server's to check."""
        with server.explained(self.url):
            problems = server.schema_problems(self.engine)
            if full and not problems:
                with self.engine.connect() as conn:
                    server.table_counts(conn)
            return problems

    def back_up(
        self, dest: Path | None = None, *, reason: str = "manual", cancelled: Cancelled = None
    ) -> Path:
        """A logical copy (an SQLite file, the office's ordinary backup format) into ``dest``
        or this PC's automatic backups; a ``.zip`` also carries pg_dump's dump when pg_dump is
        on PATH. Written aside and moved into place when complete."""
        automatic = dest is None
        target = automatic_backup_path(self.place, reason) if dest is None else dest
        target.parent.mkdir(parents=True, exist_ok=True)
        with server.explained(self.url), work_area(self.place) as work:
            copy = private_file(work / DATABASE_IN_ZIP)  # an empty file is an empty database
            try:
                server.export_to_file(self.engine, copy, cancelled)
                if target.suffix.lower() == ".zip":
                    part = private_file(work / target.name)
                    with zipfile.ZipFile(part, "w") as archive:
                        archive.write(copy, DATABASE_IN_ZIP, compress_type=zipfile.ZIP_DEFLATED)
                        dumped = work / SERVER_DUMP_IN_ZIP
                        if server.dump(self.url, dumped):
                            archive.write(dumped, SERVER_DUMP_IN_ZIP)
                    fsync_file(part)
                    shutil.move(part, target)
                else:
                    fsync_file(copy)
                    shutil.move(copy, target)
            except OSError as exc:
                raise DeskLeagueError(
                    f"备份失败（{target}）：{os_error_reason(exc)}。数据不受影响。"
                ) from exc
        if automatic:
            thin_backups(self.place)
        return target

    def backups(self) -> list[BackupInfo]:
        return backup_infos(self.place)

    def restore(self, backup: Path, *, damaged: bool = False) -> None:
        """Every row replaced by the backup's (an SQLite file of this program, any version up
        to this one), in one transaction, after a backup of the current data; only while no
        other PC has the database open."""
        with self.locked(), work_area(self.place) as work:
            candidate = private_file(work / DATABASE_IN_ZIP)
            try:
                shutil.copyfile(backup, candidate)
            except OSError as exc:
                raise DeskLeagueError(f"无法读取备份 {backup}：{os_error_reason(exc)}。") from exc
            if find_problems(candidate):
                raise DatabaseDamaged(
                    f"备份 {backup.name} 本身未通过完整性检查，没有恢复；当前数据未被改动。"
                )
            copy = make_engine(engine_url(candidate))
            try:
                migrate.upgrade(copy)  # a backup an older version took
            finally:
                copy.dispose()
            with server.explained(self.url):
                if self.holds_data():
                    self.back_up(reason="before-restore")
                server.import_from_file(self.engine, candidate)

    def make_way(self, *, reason: str) -> None:
        """Clear the database for a new one (``demo --replace``): backed up first when it holds
        data, then every table dropped, in one transaction. Only while no other PC has it open."""
        with self.locked(), server.explained(self.url):
            if self.holds_data():
                self.back_up(reason=reason)
            with self.engine.begin() as conn:
                Base.metadata.drop_all(conn)
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))

    def close(self) -> None:
        holder, self._holder = self._holder, None
        if holder is not None:
            with contextlib.suppress(Exception):  # a lost server connection: nothing to release
                holder.invalidate()  # closes the session, and its lock with it
                holder.close()
        self.engine.dispose()


class SqliteStorage(Storage):
    """The office's database file, its backups folder and its tmp area."""

    def __init__(self, path: Path) -> None:
        self.path = self.place = path
        self.url = engine_url(path)
        self.lock: InstanceLock | None = None
        self._owns_lock = False
        self.opened_fingerprint: dict[str, int] | None = None

    def describe(self) -> str:
        return str(self.path)

    # --- opening -------------------------------------------------------------------------

    def open(self, *, lock: bool | InstanceLock = True) -> None:
        """Everything before the first connection; see the module docstring."""
        private_folder(self.path.parent)
        if self.path.exists():
            diagnose_for_reading(self.path)
        diagnose_for_writing(self.path)
        if self.path.exists():
            self._inspect()
        if isinstance(lock, InstanceLock):
            self.lock = lock
        elif lock:
            self.lock, self._owns_lock = self._acquire_lock(), True
        try:
            if self.lock is not None:
                self._remove_leftovers()
            if not self.path.exists():
                with self.locked(wait=CREATE_WAIT):
                    if not self.path.exists():  # nobody made it while we waited
                        self._create()
            self.opened_fingerprint = fingerprint(self.path)
        except BaseException:
            self.close()
            raise

    def _inspect(self) -> None:
        """Refuse, through a read-only connection and so before the first write (even the
        switch to WAL), what must not be opened: see ``migrate.needs_upgrade``."""
        engine = read_only_engine(self.path)
        try:
            migrate.needs_upgrade(engine)
        except DBAPIError as exc:
            raise storage_error(exc, self.path) or exc from exc
        finally:
            engine.dispose()

    def _acquire_lock(self, wait: float = 0) -> InstanceLock:
        held = InstanceLock.for_database(self.path)
        try:
            held.acquire(wait=wait)
        except DatabaseLocked:
            raise
        except OSError as exc:
            check_folder_writable(self.path.parent, self.path)  # names the cause when it is that
            raise storage_error(exc, self.path) or exc from exc
        return held

    @contextlib.contextmanager
    def locked(self, *, wait: float = 0) -> Iterator[InstanceLock]:
        """Hold the single-instance lock for a change to the file, taking it if not held
        (``wait``: seconds to wait for another program's moment of work)."""
        if self.lock is not None:
            yield self.lock
            return
        private_folder(self.path.parent)
        self.lock = held = self._acquire_lock(wait)
        try:
            yield held
        finally:
            self.lock = None
            held.release()

    def _remove_leftovers(self) -> None:
        """What a killed backup, restore or first start left (only while holding the lock)."""
        remove_tree(work_dir(self.path))
        folder = backups_dir(self.path)
        if folder.is_dir():
            for part in folder.glob("*.db.part"):
                if part.name.startswith(f"{self.path.stem}-"):  # another database's is its own
                    part.unlink(missing_ok=True)
        photos = attachments_dir(self.path)
        if photos.is_dir():
            for part in photos.rglob(".*.part"):  # a photo whose copy was cut off
                part.unlink(missing_ok=True)
        companion(self.path, ".restoring").unlink(missing_ok=True)  # older versions' restore
        # older versions restored through tmpXXXXXXXX/desk_league.db beside the database
        copies = {"desk_league.db" + suffix for suffix in ("", "-journal", *COMPANIONS)}
        for old in self.path.parent.glob("tmp*"):
            if (
                re.fullmatch(r"tmp[a-z0-9_]{8}", old.name)
                and old.is_dir()
                and (old / "desk_league.db").exists()
                and {f.name for f in old.iterdir()} <= copies
            ):
                remove_tree(old)

    def _create(self) -> None:
        """Build the new database aside and move it into place complete: a crash during the
        first start leaves no half-made file to trip over (only the tmp area, emptied later)."""
        with work_area(self.path) as work:
            candidate = private_file(work / self.path.name)  # -wal and -shm inherit its mode
            engine = make_engine(engine_url(candidate))
            try:
                migrate.upgrade(engine)
            finally:
                engine.dispose()  # the last connection folds the -wal into the file
            fsync_file(candidate)
            if any(companion(self.path, s).exists() for s in COMPANIONS):
                set_aside(self.path, "orphan")  # a log with no database must not meet the new one
            candidate.replace(self.path)
            fsync_folder(self.path.parent)
        self.created = True

    # --- the interface -------------------------------------------------------------------

    def upgrade_schema(self, engine: Engine) -> None:
        """Under the lock, after a health check and a backup, in one transaction."""
        if not migrate.needs_upgrade(engine):
            return
        with self.locked():
            quick_check(self.path)
            self.back_up(reason="before-upgrade")
            migrate.upgrade(engine)

    def find_problems(self, *, full: bool = False, cancelled: Cancelled = None) -> list[str]:
        return find_problems(self.path, full=full, cancelled=cancelled)

    def back_up(
        self, dest: Path | None = None, *, reason: str = "manual", cancelled: Cancelled = None
    ) -> Path:
        return backup_database(self.path, dest, reason=reason, cancelled=cancelled)

    def back_up_if_changed(self, *, cancelled: Cancelled = None) -> Path | None:
        if self.created or self.opened_fingerprint is None:
            return None  # nothing in a new file worth a copy
        if unchanged_since_start_backup(self.path, self.opened_fingerprint):
            return None
        dest = self.back_up(reason=START_REASON, cancelled=cancelled)
        remember_start_backup(self.path, dest, self.opened_fingerprint)
        return dest

    def backups(self) -> list[BackupInfo]:
        return backup_infos(self.path)

    def restore(self, backup: Path, *, damaged: bool = False) -> None:
        """Sound data is backed up first; a damaged file is kept as ``.damaged`` with its -wal
        and -shm. The backup is copied and checked before anything changes."""
        with self.locked(), work_area(self.path) as work:
            candidate = private_file(work / self.path.name)
            try:
                shutil.copyfile(backup, candidate)
                fsync_file(candidate)
            except OSError as exc:
                raise storage_error(exc, self.path) or exc from exc
            if find_problems(candidate):
                raise DatabaseDamaged(
                    f"备份 {backup.name} 本身未通过完整性检查，没有恢复；当前数据未被改动。"
                )
            if damaged:
                set_aside(self.path, "damaged")
            elif self.path.exists():
                self.back_up(reason="before-restore")
                for file in database_companions(self.path):
                    file.replace(work / file.name)  # what they held is in that backup
            candidate.replace(self.path)
            fsync_folder(self.path.parent)

    def holds_data(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def make_way(self, *, reason: str) -> None:
        """Clear the place for a new database: the current one is backed up, then removed; one
        that cannot be copied (empty, damaged) is kept under another name instead."""
        with self.locked():
            if not self.path.exists():
                return
            if self.path.stat().st_size == 0:
                set_aside(self.path, "empty")
                return
            try:
                self.back_up(reason=reason)
            except DatabaseDamaged:
                set_aside(self.path, "damaged")
                return
            for file in database_files(self.path):
                file.unlink()  # what they held is in the backup just taken

    def set_aside(self, label: str) -> Path:
        """Keep the file (with -wal, -shm) under another name, so a new one can start."""
        with self.locked():
            return set_aside(self.path, label)

    def close(self) -> None:
        if self.lock is not None and self._owns_lock:
            self.lock.release()
        self.lock, self._owns_lock = None, False


def database_companions(path: Path) -> list[Path]:
    return [f for f in (companion(path, s) for s in COMPANIONS) if f.exists()]
