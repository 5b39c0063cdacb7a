"""name search index: folded names, FTS5 (SQLite) or a GIN text index (PostgreSQL)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:00:00.000000

`request list --search` and desk's `find` match the words of names at any position, case
and accents ignored (docs/requests.md#finding-a-request). Names stored before this revision
were only casefolded: those with other than plain ASCII letters are folded again with
``requests.search.fold_name``. Then the index is built over ``applicant_name_fold``:

- SQLite: the FTS5 table ``request_search`` (external content, no copy of the names) and the
  triggers that keep it in step with service_request in the same transaction. A later
  batch-mode migration that recreates service_request must create the triggers again
  (``requests.search.sqlite_ddl``).
- PostgreSQL: a GIN index on ``to_tsvector('simple', applicant_name_fold)``.
"""

from alembic import op
import sqlalchemy as sa

from egovctl.requests.search import fold_name, postgresql_ddl, sqlite_ddl, sqlite_drop_ddl, PG_INDEX


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _refold(conn: sa.engine.Connection) -> None:
    if conn.dialect.name == "sqlite":
        # GLOB: any character outside printable ASCII (SQLite compares code points).
        pick = "SELECT id, applicant_name FROM service_request WHERE applicant_name GLOB '*[^ -~]*'"
    else:
        pick = "SELECT id, applicant_name FROM service_request WHERE applicant_name ~ '[^ -~]'"
    rows = conn.exec_driver_sql(pick).fetchall()
    changed = [
        {"i": row_id, "f": fold_name(name)} for row_id, name in rows
    ]
    if changed:
        conn.execute(
            sa.text("UPDATE service_request SET applicant_name_fold = :f WHERE id = :i"), changed
        )


def upgrade() -> None:
    conn = op.get_bind()
    _refold(conn)
    if conn.dialect.name == "sqlite":
        for statement in sqlite_ddl():
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql("INSERT INTO request_search(request_search) VALUES ('rebuild')")
    else:
        for statement in postgresql_ddl():
            conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for statement in sqlite_drop_ddl():
            conn.exec_driver_sql(statement)
    else:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")
