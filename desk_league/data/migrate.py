"""Alembic, driven from code: the schema is brought to head at every start (after a backup)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from desk_league.errors import DeskLeagueError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS}")  # a broken install, not a user error
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    current = current_revision(engine)
    if current == head_revision():
        return
    refuse_newer(current)
    command.upgrade(alembic_config(engine), "head")


def refuse_newer(revision: str | None) -> None:
    """A database a newer program wrote is refused, untouched."""
    if revision is not None and revision != head_revision() and not _known(revision):
        raise DeskLeagueError(
            f"这个数据库的数据结构版本（{revision}）比本程序新，可能已被更新版本的团委工作台打开过。"
            "请安装最新版本的团委工作台后再打开；数据库未被改动。"
        )


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        return False
