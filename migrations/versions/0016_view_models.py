"""view models; named counters instead of one global data version

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 04:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'view_models',
        sa.Column('scope', sa.String(length=80), nullable=False),
        sa.Column('stamp', sa.String(length=400), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_view_models')),
    )
    # The page cache's counter that every write moved is gone; `content` stays.
    op.execute("DELETE FROM data_versions WHERE scope = 'global'")


def downgrade():
    op.drop_table('view_models')
    op.execute("DELETE FROM data_versions WHERE scope = 'global'")
    op.execute("INSERT INTO data_versions (scope, version) VALUES ('global', 1)")
