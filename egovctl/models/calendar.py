"""The office's own calendar: local closures and declared working days."""

from datetime import date

from sqlmodel import Field

from egovctl.models.base import Entity


class CalendarDay(Entity, table=True):
    """A local closure (working=False) or a day declared working (working=True)."""

    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    name: str
    working: bool = False
    # Own hours of a declared working day, e.g. "08:00-12:00" (else the Friday hours).
    hours: str | None = None
