"""Databases as older versions left them: at an older revision, or half upgraded."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from desk_league.data.migrate import alembic_config
from desk_league.data.models import Base

OLDEST = "0001"


@contextmanager
def written_by_todays_models(engine):
    """Today's models writing rows into an old schema: the columns later migrations added
    (``version``, 0008; ``organisation.student`` and ``volunteer.guardian_consent``, 0009) are
    there while they write, and gone again afterwards, as the old program left the file."""
    present = {t: {c["name"] for c in inspect(engine).get_columns(t)} for t in _tables(engine)}
    added = [
        (table.name, column)
        for table in Base.metadata.sorted_tables
        if table.name in present
        for column in table.c
        if column.name not in present[table.name]
    ]
    with engine.begin() as conn:
        for table, column in added:
            kind = column.type.compile(dialect=engine.dialect)
            default = column.server_default.arg if column.server_default is not None else None
            # a string default is a literal (quoted); false() and no default: 0
            default = "'" + default.replace("'", "''") + "'" if isinstance(default, str) else "0"
            conn.exec_driver_sql(
                f"ALTER TABLE {table} ADD COLUMN {column.name} {kind} NOT NULL DEFAULT {default}"
            )
    yield
    with engine.begin() as conn:
        for table, column in added:
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column.name}")


def _tables(engine) -> list[str]:
    return inspect(engine).get_table_names()


def at_revision(source: Path, target: Path, revision: str = OLDEST) -> Path:
    """A copy of ``source`` (a database at head) brought down to ``revision``, data kept."""
    shutil.copyfile(source, target)
    engine = create_engine(f"sqlite:///{target}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
    engine.dispose()
    return target


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table, read through a plain connection."""
    with sqlite3.connect(path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name != 'alembic_version'"
            )
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    conn.close()
    return counts


def revision_of(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    conn.close()
    return row[0] if row else None


def index_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    return names
