"""The append-only, hash-chained audit log and its head (the newest record's hash)."""

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import Column, Table, Text
from sqlmodel import Field

from egovctl.models.base import AwareDateTime, Entity


class AuditRecord(Entity, table=True):
    __tablename__ = "audit_log"
    if TYPE_CHECKING:
        # Set by SQLAlchemy; declared for the Core statements of every append.
        __table__: ClassVar[Table]

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False, index=True))
    actor: str = Field(max_length=64, index=True)
    action: str = Field(max_length=40, index=True)
    entity: str = Field(index=True)
    details: str = Field(sa_column=Column(Text, nullable=False))  # canonical JSON
    prev_hash: str = Field(max_length=64)
    # Not unique-indexed: the chain proves each hash (migration 0013).
    hash: str = Field(max_length=64)


class AuditHead(Entity, table=True):
    """One row: the newest record's hash. Locking it serialises appends on every database."""

    __tablename__ = "audit_head"
    if TYPE_CHECKING:
        __table__: ClassVar[Table]

    id: int = Field(default=1, primary_key=True)
    last_id: int = 0
    last_hash: str = Field(max_length=64, default="0" * 64)
