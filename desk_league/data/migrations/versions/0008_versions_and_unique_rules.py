"""record versions; one nomination per batch, honour type and nominee

Revision ID: 0008
Revises: 0005

Several PCs on one database: every record a clerk edits gets a ``version`` that each UPDATE
checks and bumps, so a save based on what another PC has since changed is refused instead of
overwriting it. Nominations get the partial unique indexes that make "one nomination per batch,
honour type and nominee" the database's rule too. Duplicates that two PCs could already have
saved are moved to the recycle bin (the first one of each stays) so the indexes can be built.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None

VERSIONED = (
    "organisation",
    "person",
    "league_recommendation",
    "volunteer",
    "service_record",
    "plan",
    "plan_item",
    "activity",
    "attachment",
    "key_date",
    "info_report",
    "honour_type",
    "commendation",
    "nomination",
    "honour",
    "honour_review",
    "certificate_template",
)

# index name → (columns, the live rows it covers)
NOMINATION_INDEXES = {
    "uq_nomination_person": (
        ("commendation_id", "honour_type_id", "person_id"),
        "person_id IS NOT NULL",
    ),
    "uq_nomination_organisation": (
        ("commendation_id", "honour_type_id", "organisation_id"),
        "person_id IS NULL AND collective_name = ''",
    ),
    "uq_nomination_collective": (
        ("commendation_id", "honour_type_id", "collective_name"),
        "collective_name != ''",
    ),
}


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    for name, (columns, condition) in NOMINATION_INDEXES.items():
        live = f"deleted_at IS NULL AND {condition}"
        listed = ", ".join(columns)
        op.execute(
            f"UPDATE nomination SET deleted_at = CURRENT_TIMESTAMP WHERE {live} AND id NOT IN "
            f"(SELECT min(id) FROM nomination WHERE {live} GROUP BY {listed})"
        )
        where = sa.text(live)
        op.create_index(
            name,
            "nomination",
            list(columns),
            unique=True,
            sqlite_where=where,
            postgresql_where=where,
        )


def downgrade() -> None:
    for name in NOMINATION_INDEXES:
        op.drop_index(name, table_name="nomination")
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
