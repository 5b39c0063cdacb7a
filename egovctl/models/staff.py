"""Staff members and their roles."""

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import Column, Table
from sqlmodel import Field

import egovctl.models.catalogue  # noqa: F401  (tables its foreign keys point at)
from egovctl.models.base import AwareDateTime, Entity

ROLES = ("admin", "supervisor", "counter", "clerk")


class Staff(Entity, table=True):
    if TYPE_CHECKING:
        # Set by SQLAlchemy; declared for the Core statements every command's permission
        # check runs (``Staff.__table__.c``: no ORM mapper set-up).
        __table__: ClassVar[Table]

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    name: str
    role: str = Field(max_length=20)
    nip: str | None = Field(default=None, max_length=18)
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    active: bool = True
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
