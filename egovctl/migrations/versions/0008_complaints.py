"""complaints (pengaduan): the register, its events and number counters

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02 05:00:00.000000

See docs/complaints.md.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

import egovctl.models.base


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'complaint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('procedure_id', sa.Integer(), nullable=True),
        sa.Column('lapor_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('complainant_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('complainant_contact', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('anonymous', sa.Boolean(), nullable=False),
        sa.Column('received_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column('received_date', sa.Date(), nullable=False),
        sa.Column('respond_due', sa.Date(), nullable=False),
        sa.Column('assigned_to', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('response', sa.Text(), nullable=True),
        sa.Column('responded_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.Column('responded_date', sa.Date(), nullable=True),
        sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column('closed_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.Column('closed_date', sa.Date(), nullable=True),
        sa.Column('updated_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id']),
        sa.ForeignKeyConstraint(['request_id'], ['service_request.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_number', ['number'], unique=True)
        batch_op.create_index('ix_complaint_status_due', ['status', 'respond_due'], unique=False)
        batch_op.create_index(
            'ix_complaint_agency_received', ['agency_id', 'received_date'], unique=False
        )
        batch_op.create_index('ix_complaint_received_date', ['received_date'], unique=False)
    op.create_table(
        'complaint_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('complaint_id', 'seq'),
    )
    op.create_table(
        'complaint_counter',
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.PrimaryKeyConstraint('agency_id', 'year'),
    )


def downgrade() -> None:
    op.drop_table('complaint_counter')
    op.drop_table('complaint_event')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_received_date')
        batch_op.drop_index('ix_complaint_agency_received')
        batch_op.drop_index('ix_complaint_status_due')
        batch_op.drop_index('ix_complaint_number')
    op.drop_table('complaint')
