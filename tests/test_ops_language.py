"""Operations and complaints in both languages: `complaint`, `audit` and `db` speak Bahasa
Indonesia by default and English with --lang en; JSON and exit codes stay the same
(docs/language.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.complaints.conftest import record
from tests.conftest import Cli, Clock, sqlite_only, terminal

NO = "ADU-DISDUKCAPIL-2026-000001"


@pytest.fixture
def default_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What a clerk gets with nothing set: the suite itself runs in English. The language
    chosen by the last command stays set in the process, so it is put back afterwards for the
    tests that call egovctl's functions directly."""
    from egovctl import i18n

    monkeypatch.delenv("EGOVCTL_LANG", raising=False)
    yield
    i18n.set_language("en")


def _recorded(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    record(catalogue)


# -- complaints ---------------------------------------------------------------------------


def test_complaint_confirmation(default_language: None, catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    args = ["complaint", "record", "--text", "Antrean terlalu lama", "--channel", "langsung"]
    args += ["--agency", "DISDUKCAPIL", "--name", "Budi Santoso"]
    said = catalogue.ok(*args).stdout
    assert said == f"{NO}: diterima (tanggapi paling lambat Rabu, 16 Desember 2026)\n"
    said = catalogue.ok("--lang", "en", *args).stdout
    assert said == (
        "ADU-DISDUKCAPIL-2026-000002: received (respond by Wednesday, 16 December 2026)\n"
    )


def test_complaint_list_and_show(default_language: None, catalogue: Cli, clock: Clock) -> None:
    _recorded(catalogue, clock)
    with terminal(160):
        table = catalogue.ok("complaint", "list").stdout
        assert "Pengaduan" in table and "Tenggat tanggapan" in table
        assert "Pengadu" in table and "Ditangani oleh" in table
        assert "diterima" in table and "Langsung (loket)" in table
        assert "16 Desember 2026" in table
        english = catalogue.ok("--lang", "en", "complaint", "list").stdout
        assert "Complaints" in english and "Respond by" in english
        assert "received" in english and "In person (counter)" in english
        assert "16 December 2026" in english
        shown = catalogue.ok("complaint", "show", NO).stdout
        assert "Perangkat daerah" in shown and "Riwayat" in shown
        assert "2 Desember 2026 pukul 09.00 WIB" in shown and "Rabu, 16 Desember 2026" in shown
        shown = catalogue.ok("--lang", "en", "complaint", "show", NO).stdout
        assert "Agency" in shown and "History" in shown
        assert "2 December 2026 at 09:00 WIB" in shown


def test_complaint_errors(default_language: None, catalogue: Cli, clock: Clock) -> None:
    _recorded(catalogue, clock)
    err = catalogue.fails("complaint", "show", "ADU-X-2026-000009").stderr
    assert err == (
        "error: tidak ada pengaduan bernomor 'ADU-X-2026-000009'; lihat 'egovctl complaint list'\n"
    )
    err = catalogue.fails("--lang", "en", "complaint", "show", "ADU-X-2026-000009").stderr
    assert err.startswith("error: no complaint numbered 'ADU-X-2026-000009'")
    err = catalogue.fails("complaint", "close", NO, "--outcome", "resolved").stderr
    assert err == (
        f"error: tidak dapat close {NO}: statusnya diterima; close memerlukan pengaduan yang "
        "ditanggapi\n"
    )
    catalogue.ok("complaint", "respond", NO, "--text", "Sudah ditangani")
    err = catalogue.fails("complaint", "respond", NO, "--text", "Lagi").stderr
    assert "respond memerlukan pengaduan yang diterima atau ditangani" in err
    err = catalogue.fails("--lang", "en", "complaint", "respond", NO, "--text", "Lagi").stderr
    assert err == (
        f"error: cannot respond {NO}: it is responded to; respond needs a complaint that is "
        "received or being handled\n"
    )
    err = catalogue.fails("complaint", "record", "--text", "x", "--channel", "fax").stderr
    assert err.startswith("error: saluran 'fax' tidak dikenal; gunakan salah satu dari langsung")


def test_choices_named_in_the_help_are_the_vocabulary() -> None:
    """The help texts name the choices literally (a help text is fixed for translation)."""
    import inspect

    from egovctl.commands import complaint
    from egovctl.complaints.vocabulary import CHANNELS, OUTCOMES

    source = inspect.getsource(complaint)
    assert f"How it came in: {', '.join(CHANNELS)}." in source
    assert f"How it ended: {', '.join(OUTCOMES)}." in source


# -- database and audit -------------------------------------------------------------------


def test_backup_and_check(default_language: None, catalogue: Cli, tmp_path: Path) -> None:
    target = tmp_path / "cadangan.db"
    said = catalogue.ok("db", "backup", str(target)).stdout
    assert said.startswith(f"cadangan ditulis ke {target} (") and said.endswith(" bita)\n")
    assert "." in said.rsplit("(", 1)[1]  # thousands with a dot: 1.234.567 bita
    err = catalogue.fails("db", "backup", str(target)).stderr
    assert err == f"error: {target} sudah ada; gunakan --force untuk menimpanya\n"
    err = catalogue.fails("--lang", "en", "db", "backup", str(target)).stderr
    assert err == f"error: {target} already exists; use --force to overwrite it\n"
    said = catalogue.ok("--lang", "en", "db", "backup", str(target), "--force").stdout
    assert said.startswith(f"backup written to {target} (") and " bytes)" in said
    checked = catalogue.ok("db", "check").stdout
    assert "integritas" in checked and "kunci asing" in checked
    assert "rantai log audit" in checked and "riwayat pengaduan" in checked
    checked = catalogue.ok("--lang", "en", "db", "check").stdout
    assert "foreign keys" in checked and "audit chain" in checked
    # JSON keeps its keys whatever the language.
    assert set(catalogue.ok("db", "check", "--json").json()["checks"]) == {  # type: ignore[index]
        "integrity",
        "foreign_keys",
        "audit",
        "requests",
        "complaints",
    }


@sqlite_only  # on PostgreSQL `db restore` refuses before it looks at the file
def test_restore_errors(default_language: None, catalogue: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada.db"
    err = catalogue.fails("db", "restore", str(missing)).stderr
    assert err == f"error: berkas cadangan {missing} tidak ditemukan\n"
    err = catalogue.fails("--lang", "en", "db", "restore", str(missing)).stderr
    assert err == f"error: backup file {missing} does not exist\n"
    junk = tmp_path / "bukan.db"
    junk.write_text("bukan basis data")
    err = catalogue.fails("db", "restore", str(junk)).stderr
    assert err == f"error: {junk} bukan cadangan egovctl (bukan berkas basis data SQLite)\n"


def test_database_refused(default_language: None, tmp_path: Path) -> None:
    path = tmp_path / "tidak-ada.db"
    cli = Cli(str(path))
    err = cli.fails("request", "list").stderr
    assert err.startswith(
        f"error: berkas basis data {path} (diberikan dengan --db) tidak ditemukan; periksa "
        "path-nya, atau buat dengan 'egovctl procedure import FOLDER' atau 'egovctl db upgrade'"
    )
    err = cli.fails("--lang", "en", "request", "list").stderr
    assert err.startswith(f"error: database file {path} (given with --db) does not exist")
    err = Cli("sqlite:///:memory:").fails("request", "list").stderr
    assert "basis data di memori, yang tidak menyimpan apa pun" in err


def test_audit_log_and_verify(default_language: None, catalogue: Cli, clock: Clock) -> None:
    _recorded(catalogue, clock)
    with terminal(160):
        table = catalogue.ok("audit", "log").stdout
        assert "Log audit (" in table and "Petugas" in table and "Tindakan" in table
        assert "Rincian" in table
        table = catalogue.ok("--lang", "en", "audit", "log").stdout
        assert "Audit log (" in table and "Actor" in table and "Details" in table
    err = catalogue.fails("audit", "log", "--json", "--csv", code=2).stderr
    assert "format keluaran" in err and "pilih salah satu dari --json, --csv" in err
    said = catalogue.ok("audit", "verify").stdout
    assert said.startswith("ok: ") and "catatan audit, 0 permohonan, dan 1 pengaduan" in said
    assert said.endswith("lolos pemeriksaan\n")
    said = catalogue.ok("--lang", "en", "audit", "verify").stdout
    assert said.startswith("ok: ") and "0 requests and 1 complaints verify" in said


def test_seed_demo_in_both_languages(default_language: None, catalogue: Cli) -> None:
    said = catalogue.ok("db", "seed-demo", "--requests", "5").stdout
    assert said.startswith("5 permohonan ditambahkan dengan ")
    assert "melewati jatuh tempo" in said
    said = catalogue.ok("--lang", "en", "db", "seed-demo", "--requests", "5").stdout
    assert said.startswith("added 5 requests with ") and " overdue" in said
    err = catalogue.fails("db", "seed-demo", "--requests", "0").stderr
    assert err == "error: jumlah permohonan (--requests) paling sedikit 1, bukan 0\n"
    err = catalogue.fails("db", "seed-demo", "--requests", "5000001").stderr
    assert "--requests 5.000.001 melebihi kebutuhan peragaan; paling banyak 5.000.000" in err
