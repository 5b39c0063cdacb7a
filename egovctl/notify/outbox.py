"""The transactional outbox (docs/notify.md#the-outbox): a message row written in the same
transaction as the change that causes it, so a change is never without its message nor a
message without its change.

These functions run inside the caller's write transaction (``requests.service``,
``requests.recompute``) and only insert rows: the text is rendered when the message is sent,
so a move at the counter pays for one indexed look-up of the consent and, with consent, one
insert, and loads no template engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

_CHUNK = 500  # ids per IN (...) list


def record_consent(
    session: Session, request_id: int, channel: str, address: str | None, now: datetime
) -> None:
    """Store the consent given when the request was logged (nothing for ``none``)."""
    from sqlalchemy import insert

    from egovctl.models import NotifyConsent

    if channel == "none":
        return
    session.execute(
        insert(NotifyConsent.__table__).values(
            request_id=request_id, channel=channel, address=address, updated_at=now
        )
    )


def consent_of(session: Session, request_id: int) -> tuple[str, str | None] | None:
    """(channel, address) of a request's consent, None when it has none."""
    from sqlalchemy import select

    from egovctl.models import NotifyConsent

    c = NotifyConsent.__table__.c
    row = session.execute(
        select(c.channel, c.address).where(c.request_id == request_id)
    ).one_or_none()
    if row is None or row.channel == "none" or not row.address:
        return None
    return row.channel, row.address


def consent_dict(session: Session, request_id: int, mask: bool = False) -> dict[str, Any]:
    """A request's consent as ``request show`` gives it: ``{"channel", "to"}``."""
    found = consent_of(session, request_id)
    if found is None:
        return {"channel": "none", "to": None}
    if mask and found[1]:
        from egovctl.notify.addresses import mask_address

        return {"channel": found[0], "to": mask_address(found[1])}
    return {"channel": found[0], "to": found[1]}


def _row(
    request_id: int,
    reg_no: str,
    event: str,
    channel: str,
    address: str,
    data: Mapping[str, Any],
    now: datetime,
) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "reg_no": reg_no,
        "event": event,
        "channel": channel,
        "address": address,
        "data": json.dumps(dict(data), ensure_ascii=False, sort_keys=True, default=str),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def queue(
    session: Session,
    request_id: int,
    reg_no: str,
    event: str,
    data: Mapping[str, Any],
    now: datetime,
    consent: tuple[str, str | None] | None = None,
) -> bool:
    """Queue ``event``'s message for a request whose applicant agreed to be told; True when
    a message was written. ``consent`` spares the look-up when the caller knows it."""
    from sqlalchemy import insert

    from egovctl.models import NotifyMessage

    found = consent if consent is not None else consent_of(session, request_id)
    if found is None or found[0] == "none" or not found[1]:
        return False
    channel, address = found[0], found[1]
    session.execute(
        insert(NotifyMessage.__table__).values(
            _row(request_id, reg_no, event, channel, address, data, now)
        )
    )
    return True


def queue_many(
    session: Session,
    event: str,
    items: Iterable[tuple[int, str, Mapping[str, Any]]],
    now: datetime,
) -> int:
    """Queue ``event`` for many requests at once, (request id, reg no, data) each: the
    consents are read in chunks and the messages written in one executemany."""
    from sqlalchemy import insert, select

    from egovctl.db import executemany
    from egovctl.models import NotifyConsent, NotifyMessage

    items = list(items)
    if not items:
        return 0
    c = NotifyConsent.__table__.c
    ids = [rid for rid, _reg, _data in items]
    consents: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), _CHUNK):
        for rid, channel, address in session.execute(
            select(c.request_id, c.channel, c.address).where(
                c.request_id.in_(ids[start : start + _CHUNK]), c.channel != "none"
            )
        ):
            if address:
                consents[rid] = (channel, address)
    rows = [
        _row(rid, reg_no, event, *consents[rid], data, now)
        for rid, reg_no, data in items
        if rid in consents
    ]
    executemany(session, insert(NotifyMessage.__table__), rows)
    return len(rows)
