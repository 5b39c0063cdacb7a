"""The working-day calendar of an office and the SLA arithmetic built on it (docs/requests.md).

A working day is Monday to Friday that is neither a national public holiday, nor a day of
collective leave (cuti bersama), nor a local closure. The office's own calendar overrides the
national one: a local closure adds a non-working day, a local working day ("masuk") makes a day
working whatever the national list or the weekday says.

All functions take and return the office's calendar days as ``datetime.date``; turning a moment
into the office-local day is the caller's job (a ``datetime`` is refused, because silently
taking its date would pick the wrong day for an instant stored in UTC).

Counting is done on a sorted array of the ordinals of working days, built per year on first use,
so every question (next working day, n working days later, working days between two dates) is
a binary search rather than a walk over the days.
"""

from __future__ import annotations

import functools
import json
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

from egovctl.requests.vocabulary import OPEN_STATUSES

SOURCE_NATIONAL = "nasional"
SOURCE_COLLECTIVE_LEAVE = "cuti bersama"
SOURCE_LOCAL = "lokal"
SOURCE_LOCAL_WORKDAY = "masuk (lokal)"

_SATURDAY = 5
# Rough lower bound of working days per year, used only to guess how far to extend the index.
_MIN_WORKDAYS_PER_YEAR = 200


@functools.lru_cache(maxsize=128)
def _national_entries(year: int) -> Mapping[date, tuple[str, str]]:
    """National non-working days of ``year``: date -> (name, source), read-only and cached.

    Computing a year with the ``holidays`` package takes a noticeable part of a command's run
    time (lunar calendars), so each year is also kept in a small file in the user cache dir,
    keyed by the package version: a new ``holidays`` release recomputes.
    """
    cached = _read_cache(year)
    if cached is None:
        cached = _compute_entries(year)
        _write_cache(year, cached)
    return MappingProxyType(cached)


def _compute_entries(year: int) -> dict[date, tuple[str, str]]:
    # Imported here: `holidays` loads a lot of data and the CLI start-up must stay light.
    import holidays

    def load(category: str) -> dict[date, str]:
        return dict(
            holidays.country_holidays("ID", categories=(category,), language="id", years=year)
        )

    public = load("public")
    collective_leave = load("government")
    entries: dict[date, tuple[str, str]] = {}
    for day, name in collective_leave.items():
        entries[day] = (name, SOURCE_COLLECTIVE_LEAVE)
    for day, name in public.items():
        # A public holiday wins the source label: it is closed by law, not only by decree.
        if day in collective_leave:
            name = f"{name}; {collective_leave[day]}"
        entries[day] = (name, SOURCE_NATIONAL)
    return dict(sorted(entries.items()))


def _cache_file(year: int) -> Path | None:
    try:
        import importlib.util
        import re

        import platformdirs

        # The dist-info folder's name carries the release ("holidays-0.109.dist-info");
        # finding it is far cheaper than importlib.metadata, which reads every distribution.
        spec = importlib.util.find_spec("holidays")
        folder = Path(spec.origin).parent  # type: ignore[union-attr, arg-type]
        infos = sorted(p.name for p in folder.parent.glob("holidays-*.dist-info"))
        found = re.fullmatch(r"holidays-(.+)\.dist-info", infos[-1]) if infos else None
        release = found.group(1) if found else None
    except Exception:  # an odd install: just compute every time
        return None
    if release is None:
        return None
    return (
        Path(platformdirs.user_cache_dir("egovctl", appauthor=False))
        / f"holidays-ID-{release}-{year}.json"
    )


def _read_cache(year: int) -> dict[date, tuple[str, str]] | None:
    path = _cache_file(year)
    if path is None:
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {date.fromisoformat(d): (name, source) for d, name, source in raw}
    except (OSError, ValueError, TypeError):
        return None  # missing or damaged: recompute


def _write_cache(year: int, entries: Mapping[date, tuple[str, str]]) -> None:
    path = _cache_file(year)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
        tmp.write_text(
            json.dumps(
                [[d.isoformat(), n, s] for d, (n, s) in entries.items()], ensure_ascii=False
            ),
            encoding="utf-8",
        )
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home directory only costs time


def national_holidays(year: int) -> dict[date, str]:
    """National public holidays and collective leave days (cuti bersama) of ``year``.

    Names are in Bahasa Indonesia as the ``holidays`` package gives them; lunar dates of future
    years carry "(perkiraan)" and far years may lack collective leave, which is why offices add
    and correct days in their local calendar.
    """
    return {day: name for day, (name, _source) in _national_entries(year).items()}


def _check_date(value: date, what: str = "day") -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a calendar day (datetime.date), got {value!r}")
    return value


def is_overdue(status: str, due: date, today: date) -> bool:
    """Whether a request is overdue: still open (in progress or on hold) and past its due date."""
    # Accept a str-valued Enum as well as a plain string.
    status = getattr(status, "value", status)
    return status in OPEN_STATUSES and today > due


class WorkCalendar:
    """Which days an office works, built from the national list plus its local calendar.

    ``local_closures`` are extra non-working days (regional anniversaries, office closures,
    collective leave missing from the national list); ``local_workdays`` are days the office
    declares working even though they are weekends, holidays or closures. Both are copied, so
    later changes to the mappings passed in have no effect on this calendar.
    """

    def __init__(
        self,
        local_closures: Mapping[date, str] | None = None,
        local_workdays: Mapping[date, str] | None = None,
    ) -> None:
        self._closures: Mapping[date, str] = MappingProxyType(
            {_check_date(d): name for d, name in (local_closures or {}).items()}
        )
        self._workdays: Mapping[date, str] = MappingProxyType(
            {_check_date(d): name for d, name in (local_workdays or {}).items()}
        )
        # (first year, last year, sorted ordinals of every working day in those years).
        # Replaced as a whole, never mutated in place, so a reader always sees a consistent one.
        self._index: tuple[int, int, list[int]] | None = None

    def __repr__(self) -> str:
        return (
            f"WorkCalendar({len(self._closures)} local closures, "
            f"{len(self._workdays)} local working days)"
        )

    @property
    def local_closures(self) -> Mapping[date, str]:
        return self._closures

    @property
    def local_workdays(self) -> Mapping[date, str]:
        return self._workdays

    # -- single days -----------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Mon-Fri, not a national holiday or collective leave, not a local closure; a local
        working day is working whatever else is true of it."""
        _check_date(day)
        if day in self._workdays:
            return True
        if day.weekday() >= _SATURDAY or day in self._closures:
            return False
        return day not in _national_entries(day.year)

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, otherwise the first working day after it."""
        return self.add_working_days(day, 0)

    def add_working_days(self, day: date, n: int) -> date:
        """The working day ``n`` working days after ``day``.

        ``day`` is first rolled forward to a working day (as a request received on a holiday
        counts as received on the next working day), then moved ``n`` working days; ``n`` may
        be negative to move backwards from that rolled-forward day.
        """
        _check_date(day)
        ordinal = day.toordinal()
        self._ensure_years(day.year, day.year)
        while True:
            first, last, ordinals = self._index  # type: ignore[misc]
            position = bisect_left(ordinals, ordinal) + n
            if 0 <= position < len(ordinals):
                return date.fromordinal(ordinals[position])
            # Not enough working days indexed on one side: widen the index and look again.
            # Widening never moves the working days already indexed relative to each other,
            # so the rolled-forward day may even lie beyond the index when moving backwards.
            if position >= len(ordinals):
                missing = position - len(ordinals) + 1
                self._ensure_years(first, last + 1 + missing // _MIN_WORKDAYS_PER_YEAR)
            else:
                missing = -position
                self._ensure_years(first - 1 - missing // _MIN_WORKDAYS_PER_YEAR, last)

    # -- spans -------------------------------------------------------------------------------

    def working_days_after(self, start: date, end: date) -> int:
        """Number of working days in (start, end]: after ``start``, up to and including ``end``.

        0 when ``end`` is not after ``start``.
        """
        _check_date(start, "start")
        _check_date(end, "end")
        if end <= start:
            return 0
        _first, _last, ordinals = self._ensure_years(start.year, end.year)
        return bisect_right(ordinals, end.toordinal()) - bisect_right(ordinals, start.toordinal())

    def due_date(
        self,
        received: date,
        sla_days: int,
        holds: Sequence[tuple[date, date | None]] = (),
        *,
        today: date | None = None,
    ) -> date:
        """The SLA due date of a request (docs/requests.md).

        Counting starts at the effective day of receipt (the received day rolled forward to a
        working day): the due date is ``sla_days`` working days after it, so ``sla_days=0`` is
        due that same effective day. Each hold ``(began, resumed)`` pushes it back by the
        working days after ``began`` up to and including ``resumed``; a hold resumed the day it
        began costs nothing.

        An open hold (``resumed`` is None) is counted up to ``today`` when given, which yields
        the due date the request would have if it were resumed today. Without ``today`` an
        open hold counts nothing yet, which is the due date the request had when it went on
        hold: a pure function does not read the clock, and that value is what is worth storing.
        Holds are assumed not to overlap (the workflow allows one at a time).
        """
        if sla_days < 0:
            raise ValueError(f"sla_days must be >= 0, got {sla_days}")
        if today is not None:
            _check_date(today, "today")
        pushed = 0
        for began, resumed in holds:
            if resumed is not None and resumed < began:
                raise ValueError(f"hold resumed {resumed} before it began {began}")
            end = resumed if resumed is not None else today
            if end is not None:
                pushed += self.working_days_after(began, end)
        return self.add_working_days(received, sla_days + pushed)

    def elapsed_working_days(self, received: date, ready: date) -> int:
        """Working days after the effective day of receipt up to and including ``ready``.

        The same counting as the SLA (a request ready on its effective day of receipt took 0
        days), used for the median completion time in reports. Holds are not subtracted.
        """
        return self.working_days_after(self.next_working_day(received), ready)

    # -- listing -----------------------------------------------------------------------------

    def non_working_days(
        self, year: int, *, include_weekends: bool = False
    ) -> list[tuple[date, str, str]]:
        """The calendar of ``year``: ``(date, name, source)`` sorted by date.

        ``source`` is "nasional", "cuti bersama", "lokal" (a local closure, which replaces a
        national entry of the same day) or "masuk (lokal)" (a local working day; when it
        cancels a holiday or closure the name says which, e.g. "Pelayanan Sabtu (semula: Hari
        Raya Natal)"). Holidays and closures that fall on a Saturday or Sunday change nothing
        and are left out unless ``include_weekends``; local working days are always listed.
        """
        entries: dict[date, tuple[str, str]] = dict(_national_entries(year))
        for day, name in _in_year(self._closures, year):
            entries[day] = (name, SOURCE_LOCAL)
        for day, name in _in_year(self._workdays, year):
            cancelled = entries.get(day)
            if cancelled is not None:
                name = f"{name} (semula: {cancelled[0]})"
            entries[day] = (name, SOURCE_LOCAL_WORKDAY)
        return [
            (day, name, source)
            for day, (name, source) in sorted(entries.items())
            if include_weekends or source == SOURCE_LOCAL_WORKDAY or day.weekday() < _SATURDAY
        ]

    # -- the index ---------------------------------------------------------------------------

    def _working_ordinals(self, first_year: int, last_year: int) -> list[int]:
        ordinals: list[int] = []
        for year in range(first_year, last_year + 1):
            day = date(year, 1, 1)
            one = timedelta(days=1)
            while day.year == year:
                if self.is_working_day(day):
                    ordinals.append(day.toordinal())
                if day == date.max:
                    break
                day += one
        return ordinals

    def _ensure_years(self, first: int, last: int) -> tuple[int, int, list[int]]:
        """Make the index cover years ``first``..``last`` (and all years between) and return it."""
        if first < date.min.year or last > date.max.year:
            raise OverflowError("working-day count goes beyond the supported calendar")
        index = self._index
        if index is None:
            index = (first, last, self._working_ordinals(first, last))
        elif first < index[0] or last > index[1]:
            lo, hi, ordinals = index
            before = self._working_ordinals(first, lo - 1) if first < lo else []
            after = self._working_ordinals(hi + 1, last) if last > hi else []
            index = (min(first, lo), max(last, hi), before + ordinals + after)
        else:
            return index
        self._index = index
        return index


def _in_year(days: Mapping[date, str], year: int) -> Iterable[tuple[date, str]]:
    return ((day, name) for day, name in days.items() if day.year == year)
