"""student branches and guardian consent: what the rules at the door need to know

Revision ID: 0009
Revises: 0008

A student branch (学生团支部) elects every year, other branches every two or three years: the
term check needs to tell them apart. A volunteer registered under 18 needs a guardian's consent
(注册志愿者须经监护人同意): the register keeps whether it is on file.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN on both SQLite and PostgreSQL: no table is rebuilt (organisation is
    # referenced from everywhere, and SQLite refuses to drop it with foreign keys on)
    op.add_column(
        "organisation",
        sa.Column("student", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "volunteer",
        sa.Column("guardian_consent", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("volunteer", schema=None) as batch_op:
        batch_op.drop_column("guardian_consent")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("student")
