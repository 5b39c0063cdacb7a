"""The document register: every PDF egovctl printed, by an id nobody can guess (docs/signing.md)."""

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field

from egovctl.models.base import AwareDateTime, Entity


class RegisteredDocument(Entity, table=True):
    __tablename__ = "document"

    # 10 characters drawn with `secrets` (egovctl.documents.register.new_id): printed in the QR
    # code and the verification address, so it must not be counted or guessed.
    id: str = Field(primary_key=True, max_length=10)
    kind: str = Field(max_length=30, index=True)
    # The registration number, procedure or agency code the document is about, never a name.
    subject: str | None = Field(default=None, max_length=200)
    agency: str | None = Field(default=None, max_length=60)
    title: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    created_by: str = Field(max_length=64)
    # SHA-256 of the final bytes (signed ones when signed): how `egovctl verify` finds a file.
    sha256: str = Field(max_length=64, index=True)
    signer: str | None = Field(default=None, max_length=200)
    signed_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    timestamped: bool = False
