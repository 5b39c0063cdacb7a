"""Alembic environment: runs on the connection egovctl hands over (batch mode on SQLite)."""

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from egovctl.models import load_all
from egovctl.models.request import HOLD_INDEXES
from egovctl.requests.search import is_index_table

load_all()

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        # Only the plain `alembic` command gets here (egovctl hands over its connection).
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("set sqlalchemy.url, or migrate with 'egovctl db upgrade'")
        engine = create_engine(url)
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The name-search index (FTS5 on SQLite) is made of tables no model describes, and
        # the partial indexes of hold events are the migrations' alone (models/request.py).
        include_name=lambda name, type_, parents: (
            not (is_index_table(name) or name in HOLD_INDEXES)
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
