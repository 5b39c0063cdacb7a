"""Staff members, their roles and passwords, and their login sessions (docs/staff-and-audit.md)."""

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
    # A salted scrypt hash (staff/passwords.py), never the password; None for a member added
    # before passwords, who cannot act once anyone has one (staff/sessions.py).
    password_hash: str | None = Field(default=None, max_length=200)
    password_changed_at: datetime | None = Field(
        default=None, sa_column=Column(AwareDateTime(), nullable=True)
    )
    # Wrong passwords in a row; the fifth locks the member until locked_until.
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(
        default=None, sa_column=Column(AwareDateTime(), nullable=True)
    )


class StaffSession(Entity, table=True):
    """A login session (``egovctl login``): the token itself lives only in the OS user's
    data dir; the database keeps its SHA-256, so ending a row ends the session at once."""

    __tablename__ = "staff_session"
    if TYPE_CHECKING:
        __table__: ClassVar[Table]

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    os_user: str = Field(max_length=64)
    started_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    ended_at: datetime | None = Field(
        default=None, sa_column=Column(AwareDateTime(), nullable=True)
    )
