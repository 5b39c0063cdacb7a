"""`print complaint-receipt` and `print complaint-recap`, read back from the PDF."""

from __future__ import annotations

from pathlib import Path

from tests.complaints.conftest import record
from tests.conftest import Cli, Clock

TEXT = "Blangko KTP-el selalu habis.\nMohon kepastian kapan dapat diambil."


def _text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(p.extract_text() for p in PdfReader(path).pages)


def test_receipt_has_number_deadline_and_text(catalogue: Cli, clock: Clock, tmp_path: Path) -> None:
    clock.travel("2026-01-25T10:00+07:00")
    data = record(
        catalogue,
        "--procedure",
        "DUKCAPIL-KTP-EL",
        "--contact",
        "0812 1111 2222",
        "--name",
        "Budi Santoso",
        text=TEXT,
    )
    out = tmp_path / "tt.pdf"
    catalogue.ok("print", "complaint-receipt", data["number"], "-o", str(out))
    text = _text(out)
    assert "TANDA TERIMA PENGADUAN" in text
    assert data["number"] in text
    assert "8 Februari 2026" in text  # 14 calendar days, across the month's end
    assert "Blangko KTP-el selalu habis." in text and "Mohon kepastian" in text
    assert "Budi Santoso" in text and "0812 1111 2222" in text


def test_anonymous_receipt_and_default_name(
    catalogue: Cli, clock: Clock, tmp_path: Path, monkeypatch: object
) -> None:
    import os

    clock.travel("2026-12-02T09:00+07:00")
    number = record(catalogue, "--anonymous")["number"]
    os.chdir(tmp_path)
    catalogue.ok("print", "complaint-receipt", number)
    out = tmp_path / f"tanda-terima-{number}.pdf"
    text = _text(out)
    assert "Anonim" in text and "Kontak" not in text


def test_recap_counts_without_names_or_texts(catalogue: Cli, clock: Clock, tmp_path: Path) -> None:
    clock.travel("2026-11-30T15:00+07:00")
    a = record(
        catalogue, "--at", "2026-11-02T09:00", "--name", "Nama Rahasia", text="Teks rahasia satu"
    )["number"]
    record(
        catalogue,
        "--channel",
        "sp4n-lapor",
        "--at",
        "2026-11-03T09:00",
        "--anonymous",
        text="Teks rahasia dua",
    )
    catalogue.ok(
        "complaint", "respond", a, "--text", "Jawaban rahasia", "--at", "2026-11-20T09:00"
    )  # late: due 16 November
    catalogue.ok("complaint", "close", a, "--outcome", "referred", "--at", "2026-11-21T09:00")
    out = tmp_path / "rekap.pdf"
    catalogue.ok("print", "complaint-recap", "--period", "2026-11", "-o", str(out))
    text = _text(out)
    assert "REKAPITULASI PENGADUAN" in text and "November 2026" in text
    assert "SP4N-LAPOR!" in text and "Dilimpahkan" in text
    assert "rahasia" not in text.lower()
    html = tmp_path / "rekap.html"
    catalogue.ok("print", "complaint-recap", "--period", "2026-11", "-o", str(html))
    assert "rahasia" not in html.read_text(encoding="utf-8").lower()
    err = catalogue.fails("print", "complaint-recap", "--period", "2026-13", code=2).output
    assert "period" in err
