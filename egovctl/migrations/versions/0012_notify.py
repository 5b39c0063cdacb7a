"""notifications to applicants: consent and the outbox

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:00:00.000000

See docs/notify.md.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

import egovctl.models.base


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notify_consent',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('updated_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['service_request.id']),
        sa.PrimaryKeyConstraint('request_id'),
    )
    op.create_table(
        'notify_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('reg_no', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column(
            'next_attempt_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False
        ),
        sa.Column('claimed_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.Column('claim', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column('created_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(['request_id'], ['service_request.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('notify_message', schema=None) as batch_op:
        batch_op.create_index(
            'ix_notify_message_status_due', ['status', 'next_attempt_at'], unique=False
        )
        batch_op.create_index('ix_notify_message_created', ['created_at'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_notify_message_request_id'), ['request_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('notify_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_message_request_id'))
        batch_op.drop_index('ix_notify_message_created')
        batch_op.drop_index('ix_notify_message_status_due')
    op.drop_table('notify_message')
    op.drop_table('notify_consent')
