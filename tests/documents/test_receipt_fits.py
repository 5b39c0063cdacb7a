"""The A5 receipt of every long bundled procedure fits one sheet, with the office's service
hours, the cut-off and the "counted from" note of an application received after the cut-off
(the bundled agencies declare their hours)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.documents.test_render import pdf_pages

# The procedures with the most requirements and the longest names.
LONGEST = ("DUKCAPIL-AKTA-KAWIN", "DPMPTSP-PBG", "KEC-MANGGAR-SK-AHLI-WARIS")


@pytest.mark.parametrize("code", LONGEST)
@pytest.mark.parametrize("at", ["2026-11-25T09:00", "2026-11-25T14:30"])
def test_the_receipt_fits_one_a5_page(catalogue: Cli, tmp_path: Path, code: str, at: str) -> None:
    reg = catalogue.ok(
        "request", "log", code, "--name", "Budi Santoso Wibowo Saputra",
        "--nik", "1906034507890002", "--phone", "081234567890", "--at", at, "--json",
    ).json()["reg_no"]  # fmt: skip
    out = tmp_path / "bukti.pdf"
    catalogue.ok("print", "receipt", reg, "-o", str(out))
    pages = pdf_pages(out)
    assert len(pages) == 1, f"{code} at {at}: {len(pages)} pages"
    text = " ".join(pages[0].extract_text().split())
    assert "Senin-Kamis 08.00-15.00" in text and "s.d. pukul 14.00" in text
    assert "Petugas Penerima" in text
    if at.endswith("14:30"):
        assert "dihitung mulai Kamis, 26 November 2026" in text
