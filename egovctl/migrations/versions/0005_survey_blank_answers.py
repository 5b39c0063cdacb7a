"""survey answers may leave an unsur blank

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:10:00.000000

PermenPANRB 14/2017 divides each unsur's sum by the respondents who answered that unsur, so a
paper form with a question left blank is still counted: the nine score columns become
nullable. Downgrading fails while a blank answer exists (a score cannot be made up).
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = [f"u{i}" for i in range(1, 10)]


def upgrade() -> None:
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
