"""vignette drafts remember the furthest stage opened (earlier answers are then frozen)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 21:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    # 0 for the drafts already open: nothing of them is frozen until their next page.
    with op.batch_alter_table("vignette_drafts") as batch:
        batch.add_column(sa.Column("opened_through", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade():
    with op.batch_alter_table("vignette_drafts") as batch:
        batch.drop_column("opened_through")
