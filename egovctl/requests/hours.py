"""When an application counts as received: the office's service hours and its cut-off.

The hours themselves (weekday ranges, a break, a cut-off) are read and checked with the
catalogue (``catalogue/hours.py``); here they decide the day a request's due date counts from
(docs/requests.md#due-dates-and-the-sla) and the lines printed for it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from egovctl.timeutil import local_date

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.requests.workdays import WorkCalendar


def hours_lines(hours_json: str | None) -> list[str]:
    """An agency's service hours as printed (empty when it gives none)."""
    from egovctl.catalogue.hours import from_json

    hours = from_json(hours_json)
    return hours.lines() if hours else []


def counted_from(
    session: Session, cal: WorkCalendar, hours_json: str | None, at: datetime, tz: str
) -> date:
    """The day an application received at ``at`` counts from for its due date
    (docs/requests.md#due-dates-and-the-sla): its office-local day, or the next day when it
    came after the agency's cut-off or closing time. A declared working day has its own
    hours or, on a weekend, Friday's."""
    from zoneinfo import ZoneInfo

    from egovctl.catalogue.hours import from_json, parse_span
    from egovctl.models import CalendarDay

    received = local_date(at, tz)
    hours = from_json(hours_json)
    if hours is None:
        return received
    declared = received in cal.local_workdays
    own = None
    if declared:
        entry = session.get(CalendarDay, received)
        own = parse_span(entry.hours) if entry is not None and entry.hours else None
    span = hours.hours_on(received, declared_working=declared, own=own)
    return hours.counts_from(at.astimezone(ZoneInfo(tz)), span)
