"""The append-only, hash-chained audit log.

Each record's hash is SHA-256 over the previous record's hash and this record's canonical
JSON, so editing, deleting or reordering any record breaks the chain from there on. Appends
lock the single ``audit_head`` row, which serialises them on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypedDict

from egovctl.i18n import _
from egovctl.timeutil import now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database

GENESIS = "0" * 64


class Record(TypedDict):
    """One audit record as ``list_records`` gives it (``details`` decoded)."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    details: dict[str, Any]


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


# What json.dumps with these options builds on every call, built once: a change that moves
# thousands of due dates encodes two documents per audit record.
_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default
)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(
    prev_hash: str, rec_id: int, at: datetime, actor: str, action: str, entity: str, details: str
) -> str:
    body = canonical_json(
        {
            "id": rec_id,
            "at": _timestamp(at),
            "actor": actor,
            "action": action,
            "entity": entity,
            "details": details,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    details: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Add one record to the chain inside the caller's write transaction."""
    from sqlalchemy import insert, select, update

    from egovctl.models import AuditHead, AuditRecord
    from egovctl.staff.access import username_key

    # Usernames are lower case: an actor typed in capitals (--as BUDI) is recorded as the
    # member it names.
    actor = username_key(actor)
    # Core statements on the tables: every change appends, and ORM objects would cost each
    # process SQLAlchemy's mapper set-up for nothing.
    head_table = AuditHead.__table__
    head = session.execute(
        select(head_table.c.last_id, head_table.c.last_hash)
        .where(head_table.c.id == 1)
        .with_for_update()
    ).one()
    at = (at or now_utc()).astimezone(UTC)
    # Round-trip through the database keeps microseconds on both backends.
    rec_id = head.last_id + 1
    text = canonical_json(details or {})
    digest = record_hash(head.last_hash, rec_id, at, actor, action, entity, text)
    session.execute(
        insert(AuditRecord.__table__).values(
            id=rec_id,
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            details=text,
            prev_hash=head.last_hash,
            hash=digest,
        )
    )
    session.execute(
        update(head_table).where(head_table.c.id == 1).values(last_id=rec_id, last_hash=digest)
    )
    session.flush()  # the caller's pending objects, as before: the order of writes is kept


def append_many(
    session: Session,
    actor: str,
    records: list[tuple[str, str, dict[str, Any]]],
    at: datetime | None = None,
) -> None:
    """Add several records ``(action, entity, details)`` to the chain at once: one lock of
    the head, one multi-row insert. Used when one change touches many requests (a calendar
    change moving their due dates), where one ``append`` per record would cost a round trip
    each."""
    from sqlalchemy import insert, select, update

    from egovctl.db import executemany
    from egovctl.models import AuditHead, AuditRecord

    if not records:
        return
    head_table = AuditHead.__table__
    head = session.execute(
        select(head_table.c.last_id, head_table.c.last_hash)
        .where(head_table.c.id == 1)
        .with_for_update()
    ).one()
    at = (at or now_utc()).astimezone(UTC)
    rec_id, prev = head.last_id, head.last_hash
    rows = []
    for action, entity, details in records:
        rec_id += 1
        text = canonical_json(details)
        digest = record_hash(prev, rec_id, at, actor, action, entity, text)
        rows.append(
            {
                "id": rec_id,
                "at": at,
                "actor": actor,
                "action": action,
                "entity": entity,
                "details": text,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    executemany(session, insert(AuditRecord.__table__), rows)
    session.execute(
        update(head_table).where(head_table.c.id == 1).values(last_id=rec_id, last_hash=prev)
    )
    session.flush()


def verify_chain(db: Database) -> int:
    """Check every record's hash and link; return how many verified, else AuditMismatch."""
    from sqlalchemy import select

    from egovctl.errors import AuditMismatch
    from egovctl.models import AuditHead, AuditRecord

    rec = AuditRecord.__table__.c
    prev = GENESIS
    expected_id = 1
    count = 0
    with db.read() as session:
        rows = session.execute(
            select(
                rec.id,
                rec.at,
                rec.actor,
                rec.action,
                rec.entity,
                rec.details,
                rec.prev_hash,
                rec.hash,
            ).order_by(rec.id)
        ).yield_per(5000)
        for r in rows:
            if r.id != expected_id:
                raise AuditMismatch(
                    _("audit record {missing} is missing (the next one found is {found})").format(
                        missing=expected_id, found=r.id
                    )
                )
            if r.prev_hash != prev:
                raise AuditMismatch(
                    _("audit record {id} does not link to record {previous}").format(
                        id=r.id, previous=r.id - 1
                    )
                )
            digest = record_hash(prev, r.id, r.at, r.actor, r.action, r.entity, r.details)
            if digest != r.hash:
                raise AuditMismatch(
                    _(
                        "audit record {id} ({action} on {entity} by {actor}) does not "
                        "verify: it was changed after it was written"
                    ).format(id=r.id, action=r.action, entity=r.entity, actor=r.actor)
                )
            prev = r.hash
            expected_id += 1
            count += 1
        head = session.get(AuditHead, 1)
        if head is None or head.last_id != count or head.last_hash != prev:
            if head is None:
                raise AuditMismatch(
                    _(
                        "the audit log ends at record {count} but has no head: records were "
                        "removed from the end"
                    ).format(count=count)
                )
            raise AuditMismatch(
                _(
                    "the audit log ends at record {count} but its head says {head}: records "
                    "were removed from the end"
                ).format(count=count, head=head.last_id)
            )
    return count


def list_records(
    db: Database,
    *,
    entity: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 100,
    tz: str = "Asia/Jakarta",
) -> list[Record]:
    """Newest first. ``entity`` matches exactly or as a prefix ('request:' or 'request');
    ``since`` and ``until`` are the office's calendar days (``tz``), both included."""
    from datetime import time as dtime
    from datetime import timedelta

    from sqlalchemy import select

    from egovctl.errors import InvalidInput
    from egovctl.models import AuditRecord
    from egovctl.staff.access import username_key
    from egovctl.timeutil import zone

    if since and until and since > until:
        raise InvalidInput(f"--since {since} is after --until {until}; give the earlier date first")
    rec = AuditRecord.__table__.c
    query = select(rec.id, rec.at, rec.actor, rec.action, rec.entity, rec.details)
    query = query.order_by(rec.id.desc()).limit(limit)
    if entity:
        query = query.where(
            (rec.entity == entity) | rec.entity.startswith(entity.rstrip(":") + ":")
        )
    if actor:
        # Records written before usernames were folded may carry capitals.
        query = query.where(rec.actor.in_({actor.strip(), username_key(actor)}))
    if action:
        query = query.where(
            (rec.action == action) | rec.action.startswith(action.rstrip(".") + ".")
        )
    if since:
        query = query.where(rec.at >= datetime.combine(since, dtime.min, zone(tz)))
    if until:
        day_after = datetime.combine(until + timedelta(days=1), dtime.min, zone(tz))
        query = query.where(rec.at < day_after)
    with db.read() as session:
        return [
            {
                "id": r.id,
                "at": r.at,
                "actor": r.actor,
                "action": r.action,
                "entity": r.entity,
                "details": json.loads(r.details),
            }
            for r in session.execute(query)
        ]


def describe(details: dict[str, Any], tz: str | None = None) -> str:
    """A record's details for people: ``note=KK kurang, scores=[4, 3, ...]``.

    With ``tz``, stored UTC times are shown in that timezone (the record itself, and so its
    hash, keeps them as written).
    """

    def show(value: Any) -> str:
        if isinstance(value, str):
            return _local_time(value, tz) if tz else value
        # Spaced JSON, unlike the hashed form, so a long list wraps between its items.
        return json.dumps(value, ensure_ascii=False, default=_json_default)

    return ", ".join(f"{k}={show(v)}" for k, v in details.items())


def _local_time(text: str, tz: str) -> str:
    if len(text) < 20 or text[10:11] != "T":
        return text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    from egovctl.timeutil import local_iso

    return local_iso(moment, tz) or text
