"""Requests at the counter speak Bahasa Indonesia by default and English with ``--lang en``:
confirmations, the list and the timeline, and the errors of the request domain (not found,
an invalid NIK or phone number, a move the status does not allow), which keep their
``error:`` prefix and exit code 1 in both languages (docs/language.md)."""

from __future__ import annotations

import pytest

from tests.conftest import Cli, Clock

NIK = "1906034507890001"
REG = "DISDUKCAPIL-2026-000001"


@pytest.fixture
def default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a clerk gets with nothing set: the suite itself runs in English."""
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)


def _log(cli: Cli, *lang: str) -> str:
    return cli.ok(
        *lang,
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "Siti Aminah",
        "--nik",
        NIK,
        "--at",
        "2026-11-27T09:00",
    ).stdout


def test_log_confirmation_in_both_languages(default_language: None, catalogue: Cli) -> None:
    assert _log(catalogue).splitlines() == [
        f"Permohonan {REG} dicatat; jatuh tempo Rabu, 2 Desember 2026.",
        "Penerbitan KTP Elektronik (3 hari kerja)",
    ]
    assert _log(catalogue, "--lang", "en").splitlines() == [
        "Request DISDUKCAPIL-2026-000002 logged; due Wednesday, 2 December 2026.",
        "Penerbitan KTP Elektronik (3 working days)",
    ]


def test_moves_in_both_languages(default_language: None, catalogue: Cli) -> None:
    _log(catalogue)
    moved = catalogue.ok("request", "advance", REG).stdout
    assert moved.startswith(f"{REG}: diproses, langkah 2/6: Perekaman data biometrik")
    assert "(jatuh tempo 2 Desember 2026)" in moved
    held = catalogue.ok("--lang", "en", "request", "hold", REG, "--reason", "KK kurang").stdout
    assert held == f"{REG}: on hold (due 2 December 2026)\n"
    resumed = catalogue.ok("request", "resume", REG).stdout
    assert resumed.startswith(f"{REG}: diproses, langkah 2/6")


def test_list_and_timeline_in_both_languages(
    default_language: None, catalogue: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _log(catalogue)
    catalogue.ok("request", "hold", REG, "--reason", "KK kurang")
    monkeypatch.setenv("COLUMNS", "200")
    listed = catalogue.ok("request", "list").stdout.splitlines()
    assert listed[0] == "Permohonan (1)"
    assert listed[1].split() == [
        "Nomor", "Pemohon", "NIK", "Layanan", "Langkah", "Status", "Jatuh", "tempo"
    ]  # fmt: skip
    assert "ditunda" in listed[3]
    listed = catalogue.ok("--lang", "en", "request", "list").stdout.splitlines()
    assert listed[0] == "Requests (1)"
    assert listed[1].split() == ["Number", "Applicant", "NIK", "Service", "Step", "Status", "Due"]
    assert "on hold" in listed[3]
    empty = catalogue.ok("request", "list", "--status", "delivered").stdout
    assert "Tidak ada permohonan yang cocok." in empty

    shown = catalogue.ok("request", "show", REG).stdout
    for line in (
        "Pemohon: Siti Aminah · NIK 1906034507890001",
        "Diterima: 2026-11-27 09:00 (di loket)",
        "Jatuh tempo: Rabu, 2 Desember 2026",
        "Riwayat",
        "Pelaksana",
    ):
        assert line in shown, line
    assert "dicatat" in shown and "ditunda" in shown and "KK kurang" in shown
    shown = catalogue.ok("--lang", "en", "request", "show", REG).stdout
    for line in (
        "Applicant: Siti Aminah · NIK 1906034507890001",
        "Received: 2026-11-27 09:00 (at the counter)",
        "Due: Wednesday, 2 December 2026",
        "History",
        "Performed by",
    ):
        assert line in shown, line
    assert "logged" in shown and "put on hold" in shown


def test_procedure_sheet_in_both_languages(default_language: None, catalogue: Cli) -> None:
    shown = catalogue.ok("procedure", "show", "DUKCAPIL-KTP-EL").stdout
    for word in ("versi 1", "Jangka waktu", "3 hari kerja", "Biaya/tarif", "Gratis"):
        assert word in shown, word
    assert "Persyaratan" in shown and "[opsional]" in shown and "Dasar hukum" in shown
    shown = catalogue.ok("--lang", "en", "procedure", "show", "DUKCAPIL-KTP-EL").stdout
    for word in ("version 1", "Service time", "3 working days", "Fee", "Free"):
        assert word in shown, word
    assert "Requirements" in shown and "[optional]" in shown and "Legal basis" in shown


@pytest.mark.parametrize(
    ("args", "indonesian", "english"),
    [
        (
            ("request", "show", "DISDUKCAPIL-2026-999999"),
            "error: permohonan dengan nomor registrasi 'DISDUKCAPIL-2026-999999' tidak "
            "ditemukan; cari dengan 'egovctl request list --search NAME_OR_NIK'",
            "error: no request with registration number 'DISDUKCAPIL-2026-999999'; search with",
        ),
        (
            ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti", "--nik", "19060345078900"),
            "error: NIK '19060345078900' tidak sah: NIK harus 16 digit, yang diketik 14 digit; "
            "periksa kembali dengan KTP atau Kartu Keluarga pemohon, lalu ketik ulang",
            "error: invalid NIK '19060345078900': NIK must have 16 digits, got 14; check it",
        ),
        (
            ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti", "--nik", "1906037507890001"),
            "error: NIK '1906037507890001' tidak sah: tanggal lahir 75 (digit 7-8) harus 01-31, "
            "atau 41-71 untuk perempuan (tanggal + 40)",
            "error: invalid NIK '1906037507890001': birth day 75 (digits 7-8) must be 01-31",
        ),
        (
            ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti", "--nik", "9906034507890001"),
            "kode provinsi 99 (digit 1-2) bukan kode provinsi di Indonesia",
            "province code 99 (digits 1-2) is not an Indonesian province code",
        ),
        (
            ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti", "--nik", NIK, "--phone", "12"),
            "error: nomor telepon '12' tidak sah: awali dengan 0 (atau +62); tulis seperti",
            "error: invalid phone number '12': start it with 0 (or +62); type it as",
        ),
        (
            ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Si\x07ti", "--nik", NIK),
            "error: nama pemohon 'Si\\x07ti' tidak sah: berisi karakter kontrol U+0007; "
            "ketik ulang dalam satu baris",
            "error: invalid applicant name 'Si\\x07ti': it contains the control character U+0007",
        ),
        (
            ("request", "log", "DUKCAPIL-KTP-EL", "--name", "  ", "--nik", NIK),
            "error: nama pemohon kosong; tulis sesuai KTP",
            "error: the applicant name is empty; type it as written on the KTP",
        ),
        (
            ("request", "list", "--search", "x" * 150),
            "berisi 150 karakter; cari dengan paling banyak 100 karakter: nomor registrasi, "
            "nama, atau NIK",
            "has 150 characters; search with at most 100: a registration number, name or NIK",
        ),
    ],
)  # fmt: skip
def test_domain_errors_in_both_languages(
    default_language: None, catalogue: Cli, args: tuple[str, ...], indonesian: str, english: str
) -> None:
    said = catalogue.fails(*args)
    assert indonesian in said.stderr, said.stderr
    again = catalogue.fails("--lang", "en", *args)
    assert english in again.stderr, again.stderr


def test_refused_move_in_both_languages(default_language: None, catalogue: Cli) -> None:
    _log(catalogue)
    catalogue.ok("request", "hold", REG, "--reason", "KK kurang")
    said = catalogue.fails("request", "deliver", REG)
    assert said.stderr == (
        f"error: tidak dapat menjalankan deliver pada {REG}: statusnya ditunda (status "
        "on_hold); deliver memerlukan permohonan yang siap diambil (atau diproses pada "
        "langkah terakhirnya, yaitu penyerahan)\n"
    )
    again = catalogue.fails("--lang", "en", "request", "deliver", REG)
    assert again.stderr.startswith(
        f"error: cannot deliver {REG}: it is on hold (status on_hold); deliver needs a request "
        "that is ready for pickup (or in progress at its last step, the handover)"
    )
    said = catalogue.fails("request", "reject", REG, "--reason", " ")
    assert "error: reject memerlukan --reason: sebutkan alasannya" in said.stderr


def test_usage_errors_of_dates_in_both_languages(default_language: None, catalogue: Cli) -> None:
    said = catalogue.fails("request", "list", "--since", "2026-13-01", code=2)
    assert "'2026-13-01' bukan tanggal yang ada di kalender; tulis seperti 2026-11-27" in (
        said.stderr
    )
    said = catalogue.fails("request", "advance", REG, "--at", "kemarin", code=2)
    assert "waktu 'kemarin' tidak terbaca; tulis seperti 2026-11-27T09:15 (waktu kantor)" in (
        said.stderr
    )
    again = catalogue.fails("--lang", "en", "request", "advance", REG, "--at", "x", code=2)
    assert "cannot read the time 'x'; write it as 2026-11-27T09:15" in again.stderr


def test_duplicate_warning_in_both_languages(
    default_language: None, catalogue: Cli, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00", tick=True)  # the numbers below name the year
    _log(catalogue)
    out = catalogue.ok("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti Aminah", "--nik", NIK)
    assert (
        f"warning: NIK {NIK} sudah memiliki permohonan terbuka untuk DUKCAPIL-KTP-EL: {REG} "
        "(diproses, diterima 2026-11-27); apakah ini permohonan yang sama?"
    ) in out.stderr
    out = catalogue.ok(
        "--lang", "en", "request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti A", "--nik", NIK
    )
    assert (
        f"warning: NIK {NIK} was registered as 'Siti Aminah' (DISDUKCAPIL-2026-000002), "
        "not 'Siti A'" in out.stderr
    )


def test_warnings_in_json_are_the_same_in_both_languages(
    default_language: None, catalogue: Cli
) -> None:
    """JSON values do not change with the language (docs/language.md): the warnings a
    script reads are English, while the terminal warns in Bahasa Indonesia."""
    _log(catalogue)
    args = ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti Aminah", "--nik", NIK, "--json")
    indonesian = catalogue.ok(*args)
    english = catalogue.ok("--lang", "en", *args)
    expected = (
        f"NIK {NIK} already has an open request for DUKCAPIL-KTP-EL: {REG} (in progress, "
        "received 2026-11-27); is this the same application again?"
    )
    assert indonesian.json()["warnings"][0] == expected
    assert english.json()["warnings"][0].startswith(expected.split(":")[0])
    assert "sudah memiliki permohonan terbuka" in indonesian.stderr
