"""Who may do what: the role permission matrix, in one place, and the check every change makes.

Until the first staff member exists egovctl runs in single-user mode and allows everything.
Once names must be proved (staff/sessions.py), an actor nobody proved arrives here as
:class:`Unproven`: it may read as a non-member does, and may change nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egovctl.errors import PermissionDenied
from egovctl.i18n import N_, _

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


class Unproven(str):
    """A claimed username that nobody proved (no password, no session) in a database where
    names must be proved. A plain ``str`` actor is taken as proved: the command line proves
    names before it calls the domain functions, and a library caller answers for its own."""

    __slots__ = ()


# The request moves' permissions, for the messages that name what was refused.
REQUEST_VERBS = {
    "log": N_("log requests"),
    "advance": N_("advance requests"),
    "hold": N_("hold requests"),
    "resume": N_("resume requests"),
    "deliver": N_("deliver requests"),
    "reject": N_("reject requests"),
    "cancel": N_("cancel requests"),
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
    what = _(describe(permission))
    needs = _(" or ").join(roles)
    if isinstance(actor, Unproven):
        raise PermissionDenied(
            _(
                "'{user}' has not proved who they are, so may not {what}; give the password "
                "(asked on a terminal, or EGOVCTL_PASSWORD for scripts) or log in first with "
                "'egovctl login {user}'"
            ).format(user=username_key(actor), what=what)
        )
    member = _member(session, actor)
    if member is None:
        if _single_user(session):
            return
        raise PermissionDenied(
            _(
                "'{user}' is not a staff member, so may not {what}; act as a member with "
                "--as (needs role {roles})"
            ).format(user=actor, what=what, roles=needs)
        )
    if not member.active:
        raise PermissionDenied(
            _(
                "staff member '{user}' is disabled and may not {what}; an admin can enable "
                "the account with 'egovctl staff enable'"
            ).format(user=actor, what=what)
        )
    if member.role not in roles:
        raise PermissionDenied(
            _("'{user}' (role {role}) may not {what}; this needs role {roles}").format(
                user=actor, role=member.role, what=what, roles=needs
            )
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
            _("'{user}' works for {own} and may not {what} for {other}").format(
                user=actor,
                own=codes.get(member.agency_id, "?"),
                what=what,
                other=codes.get(agency_id, "?"),
            )
        )


def is_active_member(session: Session, actor: str) -> bool:
    """True when ``actor`` is a proved, active staff member, or nobody is (single-user
    mode)."""
    if isinstance(actor, Unproven):
        return False
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
    """What a permission lets one do, in English (callers translate it with ``_()``)."""
    verb = permission.partition(".")[2]
    text = {
        "catalogue.import": N_("import procedures"),
        "catalogue.retire": N_("retire or reactivate procedures"),
        "staff.manage": N_("manage staff"),
        "db.admin": N_("administer the database"),
        "calendar.edit": N_("change the calendar"),
        "survey.record": N_("record survey answers"),
        "print.receipt": N_("print receipts"),
        "print.board": N_("print notice-board documents"),
        "report.read": N_("read reports"),
        "publish": N_("publish public information"),
        "nik.show": N_("see full NIKs"),
        "complaint.record": N_("record complaints"),
        "complaint.note": N_("add notes to complaints"),
        "complaint.read": N_("read complaints"),
        "complaint.assign": N_("assign complaints"),
        "complaint.respond": N_("respond to complaints"),
        "complaint.close": N_("close complaints"),
        "notify.send": N_("send notifications"),
        "notify.read": N_("read notifications"),
        "notify.contact": N_("see applicants' contacts"),
    }.get(permission)
    return text or REQUEST_VERBS.get(verb, verb)
