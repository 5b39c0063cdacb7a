"""The prompts on a real (pseudo-)terminal, driven with pexpect: type-to-filter procedures,
a wrong NIK asked again naming the wrong part, Ctrl-C cancelling a question
(docs/desk.md#prompts)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.conftest import Cli, Clock, egovctl_argv

pexpect = pytest.importorskip("pexpect")

WRONG_MONTH = "1906031213890001"  # birth month 13
NIK = "1906035303890001"


def spawn(cli: Cli, *args: str) -> Any:
    argv = egovctl_argv("--db", cli.db_url, *args)
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", COLUMNS="100", LINES="40")
    return pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=30, dimensions=(40, 100)
    )


def test_desk_new_asks_again_after_a_wrong_nik(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-01T09:00+07:00", tick=True)  # the numbers below name the year
    child = spawn(catalogue, "desk")
    child.expect("desk>")
    child.sendline("baru")
    child.expect(r"Procedure \(part of its code or name\):")
    child.sendline("akta")  # several procedures: asked again
    child.expect(r"'akta' matches \d+ procedures")
    child.sendline("kelahiran")  # now one
    child.expect(r"Applicant's name")
    child.sendline("Dewi Lestari")
    child.expect(r"NIK \(16 digits\):")
    child.sendline(WRONG_MONTH)
    child.expect(r"birth month 13 \(digits 9-10\)")
    child.expect(r"NIK \(16 digits\):")
    child.sendline(NIK)
    child.expect(r"Phone \(optional")
    child.sendline("")
    child.expect(r"Log this application\?")
    child.sendline("y")
    child.expect(r"DISDUKCAPIL-2026-000001 logged")
    child.expect(r"Print the receipt\?")
    child.sendline("n")
    child.expect(">")
    child.sendline("hold")
    child.expect("Reason:")
    child.sendintr()  # Ctrl-C: only the question is cancelled
    child.expect("cancelled; nothing was changed")
    child.sendline("keluar")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = catalogue.ok("request", "show", "DISDUKCAPIL-2026-000001", "--json").json()
    assert shown["applicant"]["nik"] == NIK and shown["status"] == "in_progress"  # type: ignore[index]


def test_request_log_asks_for_what_is_missing(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-01T09:00+07:00", tick=True)  # the numbers below name the year
    child = spawn(catalogue, "request", "log", "--phone", "0812-3456-7890")
    child.expect(r"Procedure \(part of its code or name\):")
    child.sendline("kartu keluarga")
    child.expect(r"Applicant's name")
    child.sendline("Dewi Lestari")
    child.expect(r"NIK \(16 digits\):")
    child.sendline("19060312138")  # too short
    child.expect(r"NIK must have 16 digits, got 11")
    child.expect(r"NIK \(16 digits\):")
    child.sendline(WRONG_MONTH)
    child.expect(r"birth month 13 \(digits 9-10\)")
    child.expect(r"NIK \(16 digits\):")
    child.sendline(NIK)
    child.expect(r"Procedure: DUKCAPIL-KK")
    child.expect(r"Phone: \+6281234567890")  # given on the command line: not asked
    child.expect(r"Log this application\?")
    child.sendline("")
    child.expect(r"DISDUKCAPIL-2026-000001")
    child.expect(r"Print the receipt\?")
    child.sendline("y")
    child.expect(r"receipt written to .*\.pdf")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = catalogue.ok("request", "show", "DISDUKCAPIL-2026-000001", "--json").json()
    assert shown["procedure"] == "DUKCAPIL-KK"  # type: ignore[index]


def test_ctrl_c_at_a_log_prompt_logs_nothing(catalogue: Cli) -> None:
    child = spawn(catalogue, "request", "log", "DUKCAPIL-KK", "--name", "Dewi")
    child.expect(r"NIK \(16 digits\):")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert catalogue.ok("request", "list", "--json").json() == []


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["--name", "Dewi", "--nik", NIK], "Missing argument 'PROCEDURE'"),
        (["DUKCAPIL-KK", "--nik", NIK], "Missing option '--name'"),
        (["DUKCAPIL-KK", "--name", "Dewi"], "Missing option '--nik'"),
    ],
)
def test_without_a_terminal_a_missing_value_is_a_usage_error(
    catalogue: Cli, args: list[str], missing: str
) -> None:
    result = catalogue.fails("request", "log", *args, code=2)
    assert missing in result.stderr
