"""Column types shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel
from sqlmodel.main import SQLModelConfig

if TYPE_CHECKING:
    from sqlalchemy import Table


class AwareDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored as UTC on every database.

    SQLite has no timezone type; storing UTC and re-attaching the zone on the way out gives
    the same aware values back on SQLite and PostgreSQL (timestamptz).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a timezone-aware column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Entity(SQLModel):
    """The base of every table and its shared field sets.

    Pydantic builds a model's validator when the class is defined unless told to wait; egovctl
    rarely validates table objects (only some are ever built from dicts), so each command would
    pay for 13 validators it never uses. ``defer_build`` builds one on first use instead.
    """

    model_config = SQLModelConfig(defer_build=True)

    if TYPE_CHECKING:
        # SQLAlchemy sets it on every table class; declared so that the Core statements of the
        # hot paths (``Model.__table__.c``: no mapper configuration) type-check.
        __table__: ClassVar[Table]
