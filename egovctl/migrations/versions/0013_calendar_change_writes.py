"""cheaper calendar changes: audit_log.hash not unique-indexed, an index of hold events

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 13:00:00.000000

A calendar change that moves thousands of due dates (bench/README.md, issue 20):

- appends as many audit records. The hash chain already proves every record (``audit
  verify`` recomputes each hash and link); a unique index over 64 random hex characters
  proved nothing more, and each append wrote to a random page of it: half the cost of
  writing the records.
- reads the holds of every request it looks at. Through the (request_id, seq) index that
  meant reading each request's every event; ``ix_request_event_holds`` is a small partial,
  covering index of the hold and resume events alone, and ``ix_request_event_resumes`` finds
  the holds resumed since a day without walking every event since then.
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# SQLite's unique constraint has no name: batch mode names it by this convention to drop it.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


HOLD_EVENTS = "action IN ('hold', 'resume')"
RESUME_EVENTS = "action = 'resume'"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        with op.batch_alter_table("audit_log", naming_convention=NAMING) as batch_op:
            batch_op.drop_constraint("uq_audit_log_hash", type_="unique")
    else:
        for constraint in sa.inspect(conn).get_unique_constraints("audit_log"):
            if constraint["column_names"] == ["hash"]:
                op.drop_constraint(constraint["name"], "audit_log", type_="unique")
    op.create_index(
        "ix_request_event_holds",
        "request_event",
        ["request_id", "seq", "action", "at"],
        sqlite_where=sa.text(HOLD_EVENTS),
        postgresql_where=sa.text(HOLD_EVENTS),
    )
    op.create_index(
        "ix_request_event_resumes",
        "request_event",
        ["at", "request_id"],
        sqlite_where=sa.text(RESUME_EVENTS),
        postgresql_where=sa.text(RESUME_EVENTS),
    )


def downgrade() -> None:
    op.drop_index("ix_request_event_resumes", table_name="request_event")
    op.drop_index("ix_request_event_holds", table_name="request_event")
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.create_unique_constraint("uq_audit_log_hash", ["hash"])
