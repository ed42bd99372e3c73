"""sort keys of people's names: pinyin and 姓氏笔画

Revision ID: 0005
Revises: 0003

Lists and registers order Chinese names by pinyin or by surname strokes, not by code point.
The keys (desk_league.domain.names.name_key: fixed-width ASCII, so SQLite and PostgreSQL order
them alike under any collation) are kept by the services that write a person's name; an index on
the pinyin key lets the volunteer list of 10,000 people page through it in order.
"""

import sqlalchemy as sa
from alembic import op

from desk_league.domain.names import KEY_LENGTH, PINYIN, STROKES, name_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_pinyin", sa.String(KEY_LENGTH), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("name_strokes", sa.String(KEY_LENGTH), nullable=False, server_default="")
        )
        batch_op.create_index("ix_person_name_pinyin", ["name_pinyin", "id"])
        batch_op.create_index("ix_person_name_strokes", ["name_strokes", "id"])
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_pinyin", sa.String),
        sa.column("name_strokes", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(person.c.id, person.c.name)).all()
    update = (
        person.update()
        .where(person.c.id == sa.bindparam("person_id"))
        .values(name_pinyin=sa.bindparam("pinyin"), name_strokes=sa.bindparam("strokes"))
    )
    for start in range(0, len(rows), BATCH):
        connection.execute(
            update,
            [
                {
                    "person_id": row.id,
                    "pinyin": name_key(row.name, PINYIN),
                    "strokes": name_key(row.name, STROKES),
                }
                for row in rows[start : start + BATCH]
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name_strokes")
        batch_op.drop_index("ix_person_name_pinyin")
        batch_op.drop_column("name_strokes")
        batch_op.drop_column("name_pinyin")
