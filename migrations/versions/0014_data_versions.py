"""data versions (the page cache's counter)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-22 19:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_versions',
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_data_versions')),
    )
    op.bulk_insert(table, [{'scope': 'global', 'version': 1},
                           {'scope': 'content', 'version': 1}])


def downgrade():
    op.drop_table('data_versions')
