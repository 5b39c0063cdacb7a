"""Printing speaks the terminal's language: its confirmations, its tables and its errors in
Bahasa Indonesia by default and in English with --lang en; the documents stay Indonesian."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli


@pytest.fixture
def default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a clerk gets with nothing set: the suite itself runs in English."""
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)


def test_written_in_both_languages(default_language: None, catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "standar.html"
    assert catalogue.ok("print", "standard", "DUKCAPIL-KK", "-o", str(out)).stdout == (
        f"ditulis: {out}\n"
    )
    assert "Penerbitan Kartu Keluarga" in out.read_text(encoding="utf-8")
    again = ("print", "standard", "DUKCAPIL-KK", "-o", str(out), "--force")
    assert catalogue.ok("--lang", "en", *again).stdout == f"written {out}\n"
    # The document itself is Indonesian whatever the terminal speaks.
    assert "Persyaratan" in out.read_text(encoding="utf-8")


def test_templates_table_in_both_languages(default_language: None, catalogue: Cli) -> None:
    out = catalogue.ok("print", "templates").stdout
    assert out.startswith("Templat") and "Nama" in out and "Sumber" in out and "bawaan" in out
    out = catalogue.ok("--lang", "en", "print", "templates").stdout
    assert out.startswith("Templates") and "Source" in out and "bundled" in out
    listed = catalogue.ok("print", "templates", "--json").json()
    assert {t["source"] for t in listed} == {"bundled"}  # JSON keeps its values


@pytest.mark.parametrize(
    ("args", "indonesian", "english"),
    [
        (
            ("print", "announcement", "tidak-ada.md"),
            "error: berkas pengumuman tidak-ada.md tidak ditemukan",
            "error: announcement file tidak-ada.md does not exist",
        ),
        (
            ("print", "standard", "DUKCAPIL-KK", "-o", "standar.txt"),
            "error: standar.txt tidak dapat ditulis: ekstensi '.txt'; gunakan .pdf atau .html",
            "error: cannot write standar.txt: extension '.txt'; use .pdf or .html",
        ),
        (
            ("print", "catalogue", "--agency", "DINSOS", "-o", "tidak-ada/katalog.pdf"),
            "error: tidak-ada/katalog.pdf tidak dapat ditulis: folder tidak-ada tidak ditemukan",
            "error: cannot write tidak-ada/katalog.pdf: directory tidak-ada does not exist",
        ),
    ],
)
def test_domain_errors_in_both_languages(
    default_language: None,
    catalogue: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    indonesian: str,
    english: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert catalogue.fails(*args).stderr.strip() == indonesian
    assert catalogue.fails("--lang", "en", *args).stderr.strip() == english


def test_announcement_problems_in_both_languages(
    default_language: None, catalogue: Cli, tmp_path: Path
) -> None:
    md = tmp_path / "pengumuman.md"
    md.write_text("# Libur\n\nKantor tutup.\n\n![peta](peta.png)\n", encoding="utf-8")
    err = catalogue.fails("print", "announcement", str(md)).stderr.strip()
    assert err == f"error: {md}: gambar 'peta.png' tidak ditemukan di {tmp_path}"
    err = catalogue.fails("--lang", "en", "print", "announcement", str(md)).stderr.strip()
    assert err == f"error: {md}: image 'peta.png' does not exist in {tmp_path}"
    (tmp_path / "peta.png").write_bytes(b"not a picture")
    err = catalogue.fails("print", "announcement", str(md)).stderr.strip()
    assert err == f"error: {md}: gambar 'peta.png' bukan gambar PNG"
    err = catalogue.fails("--lang", "en", "print", "announcement", str(md)).stderr.strip()
    assert err == f"error: {md}: image 'peta.png' is not a PNG image"
