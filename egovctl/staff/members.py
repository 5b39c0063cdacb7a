"""Staff members, their roles and passwords. The first member added must be an admin, which
ends single-user mode: from then on every change is checked against the acting member's role.
The first password set must be an admin's too: it turns on proving who acts
(staff/sessions.py), and an office whose admins had none could no longer manage staff."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from egovctl.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from egovctl.i18n import _
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
    password_set: bool  # whether the member has one; the password itself is never shown
    locked_until: datetime | None


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
        "password_set": member.password_hash is not None,
        "locked_until": member.locked_until
        if member.locked_until is not None and member.locked_until > now_utc()
        else None,
    }


def _get(session: Session, username: str) -> Staff:
    from sqlmodel import col, select

    from egovctl.models import Staff

    member = session.execute(
        select(Staff).where(col(Staff.username) == username_key(username))
    ).scalar_one_or_none()
    if member is None:
        raise NotFound(
            _("no staff member '{user}'; see 'egovctl staff list'").format(user=username)
        )
    return member


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(
            _("unknown role '{role}'; use one of {roles}").format(role=role, roles=", ".join(ROLES))
        )
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
    password: str | None = None,
) -> StaffMember:
    """Add a member, with their first password (hashed) when given. Without one the member
    cannot act once names must be proved, until an admin sets it (``set_password``)."""
    from sqlmodel import col, func, select

    from egovctl.catalogue.queries import get_agency
    from egovctl.identity import clean_name, validate_nip
    from egovctl.models import Staff
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    typed, username = username, username_key(username)
    if not username or set(username) - USERNAME_CHARS or len(username) > 64:
        raise InvalidInput(
            _(
                "username '{user}' may only use the letters a-z (capitals are read as lower "
                "case), digits, '.', '_' and '-' (at most 64)"
            ).format(user=typed.strip())
        )
    _check_role(role)
    name = clean_name(name, "staff name")
    nip = validate_nip(nip) if nip else None
    hashed = _hash(password) if password is not None else None
    with db.write() as session:
        authorize(session, actor, "staff.manage")
        count = session.execute(select(func.count()).select_from(Staff)).scalar_one()
        if count == 0 and role != "admin":
            raise InvalidInput(
                _(
                    "the first staff member must be an admin, or nobody could manage staff "
                    "afterwards; add an admin first"
                )
            )
        if session.execute(select(col(Staff.id)).where(col(Staff.username) == username)).first():
            raise InvalidInput(_("staff member '{user}' already exists").format(user=username))
        if hashed is not None and role != "admin":
            _first_password_is_an_admins(session, username)
        agency_id = get_agency(session, agency).id if agency else None
        member = Staff(
            username=username,
            name=name,
            role=role,
            nip=nip,
            agency_id=agency_id,
            active=True,
            created_at=now_utc(),
            password_hash=hashed,
            password_changed_at=now_utc() if hashed is not None else None,
        )
        session.add(member)
        session.flush()
        data = _member_dict(session, member)
        audit.append(
            session,
            actor,
            "staff.add",
            f"staff:{username}",
            {k: v for k, v in data.items() if k not in ("created_at", "locked_until")},
        )
        return data


def _hash(password: str) -> str:
    from egovctl.staff.passwords import check_rules, hash_password

    return hash_password(check_rules(password))


def _first_password_is_an_admins(session: Session, username: str) -> None:
    from egovctl.staff.sessions import guarded

    if not guarded(session):
        raise InvalidInput(
            _(
                "'{user}' would be the first member with a password, which makes everyone "
                "prove who they are; set an admin's password first ('egovctl staff "
                "password ADMIN'), or nobody could manage staff afterwards"
            ).format(user=username)
        )


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
    """Active admins other than ``excluding``; once names must be proved, only those with a
    password count, as only they can act."""
    from sqlmodel import col, func, select

    from egovctl.models import Staff
    from egovctl.staff.sessions import guarded

    query = (
        select(func.count())
        .select_from(Staff)
        .where(col(Staff.role) == "admin", col(Staff.active), col(Staff.username) != excluding)
    )
    if guarded(session):
        query = query.where(col(Staff.password_hash).is_not(None))
    return session.execute(query).scalar_one()


def set_active(db: Database, actor: str, username: str, active: bool) -> StaffMember:
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    username = username_key(username)
    with db.write() as session:
        authorize(session, actor, "staff.manage")
        member = _get(session, username)
        if member.active == active:
            if active:
                raise InvalidTransition(_("'{user}' is already enabled").format(user=username))
            raise InvalidTransition(_("'{user}' is already disabled").format(user=username))
        if not active and member.role == "admin" and _admins_left(session, username) == 0:
            raise InvalidTransition(
                _(
                    "'{user}' is the last active admin who can act; add or enable another "
                    "admin (with a password) first"
                ).format(user=username)
            )
        member.active = active
        audit.append(
            session, actor, "staff.enable" if active else "staff.disable", f"staff:{username}", {}
        )
        if not active:
            from egovctl.staff.sessions import end_sessions_of

            assert member.id is not None
            end_sessions_of(session, member.id, username, actor, "disabled")
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
            raise InvalidTransition(
                _("'{user}' already has role {role}").format(user=username, role=role)
            )
        if member.role == "admin" and _admins_left(session, username) == 0:
            raise InvalidTransition(
                _(
                    "'{user}' is the last active admin who can act; make another member "
                    "admin (with a password) first"
                ).format(user=username)
            )
        old, member.role = member.role, role
        audit.append(session, actor, "staff.role", f"staff:{username}", {"from": old, "to": role})
        session.flush()
        return _member_dict(session, member)


def set_password(
    db: Database,
    actor: str,
    username: str | None,
    password: str,
    *,
    current: str | None = None,
    os_name: str = "unknown",
    tz: str = "Asia/Jakarta",
) -> StaffMember:
    """Set a password: a member's own (``username`` None or the actor's), or, for an admin,
    anyone's (which also lifts a lock and ends that member's sessions). ``current``, when
    given, is checked first as any password is (a failure counts towards the lock).
    Recorded as ``password_changed``; the password and its hash are never in the record."""
    from egovctl.staff import audit
    from egovctl.staff.access import Unproven, authorize
    from egovctl.staff.sessions import check_password, end_sessions_of, guarded

    own = username is None or username_key(username) == username_key(actor)
    target = username_key(actor if username is None else username)
    hashed = _hash(password)
    if current is not None:
        check_password(db, target, current, os_name=os_name, tz=tz)
    with db.write() as session:
        if own and isinstance(actor, Unproven):
            authorize(session, actor, "staff.manage")  # says what proof is missing
        if not own:
            authorize(session, actor, "staff.manage")
        member = _get(session, target)
        if own and not member.active and guarded(session):
            raise PermissionDenied(_("staff member '{user}' is disabled").format(user=target))
        if member.role != "admin":
            _first_password_is_an_admins(session, target)
        member.password_hash = hashed
        member.password_changed_at = now_utc()
        member.failed_logins = 0
        member.locked_until = None
        audit.append(session, actor, "password_changed", f"staff:{target}", {"reset": not own})
        if not own:
            assert member.id is not None
            end_sessions_of(session, member.id, target, actor, "password reset")
        session.flush()
        return _member_dict(session, member)
