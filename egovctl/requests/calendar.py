"""The office's own calendar: local closures and declared working days on top of the
national holidays and collective leave."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from egovctl.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.requests.recompute import DueMove
    from egovctl.requests.workdays import WorkCalendar


FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years the calendar can list


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
            f"{day.isoformat()} is outside the years the calendar covers "
            f"({FIRST_YEAR}-{LAST_YEAR}); check the year"
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
    from egovctl.requests.recompute import apply_moves, plan_moves
    from egovctl.timeutil import now_utc

    moves = plan_moves(session, load_calendar(session, changes), set(changes), tz)
    if dry_run:
        return [move for _rid, _new, move in moves]
    return apply_moves(session, actor, moves, cause, now_utc())


def list_year(db: Database, year: int) -> list[CalendarEntry]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"year {year} is out of range ({FIRST_YEAR}-{LAST_YEAR})")
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
        raise InvalidInput("--name is empty; say what the day is (e.g. 'HUT Kabupaten')")
    hours = _checked_hours(hours, working, "--hours")
    with db.read() if dry_run else db.write() as session:
        authorize(session, actor, "calendar.edit")
        existing = session.get(CalendarDay, day)
        if existing is not None and not replace:
            raise InvalidInput(
                f"{day.isoformat()} is already in the local calendar "
                f"('{existing.name}'); remove it first"
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


def _checked_hours(hours: str | None, working: bool, field: str) -> str | None:
    """A declared working day's own hours, normalised ("08:00-12:00")."""
    from egovctl.catalogue.hours import parse_span

    if hours is None or not hours.strip():
        return None
    if not working:
        raise InvalidInput(f"{field} is only for a declared working day (--working)")
    try:
        start, end = parse_span(hours)
    except ValueError as exc:
        raise InvalidInput(f"{field}: {exc}") from None
    return f"{start:%H:%M}-{end:%H:%M}"


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
                f"{day.isoformat()} is not in the local calendar (national "
                "holidays cannot be removed; declare the day working with "
                "'calendar add DATE --name ... --working')"
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
    import yaml

    from egovctl.identity import clean_text
    from egovctl.models import CalendarDay
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    if Path(path).is_dir():
        raise InvalidInput(f"{path} is a directory; give the calendar's YAML file")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"calendar file {path} does not exist") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise InvalidInput(f"{path}: cannot read it as UTF-8 text ({exc})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise InvalidInput(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if node is None or not isinstance(node, yaml.SequenceNode):
        raise InvalidInput(
            f"{path}: expected a list of days, e.g. '- {{date: 2026-12-31, name: Cuti bersama}}'"
        )
    problems: list[str] = []
    days: dict[date, tuple[str, bool, str | None]] = {}
    for item in node.value:
        where = f"{path}:{item.start_mark.line + 1}:{item.start_mark.column + 1}"
        try:
            value = yaml.SafeLoader(yaml.serialize(item)).get_single_data()
        except (ValueError, yaml.YAMLError) as exc:
            # An unquoted date that does not exist (2026-02-30) fails in YAML's constructor.
            problems.append(
                f"{where}: date: {_raw_date(item)} is not a date in the calendar "
                f"({exc}); write it as 2026-12-31"
            )
            continue
        if not isinstance(value, dict):
            problems.append(f"{where}: each entry needs 'date' and 'name'")
            continue
        unknown = set(value) - {"date", "name", "working", "hours"}
        if unknown:
            problems.append(
                f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                "use date, name, working, hours"
            )
        day = value.get("date")
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day)
            except ValueError:
                day = None
        if not isinstance(day, date):
            problems.append(f"{where}: date: write it as 2026-12-31")
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.append(f"{where}: date: {day} is outside {FIRST_YEAR}-{LAST_YEAR}")
            continue
        name = value.get("name")
        if name is not None and not isinstance(name, str):
            problems.append(f"{where}: name: must be text, e.g. name: HUT Kabupaten")
            continue
        try:
            name = clean_text(name, "name")  # the same rules as `calendar add --name`
        except InvalidInput as exc:
            problems.append(f"{where}: name: {exc.message}")
            continue
        if name is None:
            problems.append(f"{where}: name: missing; say what the day is")
            continue
        working = value.get("working", False)
        if not isinstance(working, bool):
            problems.append(f"{where}: working: must be true or false")
            continue
        hours = value.get("hours")
        if hours is not None and not isinstance(hours, str):
            problems.append(f'{where}: hours: write them in quotes, e.g. hours: "08:00-12:00"')
            continue
        try:
            hours = _checked_hours(hours, working, "hours")
        except InvalidInput as exc:
            problems.append(f"{where}: {exc.message}")
            continue
        if day in days:
            problems.append(f"{where}: date {day} appears twice")
        days[day] = (name, working, hours)
    if problems:
        raise InvalidInput(
            f"{len(problems)} problem(s) in {path}; nothing was imported", details=problems
        )
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


def _raw_date(item: Any) -> str:
    """The text of an entry's ``date`` as written in the file."""
    for key, value in getattr(item, "value", None) or []:
        if getattr(key, "value", None) == "date" and isinstance(value.value, str):
            return str(value.value)
    return "the date"
