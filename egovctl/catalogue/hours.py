"""An agency's service hours (jam layanan) and the cut-off for applications
(docs/catalogue.md#service-hours).

Written in an agency document as a mapping of weekday ranges to opening hours, with an
optional break and cut-off::

    hours: {mon-thu: "08:00-15:30", fri: "08:00-16:00", break: "12:00-13:00", cutoff: "14:00"}

An application received after the cut-off (or after closing time, when the day closes
earlier) counts as received on the next day, and so on the next working day, for its due
date; one received before opening counts that day, when the office opens. A day without hours
(the weekend) moves nothing here: the working-day calendar rolls it forward anyway. A declared
working Saturday or Sunday uses the Friday hours unless its calendar entry gives its own.

Pure functions only: the catalogue validates with them, the requests package counts with
them and the documents print them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from egovctl.i18n import _

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
FRIDAY = 4
BREAK, CUTOFF = "break", "cutoff"

_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
_KEY = re.compile(r"([a-z]{3})(?:-([a-z]{3}))?")

Span = tuple[time, time]


def parse_time(text: str) -> time:
    """``"14:00"`` (or ``"14.00"``, the Indonesian way) as a time; ValueError otherwise."""
    found = _TIME.fullmatch(text.strip())
    if not found:
        raise ValueError(_("'{text}' is not a time of day; write it as 14:00").format(text=text))
    return time(int(found.group(1)), int(found.group(2)))


def parse_span(text: str) -> Span:
    """``"08:00-15:30"`` as (opening, closing); ValueError unless it opens before it closes."""
    parts = text.split("-")
    if len(parts) != 2:
        raise ValueError(
            _("'{text}' is not a range of hours; write it as 08:00-15:30").format(text=text)
        )
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if end <= start:
        raise ValueError(
            _("'{text}' ends before it starts; write it as 08:00-15:30").format(text=text)
        )
    return start, end


def day_numbers(key: str) -> list[int]:
    """The weekdays (0 = Monday) a key such as ``mon``, ``mon-thu`` or ``sat`` names."""
    found = _KEY.fullmatch(key.strip().lower())
    if not found or found.group(1) not in DAYS or (found.group(2) or "mon") not in DAYS:
        raise ValueError(
            _(
                "'{key}' is not a day or range of days; use mon, tue, wed, thu, fri, sat, sun, "
                "a range such as mon-thu, or break and cutoff"
            ).format(key=key)
        )
    first = DAYS.index(found.group(1))
    last = DAYS.index(found.group(2)) if found.group(2) else first
    if last < first:
        raise ValueError(
            _("'{key}' runs backwards; write the earlier day first, e.g. mon-thu").format(key=key)
        )
    return list(range(first, last + 1))


def _fmt(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _fmt_id(t: time) -> str:
    return f"{t.hour:02d}.{t.minute:02d}"


@dataclass(frozen=True)
class ServiceHours:
    """Opening hours per weekday (None: closed), a break and a cut-off."""

    days: tuple[Span | None, ...]
    break_: Span | None = None
    cutoff: time | None = None

    @classmethod
    def parse(cls, mapping: Mapping[str, str]) -> ServiceHours:
        """Read the YAML mapping; ValueError naming the key that is wrong."""
        days: list[Span | None] = [None] * 7
        break_: Span | None = None
        cutoff: time | None = None
        for key, value in mapping.items():
            if not isinstance(value, str):
                raise ValueError(
                    _('{key}: write the hours in quotes, e.g. "08:00-15:30"').format(key=key)
                )
            try:
                if key == BREAK:
                    break_ = parse_span(value)
                elif key == CUTOFF:
                    cutoff = parse_time(value)
                else:
                    span = parse_span(value)
                    for number in day_numbers(key):
                        if days[number] is not None:
                            raise ValueError(_("{day} is given twice").format(day=DAYS[number]))
                        days[number] = span
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
        if not any(days):
            raise ValueError(_('no day has hours; give at least one, e.g. mon-fri: "08:00-16:00"'))
        if break_ is not None and not any(
            span[0] <= break_[0] and break_[1] <= span[1] for span in days if span
        ):
            raise ValueError(
                _("{key}: {span} is outside every day's hours").format(
                    key=BREAK, span=f"{_fmt(break_[0])}-{_fmt(break_[1])}"
                )
            )
        if cutoff is not None and not any(span[0] < cutoff for span in days if span):
            raise ValueError(
                _("{key}: {time} is before every day opens").format(key=CUTOFF, time=_fmt(cutoff))
            )
        return cls(tuple(days), break_, cutoff)

    def canonical(self) -> dict[str, str]:
        """The normalised mapping: consecutive days with the same hours joined (mon-thu)."""
        out: dict[str, str] = {}
        number = 0
        while number < 7:
            span = self.days[number]
            last = number
            while last + 1 < 7 and self.days[last + 1] == span:
                last += 1
            if span is not None:
                key = DAYS[number] if last == number else f"{DAYS[number]}-{DAYS[last]}"
                out[key] = f"{_fmt(span[0])}-{_fmt(span[1])}"
            number = last + 1
        if self.break_:
            out[BREAK] = f"{_fmt(self.break_[0])}-{_fmt(self.break_[1])}"
        if self.cutoff:
            out[CUTOFF] = _fmt(self.cutoff)
        return out

    def _lines(
        self, names: tuple[str, ...], clock: str, break_text: str, cutoff_text: str
    ) -> list[str]:
        """One line per day range, the break and the cut-off; times written with ``clock``
        between hours and minutes."""
        out = []
        for key, value in self.canonical().items():
            value = value.replace(":", clock)
            if key == BREAK:
                out.append(break_text.format(span=value))
            elif key == CUTOFF:
                out.append(cutoff_text.format(time=value))
            else:
                first, _sep, last = key.partition("-")
                days = names[DAYS.index(first)] + (f"-{names[DAYS.index(last)]}" if last else "")
                out.append(f"{days} {value}")
        return out

    def lines(self, *, short: bool = False) -> list[str]:
        """The hours in Bahasa Indonesia, one line each, as papers print them; ``short`` says
        the cut-off in a few words (the receipt, where the due date's line tells the rest)."""
        cutoff = (
            "berkas diterima s.d. pukul {time}"
            if short
            else "Berkas diterima sampai pukul {time}; sesudahnya dihitung diterima pada hari "
            "kerja berikutnya"
        )
        return self._lines(DAY_NAMES, ".", "Istirahat {span}", cutoff)

    def say_lines(self) -> list[str]:
        """The hours in the terminal's language (docs/language.md): as papers print them in
        Bahasa Indonesia, ``Monday-Thursday 08:00-15:00`` and so on in English."""
        from egovctl.i18n import language

        if language() != "en":
            return self.lines()
        from egovctl.formats import EN_WEEKDAYS

        return self._lines(
            EN_WEEKDAYS,
            ":",
            _("Break {span}"),
            _("Papers taken in until {time}; later ones count as received on the next working day"),
        )

    def hours_on(
        self, day: date, *, declared_working: bool = False, own: Span | None = None
    ) -> Span | None:
        """The opening hours of ``day``: a declared working day's own hours, else its
        weekday's, else (a declared working weekend day) the Friday hours."""
        if declared_working and own is not None:
            return own
        span = self.days[day.weekday()]
        if span is None and declared_working:
            span = self.days[FRIDAY]
        return span

    def counts_from(self, received: datetime, span: Span | None) -> date:
        """The day an application received at local time ``received`` counts from, given
        the hours ``span`` of that day: the next day when it came after the cut-off or after
        closing time."""
        day = received.date()
        if span is None:
            return day
        close = span[1]
        if self.cutoff is not None and self.cutoff < close:
            close = self.cutoff
        if received.time() >= close:
            return day + timedelta(days=1)
        return day


def from_json(text: str | None) -> ServiceHours | None:
    """Hours as stored on an agency row (canonical JSON), or None."""
    import json

    if not text:
        return None
    return ServiceHours.parse(json.loads(text))


def lines_of(mapping: Mapping[str, str] | None) -> list[str]:
    """The printed lines of an hours mapping (empty when the agency gives none)."""
    if not mapping:
        return []
    return ServiceHours.parse(mapping).lines()
