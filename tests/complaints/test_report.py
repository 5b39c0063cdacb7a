"""`report complaints` on a hand-built month, in every format (docs/complaints.md)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.complaints.conftest import record
from tests.conftest import Cli, Clock


def _month(cli: Cli, clock: Clock) -> None:
    """November 2026 (respond_days 14):

    - A langsung, 3 Nov, answered 10 Nov (on time), closed resolved
    - B langsung, 5 Nov, answered 25 Nov (late: due 19 Nov), closed unfounded
    - C telepon, 20 Nov, answered 2 Dec (on time, but after the month: open at 30 Nov)
    - D sp4n-lapor, 10 Nov, never answered (overdue since 25 Nov)
    - E surat, 28 Nov, never answered (due 12 Dec, not overdue)
    - F email, 31 Oct (outside the month), answered late
    """
    clock.travel("2026-12-05T09:00+07:00")

    def rec(channel: str, at: str) -> str:
        return record(cli, "--channel", channel, "--at", at, "--anonymous")["number"]

    a = rec("langsung", "2026-11-03T09:00")
    b = rec("langsung", "2026-11-05T09:00")
    c = rec("telepon", "2026-11-20T09:00")
    rec("sp4n-lapor", "2026-11-10T09:00")
    rec("surat", "2026-11-28T09:00")
    f = rec("email", "2026-10-31T09:00")
    for number, at in (
        (a, "2026-11-10T10:00"),
        (b, "2026-11-25T10:00"),
        (c, "2026-12-02T10:00"),
        (f, "2026-11-20T10:00"),
    ):
        cli.ok("complaint", "respond", number, "--text", "Jawaban", "--at", at)
    cli.ok("complaint", "close", a, "--outcome", "resolved", "--at", "2026-11-11T10:00")
    cli.ok("complaint", "close", b, "--outcome", "unfounded", "--at", "2026-11-26T10:00")


def test_figures_on_a_hand_built_month(catalogue: Cli, clock: Clock) -> None:
    _month(catalogue, clock)
    data = catalogue.ok("report", "complaints", "--period", "2026-11", "--json").json()
    assert data["as_of"] == "2026-11-30"
    assert data["totals"] == {
        "received": 5,
        "on_time": 1,
        "late": 1,
        "open": 3,
        "overdue": 1,
        "on_time_rate": 0.5,
        "closed": 2,
    }
    by = {r["channel"]: r for r in data["by_channel"]}
    assert (by["langsung"]["received"], by["langsung"]["on_time"], by["langsung"]["late"]) == (
        2,
        1,
        1,
    )
    assert by["telepon"]["open"] == 1 and by["sp4n-lapor"]["overdue"] == 1
    assert by["email"]["received"] == 0
    assert {r["outcome"]: r["closed"] for r in data["by_outcome"]} == {
        "resolved": 1,
        "unfounded": 1,
        "referred": 0,
    }
    # Read today, C counts as answered on time.
    today = catalogue.ok(
        "report", "complaints", "--from", "2026-11-01", "--to", "2026-12-31", "--json"
    ).json()
    assert today["as_of"] == "2026-12-05"
    assert today["totals"]["on_time"] == 2 and today["totals"]["open"] == 2
    october = catalogue.ok("report", "complaints", "--period", "2026-10", "--json").json()
    # F: at October's end it was not answered yet (it was, late, on 20 November).
    assert (october["totals"]["open"], october["totals"]["late"]) == (1, 0)
    assert (
        catalogue.ok(
            "report", "complaints", "--period", "2026-11", "--agency", "DINSOS", "--json"
        ).json()["totals"]["received"]
        == 0
    )


def test_terminal_and_csv(catalogue: Cli, clock: Clock) -> None:
    _month(catalogue, clock)
    # The report's title on the terminal is in its language (the suite runs in English).
    out = catalogue.ok("--lang", "id", "report", "complaints", "--period", "2026-11").stdout
    assert "Rekapitulasi Pengaduan" in out and "SP4N-LAPOR!" in out and "Jumlah" in out
    rows = list(
        csv.DictReader(
            io.StringIO(catalogue.ok("report", "complaints", "--period", "2026-11", "--csv").stdout)
        )
    )
    assert rows[0]["channel_name"] == "Langsung (loket)" and rows[0]["received"] == "2"
    empty = catalogue.ok("report", "complaints", "--period", "2025-01").stdout
    assert "no complaints received" in empty


@pytest.mark.parametrize("suffix", [".xlsx", ".html", ".pdf", ".csv"])
def test_files(catalogue: Cli, clock: Clock, tmp_path: Path, suffix: str) -> None:
    _month(catalogue, clock)
    out = tmp_path / f"pengaduan{suffix}"
    catalogue.ok("report", "complaints", "--period", "2026-11", "-o", str(out))
    assert out.stat().st_size > 0
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out)
        assert book.sheetnames[:2] == ["Per saluran", "Per hasil"]
        values = [c.value for row in book["Per saluran"].iter_rows() for c in row]
        assert "SP4N-LAPOR!" in values
    elif suffix == ".html":
        html = out.read_text(encoding="utf-8")
        assert "Rekapitulasi Pengaduan" in html and html.count("<svg") == 2
    elif suffix == ".pdf":
        from pypdf import PdfReader

        text = "".join(p.extract_text() for p in PdfReader(out).pages)
        assert "REKAPITULASI PENGADUAN" in text.upper() and "Pengaduan per saluran" in text
