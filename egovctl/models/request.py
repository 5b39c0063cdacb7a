"""Service requests (permohonan), their events and the registration-number counters."""

from datetime import date, datetime

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field

import egovctl.models.catalogue  # noqa: F401  (tables its foreign keys point at)
from egovctl.models.base import AwareDateTime, Entity
from egovctl.requests.vocabulary import CHANNELS, OPEN_STATUSES, STATUSES  # noqa: F401


class ServiceRequest(Entity, table=True):
    __tablename__ = "service_request"
    __table_args__ = (
        Index("ix_service_request_status_due", "status", "due_date"),
        Index("ix_service_request_agency_received", "agency_id", "received_date", "procedure_id"),
        # Reports: requests received in a period per procedure, and finished ones with what
        # the on-time and median figures need, read from the index alone.
        Index("ix_service_request_received_proc", "received_date", "procedure_id"),
        Index(
            "ix_service_request_ready_cover",
            "ready_date",
            "procedure_id",
            "received_date",
            "due_date",
            "closed_date",
        ),
        Index("ix_service_request_closed_date", "closed_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reg_no: str = Field(max_length=60, unique=True, index=True)
    agency_id: int = Field(foreign_key="agency.id")
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    version_id: int = Field(foreign_key="procedure_version.id")
    status: str = Field(max_length=20, default="in_progress")
    step: int = 1
    applicant_name: str
    # Casefolded copy for portable search (LIKE '%...%': no index could serve it).
    applicant_name_fold: str
    nik: str = Field(max_length=16, index=True)
    phone: str | None = None
    address: str | None = None
    channel: str = Field(max_length=10, default="counter")
    note: str | None = None
    received_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    received_date: date  # the office-local calendar day of receipt
    # The day the SLA counts from when it is not ``received_date``: the next day, for an
    # application received after the office's cut-off or closing time
    # (docs/requests.md#due-dates-and-the-sla).
    counted_from: date | None = None
    due_date: date = Field(index=True)
    hold_started: date | None = None  # local day the current hold began
    ready_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    ready_date: date | None = None
    delivered_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    delivered_to: str | None = None
    closed_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    closed_date: date | None = None
    updated_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


# The events that make a hold, and its end; a query that names them by this very text can
# use the partial indexes of migration 0013 (ix_request_event_holds over HOLD_EVENTS,
# ix_request_event_resumes over RESUME_EVENTS): SQLite matches a partial index's condition
# only as written.
HOLD_EVENTS = "action IN ('hold', 'resume')"
RESUME_EVENTS = "action = 'resume'"
HOLD_INDEXES = ("ix_request_event_holds", "ix_request_event_resumes")


class RequestEvent(Entity, table=True):
    __tablename__ = "request_event"
    # The unique (request_id, seq) index also serves look-ups by request; `at` is indexed for
    # the officers report (events in a period). No index on actor: every event pays for each.
    # Two partial indexes of the hold and resume events (HOLD_INDEXES) are made by migration
    # 0013 alone: a postgresql_where here would load SQLAlchemy's whole PostgreSQL dialect
    # (35 ms) in every command that reads requests.
    __table_args__ = (UniqueConstraint("request_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_request.id")
    seq: int
    at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False, index=True))
    action: str = Field(max_length=20)
    actor: str = Field(max_length=64)
    note: str | None = None


class RegCounter(Entity, table=True):
    """The last registration number given per agency and year."""

    __tablename__ = "reg_counter"

    agency_id: int = Field(foreign_key="agency.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


class RegHighWater(Entity, table=True):
    """The highest registration number an agency had issued in a year when the database was
    restored from an older backup: numbering continues above it (docs/requests.md).

    Keyed by the agency's code, the prefix of its numbers, rather than its id: the backup
    may predate the agency, which a later catalogue import then creates with a new id.
    """

    __tablename__ = "reg_high_water"

    agency_code: str = Field(max_length=30, primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0
