"""name search: the table of the names' words (SQLite)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 13:20:00.000000

``request_search_words`` holds every word of the applicants' names, as the FTS5 index cuts
them: a search word longer than the index's prefixes is matched as the known words that
start with it, which FTS5 reads newest first and stops at the page
(``requests.search._fts_word``). Filled here from the names stored before it; egovctl adds
the words of each request it logs. PostgreSQL's GIN index needs nothing.
"""

from alembic import op

from egovctl.requests.search import WORDS_TABLE, fill_words, sqlite_words_ddl


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(sqlite_words_ddl())
        fill_words(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {WORDS_TABLE}")
