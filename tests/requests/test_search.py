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


@pytest.mark.parametrize("named_words", [50, 1])
def test_a_word_start_matches_every_word_of_the_index_that_starts_so(
    catalogue: Cli, monkeypatch: pytest.MonkeyPatch, named_words: int
) -> None:
    """A word longer than the index's prefixes is matched as the index's words that start
    with it (read newest first, however common); with more such words than are named, as a
    prefix query. The matches are the same either way."""
    from egovctl.requests import search

    monkeypatch.setattr(search, "VOCAB_WORDS", named_words)
    siti = log(catalogue, "Siti Aminah")
    sitiah = log(catalogue, "Sitiah Rahmawati", nik=NIK_JAKARTA)
    nur = log(catalogue, "Nur Sitinjak")
    andi = log(catalogue, "Andi Siregar")
    assert found(catalogue, "siti") == [nur, sitiah, siti]
    assert found(catalogue, "sitia") == [sitiah]
    assert found(catalogue, "siti rahma") == [sitiah]
    assert found(catalogue, "si") == [andi, nur, sitiah, siti]  # the prefix index's length
    assert found(catalogue, "sitx") == []
    assert found(catalogue, "sitinjak nur") == [nur]


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


def _index_terms_unknown_to_the_word_table(db_url: str) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, request_search, 'row')")
            )
            terms = set(conn.execute(text("SELECT term FROM temp.terms")).scalars())
            words = set(conn.execute(text("SELECT word FROM request_search_words")).scalars())
    finally:
        engine.dispose()
    assert terms
    return terms - words


def test_the_word_table_knows_every_word_of_the_index(catalogue: Cli) -> None:
    """The word table that long search words are matched through holds every word FTS5 cut
    from the names: those of requests logged one by one and those of a bulk load."""
    cli = catalogue
    if not cli.db_url.startswith("sqlite"):
        pytest.skip("the FTS5 index is SQLite's")
    cli.ok("db", "seed-demo", "--requests", "300", "--seed", "3")
    aini = log(cli, "Nur-Aini Ma'ruf Élodie")
    siti = log(cli, "Siti Ṣalihah binti Abdul", nik=NIK_JAKARTA)
    assert _index_terms_unknown_to_the_word_table(cli.db_url) == set()
    assert found(cli, "salihah") == [siti]
    assert found(cli, "elodie aini") == [aini]
    assert found(cli, "maruf") == []  # "ma" and "ruf": two words


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


def test_migration_0014_fills_the_word_table_from_the_names_stored(catalogue: Cli) -> None:
    """Migration 0014 on a database that already holds requests: down to 0013 and up again,
    the word table knows every word FTS5 cut, and a long word start finds its request."""
    if not catalogue.db_url.startswith("sqlite"):
        pytest.skip("the word table is SQLite's")
    from sqlalchemy import create_engine, inspect

    from tests.conftest import migrate_down

    reg = log(catalogue, "Theresia Wulandari Ṣaleh")
    migrate_down(catalogue.db_url, "0013")
    engine = create_engine(catalogue.db_url)
    try:
        assert "request_search_words" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    catalogue.ok("db", "upgrade")
    assert _index_terms_unknown_to_the_word_table(catalogue.db_url) == set()
    assert found(catalogue, "wulan saleh") == [reg]
