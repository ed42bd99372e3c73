"""A database on a server (PostgreSQL) that the office's PCs share.

- **Driver.** ``postgresql://`` and ``postgres://`` addresses are given psycopg 3, the driver the
  ``postgres`` extra installs (SQLAlchemy 2.0 would otherwise pick psycopg2, 2.1 psycopg): one
  driver whatever SQLAlchemy's default. Each connection names the PC and user
  (``application_name``), so the server, and this program, can say who holds the database.
- **Errors in the clerk's words**: which server and why (refused, wrong password, no such
  database, unreachable), and a busy moment (two PCs on the same rows) as "try again".
- **Advisory locks.** Every program that opens the database holds the in-use lock *shared*;
  a destructive command (restore, ``demo --replace``) takes it *exclusively*, so it runs only
  when no other PC has the database open, and a PC cannot open it meanwhile. Schema upgrades
  take the migration lock (``migrate.upgrade``): PCs starting together wait for each other.
- **Logical copies.** A backup is every table copied, in one snapshot, into an SQLite file at the
  same schema version: the office's ordinary backup format, which restores onto either engine.
  ``pg_dump``, when it is on PATH, adds the server's own dump beside it in a ``.zip``.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    create_engine,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session

from desk_league.data import migrate
from desk_league.data.models import Base
from desk_league.errors import (
    BusyRetry,
    Cancelled,
    DatabaseLocked,
    DatabaseUnavailable,
    DeskLeagueError,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10  # seconds: an unreachable server is reported, not waited for
IN_USE = (migrate.ADVISORY_CLASS, 1)
REFERENCE_DATA = (migrate.ADVISORY_CLASS, 3)
CHUNK = 5000
DUMP_TIMEOUT = 3600


def server_url(url: str | URL) -> URL:
    """The address with the driver named: psycopg 3 for a plain postgresql:// address."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_server_url(url: str | URL | None) -> bool:
    return url is not None and not str(url).startswith("sqlite")


def describe(url: str | URL) -> str:
    """desk_league（PostgreSQL 服务器 10.0.0.5:5432）: no password, a socket folder as it is."""
    parsed = make_url(url)
    host = parsed.host or str(parsed.query.get("host") or "本机")
    where = f"{host}:{parsed.port}" if parsed.port else host
    return f"{parsed.database or '（未指定）'}（PostgreSQL 服务器 {where}）"


def application_name() -> str:
    try:
        who = f"{getpass.getuser()}@{socket.gethostname()}"
    except Exception:  # noqa: BLE001 - no login name: the lock message says 其他电脑
        who = "unknown"
    return f"desk-league {who}"[:63]


def server_engine(url: str | URL) -> Engine:
    """An engine for the server; a missing driver is told in Chinese before anything else."""
    parsed = server_url(url)
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args = {"application_name": application_name(), "connect_timeout": CONNECT_TIMEOUT}
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DeskLeagueError(
            f"缺少连接 {parsed.get_backend_name()} 数据库的驱动（{exc}）。请安装带 postgres "
            "组件的团委工作台（pip install 'desk-league[postgres]'），或使用已包含驱动的安装包。"
        ) from exc


# --- errors in the clerk's words ------------------------------------------------------------

_CAUSES = [
    ("password authentication failed", "用户名或密码不对"),
    ("no password supplied", "没有提供密码"),
    ("does not exist", "服务器上没有这个数据库或用户（请管理员先建好空数据库）"),
    ("connection refused", "服务器拒绝连接（数据库服务没有运行，或端口不对）"),
    ("could not translate host name", "找不到这个服务器名（请检查地址拼写和网络）"),
    ("name or service not known", "找不到这个服务器名（请检查地址拼写和网络）"),
    ("timeout expired", "连接超时（服务器没有响应，请检查网络和防火墙）"),
    ("timed out", "连接超时（服务器没有响应，请检查网络和防火墙）"),
    ("no route to host", "网络不通（请检查网络连接）"),
    ("no pg_hba.conf entry", "服务器不允许这台电脑连接（请管理员在 pg_hba.conf 中放行）"),
    ("too many connections", "服务器的连接数已满，请稍后再试"),
    ("the database system is starting up", "数据库服务正在启动，请稍后再试"),
    ("the database system is shutting down", "数据库服务正在关闭"),
    ("terminating connection", "服务器中断了连接"),
    ("server closed the connection", "服务器中断了连接"),
    ("connection is lost", "与服务器的连接已中断"),
    ("consuming input failed", "与服务器的连接已中断"),
    ("permission denied", "数据库用户没有权限"),
    ("no such file or directory", "找不到数据库服务（地址或端口不对，或服务没有运行）"),
]
# SQLSTATEs of a moment when two PCs wanted the same rows: nothing saved, try again
_BUSY_STATES = {"40001", "40P01", "55P03"}


def _sqlstate(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def server_error(exc: BaseException, url: str | URL) -> DeskLeagueError | None:
    """The clerk's version of a server error met while using ``url``; None for an error that
    says nothing about the connection (a bug, a rule), which is raised as it was."""
    if isinstance(exc, DeskLeagueError):
        return exc
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return None
    if _sqlstate(exc) in _BUSY_STATES:
        return BusyRetry("另一台电脑正在同时修改相同的记录，这次操作没有保存。请稍候再试一次。")
    message = str(getattr(exc, "orig", exc)).strip()
    lowered = message.lower()
    cause = next((words for key, words in _CAUSES if key in lowered), None)
    if cause is None and not (exc.connection_invalidated or _sqlstate(exc).startswith("08")):
        return None
    first_line = message.splitlines()[0] if message else type(exc).__name__
    return DatabaseUnavailable(
        f"无法使用数据库 {describe(url)}：{cause or first_line}。"
        "请检查服务器是否开启、网络是否连通、数据库地址（用户名、密码、端口）是否正确；"
        "已保存的数据不受影响。"
    )


@contextlib.contextmanager
def explained(url: str | URL) -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        problem = server_error(exc, url)
        if problem is None:
            raise
        raise problem from exc


# --- who has the database open --------------------------------------------------------------


def hold_in_use(engine: Engine) -> Connection:
    """A connection holding the in-use lock shared, for as long as the program has it open."""
    conn = engine.connect()
    conn.execute(text("SELECT pg_advisory_lock_shared(:c, :o)"), _key(IN_USE))
    conn.commit()  # a session-level lock: it outlives the transaction, not the connection
    return conn


@contextlib.contextmanager
def exclusive(engine: Engine, holder: Connection | None = None) -> Iterator[None]:
    """The database to this program alone, for a command that replaces its data: refused,
    naming the others, while another PC has it open. ``holder``: this program's own in-use
    connection (its shared lock does not stand in its own way)."""
    conn = holder if holder is not None else engine.connect()
    try:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:c, :o)"), _key(IN_USE)).scalar()
        conn.commit()
        if not got:
            raise DatabaseLocked(_others_message(conn))
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:c, :o)"), _key(IN_USE))
            conn.commit()
    finally:
        if holder is None:
            conn.close()


def one_at_a_time(session: Session, key: tuple[int, int]) -> None:
    """Until the transaction ends, another PC doing the same (``key``) waits, then finds it
    done: PostgreSQL's advisory transaction lock; SQLite's transaction holds the write lock
    already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:c, :o)"), _key(key))


def _others_message(conn: Connection) -> str:
    try:
        names = conn.execute(
            text(
                "SELECT DISTINCT a.application_name FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                "AND l.classid = :c AND l.objid = :o AND l.objsubid = 2 "
                "AND l.pid <> pg_backend_pid() AND l.granted"
            ),
            _key(IN_USE),
        ).scalars()
        who = [n.removeprefix("desk-league ") for n in names if n]
        conn.commit()
    except DBAPIError:
        who = []
    named = f"（{'、'.join(who[:5])}）" if who else ""
    return (
        f"其他电脑上的团委工作台正在使用这个数据库{named}。"
        "请先在这些电脑上关闭团委工作台，再恢复或重建数据库；数据未被改动。"
    )


def _key(key: tuple[int, int]) -> dict[str, int]:
    return {"c": key[0], "o": key[1]}


# --- logical copies ---------------------------------------------------------------------------


def copy_tables(
    source: Connection,
    target: Connection,
    tables: list[Table],
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, int]:
    """Every row of ``tables`` (parents first) from ``source`` into the same, empty tables of
    ``target``. A reference to a row of the same table (a sub-organisation, a sub-task) or
    round a cycle (an organisation's secretary) is filled in once every row is there, so no
    row ever points at one not yet copied."""
    counts: dict[str, int] = {}
    later: list[tuple[Table, str, list[dict]]] = []
    for table in tables:
        deferred = [c for c in _DEFERRED.get(table.name, ()) if c in table.c]
        key = [c.name for c in table.primary_key.columns]
        done = 0
        for rows in _chunks(source, table):
            if cancelled is not None and cancelled():
                raise Cancelled("已取消。")
            for column in deferred:
                updates = [
                    {**{f"k_{k}": row[k] for k in key}, "v": row[column]}
                    for row in rows
                    if row[column] is not None
                ]
                if updates:
                    later.append((table, column, updates))
            target.execute(insert(table), [{**r, **dict.fromkeys(deferred)} for r in rows])
            done += len(rows)
        counts[table.name] = done
    for table, column, updates in later:
        where = " AND ".join(f"{k} = :k_{k}" for k in (c.name for c in table.primary_key.columns))
        target.execute(text(f"UPDATE {table.name} SET {column} = :v WHERE {where}"), updates)
    return counts


# table → its columns that point into the same table or round a cycle of tables
_DEFERRED = {
    table.name: [
        fk.parent.name
        for fk in table.foreign_keys
        if fk.column.table is table or (fk.constraint is not None and fk.constraint.use_alter)
    ]
    for table in Base.metadata.sorted_tables
}


def _chunks(source: Connection, table: Table) -> Iterator[list[dict]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = source.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
    for partition in result.mappings().partitions(CHUNK):
        yield [dict(row) for row in partition]


def _tables_as_they_are(conn: Connection) -> list[Table]:
    """The program's tables as the database has them (its schema version may be older), in
    the order rows are copied: parents first."""
    found = MetaData()
    found.reflect(conn, only=[t.name for t in Base.metadata.sorted_tables if _exists(conn, t)])
    return [found.tables[t.name] for t in Base.metadata.sorted_tables if t.name in found.tables]


def _exists(conn: Connection, table: Table) -> bool:
    return inspect(conn).has_table(table.name)


def export_to_file(
    engine: Engine, target: Path, cancelled: Callable[[], bool] | None = None
) -> None:
    """Every table of the server database, as one snapshot, into a new SQLite file at the same
    schema version (a backup taken before an upgrade is at the version before it)."""
    from desk_league.data.storage import make_engine

    copy = make_engine(URL.create("sqlite+pysqlite", database=str(target)))
    try:
        snapshot = engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        with snapshot:
            revision = migrate.current_revision(snapshot)
            if revision is None:
                raise DeskLeagueError("服务器数据库还没有数据结构（是空的），无需备份。")
            migrate.upgrade(copy, revision)
            tables = _tables_as_they_are(snapshot)
            with copy.begin() as out:
                _empty(out, tables)
                copy_tables(snapshot, out, tables, cancelled)
            snapshot.rollback()
    finally:
        copy.dispose()


def import_from_file(
    engine: Engine, source: Path, cancelled: Callable[[], bool] | None = None
) -> dict[str, int]:
    """Replace every row of the server database with those of an SQLite file at the program's
    schema version, in one transaction: all or nothing. The caller holds ``exclusive``."""
    from desk_league.data.storage import make_engine

    original = make_engine(URL.create("sqlite+pysqlite", database=str(source)))
    tables = Base.metadata.sorted_tables
    try:
        with original.connect() as reading, engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '30s'"))
            conn.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY"))
            counts = copy_tables(reading, conn, tables, cancelled)
            _restart_numbering(conn)
    finally:
        original.dispose()
    analyze(engine)
    return counts


def analyze(engine: Engine) -> None:
    """Fresh planner statistics after a bulk load (a restore, a demo), so the first lists are
    read through the indexes rather than waiting for the server's autovacuum to notice."""
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def _empty(conn: Connection, tables: list[Table]) -> None:
    """A new file's tables hold nothing, whatever a migration put there."""
    for table in reversed(tables):
        conn.execute(table.delete())


def _restart_numbering(conn: Connection) -> None:
    """Each id sequence continues after the highest id copied in."""
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            ),
            {"t": table.name},
        )


def dump(url: str | URL, dest: Path) -> bool:
    """The server's own dump (``pg_dump --format=custom``) into ``dest`` when pg_dump is on PATH
    and can read this server (it refuses a server newer than itself); False otherwise."""
    program = shutil.which("pg_dump")
    if program is None:
        return False
    parsed = server_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)  # not on the command line, where ps shows it
    conninfo = parsed.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False
    )
    try:
        done = subprocess.run(
            [program, "--format=custom", "--no-owner", f"--file={dest}", f"--dbname={conninfo}"],
            env=env,
            capture_output=True,
            timeout=DUMP_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("pg_dump did not run: %s", exc)
        return False
    if done.returncode != 0:
        log.warning("pg_dump failed: %s", done.stderr.decode(errors="replace").strip())
        dest.unlink(missing_ok=True)
        return False
    return True


# --- what a check can say -------------------------------------------------------------------


def schema_problems(engine: Engine) -> list[str]:
    """Tables and columns the program needs that the server database lacks."""
    found = inspect(engine)
    tables = set(found.get_table_names())
    problems = []
    for table in Base.metadata.sorted_tables:
        if table.name not in tables:
            problems.append(f"缺少表 {table.name}")
            continue
        columns = {c["name"] for c in found.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in columns]
        if missing:
            problems.append(f"表 {table.name} 缺少列 {'、'.join(missing)}")
    return problems


def server_version(conn: Connection) -> str:
    version = str(conn.execute(text("SHOW server_version")).scalar() or "")
    return re.split(r"\s", version)[0]


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per table: every row of every table read."""
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
        for table in Base.metadata.sorted_tables
    }
