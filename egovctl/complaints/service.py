"""Complaints, the write paths: recording (numbering, deadline) and the status machine.

Every step runs in one write transaction that checks the actor's role, appends an event and
an audit record; a refused step raises before anything is written. The complaint's text is
written once, here, and its SHA-256 goes into the audit record, so ``egovctl audit verify``
notices a text changed outside egovctl (``complaints.verify``). See docs/complaints.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from egovctl.complaints.queries import complaint_dict, find_complaint
from egovctl.complaints.verify import complainant_digest, text_digest
from egovctl.complaints.vocabulary import (
    CHANNELS,
    DEFAULT_RESPOND_DAYS,
    OUTCOMES,
    PERMISSIONS,
    TEXT_LIMIT,
    TRANSITIONS,
    ComplaintAction,
    status_word,
)
from egovctl.errors import InvalidInput, InvalidTransition, NotFound
from egovctl.i18n import _
from egovctl.timeutil import EARLIEST_RECORD, local_date, local_iso, now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database

FUTURE_TOLERANCE = timedelta(seconds=60)


@dataclass
class Intake:
    """What the complainant brought: checked before any database is opened."""

    text: str
    channel: str
    name: str | None = None
    contact: str | None = None
    anonymous: bool = False
    reg_no: str | None = None
    procedure: str | None = None
    agency: str | None = None
    lapor_id: str | None = None

    @classmethod
    def checked(
        cls,
        text: str | None,
        channel: str,
        *,
        name: str | None = None,
        contact: str | None = None,
        anonymous: bool = False,
        reg_no: str | None = None,
        procedure: str | None = None,
        agency: str | None = None,
        lapor_id: str | None = None,
    ) -> Intake:
        from egovctl.identity import clean_name, clean_text, shorten

        if channel not in CHANNELS:
            raise InvalidInput(
                _("unknown channel '{channel}'; use one of {choices}").format(
                    channel=shorten(channel), choices=", ".join(CHANNELS)
                )
            )
        body = clean_text(text, "--text", limit=TEXT_LIMIT)
        if not body:
            raise InvalidInput(
                _("the complaint needs its text: --text, as the complainant said it")
            )
        if anonymous and (name or contact):
            raise InvalidInput(
                _(
                    "--anonymous keeps no name and no contact; leave out --name and --contact, "
                    "or record the complaint without --anonymous"
                )
            )
        who = clean_name(name, "--name") if name not in (None, "") else None
        contact = clean_text(contact, "--contact", limit=200)
        if not anonymous and who is None and contact is None:
            raise InvalidInput(
                _("say who complains (--name, --contact) or record it with --anonymous")
            )
        lapor = clean_text(lapor_id, "--lapor-id", limit=60)
        if lapor_id is not None and lapor is None:
            raise InvalidInput(_("--lapor-id is empty; give the SP4N-LAPOR! ticket id"))
        if lapor is not None and any(c.isspace() for c in lapor):
            raise InvalidInput(_("--lapor-id holds spaces; give the ticket id as LAPOR shows it"))
        return cls(
            text=body,
            channel=channel,
            name=who,
            contact=contact,
            anonymous=anonymous,
            reg_no=reg_no,
            procedure=procedure,
            agency=agency,
            lapor_id=lapor,
        )


def check_at(at: datetime | None, previous: datetime | None, now: datetime, tz: str) -> datetime:
    """The time of a step (now, or a back-filled --at): not in the future, not before 2000,
    not before the complaint's previous step."""
    if at is None:
        return now
    if local_date(at, tz) < EARLIEST_RECORD:
        raise InvalidInput(
            _("--at {day} is before {earliest}; back-filled records start then").format(
                day=local_date(at, tz).isoformat(), earliest=EARLIEST_RECORD.isoformat()
            )
        )
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput(
            _("--at {at} lies in the future (it is now {now})").format(
                at=local_iso(at, tz), now=local_iso(now, tz)
            )
        )
    if previous is not None and at < previous:
        raise InvalidInput(
            _("--at {at} is before the complaint's previous step ({previous})").format(
                at=local_iso(at, tz), previous=local_iso(previous, tz)
            )
        )
    return at


def _links(session: Session, intake: Intake) -> tuple[int, int | None, int | None]:
    """(agency id, request id, procedure id) of the complaint: the agency of --reg or
    --procedure when given, which --agency must then agree with."""
    from sqlalchemy import select

    from egovctl.catalogue.queries import get_agency, get_procedure
    from egovctl.models import Agency
    from egovctl.requests.queries import find_request

    agency_id: int | None = None
    request_id: int | None = None
    procedure_id: int | None = None
    if intake.reg_no:
        req = find_request(session, intake.reg_no)
        agency_id, request_id, procedure_id = req.agency_id, req.id, req.procedure_id
    if intake.procedure:
        proc = get_procedure(session, intake.procedure)
        if procedure_id is not None and proc.id != procedure_id:
            raise InvalidInput(
                _("request {reg} is not for procedure {code}; give one of the two").format(
                    reg=intake.reg_no, code=proc.code
                )
            )
        agency_id, procedure_id = proc.agency_id, proc.id
    if intake.agency:
        agency = get_agency(session, intake.agency)
        if agency_id is not None and agency.id != agency_id:
            raise InvalidInput(
                _("--agency {code} is not the agency of the request or procedure given").format(
                    code=agency.code
                )
            )
        agency_id = agency.id
    if agency_id is None:
        ids = session.execute(select(Agency.__table__.c.id).limit(2)).scalars().all()
        if len(ids) != 1:
            raise InvalidInput(
                _("say which agency the complaint is about: --agency, --procedure or --reg")
            )
        agency_id = ids[0]
    return agency_id, request_id, procedure_id


def record_complaint(
    db: Database,
    actor: str,
    intake: Intake,
    *,
    tz: str,
    respond_days: int = DEFAULT_RESPOND_DAYS,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Record a complaint: number it ``ADU-<AGENCY>-<YYYY>-<NNNNNN>`` and set the date its
    response is due (``respond_days`` calendar days after the day it was received)."""
    from sqlalchemy import insert

    from egovctl.models import Agency, Complaint, ComplaintEvent
    from egovctl.numbering import next_number
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    now = now_utc()
    at = check_at(at, None, now, tz)
    with db.write() as session:
        agency_id, request_id, procedure_id = _links(session, intake)
        authorize(session, actor, PERMISSIONS["record"], agency_id)
        code = session.get_one(Agency, agency_id).code
        received = local_date(at, tz)
        due = received + timedelta(days=respond_days)
        seq = next_number(session, agency_id, received.year, series="complaint")
        number = f"ADU-{code}-{received.year}-{seq:06d}"
        table = Complaint.__table__
        values: dict[str, Any] = {
            "number": number,
            "agency_id": agency_id,
            "request_id": request_id,
            "procedure_id": procedure_id,
            "lapor_id": intake.lapor_id,
            "channel": intake.channel,
            "status": "received",
            "text": intake.text,
            "complainant_name": None if intake.anonymous else intake.name,
            "complainant_contact": None if intake.anonymous else intake.contact,
            "anonymous": intake.anonymous,
            "received_at": at,
            "received_date": received,
            "respond_due": due,
            "updated_at": now,
        }
        new_id = session.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
        session.execute(
            insert(ComplaintEvent.__table__).values(
                complaint_id=new_id, seq=1, at=at, action="record", actor=actor
            )
        )
        audit.append(
            session,
            actor,
            "complaint.record",
            f"complaint:{number}",
            {
                "channel": intake.channel,
                "received_at": at.isoformat(),
                "respond_due": due.isoformat(),
                "anonymous": intake.anonymous,
                "text_sha256": text_digest(intake.text),
                "complainant": complainant_digest(
                    values["complainant_name"], values["complainant_contact"]
                ),
            },
            at=now,
        )
        return complaint_dict(session, find_complaint(session, number), tz)


def act(
    db: Database,
    actor: str,
    number: str,
    action: ComplaintAction,
    *,
    tz: str,
    text: str | None = None,
    to: str | None = None,
    outcome: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """One step on a complaint: assign (``to``), note, respond, close (``outcome``, with an
    optional closing ``text``). ``text`` is the note or the response."""
    from sqlalchemy import func, insert, select

    from egovctl.identity import clean_text, shorten
    from egovctl.models import ComplaintEvent
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    allowed, target = TRANSITIONS[action]
    what = "--note" if action == "close" else "--text"
    body = clean_text(text, what, limit=TEXT_LIMIT)
    if action in ("note", "respond") and not body:
        raise InvalidInput(_("{action} needs --text").format(action=action))
    if action == "close" and outcome not in OUTCOMES:
        raise InvalidInput(
            _("unknown outcome '{outcome}'; use one of {choices}").format(
                outcome=shorten(outcome or ""), choices=", ".join(OUTCOMES)
            )
        )
    now = now_utc()
    E = ComplaintEvent.__table__.c
    with db.write() as session:
        row = find_complaint(session, number, lock=True)
        authorize(session, actor, PERMISSIONS[action], row.agency_id)
        if row.status not in allowed:
            words = [status_word(s) for s in allowed]
            need = (
                _("{some} or {last}").format(some=", ".join(words[:-1]), last=words[-1])
                if len(words) > 1
                else words[0]
            )
            raise InvalidTransition(
                _(
                    "cannot {action} {number}: it is {status}; "
                    "{action} needs a complaint that is {need}"
                ).format(
                    action=action,
                    number=row.number,
                    status=status_word(row.status),
                    need=need,
                )
            )
        if action == "assign":
            to = _assignee(session, to or "")
        last_seq, last_at = session.execute(
            select(func.max(E.seq), func.max(E.at)).where(E.complaint_id == row.id)
        ).one()
        at = check_at(at, last_at, now, tz)
        details: dict[str, Any] = {"from": row.status, "at": at.isoformat()}
        event_note = body
        if action == "assign":
            row.assigned_to = to
            details["to_user"] = to
            event_note = to
        elif action == "note":
            details["note_sha256"] = text_digest(body or "")
        elif action == "respond":
            assert body is not None
            row.response, row.responded_at, row.responded_date = body, at, local_date(at, tz)
            details["response_sha256"] = text_digest(body)
            details["on_time"] = row.responded_date <= row.respond_due
        elif action == "close":
            row.outcome, row.closed_at, row.closed_date = outcome, at, local_date(at, tz)
            details["outcome"] = outcome
            if body:
                details["note_sha256"] = text_digest(body)
        row.status = target or row.status
        details["to"] = row.status
        row.updated_at = now
        session.execute(
            insert(ComplaintEvent.__table__).values(
                complaint_id=row.id,
                seq=(last_seq or 0) + 1,
                at=at,
                action=action,
                actor=actor,
                note=event_note,
            )
        )
        audit.append(
            session, actor, f"complaint.{action}", f"complaint:{row.number}", details, at=now
        )
        session.flush()
        return complaint_dict(session, row, tz)


def _assignee(session: Session, username: str) -> str:
    """The staff member a complaint is assigned to: active, and (outside single-user mode)
    a member at all."""
    from sqlalchemy import exists, select

    from egovctl.identity import shorten
    from egovctl.models import Staff

    name = username.strip()
    if not name:
        raise InvalidInput(_("assign needs --to USER, the staff member who handles it"))
    S = Staff.__table__.c
    member = session.execute(select(S.active).where(S.username == name)).one_or_none()
    if member is None:
        if (
            session.execute(select(exists().select_from(Staff.__table__))).scalar_one()
            or len(name) > 64
        ):
            raise NotFound(
                _("no staff member '{user}'; see 'egovctl staff list'").format(user=shorten(name))
            )
        return name  # single-user mode: nobody is on the staff list yet
    if not member.active:
        raise InvalidInput(_("staff member '{user}' is disabled").format(user=name))
    return name
