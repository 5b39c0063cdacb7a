"""staff passwords, lock-out and login sessions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:40:00.000000

See docs/staff-and-audit.md#who-is-acting. Members that exist before this revision get no
password: the database stays in single-user mode until an admin has one.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

import egovctl.models.base


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                'password_changed_at',
                egovctl.models.base.AwareDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(
            sa.Column('locked_until', egovctl.models.base.AwareDateTime(timezone=True), nullable=True)
        )
    # The default only fills the existing rows; the model gives new ones their 0.
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.alter_column('failed_logins', server_default=None)
    op.create_table(
        'staff_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('os_user', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('started_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index('ix_staff_session_token_hash', ['token_hash'], unique=True)
        batch_op.create_index('ix_staff_session_staff_id', ['staff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_session_staff_id')
        batch_op.drop_index('ix_staff_session_token_hash')
    op.drop_table('staff_session')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('password_hash')
