"""Tests of identity numbers and contact data (docs/requests.md, "Logging an application")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovctl.errors import EgovError, InvalidInput
from egovctl.identity import (
    PROVINCE_CODES,
    NikBirth,
    clean_name,
    format_phone_local,
    mask_nik,
    nik_birth_date,
    normalize_phone,
    validate_nik,
    validate_nip,
)

# Belitung Timur (19 06), district 03, a woman born 5 July 1989, serial 0001.
NIK = "1906034507890001"
NIP = "196711101992031001"


# -- NIK -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (NIK, NIK),
        ("  1906 0345 0789 0001 ", NIK),
        ("1906031007890001", "1906031007890001"),  # a man born on the 10th
        ("3171012902000001", "3171012902000001"),  # 29 February (the year may be a leap year)
        ("1171016912999999", "1171016912999999"),  # woman born 29 December, highest serial
        ("9601010101010001", "9601010101010001"),  # Papua Barat Daya, created 2022
    ],
)
def test_validate_nik_accepts(value, expected):
    assert validate_nik(value) == expected


@pytest.mark.parametrize(
    ("value", "part"),
    [
        ("190603450789000", "NIK must have 16 digits, got 15"),
        ("19060345078900012", "NIK must have 16 digits, got 17"),
        ("", "it is empty"),
        ("1906A34507890001", "only digits, found 'A' at position 5"),
        ("1906-03-450789-0001", "only digits, found '-' at position 5"),
        ("1006034507890001", "province code 10 (digits 1-2)"),
        ("2006034507890001", "province code 20 (digits 1-2)"),
        ("9706034507890001", "province code 97 (digits 1-2)"),
        ("0006034507890001", "province code 00 (digits 1-2)"),
        ("1900034507890001", "regency/city code 00 (digits 3-4)"),
        ("1906030007890001", "birth day 00 (digits 7-8)"),
        ("1906033207890001", "birth day 32 (digits 7-8)"),
        ("1906034007890001", "birth day 40 (digits 7-8)"),
        ("1906037207890001", "birth day 72 (digits 7-8)"),
        ("1906034500890001", "birth month 00 (digits 9-10)"),
        ("1906034513890001", "birth month 13 (digits 9-10)"),
        ("1906033104890001", "birth date 31-04 (digits 7-10) does not exist"),
        ("1906037002890001", "birth date 30-02 (digits 7-10) does not exist"),
        ("1906034507890000", "serial number 0000 (digits 13-16)"),
    ],
)
def test_validate_nik_names_the_wrong_part(value, part):
    with pytest.raises(InvalidInput) as caught:
        validate_nik(value)
    message = str(caught.value)
    assert part in message
    assert message.startswith(f"invalid NIK {value!r}: ")
    assert "KTP" in message  # tells the clerk what to check


def test_invalid_input_is_an_egov_error():
    with pytest.raises(EgovError):
        validate_nik("123")


def test_province_codes_are_the_kemendagri_list():
    expected = (
        "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 "
        "61 62 63 64 65 71 72 73 74 75 76 81 82 91 92 93 94 95 96"
    ).split()
    assert sorted(PROVINCE_CODES) == expected
    assert len(PROVINCE_CODES) == 38  # Indonesia's provinces since the 2022 Papua splits


@pytest.mark.parametrize("province", sorted(PROVINCE_CODES))
def test_every_province_is_accepted(province):
    assert validate_nik(f"{province}06034507890001").startswith(province)


def test_nik_birth_date():
    assert nik_birth_date(NIK) == NikBirth(day=5, month=7, yy=89, female=True)
    assert nik_birth_date("1906031007890001") == (10, 7, 89, False)
    with pytest.raises(InvalidInput, match="birth month 13"):
        nik_birth_date("1906034513890001")


def test_mask_nik():
    assert mask_nik(NIK) == "190603********01"
    assert mask_nik("1906 0345 0789 0001") == "190603********01"
    assert mask_nik("12345") == "*****"


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_mask_nik_keeps_length_region_and_last_two(nik):
    masked = mask_nik(nik)
    assert len(masked) == 16
    assert masked[:6] == nik[:6] and masked[-2:] == nik[-2:]
    assert masked[6:14] == "*" * 8


# -- NIP -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [NIP, "19671110 199203 1 001", "198402292010012999", "200001012025062001"],
)
def test_validate_nip_accepts(value):
    assert validate_nip(value) == value.replace(" ", "")


@pytest.mark.parametrize(
    ("value", "part"),
    [
        ("19671110199203100", "NIP must have 18 digits, got 17"),
        ("1967111019920310011", "NIP must have 18 digits, got 19"),
        ("", "it is empty"),
        ("1967111O1992031001", "only digits, found 'O' at position 8"),
        ("186711101992031001", "birth year 1867 (digits 1-4)"),
        ("196713101992031001", "birth date 19671310 (digits 1-8, YYYYMMDD) is not a real date"),
        ("196702301992031001", "birth date 19670230"),
        ("198602292010011001", "birth date 19860229"),
        ("196711101992131001", "start month 13 (digits 13-14)"),
        ("196711101992001001", "start month 00 (digits 13-14)"),
        ("196711101967031001", "start year 1967 (digits 9-12) must be between 1982 and 2037"),
        ("196711102040031001", "start year 2040"),
        ("196711101992033001", "sex digit 3 (digit 15)"),
        ("196711101992030001", "sex digit 0 (digit 15)"),
        ("196711101992031000", "serial number 000 (digits 16-18)"),
    ],
)
def test_validate_nip_names_the_wrong_part(value, part):
    with pytest.raises(InvalidInput) as caught:
        validate_nip(value)
    message = str(caught.value)
    assert part in message
    assert message.startswith(f"invalid NIP {value!r}: ")


# -- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "e164", "local"),
    [
        ("0812-3456-7890", "+6281234567890", "0812-3456-7890"),
        ("+62 812 3456 7890", "+6281234567890", "0812-3456-7890"),
        ("6281234567890", "+6281234567890", "0812-3456-7890"),
        ("0062 812 3456 7890", "+6281234567890", "0812-3456-7890"),
        ("+62 (0)812 3456 7890", "+6281234567890", "0812-3456-7890"),
        ("812 3456 7890", "+6281234567890", "0812-3456-7890"),
        ("0812.345.678", "+62812345678", "0812-345-678"),
        ("0812-3456-789", "+628123456789", "0812-3456-789"),
        ("0812-3456-78901", "+62812345678901", "0812-3456-78901"),
        ("(0719) 91234", "+6271991234", "(0719) 91234"),
        ("0719-91234", "+6271991234", "(0719) 91234"),
        ("+62 719 91234", "+6271991234", "(0719) 91234"),
        ("(021) 1234 5678", "+622112345678", "(021) 12345678"),
        ("0800-1-234567", "+628001234567", "0800-1234567"),
        ("+65 9123 4567", "+6591234567", "+6591234567"),  # a citizen working abroad
    ],
)
def test_normalize_and_format_phone(value, e164, local):
    assert normalize_phone(value) == e164
    assert format_phone_local(e164) == local
    assert format_phone_local(value) == local
    assert normalize_phone(local) == e164


@pytest.mark.parametrize(
    ("value", "part"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("telp 0812", "only digits, found 't'"),
        ("0812-3456-789O", "only digits, found 'O'"),
        ("0812-345", "a mobile number has 10-13 digits including the leading 0, got 7"),
        ("0812-3456-7890-12", "a mobile number has 10-13 digits including the leading 0, got 14"),
        ("(0719) 9123", "a landline number has 9-12 digits including the area code with its 0"),
        ("0112345678", "not an Indonesian subscriber number"),
        ("1234567890", "start it with 0 (or +62)"),
        ("+1 234", "8-15 digits"),
    ],
)
def test_normalize_phone_rejects(value, part):
    with pytest.raises(InvalidInput) as caught:
        normalize_phone(value)
    message = str(caught.value)
    assert part in message
    assert repr(value.strip()) in message
    assert "0812-3456-7890" in message  # shows the expected form


@given(
    st.sampled_from("123456789"),
    st.text(alphabet="0123456789", min_size=7, max_size=10),
    st.sampled_from(["0{}", "+62{}", "62{}", "+62 {}", "0062{}"]),
)
def test_mobile_numbers_round_trip(second, rest, form):
    national = "8" + second + rest
    e164 = normalize_phone(form.format(national))
    assert e164 == "+62" + national
    assert normalize_phone(e164) == e164
    local = format_phone_local(e164)
    assert local.replace("-", "") == "0" + national
    assert normalize_phone(local) == e164


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Siti Nur'aini  ", "Siti Nur'aini"),
        ("I Gusti Ngurah  Rai", "I Gusti Ngurah  Rai"),  # inner spacing kept as typed
        ("MUHAMMAD", "MUHAMMAD"),
        ("Ni Luh Putu Ayu Dewi, S.Pd.", "Ni Luh Putu Ayu Dewi, S.Pd."),
    ],
)
def test_clean_name_keeps_the_name_as_typed(value, expected):
    assert clean_name(value) == expected


@pytest.mark.parametrize(
    ("value", "part"),
    [
        ("", "is empty"),
        (" \t ", "is empty"),
        ("Siti\nAminah", "U+000A"),
        ("Siti\tAminah", "U+0009"),
        ("Siti\x00", "U+0000"),
        ("Siti\u2028Aminah", "U+2028"),
    ],
)
def test_clean_name_rejects(value, part):
    with pytest.raises(InvalidInput, match=part.replace("+", r"\+")):
        clean_name(value)


# -- invisible characters and echoes ---------------------------------------------------------


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u200b", "\u200e", "\u2066", "\ufeff"])
def test_format_characters_are_refused_in_names_and_free_text(char: str) -> None:
    from egovctl.identity import clean_text

    with pytest.raises(InvalidInput, match=f"invisible formatting character U\\+{ord(char):04X}"):
        clean_name(f"Siti {char}Aminah")
    with pytest.raises(InvalidInput, match=f"U\\+{ord(char):04X}"):
        clean_text(f"Jl. Melati{char} 3", "address")


def test_messages_echo_at_most_40_characters_of_input() -> None:
    from egovctl.identity import shorten

    assert shorten("x" * 40) == "x" * 40
    assert shorten("x" * 41) == "x" * 40 + "…"
    with pytest.raises(InvalidInput) as err:
        validate_nik("1" * 10_000)
    assert len(err.value.message) < 300
    with pytest.raises(InvalidInput) as err:
        clean_name("A" * 150 + "\u202e")
    assert "A" * 40 + "…" in err.value.message and len(err.value.message) < 200
