"""registration-number high-water marks kept across restores

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 04:10:00.000000

`db restore` of an older backup would rewind the number counters and give a number already
printed on a citizen's receipt to the next applicant. Restore now records, per agency code
and year, the highest number issued before it, and numbering continues above it.

Restore may already have created the table in a restored database of an older schema (it
keeps the marks there until `db upgrade`), so it is created only when missing.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table('reg_high_water'):
        return
    op.create_table(
        'reg_high_water',
        sa.Column('agency_code', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('agency_code', 'year'),
    )


def downgrade() -> None:
    op.drop_table('reg_high_water')
