"""Reports and the survey speak the terminal's language: Bahasa Indonesia by default, English
with --lang en; JSON and the report files stay as they are (docs/language.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reports.test_survey import write_csv

ROWS = "2026-08-03,DUKCAPIL-KK,4,4,-,4,4,4,4,4,4\n2026-08-04,DINSOS-SKTM,3,3,3,3,3,3,3,3,3\n"


@pytest.fixture
def default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a clerk gets with nothing set: the suite itself runs in English."""
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)


def test_survey_confirmations_in_both_languages(
    default_language: None, catalogue: Cli, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, ROWS)
    out = catalogue.ok("survey", "import", str(path)).stdout
    assert out.startswith("2 jawaban (3 Agustus 2026 s.d. 4 Agustus 2026) diimpor dari ")
    assert "1 nilai tidak diisi: NRR tiap unsur dibagi dengan jumlah responden" in out
    out = catalogue.ok("--lang", "en", "survey", "import", str(path), "--again").stdout
    assert out.startswith("imported 2 answers (3 August 2026 to 4 August 2026) from ")
    assert "1 score left blank: each unsur's NRR divides by the respondents" in out
    record = ("survey", "record", "--procedure", "DUKCAPIL-KK", "--scores", "4,3,3,4,4,3,4,4,3")
    out = catalogue.ok(*record, "--at", "2026-08-05").stdout
    assert "untuk DUKCAPIL-KK dicatat pada 5 Agustus 2026" in out
    out = catalogue.ok("--lang", "en", *record, "--at", "2026-08-05").stdout
    assert "recorded for DUKCAPIL-KK on 5 August 2026" in out


def test_ikm_table_in_both_languages(
    default_language: None, catalogue: Cli, tmp_path: Path
) -> None:
    catalogue.ok("survey", "import", str(write_csv(tmp_path, ROWS)))
    json_id = catalogue.ok("report", "ikm", "--period", "2026-08", "--json").stdout
    json_en = catalogue.ok("--lang", "en", "report", "ikm", "--period", "2026-08", "--json").stdout
    assert json_id == json_en  # JSON keeps its keys and values whatever the language
    out = catalogue.ok("report", "ikm", "--period", "2026-08").stdout
    assert out.startswith("Indeks Kepuasan Masyarakat · Agustus 2026 (2026-08-01 .. 2026-08-31)")
    assert "Responden 2 · IKM 86,11 · mutu B (Baik)" in out
    assert "Nilai per unsur pelayanan" in out and "Persyaratan" in out and "NRR tertimbang" in out
    assert "IKM per instansi" in out and "Jumlah" in out and "memadai" in out
    assert "Bobot tiap unsur 1/9 (setiap unsur sama)." in out
    out = catalogue.ok("--lang", "en", "report", "ikm", "--period", "2026-08").stdout
    assert out.startswith("Community satisfaction index · August 2026 (2026-08-01 .. 2026-08-31)")
    assert "Respondents 2 · IKM 86.11 · grade B (Good)" in out
    assert "Score per service unsur" in out and "Requirements" in out and "Weighted NRR" in out
    assert "IKM per agency" in out and "Total" in out and "enough" in out
    assert "Persyaratan" not in out and "Jumlah" not in out


def test_report_files_stay_indonesian_in_english(catalogue: Cli, tmp_path: Path) -> None:
    catalogue.ok("survey", "import", str(write_csv(tmp_path, ROWS)))
    book = tmp_path / "ikm.xlsx"
    out = catalogue.ok("--lang", "en", "report", "ikm", "--period", "2026-08", "-o", str(book))
    assert out.stdout == f"report written to {book}\n"
    from openpyxl import load_workbook

    sheet = load_workbook(book)["Per unsur"]
    assert [c.value for c in sheet[5]][:2] == ["U1", "Persyaratan"]
    out = catalogue.ok("report", "ikm", "--period", "2026-08", "-o", str(book), "--force")
    assert out.stdout == f"report written to {book}\n"  # the suite runs in English
    out = catalogue.ok(
        "--lang", "id", "report", "ikm", "--period", "2026-08", "-o", str(book), "--force"
    )
    assert out.stdout == f"laporan ditulis ke {book}\n"


def test_empty_reports_in_both_languages(default_language: None, catalogue: Cli) -> None:
    out = catalogue.ok("report", "summary", "--period", "2026-S1").stdout
    assert "Rekapitulasi Kinerja Pelayanan · Semester I Tahun 2026" in out
    assert "tidak ada permohonan pada periode ini" in out
    out = catalogue.ok("--lang", "en", "report", "summary", "--period", "2026-S1").stdout
    assert "Service performance summary · First semester 2026" in out
    assert "no requests in the period" in out
    out = catalogue.ok("report", "sla", "--period", "2026-Q3").stdout
    assert "Triwulan III Tahun 2026" in out
    assert "tidak ada permohonan yang belum selesai per 30 September 2026" in out


@pytest.mark.parametrize(
    ("args", "indonesian", "english"),
    [
        (
            ("survey", "record", "--procedure", "DUKCAPIL-KK", "--scores", "4,3"),
            "error: survei berisi 9 unsur (U1..U9); diberikan 2 nilai",
            "error: the survey has 9 elements (U1..U9); got 2 scores",
        ),
        (
            ("survey", "record", "--procedure", "DUKCAPIL-KK", "--scores", "4,4,4,4,4,4,4,4,9"),
            "error: nilai harus 1 sampai 4; di luar rentang: U9=9",
            "error: scores must be 1 to 4; out of range: U9=9",
        ),
        (
            ("survey", "record", "--procedure", "DUKCAPIL-KK", "--scores", "4,4,4,4,4,4,4,4,4")
            + ("--reg", "X-2026-000009"),
            "error: permohonan dengan nomor registrasi 'X-2026-000009' tidak ditemukan",
            "error: no request with registration number 'X-2026-000009'",
        ),
        (
            ("survey", "import", "tidak-ada.csv"),
            "error: berkas tidak-ada.csv tidak ditemukan",
            "error: no file tidak-ada.csv",
        ),
        (
            ("report", "summary", "--period", "2026", "-o", "laporan.txt"),
            "error: laporan.txt tidak dapat ditulis: ekstensi '.txt'; "
            "gunakan .csv, .xlsx, .html, .pdf",
            "error: cannot write laporan.txt: extension '.txt'; use .csv, .xlsx, .html, .pdf",
        ),
    ],
)
def test_domain_errors_in_both_languages(
    default_language: None,
    catalogue: Cli,
    args: tuple[str, ...],
    indonesian: str,
    english: str,
) -> None:
    assert catalogue.fails(*args).stderr.strip() == indonesian
    assert catalogue.fails("--lang", "en", *args).stderr.strip() == english


def test_bad_period_in_both_languages(default_language: None, catalogue: Cli) -> None:
    err = catalogue.fails("report", "summary", "--period", "2026-Q5", code=2).stderr
    assert "--period '2026-Q5': tidak ada triwulan 5; setahun berisi triwulan 1 sampai 4" in err
    err = catalogue.fails("--lang", "en", "report", "summary", "--period", "2026-Q5", code=2).stderr
    assert "--period '2026-Q5': there is no quarter 5; a year has quarters 1 to 4" in err


def test_a_bad_period_is_a_usage_error_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, catalogue: Cli
) -> None:
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)
    said = catalogue.fails("report", "summary", "--period", "2026-13", code=2)
    assert "Error: Nilai tidak sah untuk '--period': --period '2026-13': tidak ada bulan 13" in (
        said.stderr
    )
    assert "Invalid" not in said.stderr
    again = catalogue.fails("--lang", "en", "report", "summary", "--period", "2026-13", code=2)
    assert "Error: Invalid value for '--period': --period '2026-13'" in again.stderr
