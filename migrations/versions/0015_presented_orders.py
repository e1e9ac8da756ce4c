"""presented option orders on drafts and attempts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

TABLES = ('vignette_drafts', 'vignette_attempts', 'module_attempts')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('presented', sa.JSON(), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('presented')
