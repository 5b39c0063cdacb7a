"""`egovctl notify send`: deliver the messages that are due (docs/notify.md#sending).

Safe from cron every minute and from two places at once. A sender *claims* a few messages in
one short write transaction (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so a second sender
takes other rows without waiting; SQLite: the transaction begins ``IMMEDIATE``, so claims
are taken in turn), marking them ``sending`` with its own claim token. It then sends each
and writes the outcome at once, guarded by the token, in a transaction of its own.

A sender killed after a gateway accepted a message but before its outcome was written
leaves that message ``sending``; once the lease has run out another run takes it again and
sends it with the same id (the gateway's ``Idempotency-Key``). The other messages of the dead
sender's claim were never sent, so that one message is the only possible repeat.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.i18n import Said
from egovctl.notify import problems
from egovctl.notify.channels import Outcome, Outgoing, Transports, config_problem
from egovctl.notify.vocabulary import CHANNELS
from egovctl.timeutil import now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.config import Notify
    from egovctl.db import Database
    from egovctl.notify.render import MessageTexts

# A claim older than this belongs to a sender that died; it is far longer than a batch can
# take (BATCH messages, each bounded by the gateway timeout).
LEASE = timedelta(minutes=15)
BATCH = 20
MAX_DELAY = timedelta(hours=6)


@dataclass
class SendSettings:
    """What the sender needs of the configuration."""

    notify: Notify
    templates_dir: Path | str | None
    office: Mapping[str, Any]
    timezone: str
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


def retry_delay(attempts: int, first_seconds: int) -> timedelta:
    """The wait before the next attempt after ``attempts`` tries: doubling from the first."""
    return min(MAX_DELAY, timedelta(seconds=first_seconds * 2 ** max(0, attempts - 1)))


def send_due(
    db: Database,
    actor: str,
    settings: SendSettings,
    *,
    limit: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Send what is due, at most ``limit`` messages; returns the run's summary."""
    from egovctl.notify.render import MessageTexts
    from egovctl.staff.access import require

    require(db, actor, "notify.send")
    notify = settings.notify
    unusable = {ch: p for ch in CHANNELS if (p := config_problem(ch, notify)) is not None}
    usable = [ch for ch in CHANNELS if ch not in unusable]
    summary: dict[str, Any] = {
        "sent": 0,
        "retried": 0,
        "failed": 0,
        "held": 0,
        "channels": {ch: {"sent": 0, "retried": 0, "failed": 0, "held": 0} for ch in CHANNELS},
        "errors": [],
    }
    # Each distinct problem once, with how many messages it concerned (keyed by its English).
    errors: dict[str, tuple[Said, int]] = {}

    def count(channel: str, kind: str, error: Said | None = None) -> None:
        key = {"retry": "retried"}.get(kind, kind)
        summary[key] += 1
        summary["channels"][channel][key] += 1
        if error:
            line = problems.said_as(f"{channel}: {error}", f"{channel}: {error.english}")
            seen = errors.get(line.english, (line, 0))
            errors[line.english] = (line, seen[1] + 1)

    now = now_utc()
    with db.write() as session:
        for channel, problem in unusable.items():
            held = _hold_channel(session, channel, problem.english, now)
            for _ in range(held):
                count(channel, "held", problem)
        total = _due_count(session, usable, now)
    if limit is not None:
        total = min(total, limit)
    texts = MessageTexts(settings.templates_dir, settings.office, settings.timezone, notify)
    transports = Transports(notify, settings.env)
    token = uuid.uuid4().hex
    stopped: set[str] = set()
    done = 0
    try:
        while limit is None or done < limit:
            channels = [ch for ch in usable if ch not in stopped]
            if not channels:
                break
            size = BATCH if limit is None else min(BATCH, limit - done)
            claimed = claim(db, token, channels, size)
            if not claimed:
                break
            for row in claimed:
                done += 1
                if row["channel"] in stopped:
                    outcome = Outcome("held", row["stop_reason"] or Said(problems.CHANNEL_STOPPED))
                else:
                    outcome, text = _deliver(row, texts, transports, settings)
                    if outcome.stops_channel:
                        stopped.add(row["channel"])
                        for other in claimed:
                            other["stop_reason"] = outcome.error
                    row["text"] = text
                kind = _record(db, token, row, outcome, notify)
                count(row["channel"], kind, outcome.error)
                if progress is not None:
                    progress("sending", done, max(total, done))
    finally:
        transports.close()
    summary["errors"] = [
        Said("{problem} ({n} messages)", problem=line, n=n) if n > 1 else line
        for line, n in errors.values()
    ]
    return summary


def _deliver(
    row: dict[str, Any], texts: MessageTexts, transports: Transports, settings: SendSettings
) -> tuple[Outcome, str | None]:
    from egovctl.errors import EgovError

    try:
        text = texts.text(row["event"], row["data"])
    except EgovError as exc:
        problem = problems.template_problem(lambda: texts.text(row["event"], row["data"]), str(exc))
        return Outcome("held", problem), None
    office = str(settings.office.get("name") or "")
    message = Outgoing(
        row["id"], row["reg_no"], row["event"], row["channel"], row["address"], text, office
    )
    return transports.send(message), text


def claim(db: Database, token: str, channels: list[str], size: int) -> list[dict[str, Any]]:
    """Take up to ``size`` due messages for this sender: pending ones whose time has come,
    and ``sending`` ones whose claim outlived the lease (their sender died)."""
    from sqlalchemy import and_, or_, select, update

    from egovctl.models import NotifyMessage

    t = NotifyMessage.__table__
    c = t.c
    now = now_utc()
    with db.write() as session:
        due = (
            select(c.id)
            .where(
                c.channel.in_(channels),
                or_(
                    and_(c.status == "pending", c.next_attempt_at <= now),
                    and_(c.status == "sending", c.claimed_at < now - LEASE),
                ),
            )
            .order_by(c.next_attempt_at, c.id)
            .limit(size)
        )
        if session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(session.execute(due).scalars())
        if not ids:
            return []
        session.execute(
            update(t)
            .where(c.id.in_(ids))
            .values(status="sending", claim=token, claimed_at=now, attempts=c.attempts + 1)
        )
        rows = session.execute(
            select(c.id, c.reg_no, c.event, c.channel, c.address, c.data, c.attempts)
            .where(c.id.in_(ids))
            .order_by(c.id)
        ).all()
    return [{**row._asdict(), "stop_reason": None} for row in rows]


def _record(db: Database, token: str, row: dict[str, Any], outcome: Outcome, notify: Notify) -> str:
    """Write a message's outcome (only while this sender's claim on it stands); returns the
    kind counted: ``retry`` becomes ``failed`` on the last attempt."""
    from sqlalchemy import update

    from egovctl.models import NotifyMessage

    t = NotifyMessage.__table__
    c = t.c
    now = now_utc()
    kind = outcome.kind
    # The record is English (notify/problems.py says it again in the terminal's language).
    error = outcome.error.english if outcome.error is not None else None
    values: dict[str, Any] = {"claim": None, "claimed_at": None, "error": error}
    if kind == "sent":
        values.update(status="sent", sent_at=now, text=row.get("text"))
    elif kind == "failed":
        values.update(status="failed")
    elif kind == "retry" and row["attempts"] >= notify.max_attempts:
        kind = "failed"
        gave_up = Said(problems.GAVE_UP, error=outcome.error, n=row["attempts"])
        values.update(status="failed", error=gave_up.english)
    elif kind == "retry":
        delay = retry_delay(row["attempts"], notify.retry_seconds)
        values.update(status="pending", next_attempt_at=now + delay)
    else:  # held: the set-up is wrong, not the message; no attempt is used up
        delay = timedelta(seconds=notify.retry_seconds)
        values.update(status="pending", next_attempt_at=now + delay, attempts=c.attempts - 1)
    # A bare connection rather than a session: this runs once per message, and a single
    # UPDATE needs no write lock taken up front (see bench/README.md, issue 17).
    with db.engine.begin() as conn:
        conn.execute(update(t).where(c.id == row["id"], c.claim == token).values(values))
    return kind


def _hold_channel(session: Session, channel: str, problem: str, now: datetime) -> int:
    """Note ``problem`` on every due message of a channel that cannot send."""
    from sqlalchemy import update

    from egovctl.models import NotifyMessage

    c = NotifyMessage.__table__.c
    result = session.execute(
        update(NotifyMessage.__table__)
        .where(c.channel == channel, c.status == "pending", c.next_attempt_at <= now)
        .values(error=problem)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _due_count(session: Session, channels: list[str], now: datetime) -> int:
    from sqlalchemy import func, select

    from egovctl.models import NotifyMessage

    c = NotifyMessage.__table__.c
    if not channels:
        return 0
    return int(
        session.execute(
            select(func.count()).where(
                c.channel.in_(channels), c.status == "pending", c.next_attempt_at <= now
            )
        ).scalar_one()
    )
