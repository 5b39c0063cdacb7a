"""Finding requests by name words, accents and NIK starts through the search index, on SQLite
(FTS5) and PostgreSQL (GIN text index): docs/requests.md#finding-a-request."""

from __future__ import annotations

import pytest

from egovctl.requests.search import fold_name, name_words
from tests.conftest import Cli, Clock

NIK = "1906034507890001"
NIK_JAKARTA = "3171012902000001"


def log(cli: Cli, name: str, nik: str = NIK, procedure: str = "DUKCAPIL-KTP-EL") -> str:
    result = cli.ok("request", "log", procedure, "--name", name, "--nik", nik, "--json")
    return str(result.json()["reg_no"])  # type: ignore[index]


def found(cli: Cli, term: str) -> list[str]:
    rows = cli.ok("request", "list", "--search", term, "--json").json()
    return [r["reg_no"] for r in rows]  # type: ignore[union-attr,index]


def test_fold_drops_accents_case_and_spacing() -> None:
    assert fold_name("  José  ÑÚÑEZ ") == "jose nunez"
    assert fold_name("Ṣiti Ḿaryam") == "siti maryam"
    assert name_words("Nur-Aini Ma'ruf") == ["nur", "aini", "ma", "ruf"]


def test_a_middle_name_finds_the_request(catalogue: Cli) -> None:
    andi = log(catalogue, "Andi Budi Santoso")
    log(catalogue, "Siti Aminah", nik=NIK_JAKARTA)
    assert found(catalogue, "budi") == [andi]
    assert found(catalogue, "BUD") == [andi]  # the start of a word
    assert found(catalogue, "santoso andi") == [andi]  # any order
    assert found(catalogue, "udi") == []  # not the middle of a word
    assert found(catalogue, "budi aminah") == []  # every word must match


def test_an_accented_name_is_found_typed_without_accents(catalogue: Cli) -> None:
    jose = log(catalogue, "José Núñez Ṣaleh")
    assert found(catalogue, "jose nunez") == [jose]
    assert found(catalogue, "JOSÉ") == [jose]
    assert found(catalogue, "saleh") == [jose]


def test_nik_start_and_registration_numbers(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-01T09:00+07:00", tick=True)  # the numbers below name the year
    a = log(catalogue, "Siti Aminah")
    b = log(catalogue, "Budi Santoso", nik=NIK_JAKARTA)
    assert found(catalogue, "190603") == [a]  # the region
    assert found(catalogue, "1906 0345") == [a]
    assert found(catalogue, "317101") == [b]
    assert found(catalogue, NIK_JAKARTA) == [b]
    assert found(catalogue, "000002") == [b] == found(catalogue, "2")  # the serial number
    assert found(catalogue, b.lower()) == [b]
    assert found(catalogue, "DISDUKCAPIL-2026") == [b, a]  # newest first


def test_search_lists_the_newest_first(catalogue: Cli) -> None:
    regs = [log(catalogue, f"Siti Nurhaliza {n}", nik=NIK) for n in ("Satu", "Dua", "Tiga")]
    assert found(catalogue, "siti") == list(reversed(regs))


def test_a_rolled_back_log_leaves_no_search_hit(
    catalogue: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egovctl.staff import audit

    def broken(*args: object, **kw: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "append", broken)
    result = catalogue(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "Zubaidah Rollback", "--nik", NIK
    )
    assert result.exit_code == 1 and "disk full" in result.stderr
    monkeypatch.undo()
    assert found(catalogue, "zubaidah") == []
    kept = log(catalogue, "Zubaidah Kept")
    assert found(catalogue, "zubaidah") == [kept]


def test_the_sqlite_index_stays_consistent(catalogue: Cli) -> None:
    if not catalogue.db_url.startswith("sqlite"):
        pytest.skip("the FTS5 index is SQLite's")
    from sqlalchemy import create_engine, text

    reg = log(catalogue, "Andi Budi")
    catalogue.ok("request", "advance", reg)
    engine = create_engine(catalogue.db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO request_search(request_search) VALUES ('integrity-check')"))
        # A name corrected in the table moves its words in the index (the update trigger).
        conn.execute(
            text("UPDATE service_request SET applicant_name_fold = :f WHERE reg_no = :r"),
            {"f": "andi wibowo", "r": reg},
        )
    engine.dispose()
    assert found(catalogue, "wibowo") == [reg] and found(catalogue, "budi") == []


def test_the_migration_indexes_requests_logged_before_it(catalogue: Cli) -> None:
    """Migration 0011 folds the names stored before it and fills the index."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from egovctl.db import MIGRATIONS_DIR, Database

    reg = log(catalogue, "José Núñez")
    db = Database(catalogue.db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
        # As 0008 stored it: casefolded, accents kept.
        conn.execute(text("UPDATE service_request SET applicant_name_fold = 'josé núñez'"))
    db.migrate()
    db.dispose()
    assert found(catalogue, "jose nunez") == [reg]
