"""Indonesian dates, money, number words and clock times (egovctl.formats)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovctl import formats

FRIDAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (7, "tujuh"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (115, "seratus lima belas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1011, "seribu sebelas"),
        (1100, "seribu seratus"),
        (1500, "seribu lima ratus"),
        (2000, "dua ribu"),
        (10_000, "sepuluh ribu"),
        (11_000, "sebelas ribu"),
        (12_500, "dua belas ribu lima ratus"),
        (50_000, "lima puluh ribu"),
        (100_000, "seratus ribu"),
        (101_000, "seratus satu ribu"),
        (111_111, "seratus sebelas ribu seratus sebelas"),
        (250_000, "dua ratus lima puluh ribu"),
        (
            999_999,
            "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan",
        ),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (1_250_000, "satu juta dua ratus lima puluh ribu"),
        (2_000_000, "dua juta"),
        (10_000_000, "sepuluh juta"),
        (100_000_000, "seratus juta"),
        (111_000_000, "seratus sebelas juta"),
        (1_000_000_000, "satu miliar"),
        (1_000_000_001, "satu miliar satu"),
        (2_500_000_000, "dua miliar lima ratus juta"),
        (1_000_000_000_000, "satu triliun"),
        (12_000_000_000_000, "dua belas triliun"),
        (10**15, "satu kuadriliun"),
        (
            10**15 - 1,
            "sembilan ratus sembilan puluh sembilan triliun "
            "sembilan ratus sembilan puluh sembilan miliar "
            "sembilan ratus sembilan puluh sembilan juta "
            "sembilan ratus sembilan puluh sembilan ribu "
            "sembilan ratus sembilan puluh sembilan",
        ),
        (
            1_234_567_890,
            "satu miliar dua ratus tiga puluh empat juta lima ratus enam puluh "
            "tujuh ribu delapan ratus sembilan puluh",
        ),
    ],
)
def test_terbilang(n: int, words: str) -> None:
    assert formats.terbilang(n) == words


def test_terbilang_never_says_sejuta_and_has_no_stray_spaces() -> None:
    for n in (1_000_000, 1_000_000_000, 10**12, 1_001_001, 7_000_100):
        text = formats.terbilang(n)
        assert "sejuta" not in text and "semiliar" not in text
        assert text == " ".join(text.split())


@pytest.mark.parametrize("bad", [-1, 10**15 + 1])
def test_terbilang_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError, match="0 to"):
        formats.terbilang(bad)


@pytest.mark.parametrize("bad", [1.5, "10", True])
def test_terbilang_needs_an_int(bad: object) -> None:
    with pytest.raises(TypeError):
        formats.terbilang(bad)  # type: ignore[arg-type]


def test_dates() -> None:
    assert formats.long_date(FRIDAY) == "Jumat, 27 November 2026"
    assert formats.letter_date(FRIDAY) == "27 November 2026"
    assert formats.place_date("Manggar", FRIDAY) == "Manggar, 27 November 2026"
    assert formats.place_date("", FRIDAY) == "27 November 2026"
    assert formats.long_date(dt.date(2017, 4, 25)) == "Selasa, 25 April 2017"
    assert formats.letter_date(dt.date(2026, 1, 5)) == "5 Januari 2026"
    # No zero padding, unlike CLDR's "full" pattern ("Rabu, 02 Desember 2026").
    assert formats.long_date(dt.date(2026, 12, 2)) == "Rabu, 2 Desember 2026"


def test_dates_accept_datetimes_and_iso_strings() -> None:
    assert formats.long_date(dt.datetime(2026, 11, 27, 9, 15)) == "Jumat, 27 November 2026"
    assert formats.letter_date("2026-11-27") == "27 November 2026"
    assert formats.letter_date("2026-11-27T09:15:00+07:00") == "27 November 2026"
    with pytest.raises(ValueError, match="ISO 8601"):
        formats.letter_date("27/11/2026")


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "Rp0"), (500, "Rp500"), (50_000, "Rp50.000"), (1_250_000, "Rp1.250.000")],
)
def test_rupiah(n: int, text: str) -> None:
    assert formats.rupiah(n) == text


def test_fee_text() -> None:
    assert formats.fee_text(0) == "Gratis (tidak dipungut biaya)"
    assert formats.fee_text(50_000) == "Rp50.000 (lima puluh ribu rupiah)"
    assert formats.fee_text(1_000_000) == "Rp1.000.000 (satu juta rupiah)"


def test_time_in_office_zone() -> None:
    utc = dt.datetime(2026, 11, 27, 7, 5, tzinfo=dt.UTC)
    assert formats.time_wib(utc) == "14.05 WIB"
    assert formats.time_wib(utc, "Asia/Makassar") == "15.05 WITA"
    assert formats.time_wib(utc, "Asia/Jayapura") == "16.05 WIT"
    assert formats.time_wib(utc, "Asia/Pontianak") == "14.05 WIB"
    # A naive time is already the office's wall clock.
    assert formats.time_wib(dt.datetime(2026, 11, 27, 9, 0)) == "09.00 WIB"
    assert formats.time_wib("2026-11-27T09:15:00+07:00") == "09.15 WIB"


def test_datetime_text_uses_the_local_calendar_day() -> None:
    # 18.30 UTC on the 26th is already the 27th in Manggar.
    late = dt.datetime(2026, 11, 26, 18, 30, tzinfo=dt.UTC)
    assert formats.datetime_text(late) == "27 November 2026 pukul 01.30 WIB"
    local = dt.datetime(2026, 11, 27, 14, 5, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert formats.datetime_text(local, "Asia/Jakarta") == "27 November 2026 pukul 14.05 WIB"


def test_zone_name_outside_indonesia_falls_back_to_the_abbreviation() -> None:
    assert formats.zone_name("UTC") == "UTC"
    assert formats.zone_name("Asia/Makassar") == "WITA"


def test_month_and_weekday_names_are_babels() -> None:
    """formats keeps CLDR's Indonesian names so the terminal need not load Babel: the same
    names, in the same order (Monday first, as date.weekday() counts)."""
    from babel.dates import get_day_names, get_month_names

    months = get_month_names("wide", locale="id")
    days = get_day_names("wide", locale="id")
    assert formats.MONTHS == tuple(months[m] for m in range(1, 13))
    assert formats.WEEKDAYS == tuple(days[d] for d in range(7))


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_long_and_letter_dates_are_babels_without_a_padded_day(day: dt.date) -> None:
    """CLDR's id patterns ("EEEE, dd MMMM y" and "d MMMM y"), the day never zero-padded
    (Tata Naskah Dinas writes "2 Desember 2026")."""
    from babel.dates import format_date

    assert formats.letter_date(day) == format_date(day, "long", locale="id")
    assert formats.letter_date(day) == format_date(day, "d MMMM y", locale="id")
    assert formats.long_date(day) == format_date(day, "EEEE, d MMMM y", locale="id")
    assert formats.long_date(day).endswith(formats.letter_date(day))


# -- the terminal's language (docs/language.md) ------------------------------------------------


@pytest.fixture
def english() -> object:
    from egovctl import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def indonesian() -> object:
    from egovctl import i18n

    i18n.set_language("id")
    yield
    i18n.set_language("en")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_terminal_dates_in_english_are_babels_en_gb(day: dt.date) -> None:
    from babel.dates import format_date

    from egovctl import i18n

    i18n.set_language("en")
    assert formats.say_date(day) == format_date(day, "long", locale="en_GB")
    assert formats.say_long_date(day) == format_date(day, "full", locale="en_GB")


def test_terminal_dates_in_indonesian_are_the_paper_forms(indonesian: object) -> None:
    assert formats.say_long_date(FRIDAY) == "Jumat, 27 November 2026"
    assert formats.say_date(FRIDAY) == "27 November 2026"
    moment = dt.datetime(2026, 11, 27, 7, 5, tzinfo=dt.UTC)
    assert formats.say_datetime(moment) == "27 November 2026 pukul 14.05 WIB"


def test_terminal_times_in_english(english: object) -> None:
    moment = dt.datetime(2026, 11, 27, 7, 5, tzinfo=dt.UTC)
    assert formats.say_time(moment) == "14:05 WIB"
    assert formats.say_datetime(moment) == "27 November 2026 at 14:05 WIB"
    assert formats.say_long_date(FRIDAY) == "Friday, 27 November 2026"


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=0, max_value=3))
def test_terminal_numbers_follow_babels_grouping(n: int, digits: int) -> None:
    from babel.numbers import format_decimal

    from egovctl import i18n

    value = n / 10**digits
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    for lang, locale in (("id", "id"), ("en", "en")):
        i18n.set_language(lang)  # type: ignore[arg-type]
        assert formats.say_number(value, digits) == format_decimal(value, pattern, locale=locale), (
            lang,
            value,
        )
    i18n.set_language("en")


def test_terminal_fees(indonesian: object) -> None:
    from egovctl import i18n

    assert formats.say_fee(0) == "Gratis" and formats.say_fee(150000) == "Rp150.000"
    i18n.set_language("en")
    assert formats.say_fee(0) == "Free" and formats.say_fee(150000) == "Rp150,000"
