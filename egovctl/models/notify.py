"""Notifications to applicants (docs/notify.md): the consent recorded with a request, and the
outbox of messages written in the same transaction as the change that causes them."""

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field

import egovctl.models.request  # noqa: F401  (the table its foreign keys point at)
from egovctl.models.base import AwareDateTime, Entity


class NotifyConsent(Entity, table=True):
    """How the applicant agreed to be told about their request: one row per request that
    has a channel; no row (or channel ``none``) means no message is ever queued."""

    __tablename__ = "notify_consent"

    request_id: int = Field(foreign_key="service_request.id", primary_key=True)
    channel: str = Field(max_length=10)  # wa, sms, email or none
    address: str | None = None  # +62... for wa and sms, the e-mail address for email
    updated_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class NotifyMessage(Entity, table=True):
    """One message in the outbox. ``status`` is pending, sending, sent or failed; a
    ``sending`` message whose claim is older than the lease belongs to a sender that died
    and is taken again (with the same id, the gateway's Idempotency-Key)."""

    __tablename__ = "notify_message"
    __table_args__ = (
        # What the sender claims: due messages, oldest first.
        Index("ix_notify_message_status_due", "status", "next_attempt_at"),
        Index("ix_notify_message_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_request.id", index=True)
    reg_no: str = Field(max_length=60)
    event: str = Field(max_length=20)
    channel: str = Field(max_length=10)
    address: str
    # The facts the template is rendered from, as JSON (reg no, dates, the reason ...).
    data: str = Field(sa_column=Column(Text(), nullable=False))
    text: str | None = Field(default=None, sa_column=Column(Text()))
    status: str = Field(max_length=10, default="pending")
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    claimed_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    claim: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))
    error: str | None = None
