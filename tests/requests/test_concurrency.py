"""Several counters logging at the same moment never share or skip a registration number."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import Cli, python_argv

WORKERS = 4
PER_WORKER = 8

SCRIPT = """
import sys
from egovctl.db import Database
from egovctl.requests.service import Applicant, log_request
db = Database(sys.argv[1])
applicant = Applicant.checked("Warga Uji", "1906034507890001", None, None)
sys.stdin.readline()  # start together
for i in range({n}):
    log_request(db, "loket", "DUKCAPIL-KTP-EL", applicant, tz="Asia/Jakarta")
"""


def test_parallel_counters_get_numbers_one_to_n(catalogue: Cli, tmp_path: Path) -> None:
    script = tmp_path / "counter.py"
    script.write_text(SCRIPT.format(n=PER_WORKER), encoding="utf-8")
    procs = [
        subprocess.Popen(
            python_argv(str(script), catalogue.db_url),
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    for p in procs:  # all are loaded and waiting; release them at once
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        assert "locked" not in err
    rows = catalogue.ok("request", "list", "--limit", "1000", "--json").json()
    numbers = sorted(int(r["reg_no"].rsplit("-", 1)[1]) for r in rows)
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))
    catalogue.ok("audit", "verify")


def _race(db_url: str, reg_no: str, action: str, **kw: object) -> list[object]:
    """Two counters make the same move on one request at the same moment: both have read the
    request before either writes (a barrier holds each at the start of its write
    transaction). Returns each counter's answer: the moved request, or the error."""
    import threading
    from contextlib import contextmanager

    from egovctl.db import Database
    from egovctl.errors import EgovError
    from egovctl.requests.service import transition

    barrier = threading.Barrier(2, timeout=60)
    results: list[object] = [None, None]

    def counter(i: int) -> None:
        db = Database(db_url)
        write = db.write

        @contextmanager
        def write_together():  # type: ignore[no-untyped-def]
            barrier.wait()
            with write() as session:
                yield session

        db.write = write_together  # type: ignore[method-assign]
        try:
            results[i] = transition(db, "loket", reg_no, action, tz="Asia/Jakarta", **kw)
        except EgovError as exc:
            results[i] = exc
        finally:
            db.dispose()

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_advances_at_once_do_not_skip_a_step(catalogue: Cli) -> None:
    """docs/requests.md: the second of two simultaneous moves is refused naming the new state."""
    from egovctl.errors import InvalidTransition

    reg = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "Warga Uji",
        "--nik",
        "1906034507890001",
        "--json",
    ).json()["reg_no"]
    results = _race(catalogue.db_url, reg, "advance")
    moved = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(moved) == 1 and len(refused) == 1, results
    assert moved[0]["step"] == 2
    message = refused[0].message
    assert f"cannot advance {reg}" in message and "another counter moved it" in message
    assert "in progress at step 2 of 6 (Perekaman data biometrik)" in message
    shown = catalogue.ok("request", "show", reg, "--json").json()
    assert shown["step"] == 2
    assert [e["action"] for e in shown["events"]] == ["log", "advance"]
    catalogue.ok("audit", "verify")
    # Moves one after the other are what they always were.
    assert catalogue.ok("request", "advance", reg, "--json").json()["step"] == 3


def test_deliver_and_cancel_at_once(catalogue: Cli) -> None:
    """A cancel racing a handover: one wins, the other is told what happened."""
    from egovctl.errors import InvalidTransition

    reg = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KK",
        "--name",
        "Warga Uji",
        "--nik",
        "1906034507890001",
        "--json",
    ).json()["reg_no"]
    steps = catalogue.ok("request", "show", reg, "--json").json()["steps"]
    for _ in range(steps):
        catalogue.ok("request", "advance", reg)
    results = _race(catalogue.db_url, reg, "deliver")
    assert sum(isinstance(r, dict) for r in results) == 1
    refused = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(refused) == 1 and "now delivered" in refused[0].message
    catalogue.ok("audit", "verify")


def test_two_advance_commands_started_together(catalogue: Cli) -> None:
    """Issue 13 item 2 as a clerk meets it: ``egovctl request advance R & egovctl request
    advance R & wait``. Whole processes take a moment to start, so the first has often
    committed before the second reads the request: the second must still be refused, because
    the move it finds was recorded after it began."""
    import time

    from tests.conftest import egovctl_argv

    reg = catalogue.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "Warga Uji",
        "--nik", "1906034507890001", "--json",
    ).json()["reg_no"]  # fmt: skip
    argv = egovctl_argv("--db", catalogue.db_url, "--lang", "en", "request", "advance", reg)
    procs = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    answers = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in answers)
    assert codes == [0, 1], answers
    refusal = next(err for code, err in answers if code == 1)
    assert "another counter moved it a moment ago" in refusal
    assert "in progress at step 2 of 6" in refusal
    assert catalogue.ok("request", "show", reg, "--json").json()["step"] == 2
    time.sleep(0.01)
    assert catalogue.ok("request", "advance", reg, "--json").json()["step"] == 3
    catalogue.ok("audit", "verify")


def test_a_move_recorded_after_the_command_began_refuses_it(catalogue: Cli) -> None:
    """The deterministic core of the test above: the second counter began before the first
    counter's move was recorded, even though it reads the request only afterwards."""
    import pytest

    from egovctl.db import Database
    from egovctl.errors import InvalidTransition
    from egovctl.requests.service import transition
    from egovctl.timeutil import now_utc

    reg = catalogue.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "Warga Uji",
        "--nik", "1906034507890001", "--json",
    ).json()["reg_no"]  # fmt: skip
    db = Database(catalogue.db_url)
    try:
        second_began = now_utc()
        first = transition(db, "loket1", reg, "advance", tz="Asia/Jakarta", began=now_utc())
        assert first["step"] == 2
        with pytest.raises(InvalidTransition, match="another counter moved it a moment ago"):
            transition(db, "loket2", reg, "advance", tz="Asia/Jakarta", began=second_began)
        # A command that began after that move makes its own.
        again = transition(db, "loket2", reg, "advance", tz="Asia/Jakarta", began=now_utc())
        assert again["step"] == 3
    finally:
        db.dispose()
