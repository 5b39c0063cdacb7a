"""The catalogue commands speak Bahasa Indonesia by default and English with ``--lang en``:
confirmations, tables, panels, import problems and errors (docs/language.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli


@pytest.fixture(autouse=True)
def default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a clerk gets with nothing set: the suite itself runs in English."""
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)


def test_retire_and_reactivate_confirmations(catalogue: Cli) -> None:
    out = catalogue.ok("procedure", "retire", "DUKCAPIL-KK").stdout
    assert "DUKCAPIL-KK dihentikan: tidak menerima permohonan baru" in out
    out = catalogue.ok("--lang", "en", "procedure", "reactivate", "DUKCAPIL-KK").stdout
    assert "DUKCAPIL-KK reactivated" in out
    said = catalogue.fails("procedure", "reactivate", "DUKCAPIL-KK")
    assert said.stderr == "error: layanan DUKCAPIL-KK sudah aktif\n"
    said = catalogue.fails("--lang", "en", "procedure", "reactivate", "DUKCAPIL-KK")
    assert said.stderr == "error: procedure DUKCAPIL-KK is already active\n"


def test_procedure_list_table_in_both_languages(catalogue: Cli) -> None:
    out = catalogue.ok("procedure", "list").stdout
    assert "Katalog layanan (" in out
    assert "Kode" in out and "Layanan" in out and "Biaya" in out
    assert "Gratis" in out and " hari" in out
    out = catalogue.ok("--lang", "en", "procedure", "list").stdout
    assert "Service catalogue (" in out
    assert "Code" in out and "Service" in out and "Fee" in out
    assert "Free" in out and " days" in out and "Gratis" not in out


def test_empty_listing_explains_itself(catalogue: Cli) -> None:
    out = catalogue.ok("procedure", "list", "--category", "pencatatan sipl").stdout
    assert "Tidak ada layanan yang cocok dengan --category 'pencatatan sipl' (" in out
    assert "layanan aktif dalam katalog)." in out
    assert "Mungkin maksud Anda --category 'Pencatatan Sipil'?" in out


def test_agency_table_and_panel(catalogue: Cli) -> None:
    out = catalogue.ok("agency", "list").stdout
    assert "OPD (" in out and "Kepala" in out and "Nama" in out
    out = catalogue.ok("--lang", "en", "agency", "list").stdout
    assert "Agencies (" in out and "Head" in out and "Name" in out
    out = catalogue.ok("agency", "show", "DISDUKCAPIL").stdout
    assert "Alamat:" in out and "Layanan:" in out
    out = catalogue.ok("--lang", "en", "agency", "show", "DISDUKCAPIL").stdout
    assert "Address:" in out and "Procedures:" in out


def test_not_found_in_both_languages(catalogue: Cli) -> None:
    said = catalogue.fails("procedure", "show", "DUKCAPIL-KTP")
    assert said.stderr.startswith(
        "error: layanan dengan kode 'DUKCAPIL-KTP' tidak ditemukan; mungkin maksud Anda"
    )
    said = catalogue.fails("--lang", "en", "procedure", "show", "DUKCAPIL-KTP")
    assert said.stderr.startswith("error: no procedure with code 'DUKCAPIL-KTP'; did you mean")
    said = catalogue.fails("agency", "show", "NOPE")
    assert "error: perangkat daerah dengan kode 'NOPE' tidak ditemukan" in said.stderr
    said = catalogue.fails("procedure", "show", "DUKCAPIL-KTP-EL", "--version", "9")
    assert "tidak memiliki versi 9; hanya ada versi 1" in said.stderr


BAD = """\
kind: agency
code: DINAS-UJI
name: Dinas Uji
---
code: UJI-SATU
name: Layanan Uji
agency: DINAS-UJI
steps:
  - {name: Verifikasi, days: 1}
sla_days: "2"
fee: 50.000
product: Surat
biaya: 0
"""


def test_import_problems_keep_file_line_and_are_translated(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    said = cli.fails("procedure", "import", str(path))
    lines = said.stderr.splitlines()
    assert lines[0] == "error: 3 masalah dalam 1 berkas; tidak ada yang diimpor"
    assert f"{path}:10:11: sla_days: seharusnya bilangan bulat, tertulis teks '2'; " in said.stderr
    assert "hapus tanda kutipnya" in said.stderr
    assert f"{path}:13:1: biaya: isian 'biaya' tidak dikenal; mungkin maksud Anda 'fee'?" in (
        said.stderr
    )
    said = cli.fails("--lang", "en", "procedure", "import", str(path))
    assert said.stderr.startswith("error: 3 problems in 1 file; nothing was imported")
    assert "unknown field 'biaya'; did you mean 'fee'?" in said.stderr


def test_import_summary_and_dry_run(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        BAD.replace('sla_days: "2"', "sla_days: 2")
        .replace("fee: 50.000", "fee: 50000")
        .replace("biaya: 0\n", ""),
        encoding="utf-8",
    )
    out = cli.ok("procedure", "import", str(path), "--dry-run").stdout
    assert "Akan diimpor dari 1 berkas:" in out
    assert "1 dibuat, 0 diperbarui, 0 tidak berubah" in out
    assert "uji coba: tidak ada yang disimpan" in out
    out = cli.ok("--lang", "en", "procedure", "import", str(path)).stdout
    assert "Imported from 1 file:" in out and "1 created, 0 updated, 0 unchanged" in out


def test_import_warning_in_the_terminal_json_unchanged(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "slow.yaml"
    path.write_text(
        BAD.replace('sla_days: "2"', "sla_days: 0")
        .replace("fee: 50.000", "fee: 0")
        .replace("biaya: 0\n", ""),
        encoding="utf-8",
    )
    said = cli.ok("procedure", "import", str(path), "--dry-run", "--json")
    assert "warning: " in said.stderr and "langkah-langkahnya berjumlah 1 hari kerja" in said.stderr
    # The JSON keeps the English words, whatever the language of the terminal.
    english = cli.ok("--lang", "en", "procedure", "import", str(path), "--dry-run", "--json")
    assert said.json() == english.json()
    assert "the steps take 1 working days in total" in english.json()["warnings"][0]


def test_config_show_table(cli: Cli) -> None:
    out = cli.ok("config", "show").stdout
    assert "Konfigurasi egovctl" in out and "Pengaturan" in out and "Sumber" in out
    assert "bawaan" in out
    out = cli.ok("--lang", "en", "config", "show").stdout
    assert "egovctl configuration" in out and "Setting" in out and "Source" in out
    assert "default" in out


def test_config_errors_in_both_languages(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    said = cli.fails("--config", str(missing), "procedure", "list")
    assert f"error: berkas konfigurasi {missing} tidak ada (diberikan dengan --config)" in (
        said.stderr
    )
    said = cli.fails("--lang", "en", "--config", str(missing), "procedure", "list")
    assert f"error: config file {missing} does not exist (given with --config)" in said.stderr


def test_export_to_an_existing_file(catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "katalog.yaml"
    said = catalogue.ok("procedure", "export", "DUKCAPIL-KK", "-o", str(out))
    assert f"ditulis: {out}" in said.stderr
    said = catalogue.fails("procedure", "export", "DUKCAPIL-KK", "-o", str(out))
    assert said.stderr == f"error: {out} sudah ada; gunakan --force untuk menimpanya\n"
    said = catalogue.fails("--lang", "en", "procedure", "export", "DUKCAPIL-KK", "-o", str(out))
    assert said.stderr == f"error: {out} already exists; use --force to overwrite it\n"


def test_agency_show_gives_the_service_hours_in_both_languages(catalogue: Cli) -> None:
    """The bundled agencies declare their hours; a clerk reads them in the terminal's
    language, as the papers print them in Bahasa Indonesia."""
    out = catalogue.ok("agency", "show", "DINSOS").stdout
    assert "Jam layanan:" in out and "Senin-Kamis 08.00-15.00" in out
    assert "Jumat 08.00-11.00" in out and "Istirahat 12.00-13.00" in out
    assert "Berkas diterima sampai pukul 14.00" in out
    out = catalogue.ok("--lang", "en", "agency", "show", "DINSOS").stdout
    assert "Service hours:" in out and "Monday-Thursday 08:00-15:00" in out
    assert "Friday 08:00-11:00" in out and "Papers taken in until 14:00" in out
    data = catalogue.ok("agency", "show", "DINSOS", "--json").json()
    assert data["hours"] == {
        "mon-thu": "08:00-15:00",
        "fri": "08:00-11:00",
        "break": "12:00-13:00",
        "cutoff": "14:00",
    }
