"""Alembic environment: the engine comes from desk_league.data.migrate (never from an ini file)."""

from alembic import context
from sqlalchemy import create_engine

from desk_league.data.models import Base

config = context.config
engine = config.attributes.get("engine") or create_engine(
    config.get_main_option("sqlalchemy.url", "")
)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copy
        compare_type=True,
    )
    context.run_migrations()
