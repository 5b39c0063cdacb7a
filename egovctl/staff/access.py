"""Who may do what: the role permission matrix, in one place, and the check every change makes.

Until the first staff member exists egovctl runs in single-user mode and allows everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egovctl.errors import PermissionDenied

if TYPE_CHECKING:
    from sqlalchemy import Row
    from sqlmodel import Session

    from egovctl.db import Database

REQUEST_ACTIONS = ("log", "advance", "hold", "resume", "deliver", "reject", "cancel")

# permission -> roles that hold it; admin holds every permission.
MATRIX: dict[str, tuple[str, ...]] = {
    "catalogue.import": ("admin",),
    "catalogue.retire": ("admin",),
    "staff.manage": ("admin",),
    "db.admin": ("admin",),
    "calendar.edit": ("admin", "supervisor"),
    "survey.record": ("admin", "supervisor"),
    **{f"request.{a}": ("admin", "supervisor", "counter") for a in REQUEST_ACTIONS},
    "print.receipt": ("admin", "supervisor", "counter", "clerk"),
    "print.board": ("admin", "supervisor", "clerk"),
    "report.read": ("admin", "supervisor", "clerk"),
    "publish": ("admin", "supervisor", "clerk"),
    "nik.show": ("admin", "supervisor"),
    # Complaints (docs/complaints.md): the counter records them and keeps notes; answering
    # for the office (assigning, the response, closing) is a supervisor's.
    "complaint.record": ("admin", "supervisor", "counter"),
    "complaint.note": ("admin", "supervisor", "counter"),
    "complaint.read": ("admin", "supervisor", "counter", "clerk"),
    "complaint.assign": ("admin", "supervisor"),
    "complaint.respond": ("admin", "supervisor"),
    "complaint.close": ("admin", "supervisor"),
    # Notifications (docs/notify.md): sending runs from cron or a clerk's links page;
    # applicants' phone numbers and e-mail addresses are shown whole to supervisors only.
    "notify.send": ("admin", "supervisor", "clerk"),
    "notify.read": ("admin", "supervisor", "counter", "clerk"),
    "notify.contact": ("admin", "supervisor"),
}


def username_key(name: str) -> str:
    """A username as egovctl stores and compares it: usernames are lower case (see
    ``members.USERNAME_CHARS``), so one typed in capitals names the same member."""
    return name.strip().lower()


def require(db: Database, actor: str, permission: str, agency_id: int | None = None) -> None:
    """:func:`authorize` in a session of its own, for work that reads before it writes."""
    with db.read() as session:
        authorize(session, actor, permission, agency_id)


def roles_for(permission: str) -> tuple[str, ...]:
    return MATRIX[permission]


def authorize(session: Session, actor: str, permission: str, agency_id: int | None = None) -> None:
    """Allow the action (always, in single-user mode) or raise PermissionDenied."""
    from sqlmodel import col, select

    from egovctl.models import Agency

    roles = roles_for(permission)
    member = _member(session, actor)
    if member is None:
        if _single_user(session):
            return
        raise PermissionDenied(
            f"'{actor}' is not a staff member, so may not {describe(permission)}; "
            f"act as a member with --as (needs role {' or '.join(roles)})"
        )
    if not member.active:
        raise PermissionDenied(
            f"staff member '{actor}' is disabled and may not {describe(permission)}; "
            "an admin can enable the account with 'egovctl staff enable'"
        )
    if member.role not in roles:
        raise PermissionDenied(
            f"'{actor}' (role {member.role}) may not {describe(permission)}; "
            f"this needs role {' or '.join(roles)}"
        )
    if (
        agency_id is not None
        and member.agency_id is not None
        and member.agency_id != agency_id
        and member.role != "admin"
    ):
        codes = dict(
            session.execute(
                select(col(Agency.id), col(Agency.code)).where(
                    col(Agency.id).in_([member.agency_id, agency_id])
                )
            ).all()
        )
        raise PermissionDenied(
            f"'{actor}' works for {codes.get(member.agency_id, '?')} and may not "
            f"{describe(permission)} for {codes.get(agency_id, '?')}"
        )


def is_active_member(session: Session, actor: str) -> bool:
    """True when ``actor`` is an active staff member, or nobody is (single-user mode)."""
    member = _member(session, actor)
    return bool(member.active) if member is not None else _single_user(session)


def _member(session: Session, actor: str) -> Row[Any] | None:
    """The acting member's role, active flag and agency (a row), or None. Every change
    asks, so it reads the staff table with a plain Core statement."""
    from sqlalchemy import select

    from egovctl.models import Staff

    staff = Staff.__table__.c
    return session.execute(
        select(staff.role, staff.active, staff.agency_id).where(
            staff.username == username_key(actor)
        )
    ).one_or_none()


def _single_user(session: Session) -> bool:
    """No staff member exists yet: every command is allowed."""
    from sqlalchemy import exists, select

    from egovctl.models import Staff

    return not session.execute(select(exists().select_from(Staff.__table__))).scalar_one()


def describe(permission: str) -> str:
    noun, _, verb = permission.partition(".")
    text = {
        "catalogue.import": "import procedures",
        "catalogue.retire": "retire or reactivate procedures",
        "staff.manage": "manage staff",
        "db.admin": "administer the database",
        "calendar.edit": "change the calendar",
        "survey.record": "record survey answers",
        "print.receipt": "print receipts",
        "print.board": "print notice-board documents",
        "report.read": "read reports",
        "publish": "publish public information",
        "nik.show": "see full NIKs",
        "complaint.record": "record complaints",
        "complaint.note": "add notes to complaints",
        "complaint.read": "read complaints",
        "complaint.assign": "assign complaints",
        "complaint.respond": "respond to complaints",
        "complaint.close": "close complaints",
        "notify.send": "send notifications",
        "notify.read": "read notifications",
        "notify.contact": "see applicants' contacts",
    }.get(permission)
    return text or f"{verb} requests"
