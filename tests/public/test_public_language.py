"""``publish site`` and ``export open311`` tell the clerk what they did, and what is wrong, in
Bahasa Indonesia by default and in English with ``--lang en``; the pages themselves are
Indonesian templates in both (docs/language.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli


@pytest.fixture(autouse=True)
def default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)


def test_publish_confirmation_in_both_languages(catalogue: Cli, tmp_path: Path) -> None:
    out = catalogue.ok("publish", "site", str(tmp_path / "situs"), "--status").stdout
    assert "Menerbitkan " in out and " layanan dari " in out and " perangkat daerah (" in out
    assert " halaman) ke " in out
    assert "pencarian status: 0 permohonan (tanpa data pribadi)" in out
    assert "buka " in out
    out = catalogue.ok("--lang", "en", "publish", "site", str(tmp_path / "situs")).stdout
    assert "Published " in out and " procedures of " in out and " agencies (" in out
    assert "  open " in out
    # The site is Indonesian whatever the terminal speaks.
    assert "Persyaratan" in (tmp_path / "situs" / "layanan" / "DUKCAPIL-KTP-EL.html").read_text()


def test_export_confirmation_in_both_languages(catalogue: Cli, tmp_path: Path) -> None:
    out = catalogue.ok("export", "open311", str(tmp_path / "o")).stdout
    assert "Mengekspor " in out and " layanan dan 0 permohonan (requests.json memuat 0" in out
    out = catalogue.ok("--lang", "en", "export", "open311", str(tmp_path / "o")).stdout
    assert "Exported " in out and " services and 0 requests (requests.json lists" in out


def test_folder_errors_in_both_languages(catalogue: Cli, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "index.html").write_text("punya orang lain")
    said = catalogue.fails("publish", "site", str(busy))
    assert said.stderr.startswith(f"error: {busy} sudah ada dan tidak dibuat oleh egovctl")
    assert "pilih folder baru atau kosong" in said.stderr
    said = catalogue.fails("--lang", "en", "publish", "site", str(busy))
    assert said.stderr.startswith(f"error: {busy} exists and was not made by egovctl")
    missing = tmp_path / "no" / "site"
    said = catalogue.fails("publish", "site", str(missing))
    assert f"error: tidak dapat menerbitkan ke {missing}: folder " in said.stderr
    assert said.stderr.rstrip().endswith("tidak ada")
    catalogue.ok("export", "open311", str(tmp_path / "o"))
    said = catalogue.fails("publish", "site", str(tmp_path / "o"))
    assert (
        "sudah berisi ekspor Open311 (egovctl export open311), bukan situs web "
        "(egovctl publish site); terbitkan masing-masing ke foldernya sendiri"
    ) in said.stderr


def test_nothing_to_publish(cli: Cli, tmp_path: Path) -> None:
    said = cli.fails("publish", "site", str(tmp_path / "s"))
    assert said.stderr == (
        "error: tidak ada layanan aktif untuk diterbitkan; impor katalog terlebih dahulu "
        "(egovctl procedure import)\n"
    )
    said = cli.fails("--lang", "en", "export", "open311", str(tmp_path / "o"))
    assert said.stderr.startswith("error: no active procedures to export; import the catalogue")
