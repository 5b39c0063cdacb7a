"""Benchmark proving who acts (issue 16, "Performance").

- A command with a login session (the token read from its file, hashed, looked up with its
  member) against the same command in a database where nobody has a password (single-user
  mode, one ``exists`` query), as whole processes, median of ``--runs`` interleaved rounds,
  beside the floor ``python -c "import typer, sqlmodel"``; target: the session adds at
  most 5 ms. The command is ``request show REG --json``, which asks who acts (to mask the
  NIK or not).
- The same check in process (``sessions.resolve``), median of many, where a process's own
  noise does not hide a millisecond.
- One password check (``verify_password``, scrypt): what ``--as`` with a password, and
  ``login``, cost once.

Usage:
    python bench/bench_login.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import (  # noqa: E402
    ROOT,
    Case,
    clean_env,
    egovctl,
    floors,
    machine,
    measure,
    table,
    verdict,
)

PASSWORD = "bench-password-1"
NIK = "1906034507890001"


def make_db(path: Path, *, passwords: bool) -> str:
    """A database with the bundled catalogue, two members and one request; its reg. no."""
    from egovctl.catalogue.store import import_catalogue
    from egovctl.db import Database
    from egovctl.requests.service import Applicant, log_request
    from egovctl.staff.members import add_staff

    db = Database(f"sqlite:///{path}")
    db.migrate()
    import_catalogue(db, "setup", [str(ROOT / "procedures")])
    pw = PASSWORD if passwords else None
    add_staff(db, "setup", "admin1", "Admin Satu", "admin", password=pw)
    add_staff(db, "admin1", "loket1", "Petugas Loket", "counter", password=pw)
    applicant = Applicant.checked("Siti", NIK, None, None)
    reg = log_request(db, "loket1", "DUKCAPIL-KTP-EL", applicant, tz="Asia/Jakarta")["reg_no"]
    db.dispose()
    return str(reg)


def in_process(path: Path, data_dir: Path, rounds: int) -> tuple[float, float]:
    """Median ms of resolving the actor: with the session, and in single-user mode."""
    from egovctl.db import Database
    from egovctl.staff import sessions

    db = Database(f"sqlite:///{path}")
    timings: dict[str, list[float]] = {"session": [], "single": []}
    for _ in range(rounds):
        for kind in timings:
            start = time.perf_counter()
            if kind == "session":
                who = sessions.resolve(
                    db, None, "x", password=None, ask=None, data_dir=data_dir, os_name="x"
                )
                assert who.how == "session", who
            else:
                with db.read() as session:
                    sessions.guarded(session)
            timings[kind].append((time.perf_counter() - start) * 1000)
    db.dispose()
    return statistics.median(timings["session"]), statistics.median(timings["single"])


def hash_cost(rounds: int) -> float:
    from egovctl.staff.passwords import hash_password, verify_password

    stored = hash_password(PASSWORD)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        assert verify_password(PASSWORD, stored)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="egovctl-bench-login-"))
    env = clean_env(work / "home")
    open_db, guarded_db = work / "open.db", work / "guarded.db"
    reg_open = make_db(open_db, passwords=False)
    reg_guarded = make_db(guarded_db, passwords=True)

    from egovctl.staff import sessions

    data_dir = Path(env["XDG_DATA_HOME"]) / "egovctl"
    from egovctl.db import Database

    db = Database(f"sqlite:///{guarded_db}")
    sessions.login(db, "loket1", PASSWORD, data_dir=data_dir, hours=9, os_name="bench")
    db.dispose()

    floor, floor_nogc = floors("typer, sqlmodel")
    single = Case(
        "request show (single-user mode)",
        [*egovctl(), "--db", str(open_db), "request", "show", reg_open, "--json"],
    )
    session = Case(
        "request show (login session)",
        [*egovctl(), "--db", str(guarded_db), "request", "show", reg_guarded, "--json"],
    )
    cases = [floor, floor_nogc, single, session]
    measure(cases, env, args.runs)
    base = floor.median
    print(
        table(
            [
                [c.name, f"{c.median * 1000:.1f}", f"{c.median / base:.2f}x", f"{c.peak_mb:.0f}"]
                for c in cases
            ],
            ["process", "median ms", "vs floor", "peak MiB"],
        )
    )
    added = (session.median - single.median) * 1000
    print(f"\nsession vs single-user, whole process: {added:+.1f} ms (target <= 5 ms)")
    os.environ["XDG_DATA_HOME"] = env["XDG_DATA_HOME"]
    with_session, single_check = in_process(guarded_db, data_dir, 200)
    print(
        f"in process, median of 200: resolving a session {with_session:.2f} ms, the "
        f"single-user check {single_check:.2f} ms -> the session adds "
        f"{with_session - single_check:.2f} ms "
        f"({verdict(with_session - single_check, 5.0)})"
    )
    print(f"one password check (scrypt n=2**14, r=8, p=1): {hash_cost(15):.1f} ms, median of 15")
    print(machine())


if __name__ == "__main__":
    main()
