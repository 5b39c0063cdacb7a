"""`egovctl request notify REG --channel ...`: change how an applicant is told
(docs/notify.md#consent)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egovctl.notify.problems import CONSENT_WITHDRAWN
from egovctl.timeutil import now_utc

if TYPE_CHECKING:
    from egovctl.db import Database


def set_consent(
    db: Database,
    actor: str,
    reg_no: str,
    channel: str,
    *,
    phone: str | None = None,
    email: str | None = None,
) -> dict[str, Any]:
    """Record the applicant's new choice (``wa`` and ``sms`` go to the request's phone
    unless ``phone`` is given). Messages still waiting follow it: they go to the new channel
    and address, or, when the applicant withdrew consent (``none``), they are ``failed``
    with that reason and never sent."""
    from sqlalchemy import delete, insert, update

    from egovctl.models import NotifyConsent, NotifyMessage
    from egovctl.notify.addresses import Consent
    from egovctl.requests.queries import find_request
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    now = now_utc()
    with db.write() as session:
        req = find_request(session, reg_no, lock=True)
        authorize(session, actor, "request.log", req.agency_id)
        if channel in ("wa", "sms") and not phone:
            phone = req.phone
        consent = Consent.checked(channel, phone, email)
        table = NotifyConsent.__table__
        session.execute(delete(table).where(table.c.request_id == req.id))
        if consent.channel != "none":
            session.execute(
                insert(table).values(
                    request_id=req.id,
                    channel=consent.channel,
                    address=consent.address,
                    updated_at=now,
                )
            )
        m = NotifyMessage.__table__
        waiting = (m.c.request_id == req.id) & (m.c.status == "pending")
        if consent.channel == "none":
            moved = session.execute(
                update(m).where(waiting).values(status="failed", error=CONSENT_WITHDRAWN)
            ).rowcount  # type: ignore[attr-defined]
        else:
            moved = session.execute(
                update(m)
                .where(waiting)
                .values(channel=consent.channel, address=consent.address, error=None)
            ).rowcount  # type: ignore[attr-defined]
        from egovctl.notify.addresses import mask_address

        audit.append(
            session,
            actor,
            "request.notify",
            f"request:{req.reg_no}",
            {
                "channel": consent.channel,
                # The address itself is personal data: the log keeps a masked form.
                "to": mask_address(consent.address) if consent.address else None,
                "pending": int(moved or 0),
            },
            at=now,
        )
        return {"reg_no": req.reg_no, **consent.as_dict(), "pending_messages": int(moved or 0)}
