"""Identity numbers and contact data of citizens and staff: NIK, NIP, phone numbers, names.

Validation here checks the structure of a number (docs/requests.md, "Logging an
application"), not whether it was ever issued: that needs Dukcapil's database. Every rejection
raises ``InvalidInput`` with a message naming the value, the part that is wrong and what to do,
because the reader is a counter clerk with a citizen in front of them.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from typing import NamedTuple

from egovctl.errors import InvalidInput
from egovctl.i18n import N_, _

#: Province codes of the Ministry of Home Affairs (Kemendagri), the first two digits of a NIK,
#: including the 2022 Papua splits: 93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan,
#: 96 Papua Barat Daya. (BPS statistics codes differ for Papua, e.g. 97; NIKs do not use them.)
PROVINCE_CODES: frozenset[str] = frozenset(
    f"{code:02d}"
    for code in (
        *range(11, 20),  # Sumatra: Aceh .. Kepulauan Bangka Belitung (19)
        21,  # Kepulauan Riau
        *range(31, 37),  # Java: DKI Jakarta .. Banten
        *range(51, 54),  # Bali, NTB, NTT
        *range(61, 66),  # Kalimantan
        *range(71, 77),  # Sulawesi
        81,  # Maluku
        82,  # Maluku Utara
        *range(91, 97),  # Papua, Papua Barat and the 2022 splits
    )
)

_WHITESPACE = re.compile(r"\s+")


class NikBirth(NamedTuple):
    """The birth date encoded in a NIK; the year has two digits, so its century is unknown."""

    day: int
    month: int
    yy: int
    female: bool


def _without_spaces(value: str) -> str:
    return _WHITESPACE.sub("", value)


def _first_non_digit(value: str) -> tuple[int, str] | None:
    for position, char in enumerate(value, start=1):
        if not ("0" <= char <= "9"):
            return position, char
    return None


def _max_day(month: int) -> int:
    # A NIK's year has two digits, so 29 February must stay possible: ask a leap year.
    return calendar.monthrange(2000, month)[1]


# -- NIK -------------------------------------------------------------------------------------


def validate_nik(value: str) -> str:
    """The 16-digit NIK in ``value`` (spaces removed), or ``InvalidInput`` naming the bad part.

    Layout ``PP KK CC DDMMYY SSSS``: province, regency/city, district, birth date (day + 40 for
    women), serial. Example: ``1906034507890001``.
    """
    nik = _without_spaces(value)

    def reject(problem: str) -> InvalidInput:
        return InvalidInput(
            _(
                "invalid NIK {value}: {problem}; check it against the applicant's KTP or "
                "Kartu Keluarga and type it again"
            ).format(value=repr(shorten(value.strip())), problem=problem)
        )

    if not nik:
        raise reject(_("it is empty, a NIK has 16 digits"))
    bad = _first_non_digit(nik)
    if bad is not None:
        position, char = bad
        raise reject(
            _("a NIK has only digits, found {char} at position {position}").format(
                char=repr(char), position=position
            )
        )
    if len(nik) != 16:
        raise reject(_("NIK must have 16 digits, got {n}").format(n=len(nik)))
    province, regency = nik[0:2], nik[2:4]
    if province not in PROVINCE_CODES:
        raise reject(
            _("province code {code} (digits 1-2) is not an Indonesian province code").format(
                code=province
            )
        )
    if regency == "00":
        raise reject(_("regency/city code 00 (digits 3-4) does not exist, codes start at 01"))
    day, month = int(nik[6:8]), int(nik[8:10])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        raise reject(
            _("birth day {day} (digits 7-8) must be 01-31, or 41-71 for women (day + 40)").format(
                day=nik[6:8]
            )
        )
    if not 1 <= month <= 12:
        raise reject(_("birth month {month} (digits 9-10) must be 01-12").format(month=nik[8:10]))
    if day % 40 > _max_day(month):
        raise reject(
            _("birth date {date} (digits 7-10) does not exist").format(
                date=f"{day % 40:02d}-{month:02d}"
            )
        )
    if nik[12:16] == "0000":
        raise reject(_("serial number 0000 (digits 13-16) is not valid, serials start at 0001"))
    return nik


def nik_birth_date(nik: str) -> NikBirth:
    """Day, month, two-digit year and sex encoded in a NIK (validated first)."""
    nik = validate_nik(nik)
    day = int(nik[6:8])
    return NikBirth(day=day % 40, month=int(nik[8:10]), yy=int(nik[10:12]), female=day > 40)


def mask_nik(nik: str) -> str:
    """The NIK for anything public: first 6 and last 2 digits kept, the rest as ``*``.

    ``1906034507890001`` -> ``190603********01``. The region stays visible (it is not
    personal); birth date and serial, which with a name identify a person, are hidden.
    """
    nik = _without_spaces(nik)
    if len(nik) <= 8:
        # Too short to keep 6 + 2 and still hide something; hide all rather than leak it.
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


# -- NIP -------------------------------------------------------------------------------------

# Civil servants are appointed as adults; 15 years leaves room for odd historical records
# without accepting a start year typed in place of the birth year.
_MIN_AGE_AT_START = 15
_MAX_AGE_AT_START = 70


def validate_nip(value: str) -> str:
    """The 18-digit NIP in ``value`` (spaces removed), or ``InvalidInput`` naming the bad part.

    Layout ``YYYYMMDD YYYYMM S NNN``: birth date, start of service (year and month), sex
    (1 male, 2 female), serial. Example: ``196711101992031001``.
    """
    nip = _without_spaces(value)

    def reject(problem: str) -> InvalidInput:
        return InvalidInput(
            _(
                "invalid NIP {value}: {problem}; check it against the officer's SK or "
                "Kartu Pegawai and type it again"
            ).format(value=repr(shorten(value.strip())), problem=problem)
        )

    if not nip:
        raise reject(_("it is empty, a NIP has 18 digits"))
    bad = _first_non_digit(nip)
    if bad is not None:
        position, char = bad
        raise reject(
            _("a NIP has only digits, found {char} at position {position}").format(
                char=repr(char), position=position
            )
        )
    if len(nip) != 18:
        raise reject(_("NIP must have 18 digits, got {n}").format(n=len(nip)))
    birth_year, birth_month, birth_day = int(nip[0:4]), int(nip[4:6]), int(nip[6:8])
    if not 1900 <= birth_year <= 2099:
        raise reject(_("birth year {year} (digits 1-4) must be 19xx or 20xx").format(year=nip[0:4]))
    try:
        date(birth_year, birth_month, birth_day)
    except ValueError:
        raise reject(
            _("birth date {date} (digits 1-8, YYYYMMDD) is not a real date").format(date=nip[0:8])
        ) from None
    start_year, start_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= start_month <= 12:
        raise reject(_("start month {month} (digits 13-14) must be 01-12").format(month=nip[12:14]))
    if not birth_year + _MIN_AGE_AT_START <= start_year <= birth_year + _MAX_AGE_AT_START:
        raise reject(
            _(
                "start year {year} (digits 9-12) must be between {earliest} and {latest} "
                "for someone born in {birth_year}"
            ).format(
                year=nip[8:12],
                earliest=birth_year + _MIN_AGE_AT_START,
                latest=birth_year + _MAX_AGE_AT_START,
                birth_year=birth_year,
            )
        )
    if nip[14] not in "12":
        raise reject(
            _("sex digit {digit} (digit 15) must be 1 (male) or 2 (female)").format(digit=nip[14])
        )
    if nip[15:18] == "000":
        raise reject(_("serial number 000 (digits 16-18) is not valid, serials start at 001"))
    return nip


# -- phone numbers ---------------------------------------------------------------------------

_COUNTRY_CODE = "62"
# Characters people put between the digits of a phone number; anything else is an error.
_PHONE_SEPARATORS = re.compile(r"[\s\-./()]")
# Area codes (after the trunk 0) with two digits; every other Indonesian area code has three.
_TWO_DIGIT_AREA_CODES = frozenset({"21", "22", "24", "31", "61"})
_MOBILE = re.compile(r"8[1-9]\d{7,10}")  # 08xx-xxxx-xxx .. 08xx-xxxx-xxxxx
_LANDLINE = re.compile(r"[2-79]\d{7,10}")  # area code + 5-8 digit subscriber number
_OTHER_NATIONAL = re.compile(r"80\d{6,9}")  # 0800 toll-free and other non-geographic numbers


def normalize_phone(value: str) -> str:
    """A phone number in E.164 form: ``+6281234567890`` for mobiles, ``+6271991234`` for a
    landline in Manggar.

    Accepts national (``0812-3456-7890``, ``(0719) 91234``), international (``+62 812 3456
    7890``, ``62812...``, ``0062...``) and foreign numbers given with ``+`` (kept as they are,
    for citizens working abroad). Spaces, hyphens, dots, slashes and brackets are ignored.
    """
    text = value.strip()

    def reject(problem: str) -> InvalidInput:
        return InvalidInput(
            _(
                "invalid phone number {value}: {problem}; "
                "type it as 0812-3456-7890, (0719) 91234 or +62 812 3456 7890"
            ).format(value=repr(shorten(text)), problem=problem)
        )

    if not text:
        raise reject(_("it is empty"))
    compact = _PHONE_SEPARATORS.sub("", text)
    international = compact.startswith("+")
    if international:
        compact = compact[1:]
    elif compact.startswith("00"):
        international, compact = True, compact[2:]
    bad = _first_non_digit(compact)
    if bad is not None:
        raise reject(_("a phone number has only digits, found {char}").format(char=repr(bad[1])))

    if compact.startswith(_COUNTRY_CODE):
        national = compact[len(_COUNTRY_CODE) :]
        # "+62 (0)812..." keeps the trunk 0 out of habit; E.164 has none.
        if national.startswith("0"):
            national = national[1:]
    elif international:
        if not 8 <= len(compact) <= 15 or compact.startswith("0"):
            raise reject(_("an international number has a country code and 8-15 digits in all"))
        return "+" + compact
    elif compact.startswith("0"):
        national = compact[1:]
    elif compact.startswith("8"):
        # A mobile number typed without its leading 0.
        national = compact
    else:
        raise reject(_("start it with 0 (or +62)"))

    if any(p.fullmatch(national) for p in (_MOBILE, _LANDLINE, _OTHER_NATIONAL)):
        return f"+{_COUNTRY_CODE}{national}"
    digits = len(national) + 1  # as dialled in Indonesia, with the leading 0
    if national.startswith("8"):
        raise reject(
            _("a mobile number has 10-13 digits including the leading 0, got {n}").format(n=digits)
        )
    if national[:1] in ("", "0", "1"):
        raise reject(_("it is not an Indonesian subscriber number"))
    raise reject(
        _("a landline number has 9-12 digits including the area code with its 0, got {n}").format(
            n=digits
        )
    )


def format_phone_local(value: str) -> str:
    """A phone number as people in Indonesia write it: ``0812-3456-7890``, ``(0719) 91234``.

    Takes anything ``normalize_phone`` accepts; foreign numbers are shown in E.164.
    """
    e164 = normalize_phone(value)
    if not e164.startswith("+" + _COUNTRY_CODE):
        return e164
    national = e164[1 + len(_COUNTRY_CODE) :]
    if _OTHER_NATIONAL.fullmatch(national):
        return f"0{national[:3]}-{national[3:]}"
    if national.startswith("8"):
        prefix, rest = national[:3], national[3:]
        split = min(4, (len(rest) + 1) // 2)
        return f"0{prefix}-{rest[:split]}-{rest[split:]}"
    area_length = 2 if national[:2] in _TWO_DIGIT_AREA_CODES else 3
    return f"(0{national[:area_length]}) {national[area_length:]}"


# -- echoing what was typed ------------------------------------------------------------------

ECHO_LIMIT = 40


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """What a message repeats of a user's input: the first ``limit`` characters and "…", so
    that a pasted wall of text does not come back as a wall of error."""
    return text if len(text) <= limit else text[:limit] + "…"


# -- names -----------------------------------------------------------------------------------

# Control characters and line/paragraph separators: never part of a name, and they break
# printed lists and CSV exports. Invisible format characters (category Cf: U+202E turns the
# rest of a line around, U+200B hides inside a word) make a receipt show something other than
# what is stored, and two names that look the same differ.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
MAX_NAME = 200


# What _forbidden says, per kind of character (whole sentences for the translator).
_FORBIDDEN_MESSAGES = {
    "Cf": N_(
        "invalid {what} {value}: it contains the invisible formatting character {code}; {advice}"
    ),
    "Cs": N_(
        "invalid {what} {value}: it contains a byte that is not UTF-8 text, read as {code}; "
        "{advice}"
    ),
}
_CONTROL_MESSAGE = N_("invalid {what} {value}: it contains the control character {code}; {advice}")
_AGAIN = N_("type it again")
_AGAIN_ON_ONE_LINE = N_("type it again on one line")


def _what(what: str) -> str:
    """What a message names (an option name, or an English phrase marked with ``N_``), in the
    language of the terminal."""
    return _(what) if what else what


def _forbidden(what: str, text: str, char: str, advice: str) -> InvalidInput:
    """``what`` (an option name, or an English phrase marked with ``N_`` such as "applicant
    name") and ``advice`` are translated here."""
    message = _FORBIDDEN_MESSAGES.get(unicodedata.category(char), _CONTROL_MESSAGE)
    return InvalidInput(
        _(message).format(
            what=_what(what),
            value=repr(shorten(text)),
            code=f"U+{ord(char):04X}",
            advice=_(advice),
        )
    )


def printable(text: str) -> bool:
    """Whether ``text`` holds no control, invisible format or undecodable character (a byte
    that was not UTF-8 on the command line arrives as a lone surrogate)."""
    return not any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in text)


def check_printable(text: str, what: str) -> str:
    """``text`` (a search term, say) unless it holds what ``printable`` refuses."""
    for char in text:
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            raise _forbidden(what, text, char, _AGAIN)
    return text


def clean_name(value: str, what: str = N_("name")) -> str:
    """``value`` without surrounding whitespace; otherwise kept exactly as typed. ``what``
    names it in messages: an option name, or an English phrase marked with ``N_``.

    Rejects an empty name and one holding control characters (a pasted newline or tab) or
    invisible format characters (U+202E, U+200B).
    """
    name = value.strip()
    if not name:
        raise InvalidInput(
            _("the {what} is empty; type it as written on the KTP").format(what=_what(what))
        )
    if len(name) > MAX_NAME:
        raise InvalidInput(
            _(
                "the {what} has {n} characters; a name has at most {limit} "
                "(was something pasted by mistake?)"
            ).format(what=_what(what), n=len(name), limit=MAX_NAME)
        )
    for char in name:
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            raise _forbidden(what, name, char, _AGAIN_ON_ONE_LINE)
    return name


def clean_text(value: str | None, what: str, limit: int = 2000) -> str | None:
    """Free text typed at the counter (an address, a note, a reason): surrounding whitespace
    removed, None when blank; refused when it holds control characters other than a line
    break or a tab (an escape sequence would recolour or rewrite the staff's terminal) or
    invisible format characters (U+202E would print the text reversed)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(
            _(
                "{what} has {n} characters; keep it under {limit} "
                "(was something pasted by mistake?)"
            ).format(what=_what(what), n=len(text), limit=limit)
        )
    for char in text:
        if char not in "\n\t" and unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            raise _forbidden(what, text, char, _AGAIN)
    return text
