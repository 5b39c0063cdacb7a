"""Staff members and their roles. The first member added must be an admin, which ends
single-user mode: from then on every change is checked against the acting member's role."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from egovctl.errors import InvalidInput, InvalidTransition, NotFound
from egovctl.models.staff import ROLES
from egovctl.staff.access import username_key
from egovctl.timeutil import now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.models import Staff

#: Usernames are stored in lower case; one typed in capitals is folded (``username_key``).
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class StaffMember(TypedDict):
    """A staff member as the staff commands print it."""

    username: str
    name: str
    role: str
    nip: str | None
    agency: str | None
    active: bool
    created_at: datetime


def _member_dict(session: Session, member: Staff) -> StaffMember:
    from egovctl.models import Agency

    agency = session.get(Agency, member.agency_id) if member.agency_id else None
    return {
        "username": member.username,
        "name": member.name,
        "role": member.role,
        "nip": member.nip,
        "agency": agency.code if agency else None,
        "active": member.active,
        "created_at": member.created_at,
    }


def _get(session: Session, username: str) -> Staff:
    from sqlmodel import col, select

    from egovctl.models import Staff

    member = session.execute(
        select(Staff).where(col(Staff.username) == username_key(username))
    ).scalar_one_or_none()
    if member is None:
        raise NotFound(f"no staff member '{username}'; see 'egovctl staff list'")
    return member


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role '{role}'; use one of {', '.join(ROLES)}")
    return role


def add_staff(
    db: Database,
    actor: str,
    username: str,
    name: str,
    role: str,
    *,
    nip: str | None = None,
    agency: str | None = None,
) -> StaffMember:
    from sqlmodel import col, func, select

    from egovctl.catalogue.queries import get_agency
    from egovctl.identity import clean_name, validate_nip
    from egovctl.models import Staff
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    typed, username = username, username_key(username)
    if not username or set(username) - USERNAME_CHARS or len(username) > 64:
        raise InvalidInput(
            f"username '{typed.strip()}' may only use the letters a-z (capitals are read as "
            "lower case), digits, '.', '_' and '-' (at most 64)"
        )
    _check_role(role)
    name = clean_name(name, "staff name")
    nip = validate_nip(nip) if nip else None
    with db.write() as session:
        authorize(session, actor, "staff.manage")
        count = session.execute(select(func.count()).select_from(Staff)).scalar_one()
        if count == 0 and role != "admin":
            raise InvalidInput(
                "the first staff member must be an admin, or nobody could "
                "manage staff afterwards; add an admin first"
            )
        if session.execute(select(col(Staff.id)).where(col(Staff.username) == username)).first():
            raise InvalidInput(f"staff member '{username}' already exists")
        agency_id = get_agency(session, agency).id if agency else None
        member = Staff(
            username=username,
            name=name,
            role=role,
            nip=nip,
            agency_id=agency_id,
            active=True,
            created_at=now_utc(),
        )
        session.add(member)
        session.flush()
        data = _member_dict(session, member)
        audit.append(
            session,
            actor,
            "staff.add",
            f"staff:{username}",
            {k: v for k, v in data.items() if k != "created_at"},
        )
        return data


def list_staff(db: Database) -> list[StaffMember]:
    from sqlmodel import col, select

    from egovctl.models import Staff

    with db.read() as session:
        return [
            _member_dict(session, m)
            for m in session.execute(select(Staff).order_by(col(Staff.username))).scalars()
        ]


def show_staff(db: Database, username: str) -> StaffMember:
    with db.read() as session:
        return _member_dict(session, _get(session, username))


def _admins_left(session: Session, excluding: str) -> int:
    from sqlmodel import col, func, select

    from egovctl.models import Staff

    return session.execute(
        select(func.count())
        .select_from(Staff)
        .where(col(Staff.role) == "admin", col(Staff.active), col(Staff.username) != excluding)
    ).scalar_one()


def set_active(db: Database, actor: str, username: str, active: bool) -> StaffMember:
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    username = username_key(username)
    with db.write() as session:
        authorize(session, actor, "staff.manage")
        member = _get(session, username)
        if member.active == active:
            state = "enabled" if active else "disabled"
            raise InvalidTransition(f"'{username}' is already {state}")
        if not active and member.role == "admin" and _admins_left(session, username) == 0:
            raise InvalidTransition(
                f"'{username}' is the last active admin; add or enable another admin first"
            )
        member.active = active
        audit.append(
            session, actor, "staff.enable" if active else "staff.disable", f"staff:{username}", {}
        )
        session.flush()
        return _member_dict(session, member)


def set_role(db: Database, actor: str, username: str, role: str) -> StaffMember:
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    _check_role(role)
    username = username_key(username)
    with db.write() as session:
        authorize(session, actor, "staff.manage")
        member = _get(session, username)
        if member.role == role:
            raise InvalidTransition(f"'{username}' already has role {role}")
        if member.role == "admin" and _admins_left(session, username) == 0:
            raise InvalidTransition(
                f"'{username}' is the last active admin; make another member admin first"
            )
        old, member.role = member.role, role
        audit.append(session, actor, "staff.role", f"staff:{username}", {"from": old, "to": role})
        session.flush()
        return _member_dict(session, member)
