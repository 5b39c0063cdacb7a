"""Who may do what: the role permission matrix, in one place, and the check every change makes.

Until the first staff member exists egovctl runs in single-user mode and allows everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from egovctl.errors import PermissionDenied

if TYPE_CHECKING:
    from sqlmodel import Session

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
}


def roles_for(permission: str) -> tuple[str, ...]:
    return MATRIX[permission]


def authorize(session: Session, actor: str, permission: str,
              agency_id: int | None = None) -> None:
    """Allow the action (always, in single-user mode) or raise PermissionDenied.

    Every change calls this first, so it reads the staff table with plain Core statements.
    """
    from sqlalchemy import exists, select

    from egovctl.models import Agency, Staff

    roles = roles_for(permission)
    staff = Staff.__table__
    member = session.execute(select(staff.c.role, staff.c.active, staff.c.agency_id)
                             .where(staff.c.username == actor)).one_or_none()
    if member is None:
        if not session.execute(select(exists().select_from(staff))).scalar_one():
            return  # single-user mode
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
    if (agency_id is not None and member.agency_id is not None
            and member.agency_id != agency_id and member.role != "admin"):
        agency = Agency.__table__.c
        codes = dict(session.execute(select(agency.id, agency.code)
                                     .where(agency.id.in_([member.agency_id, agency_id]))).all())
        raise PermissionDenied(
            f"'{actor}' works for {codes.get(member.agency_id, '?')} and may not "
            f"{describe(permission)} for {codes.get(agency_id, '?')}"
        )


def is_active_member(session: Session, actor: str) -> bool:
    """True when ``actor`` is an active staff member, or nobody is (single-user mode)."""
    from sqlalchemy import exists, select

    from egovctl.models import Staff

    staff = Staff.__table__
    active = session.execute(select(staff.c.active).where(staff.c.username == actor)
                             ).scalar_one_or_none()
    if active is not None:
        return bool(active)
    return not session.execute(select(exists().select_from(staff))).scalar_one()


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
    }.get(permission)
    return text or f"{verb} requests"
