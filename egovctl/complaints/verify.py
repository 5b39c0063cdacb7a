"""Checking complaints against the audit log: the text as received, the complainant, the
response and the status must be what egovctl recorded (``egovctl audit verify``).

Only digests go into the (hash-chained) audit log, so it never holds a complainant's words
or name, yet any change made to them outside egovctl is found.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from egovctl.errors import AuditMismatch
from egovctl.i18n import _

if TYPE_CHECKING:
    from egovctl.db import Database


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def complainant_digest(name: str | None, contact: str | None) -> str:
    from egovctl.staff.audit import canonical_json

    return hashlib.sha256(canonical_json([name, contact]).encode("utf-8")).hexdigest()


def _audited(db: Database) -> dict[str, dict[str, Any]]:
    """Per complaint number, what the audit log says it holds."""
    import json

    from sqlalchemy import select

    from egovctl.models import AuditRecord

    A = AuditRecord.__table__.c
    known: dict[str, dict[str, Any]] = {}
    with db.read() as session:
        for entity, action, details in session.execute(
            select(A.entity, A.action, A.details)
            .where(A.entity.startswith("complaint:"))
            .order_by(A.id)
        ):
            values = json.loads(details)
            entry = known.setdefault(entity.removeprefix("complaint:"), {})
            if action == "complaint.record":
                entry.update(
                    text=values.get("text_sha256"),
                    complainant=values.get("complainant"),
                    anonymous=values.get("anonymous"),
                    status="received",
                )
            if "response_sha256" in values:
                entry["response"] = values["response_sha256"]
            if "to" in values:
                entry["status"] = values["to"]
    return known


def verify_complaints(db: Database) -> int:
    """Check every complaint; return how many verified, or raise AuditMismatch naming the
    first that does not."""
    from sqlalchemy import select

    from egovctl.models import Complaint

    audited = _audited(db)
    C = Complaint.__table__.c
    count = 0
    with db.read() as session:
        rows = session.execute(
            select(
                C.number,
                C.text,
                C.complainant_name,
                C.complainant_contact,
                C.anonymous,
                C.response,
                C.status,
            ).order_by(C.id)
        )
        for number, text, name, contact, anonymous, response, status in rows:
            record = audited.get(number)
            if record is None or record.get("text") is None:
                raise AuditMismatch(
                    _(
                        "complaint {number} has no record in the audit log: it was added "
                        "outside egovctl"
                    ).format(number=number)
                )
            if text_digest(text) != record["text"]:
                raise AuditMismatch(
                    _(
                        "complaint {number}: its text differs from the text received: it was "
                        "changed outside egovctl"
                    ).format(number=number)
                )
            if complainant_digest(name, contact) != record["complainant"] or bool(
                anonymous
            ) != bool(record["anonymous"]):
                raise AuditMismatch(
                    _(
                        "complaint {number}: the complainant's name or contact differ from "
                        "what was recorded: they were changed outside egovctl"
                    ).format(number=number)
                )
            if (response and text_digest(response)) != record.get("response", None) and not (
                response is None and "response" not in record
            ):
                raise AuditMismatch(
                    _(
                        "complaint {number}: its response differs from the one given: it was "
                        "changed outside egovctl"
                    ).format(number=number)
                )
            if status != record.get("status"):
                raise AuditMismatch(
                    _(
                        "complaint {number} is stored as {status}, but its history leads to "
                        "{expected}: it was changed outside egovctl"
                    ).format(number=number, status=status, expected=record.get("status"))
                )
            count += 1
    return count
