"""Complaints on the public site's status page (status and dates only) and their absence from
the Open311 export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.complaints.conftest import record
from tests.conftest import Cli, Clock
from tests.public.test_site import load_status_data

SECRET_NAME = "Pengadu Rahasia"
SECRET_TEXT = "Petugas meminta uang tambahan"
SECRET_ANSWER = "Petugas yang bersangkutan telah ditegur"


@pytest.fixture
def published(catalogue: Cli, clock: Clock, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    clock.travel("2026-12-02T09:00+07:00")
    open_ = record(
        catalogue,
        "--name",
        SECRET_NAME,
        "--contact",
        "0812 9999 8888",
        "--at",
        "2026-11-20T09:00",
        text=SECRET_TEXT,
    )["number"]
    answered = record(catalogue, "--anonymous", "--at", "2026-11-21T09:00", text=SECRET_TEXT)[
        "number"
    ]
    catalogue.ok(
        "complaint", "respond", answered, "--text", SECRET_ANSWER, "--at", "2026-11-25T10:00"
    )
    old = record(catalogue, "--anonymous", "--at", "2026-01-05T09:00")["number"]
    catalogue.ok("complaint", "respond", old, "--text", "x", "--at", "2026-01-06T09:00")
    catalogue.ok("complaint", "close", old, "--outcome", "resolved", "--at", "2026-01-07T09:00")
    out = tmp_path / "situs"
    result = catalogue.ok("publish", "site", str(out), "--status", "--json").json()
    assert result["complaints"] == 2  # the one closed long ago is left out
    return out, {"open": open_, "answered": answered, "old": old}


def test_status_data_holds_complaints_without_personal_data(published) -> None:
    out, numbers = published
    data = load_status_data(out)
    statuses = [s[0] for s in data["complaint_statuses"]]
    rows = {f"{p}-{s}": row for p, block in data["complaints"].items() for s, row in block.items()}
    assert set(rows) == {numbers["open"], numbers["answered"]}
    row = rows[numbers["answered"]]
    assert statuses[row[0]] == "responded"
    assert len(row) == 5 and all(v is None or isinstance(v, int) for v in row)
    epoch = 719163  # date(1970, 1, 1).toordinal()
    from datetime import date

    assert date.fromordinal(epoch + row[2]).isoformat() == "2026-12-05"  # respond_due
    assert date.fromordinal(epoch + row[3]).isoformat() == "2026-11-25"  # responded
    assert rows[numbers["open"]][3] is None
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for secret in (SECRET_NAME, SECRET_TEXT, SECRET_ANSWER, "0812 9999 8888"):
                assert secret not in text, path


def test_open311_leaves_complaints_out(catalogue: Cli, clock: Clock, tmp_path: Path) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    number = record(catalogue, text=SECRET_TEXT)["number"]
    out = tmp_path / "o311"
    catalogue.ok("export", "open311", str(out))
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert number not in text and "ADU-" not in text and SECRET_TEXT not in text
    assert json.loads((out / "requests.json").read_text(encoding="utf-8")) == []


def test_lookup_in_a_browser(published) -> None:
    pytest.importorskip("playwright.sync_api", reason="browser test needs playwright")
    from tests.public.test_site_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"browser test needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    out, numbers = published
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto((out / "status.html").as_uri() + f"?no={numbers['answered'].lower()}")
            text = page.locator("#hasil").inner_text()
            assert "Status pengaduan: Sudah ditanggapi" in text
            assert "Sabtu, 5 Desember 2026" in text  # tenggat tanggapan
            assert "Rabu, 25 November 2026" in text  # ditanggapi pada
            assert SECRET_TEXT not in text and SECRET_ANSWER not in text
            box = page.get_by_label("Nomor pendaftaran")
            box.fill(numbers["old"])
            box.press("Enter")
            assert "Nomor tidak ditemukan" in page.locator("#hasil").inner_text()
            assert errors == []
        finally:
            browser.close()
