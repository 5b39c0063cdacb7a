"""What a clerk reads on a real terminal (a pseudo-terminal here): the question before logging
a likely duplicate and the progress bar of a long job, in Bahasa Indonesia by default and in
English with ``--lang en`` (docs/language.md)."""

from __future__ import annotations

import os

import pexpect
import pytest

from tests.conftest import Cli, egovctl_argv

NIK = "1906034507890001"


def _spawn(*args: str, lang: str | None = None) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("EGOVCTL_LANG", None)
    if lang:
        env["EGOVCTL_LANG"] = lang
    argv = egovctl_argv(*args)
    return pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=60, dimensions=(40, 120)
    )


def _log_args(cli: Cli, name: str) -> tuple[str, ...]:
    return ("--db", cli.db_url, "request", "log", "DUKCAPIL-KTP-EL", "--name", name, "--nik", NIK)


@pytest.mark.parametrize(
    ("lang", "question", "no"),
    [
        (None, "Tetap catat permohonan ini? [y/N]", "n"),
        ("en", "Log it anyway? [y/N]", "n"),
    ],
)
def test_the_duplicate_question_in_both_languages(
    catalogue: Cli, lang: str | None, question: str, no: str
) -> None:
    catalogue.ok(*_log_args(catalogue, "Siti Aminah")[2:])
    child = _spawn(*_log_args(catalogue, "Siti Aminah"), lang=lang)
    child.expect_exact(question)
    child.sendline(no)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    rows = catalogue.ok("request", "list", "--json").json()
    assert len(rows) == 1  # answered no: nothing logged


@pytest.mark.parametrize(
    ("lang", "phase"), [(None, "Menambahkan permohonan peragaan"), ("en", "Adding demo requests")]
)
def test_the_progress_bar_in_both_languages(catalogue: Cli, lang: str | None, phase: str) -> None:
    """A job that takes more than a second shows its bar, named in the terminal's language."""
    child = _spawn("--db", catalogue.db_url, "db", "seed-demo", "--requests", "40000", lang=lang)
    child.expect_exact(phase)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
