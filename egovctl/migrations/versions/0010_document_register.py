"""document register: every printed PDF, its hash and its signer

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 06:45:00.000000

See docs/signing.md.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

import egovctl.models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('agency', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('created_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('signer', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('signed_at', egovctl.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.Column('timestamped', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index('ix_document_kind', ['kind'], unique=False)
        batch_op.create_index('ix_document_sha256', ['sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index('ix_document_sha256')
        batch_op.drop_index('ix_document_kind')
    op.drop_table('document')
