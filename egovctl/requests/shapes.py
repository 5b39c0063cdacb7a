"""The shapes of a request that commands print (docs/requests.md) and the one function that builds
them from a stored request, kept apart from the queries so that the views can name them."""

from __future__ import annotations

from datetime import date
from typing import Any, NotRequired, Protocol, TypedDict

from egovctl.requests.vocabulary import Channel, Status, as_channel, as_status
from egovctl.timeutil import local_iso


class ApplicantDict(TypedDict):
    name: str
    nik: str
    phone: str | None
    address: str | None


class StepDict(TypedDict):
    position: int
    name: str
    actor: str | None
    days: int | None


class EventDict(TypedDict):
    at: str | None
    action: str
    actor: str
    note: str | None


class RequestRow(TypedDict):
    """One request as ``request list --json`` gives it."""

    reg_no: str
    procedure: str
    procedure_name: str
    version: int
    agency: str
    status: Status
    step: int
    steps: int
    applicant: ApplicantDict
    channel: Channel
    received_at: str | None
    due_date: str
    ready_at: str | None
    delivered_at: str | None
    delivered_to: str | None
    closed_at: str | None
    on_hold_since: str | None
    overdue: bool


class RequestDetail(RequestRow):
    """One request with its steps and history, as log, show and every move give it; the
    ``NotRequired`` keys are for the terminal views (``today``, days left or overdue) or
    appear only when there is something to say (``warnings`` of ``request log``)."""

    sla_days: int
    step_list: list[StepDict]
    events: NotRequired[list[EventDict]]
    working_days_left: NotRequired[int]
    days_overdue: NotRequired[int]
    today: NotRequired[str]
    warnings: NotRequired[list[str]]
    # The day the SLA counts from, when the application came after the cut-off.
    counted_from: NotRequired[str]
    # The agency's service hours as printed (``request show`` only; empty when not given).
    service_hours: NotRequired[list[str]]
    # How the applicant is told (docs/notify.md): {"channel", "to"}; log and show.
    notify: NotRequired[dict[str, str | None]]


class RequestFields(Protocol):
    """What the shapes read of a request: a ``ServiceRequest`` or a row of its table."""

    @property
    def reg_no(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def step(self) -> int: ...
    @property
    def applicant_name(self) -> str: ...
    @property
    def nik(self) -> str: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def address(self) -> str | None: ...
    @property
    def channel(self) -> str: ...
    @property
    def received_at(self) -> Any: ...
    @property
    def due_date(self) -> date: ...
    @property
    def ready_at(self) -> Any: ...
    @property
    def delivered_at(self) -> Any: ...
    @property
    def delivered_to(self) -> str | None: ...
    @property
    def closed_at(self) -> Any: ...
    @property
    def hold_started(self) -> date | None: ...


def row_dict(
    req: RequestFields,
    procedure: str,
    version: int,
    procedure_name: str,
    agency: str,
    n_steps: int,
    tz: str,
    today: date,
    mask: bool,
) -> RequestRow:
    from egovctl.identity import mask_nik
    from egovctl.requests.workdays import is_overdue

    return {
        "reg_no": req.reg_no,
        "procedure": procedure,
        "procedure_name": procedure_name,
        "version": version,
        "agency": agency,
        "status": as_status(req.status),
        "step": req.step,
        "steps": n_steps,
        "applicant": {
            "name": req.applicant_name,
            "nik": mask_nik(req.nik) if mask else req.nik,
            "phone": req.phone,
            "address": req.address,
        },
        "channel": as_channel(req.channel),
        "received_at": local_iso(req.received_at, tz),
        "due_date": req.due_date.isoformat(),
        "ready_at": local_iso(req.ready_at, tz),
        "delivered_at": local_iso(req.delivered_at, tz),
        "delivered_to": req.delivered_to,
        "closed_at": local_iso(req.closed_at, tz),
        "on_hold_since": req.hold_started.isoformat() if req.hold_started else None,
        "overdue": is_overdue(req.status, req.due_date, today),
    }
