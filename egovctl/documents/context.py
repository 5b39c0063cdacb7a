"""The shapes of what the bundled templates receive, for the type checker.

``templates/README.md`` describes the same shapes for template authors; a change to one is a
change to the other. Agencies and procedures arrive as the catalogue's plain dicts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict

if TYPE_CHECKING:
    from egovctl.catalogue.queries import AgencyRecord, ProcedureRecord

Paper = Literal["a5", "80mm"]


class ApplicantContext(TypedDict):
    name: str
    nik: str
    phone: str | None
    address: str | None


class ReceiptProcedure(TypedDict):
    code: str
    name: str
    version: int


class RequirementContext(TypedDict):
    name: str
    copies: int | None
    optional: bool | None
    note: str | None


class OfficerContext(TypedDict):
    name: str
    username: str


class ReceiptRequest(TypedDict):
    reg_no: str
    received_at: dt.datetime
    due_date: dt.date
    sla_days: int
    fee: int
    status: str
    applicant: ApplicantContext
    procedure: ReceiptProcedure
    agency: AgencyRecord
    requirements: list[RequirementContext]
    officer: OfficerContext
    # The working day the SLA counts from, when the application came after the cut-off.
    counted_from: NotRequired[dt.date]
    # How the applicant is told of each step ({"channel": wa|sms|email, "to"}), when asked.
    notify: NotRequired[dict[str, str | None]]


class ReceiptContext(TypedDict):
    request: ReceiptRequest
    paper: Paper


class StandardContext(TypedDict):
    procedure: ProcedureRecord
    agency: AgencyRecord


class CatalogueContext(TypedDict):
    agency: AgencyRecord | None
    procedures: list[dict[str, Any]]


class MaklumatContext(TypedDict):
    agency: AgencyRecord
    date: dt.date


class SignerContext(TypedDict):
    name: str
    title: str
    nip: str | None
    unit: NotRequired[str]


class AnnouncementContext(TypedDict):
    title: str
    number: str | None
    body_markdown: str
    images: dict[str, str]  # image source as parsed -> data: URI
    signer: SignerContext | None
    agency: AgencyRecord | None  # the signing head's agency: its letterhead
    date: dt.date


class ReadyRow(TypedDict):
    reg_no: str
    name: str
    nik: str
    procedure: str
    ready_at: dt.datetime | None


class ReadyListContext(TypedDict):
    agency: AgencyRecord | None
    rows: list[ReadyRow]
    generated_at: dt.datetime


DocumentContext = (
    ReceiptContext
    | StandardContext
    | CatalogueContext
    | MaklumatContext
    | AnnouncementContext
    | ReadyListContext
)
