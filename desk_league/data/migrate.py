"""Alembic, driven from code: the schema is brought to head in one transaction.

On SQLite, Python's driver commits every CREATE TABLE and CREATE INDEX on its own, so a crash
during an upgrade used to leave tables or indexes without the version row, and every later start
failed with "already exists". The upgrade now runs on a connection of its own where SQLAlchemy,
not the driver, issues BEGIN (SQLAlchemy's documented recipe for pysqlite): the whole upgrade,
version row included, commits at once or not at all. That connection also has foreign keys off
while tables are rebuilt, and checks them all before committing.

On PostgreSQL the DDL is transactional as it is; the upgrade takes an advisory lock first, so
PCs starting together on an empty (or older) database wait for the first one's upgrade and then
find the schema at head, instead of failing halfway through a CREATE TABLE of their own.

A database half upgraded by an older version is repaired first, inside the same transaction:
the tables and indexes a later revision made, beyond what the recorded revision has, are
dropped when they hold no data (see ``_leftovers``). What cannot be repaired, and a database
that is not this program's, are refused by ``needs_upgrade`` through a read-only connection,
before anything is written to the file.

A start on a database already at head loads no Alembic at all (a fifth of a second): the
revision recorded in the file is read with one SELECT, and the head is read from the revision
files' own ``revision = "…"`` / ``down_revision = "…"`` lines (``_head_of_files``; a test keeps
it equal to Alembic's answer). Anything else — an upgrade, a revision the files do not name, a
history with more than one head — is Alembic's to decide.
"""

from __future__ import annotations

import ast
import functools
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.pool import NullPool

from desk_league.data.models import Base
from desk_league.errors import DatabaseDamaged, DeskLeagueError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)
# PostgreSQL advisory locks of this program: (class, key); see data/server.py for the in-use one
ADVISORY_CLASS = 0x646C  # "dl"
MIGRATING = (ADVISORY_CLASS, 2)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    head = _head_of_files()
    if head is None:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS}")  # a broken install, not a user error
    return head


def _head_of_files() -> str | None:
    """The one revision no other revision file names as its ``down_revision``; None when the
    files do not say it plainly (then Alembic reads them)."""
    revisions, downs = set(), set()
    for file in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(file.read_text("utf-8")))
        if "revision" not in found or "down_revision" not in found:
            return None
        revision = _literal(found["revision"])
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        down = _literal(found["down_revision"])
        if isinstance(down, str):
            downs.add(down)
        elif down is not None:  # a merge of several revisions
            return None
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def _literal(text: str) -> object:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return ()  # not a plain value: Alembic reads the files


def current_revision(bind: Engine | Connection) -> str | None:
    """The revision recorded in the database (its ``alembic_version`` row); None when it has
    none."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return current_revision(conn)
    if not inspect(bind).has_table("alembic_version"):  # a new database, or not this program's
        return None
    rows = bind.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:  # several heads recorded: Alembic says which is current
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(bind).get_current_revision()
    return rows[0] if rows else None


def needs_upgrade(bind: Engine | Connection) -> bool:
    """True when the schema is behind. Raises — before anything is written — for a database a
    newer program wrote, one that is not this program's, and an interrupted upgrade that cannot
    be repaired (see ``_leftovers``); safe on a read-only connection."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return needs_upgrade(conn)
    current = current_revision(bind)
    if current == head_revision():
        return False
    refuse_newer(current)
    if bind.dialect.name == "sqlite":
        _leftovers(bind, current)
    return True


def upgrade(engine: Engine, to: str = "head") -> None:
    """Bring the schema to head (nothing when it is there), or a new, empty database to the
    revision ``to`` (a backup's copy of an older database). All or nothing."""
    if not needs_upgrade(engine):
        return
    from alembic import command

    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:  # PostgreSQL's DDL is transactional as it is
            if engine.dialect.name == "postgresql":  # released when this transaction ends
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:c, :k)"),
                    {"c": MIGRATING[0], "k": MIGRATING[1]},
                )
            current = current_revision(conn)  # again: another PC may have upgraded meanwhile
            if current == head_revision():
                return
            refuse_newer(current)
            command.upgrade(alembic_config(conn), to)
        return
    migrating = _single_transaction_engine(engine)
    try:
        with migrating.begin() as conn:
            current = current_revision(conn)  # again, now that the write lock is held
            if current == head_revision():
                return
            _drop(conn, _leftovers(conn, current))
            command.upgrade(alembic_config(conn), to)
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:  # rolls the upgrade back
                raise DatabaseDamaged(
                    f"升级数据结构时发现 {len(broken)} 条引用了不存在记录的数据"
                    f"（表 {broken[0][0]}），升级已撤销，数据未被改动。"
                )
    finally:
        migrating.dispose()


def _single_transaction_engine(engine: Engine) -> Engine:
    """A connection for the upgrade alone: BEGIN IMMEDIATE from SQLAlchemy, none from the
    driver (so DDL stays inside the transaction), foreign keys off while tables are rebuilt."""
    migrating = create_engine(engine.url, poolclass=NullPool)

    @event.listens_for(migrating, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # the driver issues no BEGIN and no COMMIT
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(migrating, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return migrating


def _schema_objects(conn: Connection) -> dict[str, str]:
    """Name → type (table, index, trigger, view) of what the schema holds, SQLite's own and
    Alembic's version table left out."""
    rows = conn.execute(
        text(
            "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'"
        )
    )
    return {name: kind for name, kind in rows}


def _schema_at(revision: str | None) -> dict[str, str]:
    """The objects a database has at ``revision``: the migrations replayed in memory."""
    from alembic import command

    memory = create_engine("sqlite://")
    try:
        with memory.begin() as conn:
            if revision is not None:
                command.upgrade(alembic_config(conn), revision)
            return _schema_objects(conn)
    finally:
        memory.dispose()


def _leftovers(conn: Connection, revision: str | None) -> dict[str, str]:
    """What an interrupted upgrade by an older version built beyond ``revision`` (older
    versions let SQLite commit each CREATE on its own): indexes, and tables that are empty or
    Alembic's own copies. A table of data the recorded revision does not know, or one this
    program never makes, is refused."""
    found = _schema_objects(conn)
    expected = _schema_at(revision) if found else {}
    extra = {name: kind for name, kind in found.items() if name not in expected}
    strangers = [
        name
        for name, kind in extra.items()
        if kind == "table"
        and name not in Base.metadata.tables
        and not name.startswith("_alembic_tmp_")
    ]
    if strangers:
        raise DeskLeagueError(
            f"这个数据库不是团委工作台的数据库（含有本程序不认识的表：{'、'.join(strangers[:5])}）。"
            "数据库未被改动；请确认选择的文件。"
        )
    for name, kind in extra.items():
        holds_data = kind == "table" and not name.startswith("_alembic_tmp_")
        if (
            holds_data
            and conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {_quoted(name)})")).scalar()
        ):
            raise DatabaseDamaged(
                "数据库上次升级数据结构时被中断，留下了未完成的部分（表 "
                f"{name} 中已有数据），无法自动修复。请用升级前的自动备份恢复；数据库未被改动。"
            )
    return extra


def _drop(conn: Connection, objects: dict[str, str]) -> None:
    if not objects:
        return
    for name, kind in sorted(objects.items(), key=lambda item: item[1] == "table"):
        conn.execute(text(f"DROP {kind.upper()} IF EXISTS {_quoted(name)}"))
    log.warning("removed what an interrupted upgrade left behind: %s", ", ".join(sorted(objects)))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def refuse_newer(revision: str | None) -> None:
    """A database a newer program wrote is refused, untouched."""
    if revision is not None and revision != head_revision() and not _known(revision):
        raise DeskLeagueError(
            f"这个数据库的数据结构版本（{revision}）比本程序新，可能已被更新版本的团委工作台打开过。"
            "请安装最新版本的团委工作台后再打开；数据库未被改动。"
        )


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        return False
