"""Indonesian formatting of dates, times and money for printed documents and messages.

Every Indonesian date and money format egovctl prints, terminal and paper alike, is here.
Pure functions with no state: dates follow Babel's ``id`` locale ("Jumat, 27 November 2026"),
money is rupiah without decimals ("Rp50.000"), amounts can be spelled out in words
("lima puluh ribu") as official documents do, and clock times carry the Indonesian zone name
("14.05 WIB"). Babel is imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Jakarta"

# Indonesia's three zones; every IANA name that maps onto each one.
_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}

_ONES = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)
# Scale words for groups of three digits above the thousands ("ribu" is special: "seribu").
_SCALES = ((10**15, "kuadriliun"), (10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))
TERBILANG_MAX = 10**15

# CLDR's Indonesian month and weekday names (what Babel's ``id`` locale prints), kept here so
# that the terminal can write a date without loading Babel; a test compares them with Babel.
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _as_date(value: dt.date | dt.datetime | str) -> dt.date:
    """A date from a date, a datetime (its own calendar day) or an ISO 8601 string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        # Contexts built from ``--json`` output carry ISO strings; accept them as-is.
        try:
            return dt.datetime.fromisoformat(value).date()
        except ValueError:
            raise ValueError(f"not an ISO 8601 date: {value!r}") from None
    raise TypeError(f"expected a date, got {type(value).__name__}")


def _as_datetime(value: dt.datetime | str, tz: str) -> dt.datetime:
    """An aware datetime in zone ``tz``; a naive one is taken to be in that zone already."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 date and time: {value!r}") from None
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    zone = ZoneInfo(tz)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def long_date(d: dt.date | dt.datetime | str) -> str:
    """The weekday and the date: ``Jumat, 27 November 2026``, ``Rabu, 2 Desember 2026``.

    CLDR's "full" pattern for id is "EEEE, dd MMMM y"; Indonesian official writing (Tata Naskah
    Dinas) does not pad the day, so this is that pattern without the zero.
    """
    day = _as_date(d)
    return f"{WEEKDAYS[day.weekday()]}, {letter_date(day)}"


def letter_date(d: dt.date | dt.datetime | str) -> str:
    """The date as written in letters: ``27 November 2026``."""
    day = _as_date(d)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(d: dt.date) -> str:
    """A month as a report period names it: ``November 2026``."""
    return f"{MONTHS[d.month - 1]} {d.year}"


def short_date(d: dt.date | dt.datetime | str) -> str:
    """``30 Nov 2026``: the month abbreviated (Indonesian), for narrow table columns."""
    from babel.dates import format_date

    return format_date(_as_date(d), "d MMM yyyy", locale="id")


def place_date(place: str | None, d: dt.date | dt.datetime | str) -> str:
    """Place and date above a signature: ``Manggar, 27 November 2026`` (no place: the date)."""
    date_text = letter_date(d)
    return f"{place}, {date_text}" if place else date_text


def rupiah(n: int) -> str:
    """An amount in rupiah without decimals: ``Rp50.000``."""
    from babel.numbers import format_currency

    # currency_digits=False with an explicit pattern: the rupiah has no cents in practice, and
    # Babel's default for IDR would otherwise print ",00".
    return format_currency(n, "IDR", format="¤#,##0", locale="id_ID", currency_digits=False)


def _below_thousand(n: int) -> list[str]:
    """Words for 1..999 ("seratus", "sebelas", "dua belas", ...); empty for 0."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_ONES[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [_ONES[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [_ONES[tens], "puluh"]
        if ones:
            words.append(_ONES[ones])
    elif rest > 0:
        words.append(_ONES[rest])
    return words


def terbilang(n: int) -> str:
    """An integer 0..10^15 in Indonesian words: ``1500`` → ``seribu lima ratus``.

    Official usage: "seratus", "seribu", "sebelas", but "satu juta" (never "sejuta").
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"terbilang needs an integer, got {type(n).__name__}")
    if n < 0 or n > TERBILANG_MAX:
        raise ValueError(f"terbilang covers 0 to {TERBILANG_MAX:,}, got {n:,}")
    if n == 0:
        return "nol"
    words: list[str] = []
    for scale, name in _SCALES:
        group, n = divmod(n, scale)
        if group:
            words += [*_below_thousand(group), name]
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        words.append("seribu")
    elif thousands:
        words += [*_below_thousand(thousands), "ribu"]
    words += _below_thousand(n)
    return " ".join(words)


def fee_label(n: int) -> str:
    """A fee in a table cell: ``Gratis`` or ``Rp150.000`` (the figures of :func:`rupiah`)."""
    return "Gratis" if n == 0 else "Rp" + f"{n:,}".replace(",", ".")


def fee_text(n: int) -> str:
    """A fee as printed on a service standard: free, or the amount in figures and words."""
    if n == 0:
        return "Gratis (tidak dipungut biaya)"
    return f"{rupiah(n)} ({terbilang(n)} rupiah)"


def zone_name(tz: str = DEFAULT_TIMEZONE, at: dt.datetime | None = None) -> str:
    """``WIB``, ``WITA`` or ``WIT`` for Indonesian zones; the offset name elsewhere."""
    if tz in _ZONE_NAMES:
        return _ZONE_NAMES[tz]
    from egovctl.timeutil import now_utc

    moment = (at or now_utc()).astimezone(ZoneInfo(tz))
    return moment.tzname() or tz


def time_wib(d: dt.datetime | str, tz: str = DEFAULT_TIMEZONE) -> str:
    """The clock time in the office's zone, as Indonesians write it: ``14.05 WIB``."""
    local = _as_datetime(d, tz)
    return f"{local:%H.%M} {zone_name(tz, local)}"


def datetime_text(d: dt.datetime | str, tz: str = DEFAULT_TIMEZONE) -> str:
    """Date and time in the office's zone: ``27 November 2026 pukul 14.05 WIB``."""
    local = _as_datetime(d, tz)
    return f"{letter_date(local)} pukul {time_wib(local, tz)}"


# -- In the terminal's language ---------------------------------------------------------------
# Printed documents are Indonesian whatever the terminal speaks; what the terminal shows
# (tables, confirmations, error lines) writes dates, numbers and money in the language of the
# terminal (docs/language.md): the Indonesian forms above in ``id``, English ones in ``en``.

EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _english() -> bool:
    from egovctl.i18n import language

    return language() == "en"


def say_date(d: dt.date | dt.datetime | str) -> str:
    """A date in the terminal: ``27 November 2026`` / ``27 November 2026`` (en month names)."""
    if not _english():
        return letter_date(d)
    day = _as_date(d)
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def say_long_date(d: dt.date | dt.datetime | str) -> str:
    """Weekday and date in the terminal: ``Kamis, 3 Desember 2026`` / ``Thursday, 3 December
    2026`` (CLDR's en_GB full pattern, as a test checks against Babel)."""
    if not _english():
        return long_date(d)
    day = _as_date(d)
    return f"{EN_WEEKDAYS[day.weekday()]}, {say_date(day)}"


def say_time(d: dt.datetime | str, tz: str = DEFAULT_TIMEZONE) -> str:
    """A clock time in the office's zone: ``14.05 WIB`` / ``14:05 WIB``."""
    if not _english():
        return time_wib(d, tz)
    local = _as_datetime(d, tz)
    return f"{local:%H:%M} {zone_name(tz, local)}"


def say_datetime(d: dt.datetime | str, tz: str = DEFAULT_TIMEZONE) -> str:
    """Date and time: ``27 November 2026 pukul 14.05 WIB`` / ``27 November 2026 at 14:05 WIB``."""
    if not _english():
        return datetime_text(d, tz)
    local = _as_datetime(d, tz)
    return f"{say_date(local)} at {say_time(local, tz)}"


def say_number(n: float, digits: int = 0) -> str:
    """A number: ``1.234.567,5`` / ``1,234,567.5`` (``digits`` after the decimal mark)."""
    text = f"{n:,.{digits}f}"
    if _english():
        return text
    return text.translate(str.maketrans(",.", ".,"))


def say_fee(n: int) -> str:
    """A fee in a table cell: ``Gratis``/``Free`` or ``Rp150.000``/``Rp150,000``."""
    if not _english():
        return fee_label(n)
    return "Free" if n == 0 else "Rp" + say_number(n)
