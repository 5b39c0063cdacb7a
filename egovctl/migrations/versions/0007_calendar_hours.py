"""calendar recompute and service hours

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:00:00.000000

Service hours (docs/catalogue.md#service-hours): an agency's `hours` (canonical JSON), a
declared working day's own hours, and on each request the day its SLA counts from when an application came in after the
cut-off (`counted_from`; empty means the day of receipt). Recomputing due dates after a
calendar change reads open requests by (status, due_date), an index that exists since 0001.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('calendar_day', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted_from', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_column('counted_from')
    with op.batch_alter_table('calendar_day', schema=None) as batch_op:
        batch_op.drop_column('hours')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('hours')
