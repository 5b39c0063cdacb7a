"""The office's own calendar: local closures and declared working days on top of the
national holidays and collective leave."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import _
from egovctl.requests.calendar_file import FIRST_YEAR, LAST_YEAR, checked_hours

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.requests.recompute import DueMove
    from egovctl.requests.workdays import WorkCalendar


class CalendarEntry(TypedDict):
    """A non-working (or declared working) day as ``calendar list`` prints it."""

    date: str
    name: str
    source: str
    working: bool
    weekend: bool


class LocalDay(TypedDict):
    """A day of the office's own calendar, as ``calendar add`` and ``remove`` print it, with
    the open requests whose due date the change moved (or would move, on a dry run)."""

    date: str
    name: str
    working: bool
    hours: str | None
    dry_run: bool
    moved: list[DueMove]


class ImportCounts(TypedDict):
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    moved: list[DueMove]


class Recomputed(TypedDict):
    dry_run: bool
    checked: int
    moved: list[DueMove]


def _check_year(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(
            _(
                "{day} is outside the years the calendar covers ({first}-{last}); check the year"
            ).format(day=day.isoformat(), first=FIRST_YEAR, last=LAST_YEAR)
        )


def load_calendar(
    session: Session, changes: Mapping[date, tuple[str, bool] | None] | None = None
) -> WorkCalendar:
    """The office's working-day calendar: the national list plus its own days, with
    ``changes`` (day -> (name, working), or None for a day removed) laid over the stored
    ones: the calendar a change would make, before it is written."""
    from sqlalchemy import select

    from egovctl.models import CalendarDay
    from egovctl.requests.workdays import WorkCalendar

    days = CalendarDay.__table__.c
    local: dict[date, tuple[str, bool]] = {
        day: (name, working)
        for day, name, working in session.execute(select(days.day, days.name, days.working))
    }
    for day, change in (changes or {}).items():
        if change is None:
            local.pop(day, None)
        else:
            local[day] = change
    closures = {day: name for day, (name, working) in local.items() if not working}
    workdays = {day: name for day, (name, working) in local.items() if working}
    return WorkCalendar(closures, workdays)


def _move_due_dates(
    session: Session,
    actor: str,
    changes: Mapping[date, tuple[str, bool] | None],
    cause: str,
    tz: str,
    *,
    dry_run: bool,
) -> list[DueMove]:
    """Recompute the open requests the changed days touch, and on a real run write the
    moves (docs/requests.md#calendar-changes-move-due-dates); the caller writes the calendar
    rows themselves."""
    from egovctl.db import bulk_objects
    from egovctl.requests.recompute import apply_moves, plan_moves
    from egovctl.timeutil import now_utc

    with bulk_objects():
        moves = plan_moves(session, load_calendar(session, changes), set(changes), tz)
        if dry_run:
            return [move for _rid, _new, move in moves]
        return apply_moves(session, actor, moves, cause, now_utc())


def list_year(db: Database, year: int) -> list[CalendarEntry]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            _("year {year} is out of range ({first}-{last})").format(
                year=year, first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    with db.read() as session:
        cal = load_calendar(session)
    # Every entry of the year, also those on a Saturday or Sunday (``weekend``: they move no
    # due date, but an office that adds one expects to see it listed).
    return [
        CalendarEntry(
            date=d.isoformat(),
            name=name,
            source=source,
            working=source.startswith("masuk"),
            weekend=d.weekday() >= 5,
        )
        for d, name, source in cal.non_working_days(year, include_weekends=True)
    ]


def add_day(
    db: Database,
    actor: str,
    day: date,
    name: str,
    *,
    working: bool = False,
    replace: bool = False,
    hours: str | None = None,
    tz: str = "Asia/Jakarta",
    dry_run: bool = False,
) -> LocalDay:
    """Add a local closure (or a declared working day) and move the due dates it touches,
    in one transaction; ``dry_run`` reports the moves and writes nothing."""
    from egovctl.identity import clean_text
    from egovctl.models import CalendarDay
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    _check_year(day)
    name = clean_text(name, "--name") or ""
    if not name:
        raise InvalidInput(_("--name is empty; say what the day is (e.g. 'HUT Kabupaten')"))
    hours = checked_hours(hours, working, "--hours")
    with db.read() if dry_run else db.write() as session:
        authorize(session, actor, "calendar.edit")
        existing = session.get(CalendarDay, day)
        if existing is not None and not replace:
            raise InvalidInput(
                _("{day} is already in the local calendar ('{name}'); remove it first").format(
                    day=day.isoformat(), name=existing.name
                )
            )
        moved = _move_due_dates(
            session,
            actor,
            {day: (name, working)},
            f"calendar add {day.isoformat()}",
            tz,
            dry_run=dry_run,
        )
        if not dry_run:
            if existing is None:
                session.add(CalendarDay(day=day, name=name, working=working, hours=hours))
            else:
                existing.name, existing.working, existing.hours = name, working, hours
            audit.append(
                session,
                actor,
                "calendar.add",
                f"calendar:{day.isoformat()}",
                {"name": name, "working": working, "hours": hours, "moved": len(moved)},
            )
    return LocalDay(
        date=day.isoformat(),
        name=name,
        working=working,
        hours=hours,
        dry_run=dry_run,
        moved=moved,
    )


def remove_day(
    db: Database, actor: str, day: date, *, tz: str = "Asia/Jakarta", dry_run: bool = False
) -> LocalDay:
    """Remove a day from the local calendar and move the due dates it touches back."""
    from egovctl.models import CalendarDay
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    with db.read() if dry_run else db.write() as session:
        authorize(session, actor, "calendar.edit")
        existing = session.get(CalendarDay, day)
        if existing is None:
            raise NotFound(
                _(
                    "{day} is not in the local calendar (national holidays cannot be removed; "
                    "declare the day working with 'calendar add DATE --name ... --working')"
                ).format(day=day.isoformat())
            )
        name, working, hours = existing.name, existing.working, existing.hours
        moved = _move_due_dates(
            session, actor, {day: None}, f"calendar remove {day.isoformat()}", tz, dry_run=dry_run
        )
        if not dry_run:
            session.delete(existing)
            audit.append(
                session,
                actor,
                "calendar.remove",
                f"calendar:{day.isoformat()}",
                {"date": day.isoformat(), "name": name, "working": working, "moved": len(moved)},
            )
    return LocalDay(
        date=day.isoformat(),
        name=name,
        working=working,
        hours=hours,
        dry_run=dry_run,
        moved=moved,
    )


def recompute(db: Database, actor: str, *, tz: str, dry_run: bool = False) -> Recomputed:
    """Check every open request against the whole current calendar (after an upgrade of the
    national holiday data) and move the due dates that differ."""
    from sqlalchemy import func, select

    from egovctl.db import bulk_objects
    from egovctl.models import ServiceRequest
    from egovctl.requests.recompute import apply_moves, plan_moves
    from egovctl.requests.vocabulary import OPEN_STATUSES
    from egovctl.staff import audit
    from egovctl.staff.access import authorize
    from egovctl.timeutil import now_utc

    R = ServiceRequest.__table__.c
    with db.read() if dry_run else db.write() as session:
        authorize(session, actor, "calendar.edit")
        checked = session.execute(
            select(func.count()).where(R.status.in_(sorted(OPEN_STATUSES)))
        ).scalar_one()
        with bulk_objects():
            planned = plan_moves(session, load_calendar(session), None, tz)
            if dry_run:
                moved = [move for _rid, _new, move in planned]
            else:
                moved = apply_moves(session, actor, planned, "calendar recompute", now_utc())
            audit.append(
                session,
                actor,
                "calendar.recompute",
                "calendar",
                {"checked": checked, "moved": len(moved)},
            )
    return Recomputed(dry_run=dry_run, checked=checked, moved=moved)


def import_days(
    db: Database, actor: str, path: Path, *, tz: str = "Asia/Jakarta", dry_run: bool = False
) -> ImportCounts:
    """Import a YAML list of {date, name, working?}; all or nothing, problems by line; the
    due dates the new and changed days touch move in the same transaction."""
    from egovctl.models import CalendarDay
    from egovctl.requests.calendar_file import read_days
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    days = read_days(path)
    created = updated = unchanged = 0
    with db.read() if dry_run else db.write() as session:
        authorize(session, actor, "calendar.edit")
        changes: dict[date, tuple[str, bool] | None] = {}
        for day, (name, working, hours) in sorted(days.items()):
            row = session.get(CalendarDay, day)
            if row is None:
                if not dry_run:
                    session.add(CalendarDay(day=day, name=name, working=working, hours=hours))
                created += 1
            elif (row.name, row.working, row.hours) != (name, working, hours):
                if not dry_run:
                    row.name, row.working, row.hours = name, working, hours
                updated += 1
            else:
                unchanged += 1
                continue
            changes[day] = (name, working)
        moved = _move_due_dates(
            session, actor, changes, f"calendar import {Path(path).name}", tz, dry_run=dry_run
        )
        if not dry_run:
            audit.append(
                session,
                actor,
                "calendar.import",
                "calendar",
                {"file": str(path), "created": created, "updated": updated, "moved": len(moved)},
            )
    return ImportCounts(
        created=created, updated=updated, unchanged=unchanged, dry_run=dry_run, moved=moved
    )
