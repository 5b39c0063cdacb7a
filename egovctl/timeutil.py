"""Times as the office sees them: parsing ``--at`` values and finding the local calendar day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from egovctl.errors import InvalidInput
from egovctl.i18n import N_, _


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def now_utc() -> datetime:
    """Now: the one place egovctl reads the clock, so that tests can pin it (time-machine)."""
    return datetime.now(UTC)


def now_local(tz: str) -> datetime:
    """Now in the office's timezone, e.g. for a file name stamp or a "printed on" line."""
    return now_utc().astimezone(zone(tz))


# The earliest day egovctl keeps a record for: back-filled paper records and survey answers
# start here, and an earlier year (0202, 1026) is a typo.
EARLIEST_RECORD = date(2000, 1, 1)


def parse_at(text: str, tz: str) -> datetime:
    """An ISO date or date-time; without an offset it is in the office's timezone."""
    raw = text.strip()
    try:
        value = datetime.fromisoformat(raw.replace(" ", "T", 1))
    except ValueError:
        raise InvalidInput(
            _(
                "cannot read the time {value}; write it as 2026-11-27T09:15 "
                "(office time) or 2026-11-27T09:15:00+07:00"
            ).format(value=repr(text))
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(
            _("the time {value} is out of range; records start on {earliest}").format(
                value=repr(text), earliest=EARLIEST_RECORD.isoformat()
            )
        ) from None


def parse_date(text: str, what: str = N_("date")) -> date:
    """A calendar date written as 2026-11-27; ``what`` names it in the message (an English
    phrase marked with ``N_``, such as "--since date", translated here)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            _("cannot read the {what} {value}; write it as 2026-11-27").format(
                what=_(what), value=repr(text)
            )
        ) from None


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(zone(tz)).date()


def local_iso(moment: datetime | None, tz: str) -> str | None:
    """ISO 8601 with the office's offset, e.g. 2026-11-27T09:15:00+07:00."""
    if moment is None:
        return None
    return moment.astimezone(zone(tz)).isoformat(timespec="seconds")


def today(tz: str) -> date:
    return local_date(now_utc(), tz)
