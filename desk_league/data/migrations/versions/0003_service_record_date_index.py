"""index service records by date for the list's newest-first order

Revision ID: 0003
Revises: 0002

The service-records list opens sorted by date (newest first); without an index SQLite sorted
100,000 rows for every first page (about 30 ms warm, more cold); with it the page is read in
index order (about 3 ms).
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_service_record_date_id", "service_record", ["served_on", "id"])


def downgrade() -> None:
    op.drop_index("ix_service_record_date_id", table_name="service_record")
