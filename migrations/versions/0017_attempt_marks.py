"""attempts indexed by organisation and id (the view models' stamp reads the last id)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 12:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

TABLES = ("module_attempts", "vignette_attempts")


def upgrade():
    # (organisation_id, id) answers "the organisation's last attempt" from the index on
    # PostgreSQL too (SQLite's rowid already sat in the old one) and serves every lookup
    # by organisation the old index served.
    for table in TABLES:
        op.create_index(f"ix_{table}_organisation_id_id", table, ["organisation_id", "id"])
        op.drop_index(f"ix_{table}_organisation_id", table_name=table)


def downgrade():
    for table in TABLES:
        op.create_index(f"ix_{table}_organisation_id", table, ["organisation_id"])
        op.drop_index(f"ix_{table}_organisation_id_id", table_name=table)
