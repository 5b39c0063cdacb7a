"""`egovctl desk` scripted through stdin (docs/desk.md): every word in both languages, the
refusals, and a shift that outlives its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli, Clock, postgres_only

NIK = "1906034507890001"
NIK2 = "3171012902000001"


def log(cli: Cli, name: str = "Andi Budi Santoso", nik: str = NIK) -> str:
    result = cli.ok("request", "log", "DUKCAPIL-KTP-EL", "--name", name, "--nik", nik, "--json")
    return str(result.json()["reg_no"])  # type: ignore[index]


def status(cli: Cli, reg: str) -> tuple[str, int]:
    data = cli.ok("request", "show", reg, "--json").json()
    return data["status"], data["step"]  # type: ignore[index]


def desk(cli: Cli, *lines: str, code: int = 0) -> tuple[str, str]:
    result = cli("desk", input="".join(line + "\n" for line in lines))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.stdout, result.stderr


# (English, Indonesian): the same script in either language.
ACTIONS = ("advance", "hold", "resume", "deliver", "reject", "cancel", "print", "find", "due",
           "help", "quit", "new")  # fmt: skip
INDONESIAN = ("maju", "tunda", "lanjut", "serahkan", "tolak", "batal", "cetak", "cari",
              "jatuh-tempo", "bantuan", "keluar", "baru")  # fmt: skip
WORDS = {
    "en": {a: a for a in ACTIONS},
    "id": dict(zip(ACTIONS, INDONESIAN, strict=True)),
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_word_serves_a_citizen(
    catalogue: Cli, lang: str, isolated_env: Path, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00", tick=True)  # the numbers below name the year
    w = WORDS[lang]
    first = log(catalogue)
    second = log(catalogue, "Siti Aminah", NIK2)
    out, err = desk(
        catalogue,
        w["help"],
        first,  # as a scanner types it
        w["advance"],
        w["hold"] + " KK belum dibawa",
        w["resume"],
        *[w["advance"]] * 4,  # to the handover, the last of six steps
        w["deliver"] + " Andi",
        w["print"],
        second.lower(),
        w["reject"],
        "berkas tidak lengkap",  # the reason, asked for
        w["find"] + " aminah",
        w["due"],
        w["new"],
        "ktp",  # the procedure, by part of its code
        "Budi Ñoman",
        NIK2,
        "",  # no phone
        "",  # confirm the summary (yes)
        "y",  # a NIK already registered under another name: log it anyway
        "",  # print the receipt (yes)
        w["cancel"] + " salah input",
        w["quit"],
        "DISDUKCAPIL-2026-000001",  # after quit: never read
    )
    assert "error:" not in err, err
    assert status(catalogue, first) == ("delivered", 6)
    assert status(catalogue, second)[0] == "rejected"
    third = "DISDUKCAPIL-2026-000003"
    assert status(catalogue, third)[0] == "cancelled"
    assert "new | baru" in out and "quit | keluar" in out  # help lists both
    assert f"{third} logged" in out
    receipts = sorted(p.name for p in isolated_env.glob("*.pdf"))
    assert len(receipts) == 2 and any(first in name for name in receipts), receipts
    history = catalogue.ok("request", "show", first, "--json").json()
    actions = [e["action"] for e in history["events"]]  # type: ignore[index]
    assert actions[:4] == ["log", "advance", "hold", "resume"] and actions[-1] == "deliver"
    audit = catalogue.ok("audit", "verify").output
    assert "error" not in audit


def test_refusals_are_said_and_the_shift_goes_on(catalogue: Cli) -> None:
    reg = log(catalogue)
    out, err = desk(
        catalogue,
        "advance",  # nothing shown yet
        reg,
        "deliver",  # an illegal move: still in progress at step 1
        "DISDUKCAPIL-2026-999999",  # a scanned number that does not exist
        "advance",  # the failed scan left nothing to act on
        "advnce",  # a typo of a word
        reg,
        "advance",
        code=1,
    )
    lines = err.splitlines()
    assert lines[0].startswith("error: no request is shown")
    assert lines[1].startswith("error: ") and "in progress" in lines[1]
    assert "DISDUKCAPIL-2026-999999" in lines[2]
    assert lines[3].startswith("error: no request is shown")
    assert "did you mean 'advance'" in lines[4]
    assert status(catalogue, reg) == ("in_progress", 2)  # the last line still worked


def test_end_of_input_ends_the_shift_quietly(catalogue: Cli) -> None:
    reg = log(catalogue)
    out, err = desk(catalogue, reg)
    assert reg in out and err == ""
    out, err = desk(catalogue)  # nothing at all
    assert out == "" and err == ""


def test_a_reason_left_out_at_the_end_of_input_is_an_error(catalogue: Cli) -> None:
    reg = log(catalogue)
    out, err = desk(catalogue, reg, "hold", code=1)
    assert "error: the input ended" in err
    assert status(catalogue, reg) == ("in_progress", 1)


def test_an_empty_reason_cancels_the_move(catalogue: Cli) -> None:
    reg = log(catalogue)
    out, err = desk(catalogue, reg, "reject", "")
    assert "cancelled; nothing was changed" in out
    assert status(catalogue, reg) == ("in_progress", 1)


def test_a_database_error_mid_shift_keeps_the_desk_running(
    catalogue: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from egovctl.requests import service

    reg = log(catalogue)
    real = service.transition
    calls = []

    def flaky(*args: object, **kw: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE ...", {}, Exception("server closed the connection"))
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "transition", flaky)
    out, err = desk(catalogue, reg, "advance", "advance", code=1)
    assert err.startswith("error: ") and "server closed the connection" in err
    assert "Traceback" not in err
    assert status(catalogue, reg) == ("in_progress", 2)  # the second advance went through


class Keys:
    """An asker that answers from a list: an exception in it is raised (Ctrl-C, a server
    going away), a callable is called and the next answer taken."""

    interactive = False

    def __init__(self, answers: list[object]) -> None:
        self.answers = answers

    def tell(self, text: str) -> None:
        pass

    def ask(self, message: str, *, completer: object = None, default: str = "") -> str:
        while self.answers:
            answer = self.answers.pop(0)
            if isinstance(answer, BaseException):
                raise answer
            if callable(answer):
                answer()
                continue
            return str(answer)
        raise EOFError

    def confirm(self, message: str, *, default: bool) -> bool:
        return default


def run_desk(cli: Cli, answers: list[object]) -> tuple[int, list[str], list[str]]:
    """A desk in this process: its failures, the lines it said, its error lines."""
    from egovctl.config import load_config
    from egovctl.db import open_database
    from egovctl.desk.screen import Screen
    from egovctl.desk.session import Desk

    db = open_database(cli.db_url)
    config = load_config(cli_db=cli.db_url)
    said: list[str] = []
    errors: list[str] = []
    screen = Screen()
    screen.line = lambda text, style=None: said.append(text)  # type: ignore[method-assign]
    screen.error = lambda lines: errors.append(" ".join(lines))  # type: ignore[method-assign]
    screen.request = lambda data: said.append(data["reg_no"])  # type: ignore[method-assign]
    desk = Desk(db=db, actor=str(config.actor.value), config=config, asker=Keys(answers),  # type: ignore[arg-type]
                screen=screen)  # fmt: skip
    try:
        return desk.run(), said, errors
    finally:
        db.dispose()


def test_ctrl_c_at_a_question_cancels_only_that_action(catalogue: Cli) -> None:
    """Ctrl-C arrives as KeyboardInterrupt from the prompt: at the desk's own prompt it clears
    the line, at a question it cancels the action; the desk reads the next line."""
    reg = log(catalogue)
    failures, said, errors = run_desk(
        catalogue, [reg, KeyboardInterrupt(), "hold", KeyboardInterrupt(), "advance"]
    )
    assert failures == 0 and errors == []
    assert "cancelled; nothing was changed" in said
    assert status(catalogue, reg) == ("in_progress", 2)


@postgres_only
def test_a_lost_postgresql_connection_mid_shift(catalogue: Cli) -> None:
    """The server drops every connection (a restart, a network cut): the next action says
    so, nothing is changed, and the one after it works on a new connection."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    reg = log(catalogue)
    name = make_url(catalogue.db_url).database

    def cut() -> None:
        admin = create_engine(catalogue.db_url.rsplit("/", 1)[0] + "/postgres")
        with admin.begin() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :d AND pid <> pg_backend_pid()"
                ),
                {"d": name},
            )
        admin.dispose()

    failures, said, errors = run_desk(catalogue, [reg, cut, "advance", "advance"])
    assert failures == 1 and len(errors) == 1, errors
    assert status(catalogue, reg) == ("in_progress", 2)


def test_desk_words_in_indonesian(catalogue: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EGOVCTL_LANG")
    out, err = desk(catalogue, "bantuan", "tolak", code=1)
    assert "baru" in out and "catat" in out.lower()
    assert err.startswith("error: ") and "no request" not in err


def test_agency_must_exist(catalogue: Cli) -> None:
    result = catalogue.fails("desk", "--agency", "NOPE")
    assert "NOPE" in result.stderr
