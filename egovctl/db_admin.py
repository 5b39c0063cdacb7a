"""Database upkeep: schema upgrade, backup and restore, and the integrity check."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import DatabaseError, EgovError, InvalidInput
from egovctl.migrations import HEAD, KNOWN_REVISIONS
from egovctl.staff.access import require

if TYPE_CHECKING:
    from egovctl.db import Database


def upgrade(db: Database, actor: str) -> dict[str, Any]:
    rev = db.current_revision()
    if rev == HEAD:
        return {"from": rev, "to": HEAD, "backup": None}
    before, after, backup_path = db.upgrade()
    if before is not None:
        from egovctl.staff import audit

        with db.write() as session:
            audit.append(
                session,
                actor,
                "db.upgrade",
                "database",
                {"from": before, "to": after, "backup": str(backup_path) if backup_path else None},
            )
    return {"from": before, "to": after, "backup": str(backup_path) if backup_path else None}


def _stamp(tz: str | None) -> str:
    """The time for a file name, in the office's timezone when known."""
    if tz is None:
        return datetime.now().strftime("%Y%m%d-%H%M%S")
    from egovctl.timeutil import zone

    return datetime.now(zone(tz)).strftime("%Y%m%d-%H%M%S")


def backup(
    db: Database, actor: str, target: Path | str, *, force: bool = False, tz: str | None = None
) -> dict[str, Any]:
    """Back up to the file ``target``; a directory (existing, or written with a trailing
    slash, then created) gets a new file named after the office time, e.g.
    ``egovctl-20261130-091500.db``."""
    raw = str(target)
    if not raw.strip():
        raise InvalidInput(
            "the backup file name is empty; give a file such as cadangan.db "
            "or a folder such as cadangan/"
        )
    require(db, actor, "db.admin")
    target = Path(target)
    if raw.endswith(("/", "\\")) or target.is_dir():
        if not target.is_dir():
            if target.exists() or not target.parent.is_dir():
                raise EgovError(
                    f"cannot write into {raw}: {target.parent} is not an existing "
                    "directory; create it first or give a file name"
                )
            target.mkdir()
        target = target / f"egovctl-{_stamp(tz)}.{'db' if db.is_sqlite else 'dump'}"
    if target.exists() and not force:
        raise EgovError(f"{target} already exists; use --force to overwrite it")
    if target.parent and not target.parent.resolve().is_dir():
        raise EgovError(f"cannot write {target}: directory {target.parent} does not exist")
    if db.is_sqlite:
        try:
            db.backup_to(target)
        except sqlite3.Error as exc:
            raise EgovError(
                f"cannot write the backup {target}: {exc}; choose another place"
            ) from None
    else:
        _pg_dump(db, target)
    return {"file": str(target), "bytes": target.stat().st_size, "database": db.describe()}


def _pg_dump(db: Database, target: Path) -> None:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise DatabaseError(
            "backing up PostgreSQL needs pg_dump, which is not installed here; install the "
            "PostgreSQL client (apt-get install postgresql-client) or back up on the server"
        )
    url = db.url.set(drivername="postgresql")
    dsn = url.render_as_string(hide_password=False)
    tmp = target.with_name(target.name + ".part")
    proc = subprocess.run(
        [exe, "--format=custom", f"--file={tmp}", f"--dbname={dsn}"], capture_output=True, text=True
    )
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"pg_dump failed: {proc.stderr.strip().splitlines()[-1]}")
    shutil.move(str(tmp), str(target))


def _backup_revision(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    if magic != b"SQLite format 3\x00":
        raise InvalidInput(f"{path} is not an egovctl backup (not a SQLite database file)")
    # immutable: read the backup without locks or -wal/-shm files beside it.
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        check = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc):
            raise InvalidInput(f"{path} is damaged ({exc}); choose another backup") from None
        raise InvalidInput(f"{path} is a SQLite file but not an egovctl database") from None
    finally:
        conn.close()
    if not row or row[0] not in KNOWN_REVISIONS:
        raise InvalidInput(
            f"{path} has an unknown schema "
            f"({row[0] if row else 'none'}); it was not made by this egovctl"
        )
    if check[0] != "ok":
        raise InvalidInput(f"{path} is damaged ({check[0]}); choose another backup")
    return str(row[0])


def restore(db: Database, actor: str, source: Path, *, tz: str | None = None) -> dict[str, Any]:
    source = Path(source)
    if db.sqlite_path is None:
        raise DatabaseError(
            "restore works on SQLite databases; on PostgreSQL restore a "
            "pg_dump file with pg_restore on the server"
        )
    if source.is_dir():
        raise InvalidInput(f"{source} is a directory; give the backup file in it")
    if not source.is_file():
        raise InvalidInput(f"backup file {source} does not exist")
    rev = _backup_revision(source)
    if db.sqlite_path.exists() and db.current_revision() is not None:
        require(db, actor, "db.admin")
    previous = db.sqlite_path.with_name(f"{db.sqlite_path.name}.before-restore.{_stamp(tz)}.bak")
    if db.sqlite_path.exists():
        db.backup_to(previous)
    db.dispose()
    src = sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)
    dst = sqlite3.connect(str(db.sqlite_path), timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    if rev == HEAD:
        from egovctl.staff import audit

        with db.write() as session:
            audit.append(
                session,
                actor,
                "db.restore",
                "database",
                {"file": str(source), "previous": str(previous)},
            )
    return {
        "file": str(source),
        "previous": str(previous),
        "schema": rev,
        "needs_upgrade": rev != HEAD,
    }


def check(db: Database, tz: str) -> dict[str, Any]:
    from sqlalchemy import text

    from egovctl.staff.audit import verify_chain

    checks: dict[str, str] = {}
    with db.read() as session:
        if db.is_sqlite:
            rows = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
            checks["integrity"] = "ok" if rows == ["ok"] else "; ".join(rows[:3])
            fk = session.execute(text("PRAGMA foreign_key_check")).all()
            checks["foreign_keys"] = "ok" if not fk else f"{len(fk)} broken reference(s)"
        else:
            checks["integrity"] = "ok"  # PostgreSQL enforces its own integrity
            checks["foreign_keys"] = "ok"
    from egovctl.requests.verify import verify_requests

    for name, verify in (
        ("audit", lambda: verify_chain(db)),
        ("requests", lambda: verify_requests(db, tz)),
    ):
        try:
            verify()
            checks[name] = "ok"
        except EgovError as exc:
            checks[name] = exc.message
    return {"ok": all(v == "ok" for v in checks.values()), "checks": checks}
