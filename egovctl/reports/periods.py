"""Report periods: ``--period 2026-11|2026-Q4|2026-S2|2026`` or ``--from/--to`` (docs/reports.md).

A period is a closed range of the office's calendar days, both ends included. Parsing errors
are ``PeriodError`` (an ``InvalidInput``) with a message that says what to write instead; the
CLI reports them as usage errors, like any other malformed option value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from egovctl.errors import InvalidInput
from egovctl.formats import letter_date, month_year, say_date
from egovctl.i18n import N_, _

_FORMS = N_("2026-11 (a month), 2026-Q4 (a quarter), 2026-S2 (a semester) or 2026 (a year)")
# There is no such part of a year: the message for each kind (written whole, for translators).
_NO_SUCH = {
    "month": N_(
        "--period {text}: there is no month {n}; a year has months 1 to 12 (write e.g. {example})"
    ),
    "quarter": N_(
        "--period {text}: there is no quarter {n}; a year has quarters 1 to 4 "
        "(write e.g. {example})"
    ),
    "semester": N_(
        "--period {text}: there is no semester {n}; a year has semesters 1 to 2 "
        "(write e.g. {example})"
    ),
}
_YEAR = r"(?P<year>\d{4})"
_PATTERNS = (
    ("month", re.compile(rf"^{_YEAR}-(?P<n>\d{{1,2}})$")),
    ("quarter", re.compile(rf"^{_YEAR}-Q(?P<n>\d+)$", re.I)),
    ("semester", re.compile(rf"^{_YEAR}-S(?P<n>\d+)$", re.I)),
    ("year", re.compile(rf"^{_YEAR}$")),
)
_LIMITS = {"month": 12, "quarter": 4, "semester": 2}


class PeriodError(InvalidInput):
    """A --period, --from or --to value that cannot be used."""


@dataclass(frozen=True)
class Period:
    """Calendar days ``start`` to ``end``, both included, and how to name them."""

    start: date
    end: date
    label: str  # "2026-11", "2026-Q4", ..., or "2026-11-03..2026-11-20"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_of(self, today: date) -> date:
        """The day the period's state is read at: its last day, or today while it runs."""
        return min(self.end, today)

    def title(self) -> str:
        """The period in Bahasa Indonesia, as printed on a report."""
        s, e = self.start, self.end
        if s.day == 1 and e == _month_end(e.year, e.month):
            if (s.year, s.month) == (e.year, e.month):
                return month_year(s)
            if s.year == e.year and s.month == 1 and e.month == 12:
                return f"Tahun {s.year}"
            if s.year == e.year and s.month == 1 and e.month == 6:
                return f"Semester I Tahun {s.year}"
            if s.year == e.year and s.month == 7 and e.month == 12:
                return f"Semester II Tahun {s.year}"
            if s.year == e.year and e.month - s.month == 2 and s.month % 3 == 1:
                return f"Triwulan {('I', 'II', 'III', 'IV')[s.month // 3]} Tahun {s.year}"
        return f"{letter_date(s)} s.d. {letter_date(e)}"

    def say_title(self) -> str:
        """The period as the terminal names it, in its language (``title`` is for paper)."""
        s, e = self.start, self.end
        if s.day == 1 and e == _month_end(e.year, e.month):
            if (s.year, s.month) == (e.year, e.month):
                # "November 2026": the month name of the terminal's language.
                return say_date(s).split(" ", 1)[1]
            if s.year == e.year and s.month == 1 and e.month == 12:
                return _("Year {year}").format(year=s.year)
            if s.year == e.year and s.month == 1 and e.month == 6:
                return _("First semester {year}").format(year=s.year)
            if s.year == e.year and s.month == 7 and e.month == 12:
                return _("Second semester {year}").format(year=s.year)
            if s.year == e.year and e.month - s.month == 2 and s.month % 3 == 1:
                return _("Quarter {n} {year}").format(
                    n=("I", "II", "III", "IV")[s.month // 3], year=s.year
                )
        return _("{first} to {last}").format(first=say_date(s), last=say_date(e))

    def months(self) -> Iterator[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            yield year, month
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _month_end(year: int, month: int) -> date:
    first_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_next - timedelta(days=1)


def parse_period_value(text: str) -> Period:
    """``2026-11``, ``2026-Q4``, ``2026-S2`` or ``2026`` as a Period."""
    raw = text.strip()
    for kind, pattern in _PATTERNS:
        match = pattern.match(raw)
        if match is None:
            continue
        year = int(match["year"])
        if not 1900 <= year <= 9998:
            raise PeriodError(
                _("--period {text}: year {year} is out of range").format(text=repr(text), year=year)
            )
        if kind == "year":
            return Period(date(year, 1, 1), date(year, 12, 31), f"{year}")
        n, limit = int(match["n"]), _LIMITS[kind]
        if not 1 <= n <= limit:
            raise PeriodError(
                _(_NO_SUCH[kind]).format(text=repr(text), n=n, example=_example(kind, year))
            )
        first_month, months = {
            "month": (n, 1),
            "quarter": (3 * n - 2, 3),
            "semester": (6 * n - 5, 6),
        }[kind]
        last_month = first_month + months - 1
        label = {"month": f"{year}-{n:02d}", "quarter": f"{year}-Q{n}", "semester": f"{year}-S{n}"}[
            kind
        ]
        return Period(date(year, first_month, 1), _month_end(year, last_month), label)
    raise PeriodError(
        _("--period {text} is not a period; write {forms}").format(text=repr(text), forms=_(_FORMS))
    )


def _example(kind: str, year: int) -> str:
    return {"month": f"{year}-11", "quarter": f"{year}-Q4", "semester": f"{year}-S2"}[kind]


def _parse_day(text: str, flag: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(
            _("{flag} {text} is not a date; write it as 2026-11-27").format(
                flag=flag, text=repr(text)
            )
        ) from None
    if not 1900 <= day.year <= 9998:  # as for --period: reports count days around the period
        raise PeriodError(
            _("{flag} {text}: year {year} is out of range (1900-9998)").format(
                flag=flag, text=repr(text), year=day.year
            )
        )
    return day


def parse_period(
    period: str | None,
    date_from: str | None = None,
    date_to: str | None = None,
    *,
    today: date | None = None,
) -> Period:
    """The period asked for on the command line.

    Exactly one way must be used: ``--period``, or ``--from`` and/or ``--to`` (a missing
    ``--from`` is the first day of ``--to``'s month, a missing ``--to`` is ``today``). With
    neither, the current month (``today``'s) is reported.
    """
    if period is not None and (date_from is not None or date_to is not None):
        raise PeriodError(_("give either --period or --from/--to, not both"))
    if period is not None:
        return parse_period_value(period)
    if date_from is None and date_to is None:
        if today is None:
            raise PeriodError(
                _("give a --period ({forms}) or --from/--to dates").format(forms=_(_FORMS))
            )
        return parse_period_value(f"{today.year}-{today.month:02d}")
    end = _parse_day(date_to, "--to") if date_to is not None else today
    start = _parse_day(date_from, "--from") if date_from is not None else None
    if end is None:
        raise PeriodError(_("--from needs --to as well"))
    if start is None:
        start = end.replace(day=1)
    if start > end:
        raise PeriodError(
            _("--from {first} is after --to {last}; the period must start before it ends").format(
                first=start.isoformat(), last=end.isoformat()
            )
        )
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
