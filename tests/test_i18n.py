"""The Indonesian catalogue is complete and in use: every marked string has its translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from egovctl import i18n
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "egovctl" / "locale" / "id" / "LC_MESSAGES" / "egovctl.po"
KEYWORDS = {"_": None, "N_": None, "Said": None, "ngettext": (1, 2)}


def _catalogue():  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        return read_po(handle, locale="id")


def _extracted() -> dict[str, list[str]]:
    """Every message marked in egovctl's code, as ``pybabel extract -F babel.cfg`` finds it."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "egovctl"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, []).append(f"egovctl/{filename}:{lineno}")
    return found


def test_every_marked_message_is_translated() -> None:
    catalogue = _catalogue()
    missing = {
        msgid: where
        for msgid, where in _extracted().items()
        if msgid and (msgid not in catalogue or not catalogue[msgid].string)
    }
    assert not missing, "messages without an Indonesian translation:\n" + "\n".join(
        f"  {where[0]}: {msgid!r}" for msgid, where in sorted(missing.items())
    )


def test_no_fuzzy_or_empty_entries() -> None:
    catalogue = _catalogue()
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    empty = [m.id for m in catalogue if m.id and not m.string]
    assert not fuzzy and not empty, (fuzzy, empty)


def test_placeholders_survive_translation() -> None:
    """A translation keeps every {placeholder} of its English message, or format() fails."""
    import re

    field = re.compile(r"\{[^{}]*\}")
    wrong = []
    for m in _catalogue():
        if not m.id or isinstance(m.id, tuple):
            continue
        if sorted(field.findall(m.id)) != sorted(field.findall(m.string)):
            wrong.append((m.id, m.string))
    assert not wrong, wrong


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """The .mo that egovctl loads was compiled from the current .po (the build does it)."""
    compiled = i18n.load("id")
    stale = [
        m.id
        for m in _catalogue()
        if m.id
        and (
            # Indonesian has one plural form: every count reads msgstr[0].
            [compiled.ngettext(m.id[0], m.id[1], 1)] != list(m.string)
            if isinstance(m.id, tuple)
            else compiled.gettext(m.id) != m.string
        )
    ]
    assert not stale, f"recompile with 'python hatch_build.py': {stale[:5]}"


def test_the_compiled_catalogue_is_sorted_for_its_binary_search() -> None:
    """``i18n.Catalogue`` finds a message by binary search over the .mo's table of ids, which
    the format keeps sorted; an unsorted table would lose translations silently."""
    import struct

    data = (PO.with_suffix(".mo")).read_bytes()
    _magic, _version, count, ids, _strs = struct.unpack_from("<5I", data)
    keys = []
    for i in range(count):
        length, offset = struct.unpack_from("<2I", data, ids + 8 * i)
        keys.append(data[offset : offset + length])
    assert count > 900 and keys == sorted(keys) and len(set(keys)) == count


def test_loading_the_catalogue_reads_no_entry() -> None:
    """Loading is one file read; messages are decoded only when asked (start-up cost)."""
    catalogue = i18n.load("id")
    assert isinstance(catalogue, i18n.Catalogue) and not catalogue._said
    assert catalogue.gettext("Print JSON.") == "Cetak sebagai JSON."
    assert catalogue.gettext("no such message") == "no such message"
    # An untranslated message comes back as the object given, the second time too (the help
    # formatter tells "no translation" by identity).
    first, again = "".join(["no such ", "text"]), "".join(["no such t", "ext"])
    assert catalogue.gettext(first) is first and catalogue.gettext(again) is again
    assert catalogue.ngettext("{n} open request checked.", "{n} open requests checked.", 2) == (
        "{n} permohonan terbuka diperiksa."
    )
    assert catalogue.ngettext("one {n} unknown", "{n} unknowns", 1) == "one {n} unknown"
    assert catalogue.ngettext("one {n} unknown", "{n} unknowns", 2) == "{n} unknowns"


@pytest.mark.parametrize(
    ("value", "expected"), [("id", "id"), ("EN", "en"), (" en ", "en")]
)  # fmt: skip
def test_language_codes(value: str, expected: str) -> None:
    assert i18n.parse_language(value, "test") == expected


def test_unknown_language_names_the_choices() -> None:
    with pytest.raises(ValueError, match="choose one of id, en"):
        i18n.parse_language("fr", "EGOVCTL_LANG")


# -- the language of the terminal, chosen as docs/configuration.md says ----------------------


@pytest.fixture
def default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a clerk gets with nothing set: the suite itself runs in English."""
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)


ENGLISH_WORDS = ("Usage:", "Options", "Commands", "Show this message", "Missing", "No such")


def test_help_is_indonesian_by_default(default_language: None, catalogue: Cli) -> None:
    out = catalogue.ok("--help").stdout
    assert "Penggunaan: egovctl" in out and "Opsi:" in out and "Perintah:" in out
    assert "Catat permohonan layanan dan proses langkah demi langkah." in out
    assert "Tampilkan pesan ini lalu keluar." in out
    assert not [w for w in ENGLISH_WORDS if w in out], out


def test_help_in_english_on_request(catalogue: Cli) -> None:
    out = catalogue.ok("--lang", "en", "--help").stdout
    assert "Usage: egovctl" in out and "Options:" in out and "Commands:" in out
    assert "Log service requests and move them through their steps." in out


@pytest.mark.parametrize(
    ("args", "indonesian", "english"),
    [
        (
            ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti"),
            "Error: Opsi '--nik' belum diberikan.",
            "Error: Missing option '--nik'.",
        ),
        (
            ("request", "lgo"),
            "Error: Perintah 'lgo' tidak ada. Mungkin maksud Anda 'log'?",
            "Error: No such command 'lgo'. Did you mean 'log'?",
        ),
        (
            ("request", "list", "--status", "siap"),
            "Error: Nilai tidak sah untuk '--status': 'siap' bukan salah satu dari",
            "Error: Invalid value for '--status': 'siap' is not one of",
        ),
        (
            ("request", "list", "--limit", "0"),
            "Error: Nilai tidak sah untuk '--limit': Nilai paling kecil 1",
            "Error: Invalid value for '--limit': Input should be at least 1",
        ),
        (
            ("request", "list", "--bogus"),
            "Error: Opsi tidak dikenal: --bogus",
            "Error: No such option: --bogus",
        ),
        (
            ("request", "list", "baru"),
            "Error: Ada argumen tambahan yang tidak diharapkan (baru)",
            "Error: Got unexpected extra arguments (baru)",
        ),
    ],
)  # fmt: skip
def test_usage_errors_in_both_languages(
    default_language: None, catalogue: Cli, args: tuple[str, ...], indonesian: str, english: str
) -> None:
    said = catalogue.fails(*args, code=2)
    assert indonesian in said.stderr and "Penggunaan: egovctl" in said.stderr, said.stderr
    assert "untuk bantuan." in said.stderr and "Coba 'egovctl request" in said.stderr
    assert not [w for w in ENGLISH_WORDS if w in said.stderr], said.stderr
    again = catalogue.fails("--lang", "en", *args, code=2)
    assert english in again.stderr and "Usage: egovctl" in again.stderr, again.stderr


def test_choice_of_language_and_where_it_came_from(
    default_language: None, catalogue: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def lang(*args: str) -> dict[str, object]:
        rows = catalogue.ok(*args, "config", "show", "--json").json()
        found = rows["lang"] if isinstance(rows, dict) else None
        assert found is not None, rows
        return found  # type: ignore[no-any-return]

    assert lang() == {"value": "id", "source": "default"}
    config = tmp_path / "egovctl.toml"
    config.write_text('locale = "en_US"\n')
    assert lang("--config", str(config)) == {"value": "en", "source": f"config file {config}"}
    monkeypatch.setenv("EGOVCTL_LANG", "id")
    assert lang("--config", str(config)) == {"value": "id", "source": "EGOVCTL_LANG"}
    assert lang("--lang", "en", "--config", str(config)) == {"value": "en", "source": "--lang"}
    # The config file's language reaches Click's messages too.
    monkeypatch.delenv("EGOVCTL_LANG")
    said = catalogue.fails("--config", str(config), "request", "lgo", code=2)
    assert "No such command 'lgo'" in said.stderr


def test_unknown_language_is_a_usage_error(
    default_language: None, catalogue: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = catalogue.fails("--lang", "fr", "request", "list", code=2)
    assert "'fr' bukan salah satu dari 'id', 'en'" in said.stderr
    monkeypatch.setenv("EGOVCTL_LANG", "fr")
    said = catalogue.fails("request", "list", code=2)
    assert "EGOVCTL_LANG: bahasa 'fr' tidak dikenal; pilih salah satu dari id, en" in said.stderr


def test_json_is_the_same_in_both_languages(default_language: None, catalogue: Cli) -> None:
    indonesian = catalogue.ok("procedure", "list", "--json").stdout
    english = catalogue.ok("--lang", "en", "procedure", "list", "--json").stdout
    assert indonesian == english


def test_the_user_config_files_language_is_found_at_start_up(
    default_language: None, catalogue: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cli.py looks for a config file without loading config.py: it must find the same file."""
    from egovctl.config import user_config_dir

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    found = user_config_dir() / "egovctl.toml"
    found.parent.mkdir(parents=True)
    found.write_text('locale = "en"\n', encoding="utf-8")
    assert "Usage: egovctl" in catalogue.ok("--help").stdout
    found.unlink()
    assert "Penggunaan: egovctl" in catalogue.ok("--help").stdout


# -- the errors of a day at the counter, in both languages -----------------------------------

DOMAIN_ERRORS = [
    (
        ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti", "--nik", "1906034507890000"),
        "error: NIK '1906034507890000' tidak sah: nomor urut 0000 (digit 13-16) tidak sah",
        "error: invalid NIK '1906034507890000': serial number 0000 (digits 13-16)",
    ),
    (
        ("request", "advance", "DISDUKCAPIL-2026-999999"),
        "error: permohonan dengan nomor registrasi 'DISDUKCAPIL-2026-999999' tidak ditemukan",
        "error: no request with registration number 'DISDUKCAPIL-2026-999999'",
    ),
    (
        ("procedure", "show", "NOPE"),
        "error: layanan dengan kode 'NOPE' tidak ditemukan",
        "error: no procedure with code 'NOPE'",
    ),
    (
        ("calendar", "remove", "2026-12-25"),
        "error: 2026-12-25 tidak ada di kalender lokal",
        "error: 2026-12-25 is not in the local calendar",
    ),
]


@pytest.mark.parametrize(("args", "indonesian", "english"), DOMAIN_ERRORS)
def test_domain_errors_in_both_languages(
    default_language: None, catalogue: Cli, args: tuple[str, ...], indonesian: str, english: str
) -> None:
    said = catalogue.fails(*args)
    assert said.stderr.startswith(indonesian), said.stderr
    again = catalogue.fails("--lang", "en", *args)
    assert again.stderr.startswith(english), again.stderr


def test_an_illegal_move_in_both_languages(default_language: None, catalogue: Cli) -> None:
    reg = catalogue.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti", "--nik", "1906034507890001",
        "--json",
    ).json()["reg_no"]  # fmt: skip
    said = catalogue.fails("request", "deliver", reg)
    assert said.stderr.startswith(f"error: tidak dapat menjalankan deliver pada {reg}: statusnya")
    assert "diproses" in said.stderr and "siap diambil" in said.stderr
    again = catalogue.fails("--lang", "en", "request", "deliver", reg)
    assert again.stderr.startswith(f"error: cannot deliver {reg}"), again.stderr


def test_a_refused_database_in_both_languages(
    default_language: None, catalogue: Cli, tmp_path: Path
) -> None:
    missing = str(tmp_path / "tidak-ada.db")
    said = catalogue.fails("--db", missing, "request", "list")
    assert said.stderr.startswith(f"error: berkas basis data {missing} (diberikan dengan --db)")
    again = catalogue.fails("--lang", "en", "--db", missing, "request", "list")
    assert again.stderr.startswith(f"error: database file {missing} (given with --db)")
    url = "postgresql+psycopg://postgres@127.0.0.1:1/x"
    said = catalogue.fails("--db", url, "request", "list")
    assert "error: tidak dapat menghubungi server basis data" in said.stderr
    again = catalogue.fails("--lang", "en", "--db", url, "request", "list")
    assert "error: cannot reach the database server" in again.stderr


def test_permission_denied_in_both_languages(default_language: None, catalogue: Cli) -> None:
    catalogue.ok("staff", "add", "admin1", "--name", "Admin Satu", "--role", "admin")
    catalogue.ok(
        "staff", "add", "loket1", "--name", "Loket Satu", "--role", "counter", user="admin1"
    )
    args = ("staff", "add", "loket2", "--name", "Loket Dua", "--role", "counter")
    said = catalogue.fails(*args, user="loket1")
    assert said.stderr.startswith("error: 'loket1' (peran counter) tidak berwenang"), said.stderr
    assert " atau " in said.stderr or "memerlukan peran admin" in said.stderr
    again = catalogue.fails("--lang", "en", *args, user="loket1")
    assert again.stderr.startswith("error: 'loket1' (role counter) may not"), again.stderr
