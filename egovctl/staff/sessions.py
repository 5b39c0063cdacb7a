"""Who is acting, proved: passwords checked with lock-out, and login sessions
(docs/staff-and-audit.md#who-is-acting).

A database is *guarded* once any staff member has a password (the first password set is
always an admin's, see ``members``). Before that it is in single-user mode and a claimed
name is taken as it is, as egovctl always did. Once guarded, a name counts only when proved,
by that member's password or by a session started with ``egovctl login``; an unproved name
reaches the domain code as :class:`~egovctl.staff.access.Unproven`, which may read as a
non-member does and may change nothing.

A session's token is a random secret in a 0600 file in the OS user's data dir, one per
database; the database stores its SHA-256 only, so ending the row (logout, a disabled
member, an admin's password reset) ends the session at once.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import EgovError, InvalidInput, PermissionDenied
from egovctl.i18n import _, ngettext
from egovctl.staff.access import Unproven, username_key
from egovctl.timeutil import now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database

MAX_FAILURES = 5  # wrong passwords in a row before the lock
LOCK_MINUTES = 15
DEFAULT_SESSION_HOURS = 9
# The revision that added passwords: an older schema has none, so nothing to prove.
PASSWORDS_REVISION = "0009"
DEFAULT_TZ = "Asia/Jakarta"


@dataclass(frozen=True)
class Identity:
    """The acting member as proved: ``how`` is ``single-user`` (nothing to prove),
    ``password``, ``session`` or ``none`` (a claim nobody proved)."""

    username: str
    how: str
    expires_at: datetime | None = None

    @property
    def proven(self) -> bool:
        return self.how != "none"

    def actor(self) -> str:
        """The actor as the domain functions take it."""
        return self.username if self.proven else Unproven(self.username)


def os_user() -> str:
    """The OS account at the keyboard, as the audit log names an unproved attempt."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def guarded(session: Session) -> bool:
    """True once any staff member has a password: from then on names must be proved."""
    from sqlalchemy import exists, select

    from egovctl.models import Staff

    staff = Staff.__table__.c
    return bool(
        session.execute(select(exists().where(staff.password_hash.is_not(None)))).scalar_one()
    )


def _audit_actor(user: str) -> str:
    # Staff usernames have no ':', so this can never be read as a member's name.
    return f"os:{user}"[:64]


# -- passwords -----------------------------------------------------------------------------


def check_password(
    db: Database, username: str, password: str, *, os_name: str, tz: str = DEFAULT_TZ
) -> str:
    """The member's username when ``password`` is theirs; otherwise PermissionDenied, after
    recording the failed attempt (and the lock, at the fifth in a row) in its own committed
    transaction. The hash is computed outside any write transaction, which it would hold
    for its whole ~70 ms."""
    from sqlalchemy import select, update

    from egovctl.models import Staff
    from egovctl.staff.passwords import verify_password

    name = username_key(username)
    staff = Staff.__table__.c
    with db.read() as session:
        row = session.execute(
            select(staff.id, staff.active, staff.password_hash, staff.locked_until).where(
                staff.username == name
            )
        ).one_or_none()
    now = now_utc()
    if row is not None and row.locked_until is not None and row.locked_until > now:
        _record_failure(db, name, os_name, "locked", {"locked_until": row.locked_until})
        raise PermissionDenied(_locked_message(name, row.locked_until, tz))
    matches = verify_password(password, row.password_hash if row is not None else None)
    if row is None:
        _record_failure(db, name, os_name, "unknown member", {})
        raise PermissionDenied(_("no staff member '{user}' with that password").format(user=name))
    if row.password_hash is None:
        _record_failure(db, name, os_name, "no password", {})
        raise PermissionDenied(_no_password_message(name))
    if not matches:
        failures, locked_until = _count_failure(db, name, os_name)
        if locked_until is not None:
            from egovctl.formats import say_datetime

            raise PermissionDenied(
                _(
                    "wrong password for '{user}', {n} in a row: the account is locked until "
                    "{until}; an admin can reset the password with 'egovctl staff password "
                    "{user}'"
                ).format(user=name, n=MAX_FAILURES, until=say_datetime(locked_until, tz))
            )
        left = MAX_FAILURES - failures
        raise PermissionDenied(
            ngettext(
                "wrong password for '{user}' ({left} more wrong attempt locks the account "
                "for {minutes} minutes)",
                "wrong password for '{user}' ({left} more wrong attempts lock the account "
                "for {minutes} minutes)",
                left,
            ).format(user=name, left=left, minutes=LOCK_MINUTES)
        )
    if not row.active:
        _record_failure(db, name, os_name, "disabled", {})
        raise PermissionDenied(
            _(
                "staff member '{user}' is disabled; an admin can enable the account with "
                "'egovctl staff enable {user}'"
            ).format(user=name)
        )
    with db.write() as session:
        session.execute(
            update(Staff.__table__)
            .where(staff.id == row.id, staff.failed_logins != 0)
            .values(failed_logins=0)
        )
    return name


def _locked_message(name: str, until: datetime, tz: str) -> str:
    from egovctl.formats import say_datetime

    return _(
        "'{user}' is locked after {n} wrong passwords in a row until {until}; try again "
        "then, or an admin resets the password with 'egovctl staff password {user}'"
    ).format(user=name, n=MAX_FAILURES, until=say_datetime(until, tz))


def _no_password_message(name: str) -> str:
    return _(
        "staff member '{user}' has no password yet, so cannot act; an admin sets one with "
        "'egovctl staff password {user}'"
    ).format(user=name)


def _record_failure(
    db: Database, name: str, os_name: str, reason: str, extra: dict[str, Any]
) -> None:
    from egovctl.staff import audit

    with db.write() as session:
        audit.append(
            session,
            _audit_actor(os_name),
            "login_failed",
            f"staff:{name}",
            {"reason": reason, **extra},
        )


def _count_failure(db: Database, name: str, os_name: str) -> tuple[int, datetime | None]:
    """One more wrong password: the count in a row, and the lock's end if this locked."""
    from sqlalchemy import select

    from egovctl.models import Staff
    from egovctl.staff import audit

    with db.write() as session:
        member = session.execute(
            select(Staff).where(Staff.__table__.c.username == name).with_for_update()
        ).scalar_one()
        member.failed_logins = (member.failed_logins or 0) + 1
        failures = member.failed_logins
        audit.append(
            session,
            _audit_actor(os_name),
            "login_failed",
            f"staff:{name}",
            {"reason": "wrong password", "in_a_row": failures},
        )
        if failures < MAX_FAILURES:
            return failures, None
        until = now_utc() + timedelta(minutes=LOCK_MINUTES)
        member.locked_until = until
        member.failed_logins = 0
        audit.append(
            session,
            _audit_actor(os_name),
            "locked",
            f"staff:{name}",
            {"until": until, "after": MAX_FAILURES},
        )
        return failures, until


# -- the token file ------------------------------------------------------------------------


def token_path(db: Database, data_dir: Path) -> Path:
    """This OS user's session file for this database (one per database, so a session for
    the office database is not offered to a test copy)."""
    key = hashlib.sha256(db.describe().encode("utf-8")).hexdigest()[:24]
    return data_dir / "sessions" / key


def _read_token(path: Path) -> str | None:
    try:
        info = path.stat()
        if info.st_mode & 0o077 or info.st_uid != os.getuid():
            return None  # readable by others, or not ours: not a secret any more
        return path.read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _token_hash(token: str) -> str:
    # A 256-bit random token needs no slow hash: nobody can guess one to try.
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _write_token(path: Path) -> tuple[str, Path]:
    """A new token in a private temporary file beside ``path`` (renamed once committed)."""
    import tempfile

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        token = secrets.token_urlsafe(32)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".session.", suffix=".part")
        with os.fdopen(fd, "w", encoding="ascii") as fh:  # mkstemp: 0600 already
            fh.write(token + "\n")
    except OSError as exc:
        raise EgovError(
            _("cannot keep the session in {path}: {reason}").format(
                path=path.parent, reason=exc.strerror or exc
            )
        ) from None
    return token, Path(tmp)


# -- sessions ------------------------------------------------------------------------------


def _live_session(db: Database, session: Session, token: str) -> tuple[str, datetime] | None:
    """(username, expires_at) of the live session the token belongs to, read in the
    caller's ``session``; an expired one is ended (and recorded) when found."""
    from sqlalchemy import select

    from egovctl.models import Staff, StaffSession

    s = StaffSession.__table__.c
    staff = Staff.__table__.c
    row = session.execute(
        select(s.id, s.expires_at, s.ended_at, staff.username, staff.active)
        .join(Staff.__table__, staff.id == s.staff_id)
        .where(s.token_hash == _token_hash(token))
    ).one_or_none()
    if row is None or row.ended_at is not None or not row.active:
        return None
    if row.expires_at <= now_utc():
        session.rollback()  # end the read before the write (SQLite: one writer)
        with db.write() as writing:
            _end(writing, [row.id], row.username, row.username, "expired")
        return None
    return row.username, row.expires_at


def _end(session: Session, ids: list[int], username: str, actor: str, reason: str) -> None:
    from sqlalchemy import update

    from egovctl.models import StaffSession
    from egovctl.staff import audit

    s = StaffSession.__table__.c
    ended: Any = session.execute(
        update(StaffSession.__table__)
        .where(s.id.in_(ids), s.ended_at.is_(None))
        .values(ended_at=now_utc())
    )
    if ended.rowcount:
        audit.append(session, actor, "session_ended", f"staff:{username}", {"reason": reason})


def end_sessions_of(
    session: Session, staff_id: int, username: str, actor: str, reason: str
) -> None:
    """End every live session of a member (disabled, password reset) inside the caller's
    transaction."""
    from sqlalchemy import select

    from egovctl.models import StaffSession

    s = StaffSession.__table__.c
    ids = list(
        session.execute(select(s.id).where(s.staff_id == staff_id, s.ended_at.is_(None))).scalars()
    )
    if ids:
        _end(session, ids, username, actor, reason)


def login(
    db: Database,
    username: str,
    password: str,
    *,
    data_dir: Path,
    hours: float,
    os_name: str,
    tz: str = DEFAULT_TZ,
) -> dict[str, Any]:
    """Check the password and start a session for this OS account (ending the one it had
    for this database); returns the member's username and when the session ends."""
    from sqlalchemy import insert, select

    from egovctl.models import Staff, StaffSession
    from egovctl.staff import audit

    with db.read() as session:
        if not guarded(session):
            raise InvalidInput(
                _(
                    "nobody has a password yet (single-user mode), so there is nothing to log "
                    "in to; an admin sets theirs first with 'egovctl staff password'"
                )
            )
    name = check_password(db, username, password, os_name=os_name, tz=tz)
    path = token_path(db, data_dir)
    old = _read_token(path)
    token, tmp = _write_token(path)
    started = now_utc()
    expires = started + timedelta(hours=hours)
    s = StaffSession.__table__.c
    try:
        with db.write() as session:
            if old is not None:
                prev = session.execute(
                    select(s.id, Staff.__table__.c.username)
                    .join(Staff.__table__, Staff.__table__.c.id == s.staff_id)
                    .where(s.token_hash == _token_hash(old))
                ).one_or_none()
                if prev is not None:
                    _end(session, [prev.id], prev.username, prev.username, "replaced")
            staff_id = session.execute(
                select(Staff.__table__.c.id).where(Staff.__table__.c.username == name)
            ).scalar_one()
            session.execute(
                insert(StaffSession.__table__).values(
                    token_hash=_token_hash(token),
                    staff_id=staff_id,
                    os_user=os_name[:64],
                    started_at=started,
                    expires_at=expires,
                )
            )
            audit.append(
                session,
                name,
                "login",
                f"staff:{name}",
                {"os_user": os_name, "expires_at": expires},
            )
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"username": name, "expires_at": expires, "os_user": os_name}


def logout(db: Database, *, data_dir: Path) -> dict[str, Any]:
    """End this OS account's session for this database; ``username`` is None when there
    was none."""
    from sqlalchemy import select

    from egovctl.models import Staff, StaffSession

    path = token_path(db, data_dir)
    token = _read_token(path)
    name = None
    if token is not None:
        s = StaffSession.__table__.c
        with db.write() as session:
            row = session.execute(
                select(s.id, s.ended_at, Staff.__table__.c.username)
                .join(Staff.__table__, Staff.__table__.c.id == s.staff_id)
                .where(s.token_hash == _token_hash(token))
            ).one_or_none()
            if row is not None and row.ended_at is None:
                name = row.username
                _end(session, [row.id], row.username, row.username, "logout")
    path.unlink(missing_ok=True)
    return {"username": name}


def resolve(
    db: Database,
    claimed: str | None,
    fallback: str,
    *,
    password: str | None,
    ask: Callable[[str], str] | None,
    data_dir: Path,
    os_name: str,
    tz: str = DEFAULT_TZ,
) -> Identity:
    """Who is acting. ``claimed`` is ``--as``/``EGOVCTL_USER`` (None when neither was
    given), ``fallback`` the OS login name; ``password`` is ``EGOVCTL_PASSWORD``; ``ask``
    prompts for a password (only on a terminal, and only for a claimed name)."""
    token = _read_token(token_path(db, data_dir))
    with db.read() as session:
        if not guarded(session):
            return Identity(claimed if claimed is not None else fallback, "single-user")
        live = _live_session(db, session, token) if token is not None else None
    if claimed is None:
        if live is not None:
            return Identity(live[0], "session", live[1])
        name = fallback
    else:
        name = claimed
        if live is not None and live[0] == username_key(claimed):
            return Identity(live[0], "session", live[1])
        if password is None and ask is not None:
            password = ask(username_key(name))
    if password is None:
        return Identity(name, "none")
    return Identity(check_password(db, name, password, os_name=os_name, tz=tz), "password")


def whoami(db: Database, identity: Identity) -> dict[str, Any]:
    """What ``egovctl whoami`` prints: the member, how they were proved, their role."""
    from sqlalchemy import select

    from egovctl.models import Staff

    staff = Staff.__table__.c
    with db.read() as session:
        row = session.execute(
            select(staff.name, staff.role, staff.active).where(
                staff.username == username_key(identity.username)
            )
        ).one_or_none()
    return {
        "username": username_key(identity.username),
        "proved_by": identity.how,
        "member": row is not None,
        "name": row.name if row is not None else None,
        "role": row.role if row is not None else None,
        "session_expires_at": identity.expires_at,
    }
