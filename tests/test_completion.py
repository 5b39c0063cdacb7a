"""Shell completion through Typer's protocol (`_EGOVCTL_COMPLETE=complete_bash`, `COMP_WORDS`,
`COMP_CWORD`) for each kind of value (docs/desk.md#shell-completion)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import Cli, Clock, egovctl_argv

NIK = "1906034507890001"


def complete(db_url: str, *words: str) -> list[str]:
    """What bash would offer after ``egovctl --db URL WORDS...`` (the last word is the one
    being completed; "" for a new one)."""
    from egovctl.cli import app

    line = ["egovctl", "--db", db_url, *words]
    env = {
        "_EGOVCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(line),
        "COMP_CWORD": str(len(line) - 1),
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="egovctl")
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line]


def log(cli: Cli, procedure: str = "DUKCAPIL-KTP-EL") -> str:
    result = cli.ok("request", "log", procedure, "--name", "Siti", "--nik", NIK, "--json")
    return str(result.json()["reg_no"])  # type: ignore[index]


def test_registration_numbers_open_first_newest_first(catalogue: Cli) -> None:
    a, b, c = log(catalogue), log(catalogue), log(catalogue)
    catalogue.ok("request", "cancel", b, "--reason", "salah input")
    assert complete(catalogue.db_url, "request", "advance", "DIS") == [c, a, b]
    assert complete(catalogue.db_url, "request", "show", "") == [c, a, b]
    assert complete(catalogue.db_url, "request", "hold", a) == [a]
    assert complete(catalogue.db_url, "request", "show", "dis") == [c.lower(), a.lower(), b.lower()]
    assert complete(catalogue.db_url, "request", "show", "DINSOS") == []


def test_at_most_fifty_numbers(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-01T09:00+07:00", tick=True)  # the numbers below name the year
    from sqlalchemy import create_engine, text

    log(catalogue)
    engine = create_engine(catalogue.db_url)
    copy = text(
        "INSERT INTO service_request (reg_no, agency_id, procedure_id, version_id, status, step, "
        "applicant_name, applicant_name_fold, nik, channel, received_at, received_date, "
        "due_date, updated_at) SELECT :reg, agency_id, procedure_id, version_id, 'delivered', "
        "step, applicant_name, applicant_name_fold, nik, channel, received_at, received_date, "
        "due_date, updated_at FROM service_request WHERE reg_no = 'DISDUKCAPIL-2026-000001'"
    )
    with engine.begin() as conn:  # 60 more, cheaply: copies of the first with other numbers
        conn.execute(copy, [{"reg": f"DISDUKCAPIL-2025-{i:06d}"} for i in range(1, 61)])
    engine.dispose()
    offered = complete(catalogue.db_url, "request", "deliver", "DIS")
    assert len(offered) == 50
    assert offered[0] == "DISDUKCAPIL-2026-000001"  # the open one first
    assert offered[1:3] == ["DISDUKCAPIL-2025-000060", "DISDUKCAPIL-2025-000059"]


def test_procedure_codes_are_the_active_ones(catalogue: Cli) -> None:
    offered = complete(catalogue.db_url, "request", "log", "DUKCAPIL-K")
    assert offered == ["DUKCAPIL-KIA", "DUKCAPIL-KK", "DUKCAPIL-KTP-EL"]
    catalogue.ok("procedure", "retire", "DUKCAPIL-KIA")
    assert complete(catalogue.db_url, "request", "log", "DUKCAPIL-K") == [
        "DUKCAPIL-KK",
        "DUKCAPIL-KTP-EL",
    ]
    assert "DUKCAPIL-KK" in complete(catalogue.db_url, "request", "list", "--procedure", "")
    assert complete(catalogue.db_url, "procedure", "show", "dinsos-s") == ["dinsos-sktm"]


def test_procedure_names_are_the_descriptions(catalogue: Cli) -> None:
    from egovctl.completion import procedure_codes

    class Ctx:
        params = {"db": catalogue.db_url}

        def find_root(self) -> Ctx:
            return self

    assert ("DUKCAPIL-KK", "Penerbitan Kartu Keluarga") in [
        (code, name[: len("Penerbitan Kartu Keluarga")])
        for code, name in procedure_codes(Ctx(), "DUKCAPIL-KK")
    ]


def test_agency_codes(catalogue: Cli) -> None:
    assert complete(catalogue.db_url, "request", "list", "--agency", "D") == [
        "DINKES",
        "DINSOS",
        "DISDUKCAPIL",
        "DPMPTSP",
    ]
    assert complete(catalogue.db_url, "desk", "--agency", "kec") == ["kec-manggar"]
    assert complete(catalogue.db_url, "agency", "show", "DIN") == ["DINKES", "DINSOS"]


def test_staff_usernames(catalogue: Cli) -> None:
    catalogue.ok("staff", "add", "admin1", "--name", "Admin Satu", "--role", "admin")
    catalogue.ok("staff", "add", "budi", "--name", "Budi", "--role", "counter", user="admin1")
    words = ["--as"]
    assert complete(catalogue.db_url, *words, "") == ["admin1", "budi"]
    assert complete(catalogue.db_url, *words, "b") == ["budi"]
    assert complete(catalogue.db_url, "staff", "show", "adm") == ["admin1"]
    assert complete(catalogue.db_url, "staff", "add", "") == []  # a new name: nothing to offer


def test_report_periods(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-11-27T09:00+07:00")
    offered = complete(catalogue.db_url, "report", "summary", "--period", "")
    assert offered[:3] == ["2026-11", "2026-10", "2026-09"]
    assert {"2026-Q4", "2026-S2", "2026", "2025-12", "2025-Q4", "2025"} <= set(offered)
    assert "2026-12" not in offered  # not yet begun
    assert complete(catalogue.db_url, "report", "sla", "--period", "2026-q")[0] == "2026-q4"
    assert complete(catalogue.db_url, "report", "sla", "--period", "2026-Q") == [
        "2026-Q4",
        "2026-Q3",
        "2026-Q2",
        "2026-Q1",
    ]
    assert "2025-S1" in complete(catalogue.db_url, "print", "complaint-recap", "--period", "2025-S")


def test_print_receipt_completes_numbers(catalogue: Cli) -> None:
    reg = log(catalogue)
    assert complete(catalogue.db_url, "print", "receipt", "") == [reg]
    assert "DUKCAPIL-KK" in complete(catalogue.db_url, "print", "standard", "DUKCAPIL-")
    assert complete(catalogue.db_url, "print", "maklumat", "DINS") == ["DINSOS"]


def test_a_missing_database_offers_nothing_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    assert complete(f"sqlite:///{missing}", "request", "advance", "") == []
    assert not missing.exists()


def test_completing_loads_no_documents_or_reports(
    catalogue: Cli, tmp_path: Path, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00", tick=True)  # the numbers below name the year
    """A Tab press runs egovctl: it must not import WeasyPrint, Jinja or the report code."""
    log(catalogue)
    probe = (
        "import sys, runpy\n"
        "try:\n"
        "    runpy.run_module('egovctl', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'jinja2')"
        " or m.startswith(('egovctl.reports', 'egovctl.documents')))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    line = ["egovctl", "--db", catalogue.db_url, "request", "advance", "DIS"]
    env = dict(
        os.environ,
        _EGOVCTL_COMPLETE="complete_bash",
        COMP_WORDS=" ".join(line),
        COMP_CWORD=str(len(line) - 1),
    )
    argv = egovctl_argv()[:-2] + ["-c", probe]  # the same interpreter and clock
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert "DISDUKCAPIL-2026-000001" in done.stdout, done.stderr
    assert "HEAVY []" in done.stderr, done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_show_completion_prints_the_script(shell: str) -> None:
    """--show-completion SHELL (Typer's option; the shell named, as when none can be
    detected) prints the script that calls egovctl with _EGOVCTL_COMPLETE."""
    env = dict(os.environ, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    done = subprocess.run(
        egovctl_argv("--show-completion", shell), env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "_EGOVCTL_COMPLETE" in done.stdout
