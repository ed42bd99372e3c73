"""Alembic environment: the program hands over a connection already inside its transaction
(``desk_league.data.migrate``), so the whole upgrade commits or rolls back as one.

Run from the ``alembic`` command line (a developer's autogenerate), it opens the database named
by ``sqlalchemy.url`` itself.
"""

from alembic import context
from sqlalchemy import create_engine

from desk_league.data.models import Base

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copy
        compare_type=True,
        transactional_ddl=True,
    )
    context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with create_engine(config.get_main_option("sqlalchemy.url") or "").begin() as own_connection:
        _run(own_connection)
