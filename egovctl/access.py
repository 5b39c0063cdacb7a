"""Who may do what: the role permission matrix, in one place, and the check every change makes.

Until the first staff member exists egovctl runs in single-user mode and allows everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from egovctl.errors import PermissionDenied

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.models import Staff

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
              agency_id: int | None = None) -> Staff | None:
    """Return the acting member (None in single-user mode) or raise PermissionDenied."""
    from sqlalchemy import func, select

    from egovctl.models import Agency, Staff

    roles = roles_for(permission)
    member = session.execute(select(Staff).where(Staff.username == actor)).scalar_one_or_none()
    if member is None:
        if session.execute(select(func.count()).select_from(Staff)).scalar_one() == 0:
            return None  # single-user mode
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
        own = session.get(Agency, member.agency_id)
        other = session.get(Agency, agency_id)
        raise PermissionDenied(
            f"'{actor}' works for {own.code if own else '?'} and may not "
            f"{describe(permission)} for {other.code if other else '?'}"
        )
    return member


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
