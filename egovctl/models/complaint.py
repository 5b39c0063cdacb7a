"""Complaints (pengaduan), their events and their number counters (docs/complaints.md)."""

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field

import egovctl.models.catalogue  # noqa: F401  (tables its foreign keys point at)
import egovctl.models.request  # noqa: F401
from egovctl.models.base import AwareDateTime, Entity


class Complaint(Entity, table=True):
    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_status_due", "status", "respond_due"),
        Index("ix_complaint_agency_received", "agency_id", "received_date"),
        Index("ix_complaint_received_date", "received_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=60, unique=True, index=True)
    agency_id: int = Field(foreign_key="agency.id")
    request_id: int | None = Field(default=None, foreign_key="service_request.id")
    procedure_id: int | None = Field(default=None, foreign_key="procedure.id")
    lapor_id: str | None = Field(default=None, max_length=60)
    channel: str = Field(max_length=20)
    status: str = Field(max_length=20, default="received")
    # As received; never changed (its hash is in the audit log).
    text: str = Field(sa_column=Column(Text(), nullable=False))
    complainant_name: str | None = None
    complainant_contact: str | None = None
    anonymous: bool = False
    received_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    received_date: date  # the office-local calendar day of receipt
    respond_due: date
    assigned_to: str | None = Field(default=None, max_length=64)
    response: str | None = Field(default=None, sa_column=Column(Text()))
    responded_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    responded_date: date | None = None
    outcome: str | None = Field(default=None, max_length=20)
    closed_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    closed_date: date | None = None
    updated_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class ComplaintEvent(Entity, table=True):
    __tablename__ = "complaint_event"
    __table_args__ = (UniqueConstraint("complaint_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id")
    seq: int
    at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    action: str = Field(max_length=20)
    actor: str = Field(max_length=64)
    note: str | None = Field(default=None, sa_column=Column(Text()))


class ComplaintCounter(Entity, table=True):
    """The last complaint number given per agency and year (``numbering.next_number``)."""

    __tablename__ = "complaint_counter"

    agency_id: int = Field(foreign_key="agency.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0
