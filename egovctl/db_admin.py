"""Database upkeep: schema upgrade, backup and restore, and the integrity check."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from egovctl.errors import DatabaseError, EgovError, InvalidInput
from egovctl.i18n import _, ngettext
from egovctl.migrations import HEAD, KNOWN_REVISIONS
from egovctl.staff.access import require

if TYPE_CHECKING:
    from egovctl.db import Database


def upgrade(db: Database, actor: str, *, tz: str | None = None) -> dict[str, Any]:
    """Migrate to head, backing a SQLite file up first (named in the office's time)."""
    before, after, backup_path = db.upgrade(_stamp(tz))
    if before is not None and before != after:
        from egovctl.staff import audit

        with db.write() as session:
            audit.append(
                session,
                actor,
                "db.upgrade",
                "database",
                {"from": before, "to": after, "backup": str(backup_path) if backup_path else None},
            )
    return {
        "from": before,
        "to": after,
        "backup": str(backup_path) if backup_path else None,
        "staff_without_password": _without_password(db, before, after),
    }


def _without_password(db: Database, before: str | None, after: str) -> int:
    """Members an upgrade past the passwords revision left without one: the office's admin
    sets theirs (docs/staff-and-audit.md#who-is-acting), 0 when the upgrade did not cross it."""
    from egovctl.staff.sessions import PASSWORDS_REVISION

    order = KNOWN_REVISIONS.index
    if before is None or before == after or after not in KNOWN_REVISIONS:
        return 0
    if before not in KNOWN_REVISIONS or order(before) >= order(PASSWORDS_REVISION):
        return 0
    from sqlalchemy import func, select

    from egovctl.models import Staff

    with db.read() as session:
        return int(
            session.execute(
                select(func.count())
                .select_from(Staff)
                .where(Staff.__table__.c.password_hash.is_(None))
            ).scalar_one()
        )


def _stamp(tz: str | None) -> str:
    """The time for a file name, in the office's timezone when known."""
    from egovctl.timeutil import now_utc, zone

    now = now_utc()
    return (now.astimezone(zone(tz)) if tz else now.astimezone()).strftime("%Y%m%d-%H%M%S")


def backup(
    db: Database, actor: str, target: Path | str, *, force: bool = False, tz: str | None = None
) -> dict[str, Any]:
    """Back up to the file ``target``; a directory (existing, or written with a trailing
    slash, then created) gets a new file named after the office time, e.g.
    ``egovctl-20261130-091500.db``."""
    raw = str(target)
    if not raw.strip():
        raise InvalidInput(
            _(
                "the backup file name is empty; give a file such as cadangan.db "
                "or a folder such as cadangan/"
            )
        )
    require(db, actor, "db.admin")
    target = Path(target)
    if raw.endswith(("/", "\\")) or target.is_dir():
        if not target.is_dir():
            if target.exists() or not target.parent.is_dir():
                raise EgovError(
                    _(
                        "cannot write into {given}: {folder} is not an existing "
                        "directory; create it first or give a file name"
                    ).format(given=raw, folder=target.parent)
                )
            target.mkdir()
        target = target / f"egovctl-{_stamp(tz)}.{'db' if db.is_sqlite else 'dump'}"
    _refuse_live(db, target, raw, restoring=False)
    if target.exists() and not target.is_file():
        # --force must not replace a device (/dev/null) with a file.
        raise EgovError(
            _("cannot back up onto {file}: it is a device or pipe; give a file name").format(
                file=target
            )
        )
    if target.exists() and not force:
        raise EgovError(_("{file} already exists; use --force to overwrite it").format(file=target))
    if target.parent and not target.parent.resolve().is_dir():
        raise EgovError(
            _("cannot write {file}: directory {folder} does not exist").format(
                file=target, folder=target.parent
            )
        )
    if db.is_sqlite:
        try:
            db.backup_to(target)
        except sqlite3.Error as exc:
            raise EgovError(
                _("cannot write the backup {file}: {reason}; choose another place").format(
                    file=target, reason=exc
                )
            ) from None
    else:
        _pg_dump(db, target)
    return {"file": str(target), "bytes": target.stat().st_size, "database": db.describe()}


def _refuse_live(db: Database, path: Path, given: str | Path, *, restoring: bool) -> None:
    """Refuse ``path`` (``given`` as typed) when it is the live database (or one of its -wal,
    -shm, -journal files), however it is spelt: a symlink, ``./x.db``, ``../dir/x.db``, a hard
    link. ``restoring``: read from it, else written onto it."""
    live = db.sqlite_path
    if live is None:
        return
    live = live.resolve()
    names = [live, *(live.with_name(live.name + tail) for tail in ("-wal", "-shm", "-journal"))]
    resolved = path.resolve()
    hit = resolved if resolved in names else None
    if hit is None and path.exists():
        for name in names:
            try:
                if os.path.samefile(path, name):
                    hit = name
                    break
            except OSError:  # that file does not exist
                continue
    if hit == live:
        message = (
            _(
                "cannot restore from {given}: it is the live database {live} itself; choose "
                "another file"
            )
            if restoring
            else _(
                "cannot back up onto {given}: it is the live database {live} itself; choose "
                "another file"
            )
        )
        raise EgovError(message.format(given=given, live=live))
    if hit is not None:
        message = (
            _(
                "cannot restore from {given}: it is {name}, a working file of the live "
                "database {live}"
            )
            if restoring
            else _(
                "cannot back up onto {given}: it is {name}, a working file of the live "
                "database {live}"
            )
        )
        raise EgovError(message.format(given=given, name=hit.name, live=live))


def _pg_dump(db: Database, target: Path) -> None:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise DatabaseError(
            _(
                "backing up PostgreSQL needs pg_dump, which is not installed here; install the "
                "PostgreSQL client (apt-get install postgresql-client) or back up on the server"
            )
        )
    url = db.url.set(drivername="postgresql")
    dsn = url.render_as_string(hide_password=False)
    tmp = target.with_name(target.name + ".part")
    proc = subprocess.run(
        [exe, "--format=custom", f"--file={tmp}", f"--dbname={dsn}"], capture_output=True, text=True
    )
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        lines = proc.stderr.strip().splitlines()
        raise DatabaseError(
            _("pg_dump failed: {reason}").format(
                reason=lines[-1] if lines else f"exit {proc.returncode}"
            )
        )
    shutil.move(str(tmp), str(target))


def _backup_revision(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {file}: {reason}").format(file=path, reason=exc.strerror)
        ) from None
    if magic != b"SQLite format 3\x00":
        raise InvalidInput(
            _("{file} is not an egovctl backup (not a SQLite database file)").format(file=path)
        )
    # immutable: read the backup without locks or -wal/-shm files beside it.
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        check = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc):
            raise InvalidInput(
                _("{file} is damaged ({reason}); choose another backup").format(
                    file=path, reason=exc
                )
            ) from None
        raise InvalidInput(
            _("{file} is a SQLite file but not an egovctl database").format(file=path)
        ) from None
    finally:
        conn.close()
    if not row or row[0] not in KNOWN_REVISIONS:
        if not row:
            raise InvalidInput(
                _("{file} records no schema; it was not made by this egovctl").format(file=path)
            )
        raise InvalidInput(
            _("{file} has an unknown schema ({revision}); it was not made by this egovctl").format(
                file=path, revision=row[0]
            )
        )
    if check[0] != "ok":
        raise InvalidInput(
            _("{file} is damaged ({reason}); choose another backup").format(
                file=path, reason=check[0]
            )
        )
    return str(row[0])


@dataclass
class _Issued:
    """The registration numbers a database has given: the highest per agency code and year,
    and every number its requests carry."""

    high: dict[tuple[str, int], int] = field(default_factory=dict)
    numbers: set[str] = field(default_factory=set)

    def note(self, code: str, year: int, last: int) -> None:
        key = (code, int(year))
        self.high[key] = max(self.high.get(key, 0), int(last))


def _split(reg_no: str) -> tuple[str, int, int] | None:
    """AGENCY-YEAR-NUMBER as its parts (the agency code may hold dashes itself)."""
    code, _, rest = reg_no.rpartition("-")
    agency, _, year = code.rpartition("-")
    if not agency or not year.isdigit() or not rest.isdigit():
        return None
    return agency, int(year), int(rest)


def _issued_in(path: Path) -> _Issued:
    """What the database file at ``path`` has issued, read without changing it. Raises
    sqlite3.Error when the file cannot be read as an egovctl database."""
    issued = _Issued()
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not {"reg_counter", "agency", "service_request"} <= tables:
            return issued  # an empty file: nothing was issued
        for code, year, last in conn.execute(
            "SELECT a.code, c.year, c.last FROM reg_counter c JOIN agency a ON a.id = c.agency_id"
        ):
            issued.note(code, year, last)
        if "reg_high_water" in tables:
            for code, year, last in conn.execute(
                "SELECT agency_code, year, last FROM reg_high_water"
            ):
                issued.note(code, year, last)
        for (reg_no,) in conn.execute("SELECT reg_no FROM service_request"):
            issued.numbers.add(reg_no)
            parts = _split(reg_no)
            if parts is not None:
                issued.note(*parts)
        if {"complaint", "complaint_counter"} <= tables:
            # Complaint numbers (ADU-AGENCY-YYYY-N) are kept under "ADU-AGENCY", their prefix.
            for code, year, last in conn.execute(
                "SELECT 'ADU-' || a.code, c.year, c.last FROM complaint_counter c "
                "JOIN agency a ON a.id = c.agency_id"
            ):
                issued.note(code, year, last)
            for (number,) in conn.execute("SELECT number FROM complaint"):
                issued.numbers.add(number)
                parts = _split(number)
                if parts is not None:
                    issued.note(*parts)
    finally:
        conn.close()
    return issued


def _number_order(reg_no: str) -> tuple[str, int, int, str]:
    parts = _split(reg_no)
    return (*parts, "") if parts is not None else ("", 0, 0, reg_no)


def _keep_high_water(db: Database, issued: _Issued) -> list[str]:
    """After a restore: raise the restored counters to the highest numbers issued before it,
    keep those marks (also for agencies the backup does not know yet), and return the
    numbers issued before the restore that the restored database does not hold."""
    from sqlalchemy import inspect, select
    from sqlalchemy.dialects.sqlite import insert

    from egovctl.db import table_of
    from egovctl.models import Agency, RegCounter, RegHighWater, ServiceRequest

    mark, counter = table_of(RegHighWater), table_of(RegCounter)
    agency, request = table_of(Agency), table_of(ServiceRequest)
    with db.write() as session:
        conn = session.connection()
        # A backup of an older schema has no such table yet; migration 0006 keeps this one.
        mark.create(conn, checkfirst=True)
        kept = set(conn.execute(select(request.c.reg_no)).scalars())
        if inspect(conn).has_table("complaint"):
            from egovctl.models import Complaint

            kept |= set(conn.execute(select(table_of(Complaint).c.number)).scalars())
        ids = {row.code: row.id for row in conn.execute(select(agency.c.code, agency.c.id))}
        for (code, year), last in sorted(issued.high.items()):
            stmt = insert(mark).values(agency_code=code, year=year, last=last)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[mark.c.agency_code, mark.c.year],
                    set_={"last": _greater(mark.c.last, stmt.excluded.last)},
                )
            )
            if code in ids:
                stmt = insert(counter).values(agency_id=ids[code], year=year, last=last)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=[counter.c.agency_id, counter.c.year],
                        set_={"last": _greater(counter.c.last, stmt.excluded.last)},
                    )
                )
    return sorted(issued.numbers - kept, key=_number_order)


def _greater(a: Any, b: Any) -> Any:
    from sqlalchemy import case

    return case((a < b, b), else_=a)


def restore(db: Database, actor: str, source: Path, *, tz: str | None = None) -> dict[str, Any]:
    """Replace the SQLite database with a backup, keeping the live one beside it.

    Numbers issued after the backup was taken are not given again: the restored counters
    continue from the highest number the office had issued (docs/staff-and-audit.md), and the
    result names the numbers the backup does not hold (``numbers_not_in_backup``; None when the
    replaced database could not be read, e.g. a damaged one).
    """
    source = Path(source)
    if db.sqlite_path is None:
        raise DatabaseError(
            _(
                "restore works on SQLite databases; on PostgreSQL restore a "
                "pg_dump file with pg_restore on the server"
            )
        )
    live = db.sqlite_path
    if source.is_dir():
        raise InvalidInput(
            _("{file} is a directory; give the backup file in it").format(file=source)
        )
    if not source.exists():
        raise InvalidInput(_("backup file {file} does not exist").format(file=source))
    if not source.is_file():
        raise InvalidInput(_("{file} is a device or pipe, not a backup file").format(file=source))
    _refuse_live(db, source, source, restoring=True)
    rev = _backup_revision(source)
    if live.exists() and db.current_revision() is not None:
        require(db, actor, "db.admin")
    previous: Path | None = None
    if live.exists():
        previous = live.with_name(f"{live.name}.before-restore.{_stamp(tz)}.bak")
        db.backup_to(previous)
    db.dispose()
    db.create_folder()
    # The restored database is made ready beside the live one (numbers, audit record) and
    # then copied over it in one step: a restore stopped half-way changes nothing.
    staged = live.with_name(f".{live.name}.restore.part")
    try:
        _sqlite_copy(f"file:{quote(str(source))}?mode=ro&immutable=1", staged)
        # Read last, so numbers given while the backup was copied count too.
        try:
            issued = _issued_in(live) if live.exists() else _Issued()
        except sqlite3.Error:
            issued = None  # a damaged database is what restores are for
        missing = _prepare_restored(staged, issued, rev, actor, source, previous)
        _sqlite_copy(f"file:{quote(str(staged))}?mode=ro", live)
    except sqlite3.Error as exc:  # a full disk, say: SQLite's copy is one transaction
        raise EgovError(
            _("cannot restore into {file}: {reason}; nothing was changed").format(
                file=live, reason=exc
            )
        ) from None
    finally:
        for tail in ("", "-wal", "-shm", "-journal"):
            staged.with_name(staged.name + tail).unlink(missing_ok=True)
    return {
        "file": str(source),
        "previous": str(previous) if previous else None,
        "schema": rev,
        "needs_upgrade": rev != HEAD,
        "numbers_not_in_backup": missing,
    }


def _sqlite_copy(source_uri: str, target: Path) -> None:
    """Copy a SQLite database page by page (safe while others have ``target`` open)."""
    src = sqlite3.connect(source_uri, uri=True)
    dst = sqlite3.connect(str(target), timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _prepare_restored(
    path: Path,
    issued: _Issued | None,
    rev: str,
    actor: str,
    source: Path,
    previous: Path | None,
) -> list[str] | None:
    """Keep the high-water marks in the restored copy at ``path`` and record the restore in
    its audit log (not in a backup of an older schema, whose audit table may differ)."""
    from egovctl.db import Database

    db = Database(f"sqlite:///{path}")
    try:
        missing = _keep_high_water(db, issued) if issued is not None else None
        if rev == HEAD:
            from egovctl.staff import audit

            with db.write() as session:
                audit.append(
                    session,
                    actor,
                    "db.restore",
                    "database",
                    {
                        "file": str(source),
                        "previous": str(previous) if previous else None,
                        "numbers_not_in_backup": missing,
                    },
                )
    finally:
        db.dispose()
    return missing


def check(db: Database, tz: str) -> dict[str, Any]:
    from sqlalchemy import text

    from egovctl.staff.audit import verify_chain

    checks: dict[str, str] = {}
    with db.read() as session:
        if db.is_sqlite:
            rows = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
            checks["integrity"] = "ok" if rows == ["ok"] else "; ".join(rows[:3])
            fk = session.execute(text("PRAGMA foreign_key_check")).all()
            checks["foreign_keys"] = (
                "ok"
                if not fk
                else ngettext("{n} broken reference", "{n} broken references", len(fk)).format(
                    n=len(fk)
                )
            )
        else:
            checks["integrity"] = "ok"  # PostgreSQL enforces its own integrity
            checks["foreign_keys"] = "ok"
    from egovctl.complaints.verify import verify_complaints
    from egovctl.requests.verify import verify_requests

    for name, verify in (
        ("audit", lambda: verify_chain(db)),
        ("requests", lambda: verify_requests(db, tz)),
        ("complaints", lambda: verify_complaints(db)),
    ):
        try:
            verify()
            checks[name] = "ok"
        except EgovError as exc:
            checks[name] = exc.message
    return {"ok": all(v == "ok" for v in checks.values()), "checks": checks}
