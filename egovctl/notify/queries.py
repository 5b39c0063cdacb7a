"""Reading the outbox: `notify list`, the `notify links` page and its confirmation, and the
per-channel counts of `report summary` (docs/notify.md)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from egovctl.errors import InvalidInput
from egovctl.i18n import _
from egovctl.notify.vocabulary import CHANNELS, MESSAGE_STATUSES
from egovctl.timeutil import local_iso, now_utc

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.notify.render import MessageTexts


def _may_see_contacts(session: Session, actor: str) -> bool:
    from egovctl.errors import PermissionDenied
    from egovctl.staff.access import authorize

    try:
        authorize(session, actor, "notify.contact")
    except PermissionDenied:
        return False
    return True


def list_messages(
    db: Database,
    actor: str,
    *,
    tz: str,
    status: str | None = None,
    reg_no: str | None = None,
    limit: int = 50,
    texts: MessageTexts | None = None,
) -> list[dict[str, Any]]:
    """Messages, newest first, as ``notify list`` prints them; ``to`` is masked for anyone
    but supervisors and admins. A message not rendered yet shows the text it would get."""
    from sqlalchemy import select

    from egovctl.errors import EgovError
    from egovctl.identity import shorten
    from egovctl.models import NotifyMessage
    from egovctl.notify.addresses import mask_address
    from egovctl.notify.problems import say
    from egovctl.staff.access import authorize

    if status is not None and status not in MESSAGE_STATUSES:
        raise InvalidInput(
            _("unknown message status {status}; use one of {choices}").format(
                status=repr(shorten(status)), choices=", ".join(MESSAGE_STATUSES)
            )
        )
    c = NotifyMessage.__table__.c
    query = select(NotifyMessage.__table__).order_by(c.id.desc()).limit(limit)
    if status:
        query = query.where(c.status == status)
    if reg_no:
        query = query.where(c.reg_no == reg_no.strip().upper())
    with db.read() as session:
        authorize(session, actor, "notify.read")
        unmasked = _may_see_contacts(session, actor)
        rows = session.execute(query).all()
    out = []
    for r in rows:
        text = r.text
        template_now: str | None = None
        if text is None and texts is not None:
            try:
                text = texts.text(r.event, r.data)
            except EgovError as exc:
                template_now = str(exc)
        out.append(
            {
                "id": r.id,
                "reg_no": r.reg_no,
                "event": r.event,
                "channel": r.channel,
                "to": r.address if unmasked else mask_address(r.address),
                "status": r.status,
                "attempts": r.attempts,
                "created_at": local_iso(r.created_at, tz),
                "sent_at": local_iso(r.sent_at, tz),
                # The stored English in JSON, the terminal's language in the table.
                "error": say(r.error, template_now=template_now),
                "text": text,
            }
        )
    return out


def wa_link(phone: str, text: str) -> str:
    """A click-to-chat link: ``https://wa.me/6281234567890?text=...``."""
    return f"https://wa.me/{phone.removeprefix('+')}?text={quote(text, safe='')}"


def pending_links(
    db: Database, actor: str, texts: MessageTexts, *, tz: str, limit: int = 200
) -> list[dict[str, Any]]:
    """The pending WhatsApp messages as click-to-chat links, oldest first, for a clerk to
    send by hand (an office with no gateway). Contacts are whole: the clerk needs them."""
    from sqlalchemy import select

    from egovctl.models import NotifyMessage
    from egovctl.staff.access import authorize

    c = NotifyMessage.__table__.c
    with db.read() as session:
        authorize(session, actor, "notify.send")
        rows = session.execute(
            select(c.id, c.reg_no, c.event, c.address, c.data, c.created_at)
            .where(c.channel == "wa", c.status == "pending")
            .order_by(c.id)
            .limit(limit)
        ).all()
    out = []
    for number, r in enumerate(rows, start=1):
        text = texts.text(r.event, r.data)
        out.append(
            {
                # What the clerk names when saying which were sent (notify/selection.py).
                "n": number,
                "id": r.id,
                "reg_no": r.reg_no,
                "event": r.event,
                "to": r.address,
                "created_at": local_iso(r.created_at, tz),
                "text": text,
                "link": wa_link(r.address, text),
            }
        )
    return out


def mark_sent(
    db: Database,
    actor: str,
    links: list[dict[str, Any]],
    *,
    listed: list[dict[str, Any]] | None = None,
) -> int:
    """Mark sent the messages of a links page that the clerk says were sent (``links``, of
    the ``listed`` ones); only those still pending (a gateway may have sent one meanwhile).
    The others stay pending. Returns how many were marked."""
    from sqlalchemy import bindparam, update

    from egovctl.models import NotifyMessage
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    if not links:
        return 0
    t = NotifyMessage.__table__
    now = now_utc()
    marked = 0
    with db.write() as session:
        authorize(session, actor, "notify.send")
        statement = (
            update(t)
            .where(t.c.id == bindparam("mid"), t.c.status == "pending")
            .values(status="sent", sent_at=now, text=bindparam("body"), error=None)
        )
        for item in links:
            result = session.execute(statement, {"mid": item["id"], "body": item["text"]})
            marked += int(result.rowcount or 0)  # type: ignore[attr-defined]
        audit.append(
            session,
            actor,
            "notify.links",
            "notify",
            {
                "ids": [item["id"] for item in links],
                "marked": marked,
                "listed": [item["id"] for item in (links if listed is None else listed)],
            },
            at=now,
        )
    return marked


def channel_counts(
    session: Session, start: date, end: date, tz: str, scope: Any = None
) -> dict[str, dict[str, int]]:
    """Messages queued in the period per channel: sent, failed, pending (``sending`` counts
    as pending: not delivered yet); ``scope`` is the report's --agency/--procedure."""
    from datetime import datetime, time, timedelta

    from sqlalchemy import func, select

    from egovctl.models import NotifyMessage, ServiceRequest
    from egovctl.timeutil import zone

    t: Table = NotifyMessage.__table__
    since = datetime.combine(start, time(), zone(tz))
    until = datetime.combine(end + timedelta(days=1), time(), zone(tz))
    query = select(t.c.channel, t.c.status, func.count()).where(
        t.c.created_at >= since, t.c.created_at < until
    )
    where = scope.where(ServiceRequest.__table__) if scope is not None else []
    if where:
        r = ServiceRequest.__table__
        query = query.join_from(t, r, r.c.id == t.c.request_id).where(*where)
    counts = {ch: {"sent": 0, "failed": 0, "pending": 0} for ch in CHANNELS}
    for channel, status, n in session.execute(query.group_by(t.c.channel, t.c.status)):
        key = "pending" if status == "sending" else status
        if channel in counts and key in counts[channel]:
            counts[channel][key] += n
    return counts
