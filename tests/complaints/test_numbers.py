"""Complaint numbers are never given twice: above the high-water mark a restore leaves, and
across a restore of an older backup (the request numbering's rules, docs/requests.md)."""

from __future__ import annotations

from pathlib import Path

from tests.complaints.conftest import record
from tests.conftest import Cli, Clock, sqlite_only


def _serial(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_numbering_continues_above_the_high_water_mark(catalogue: Cli, clock: Clock) -> None:
    from sqlalchemy import create_engine, text

    clock.travel("2026-12-02T09:00+07:00")
    engine = create_engine(catalogue.db_url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO reg_high_water (agency_code, year, last) VALUES (:c, 2026, :n)"),
            [{"c": "ADU-DISDUKCAPIL", "n": 41}, {"c": "DINSOS", "n": 7}],
        )
    engine.dispose()
    assert record(catalogue)["number"] == "ADU-DISDUKCAPIL-2026-000042"
    # A request mark does not move complaint numbers, nor the other way round.
    assert record(catalogue, "--agency", "DINSOS")["number"] == "ADU-DINSOS-2026-000001"
    reg = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "Siti",
        "--nik",
        "1906034507890001",
        "--json",
    ).json()["reg_no"]
    assert reg == "DISDUKCAPIL-2026-000001"


@sqlite_only
def test_numbers_are_never_given_again_after_restoring_an_older_backup(
    catalogue: Cli, clock: Clock, tmp_path: Path
) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    record(catalogue)
    backup = tmp_path / "cadangan.db"
    catalogue.ok("db", "backup", str(backup))
    after = [record(catalogue)["number"], record(catalogue)["number"]]
    out = catalogue.ok("db", "restore", str(backup), "--json").json()
    assert out["numbers_not_in_backup"] == after
    again = record(catalogue)["number"]
    assert _serial(again) == _serial(after[-1]) + 1
    catalogue.ok("audit", "verify")
