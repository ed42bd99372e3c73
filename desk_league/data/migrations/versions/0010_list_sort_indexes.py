"""indexes for every column the long lists sort by

Revision ID: 0010
Revises: 0007

The volunteer and service-record lists page by key (``services/listing.py``): a sort by a column
reads ``WHERE (column, id) > (…) ORDER BY column, id LIMIT 200`` straight from an index on
(column, id), so every page of 1,000,000 records costs what the first does. Without the index
each page sorted the whole table (a sort by 服务地点 took 5–7 s at 1,000,000 records). Columns
with no index here are not offered for sorting in those lists (their header says so).

The 团员 list (person joined to league_member) sorts by 出生日期 and 入团日期 too; the index on
birth dates also serves its age filters (超龄离团, age bands).

The indexes on ``deleted_at`` of volunteer, person and league_member go: nearly every row holds
NULL there, yet SQLite, which keeps no statistics unless asked, took ``deleted_at IS NULL`` for a
narrow search and chose that index over the list's order — then computed every row's hours and sorted 100,000
of them for each page of 200 (0.3 s instead of 3 ms). The recycle bin reads the few deleted rows
with a scan.
"""

from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_volunteer_registered_on_id", "volunteer", ["registered_on", "id"]),
    ("ix_volunteer_team_id", "volunteer", ["team", "id"]),
    ("ix_volunteer_status_id", "volunteer", ["status", "id"]),
    ("ix_service_record_place_id", "service_record", ["place", "id"]),
    ("ix_service_record_organiser_id", "service_record", ["organiser", "id"]),
    ("ix_service_record_hours_id", "service_record", ["hours", "id"]),
    ("ix_service_record_status_id", "service_record", ["status", "id"]),
    ("ix_person_birth_date_id", "person", ["birth_date", "id"]),
    ("ix_person_league_joined_on_id", "person", ["league_joined_on", "id"]),
]


DROPPED = [
    ("ix_volunteer_deleted_at", "volunteer", ["deleted_at"]),
    ("ix_person_deleted_at", "person", ["deleted_at"]),
    ("ix_league_member_deleted_at", "league_member", ["deleted_at"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for name, table, _columns in DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in DROPPED:
        op.create_index(name, table, columns)
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
