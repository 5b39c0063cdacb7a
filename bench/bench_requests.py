"""Benchmark service requests on a database of a million of them (issue 3, "Performance").

1. Builds the database: the bundled catalogue, then ``egovctl db seed-demo --requests N``
   timed as a whole process (target: at most 60 s for a million): wall time, CPU time of
   the process and of the helper process it waits for (user + sys, from wait4), the load
   average before it started (the machine may be shared), peak memory of the main process.
2. Times whole processes, median of ``--runs`` interleaved rounds, beside the floor
   ``python -c "import typer, sqlmodel"``:
   ``request log`` (target <= 1.3x), ``request show REG`` and
   ``request list --overdue --limit 50`` (<= 1.5x).
3. Prints SQLite's EXPLAIN QUERY PLAN of the query ``request list --search`` runs for a NIK
   and for a registration number (both must use an index), and of ``--overdue``.

Usage:
    python bench/bench_requests.py [--requests 1000000] [--runs 7]
                                   [--db bench/out/requests-1m.db] [--reuse]

``--reuse`` keeps an existing database and skips step 1. The database (about 1.5 GB for a
million requests) stays in bench/out/, which git ignores.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
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
    run,
    table,
    verdict,
)

TZ = "Asia/Jakarta"


@dataclass
class Seeded:
    seconds: float
    user: float  # CPU seconds of the process and of the children it waited for
    sys: float
    max_rss_mb: float  # the main process's (the larger)
    load: float  # 1-minute load average just before
    summary: dict


def build(db: Path, n: int, env: dict[str, str]) -> Seeded:
    import os
    import subprocess
    import time

    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    run([*egovctl(), "--db", str(db), "procedure", "import", str(ROOT / "procedures")], env)
    print(f"seeding {n:,} requests into {db} ...", flush=True)
    argv = [
        *egovctl(),
        "--db",
        str(db),
        "db",
        "seed-demo",
        "--requests",
        str(n),
        "--seed",
        "1",
        "--json",
    ]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        # wait4 counts the helper process too: the seed waits for it before it exits.
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(argv)}\n{err.read().decode(errors='replace')}")
        out.seek(0)
        summary = json.loads(out.read())
    # ru_maxrss: the larger of the process's own peak and its children's, here the main
    # process's (the helper holds a batch at a time).
    return Seeded(seconds, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024, load, summary)


def samples(db: Path) -> dict[str, str]:
    """A registration number to show and a NIK to search for, from the middle of the data."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        (count,) = conn.execute("SELECT max(id) FROM service_request").fetchone()
        reg_no, nik = conn.execute(
            "SELECT reg_no, nik FROM service_request WHERE id = ?", (count // 2,)
        ).fetchone()
    finally:
        conn.close()
    return {"reg_no": reg_no, "nik": nik}


def query_plans(db: Path, pick: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(what, plan, uses an index) for the main query of `request list` with each filter.

    The statements are captured from ``requests.queries.list_requests`` itself, so the plan is the
    one of the query the command runs, with its parameters.
    """
    from sqlalchemy import event

    from egovctl.db import Database
    from egovctl.requests.queries import RequestFilter, list_requests

    database = Database(f"sqlite:///{db}")
    seen: list[tuple[str, tuple]] = []

    @event.listens_for(database.engine, "before_cursor_execute")
    def _keep(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    cases = [
        ("--search NIK", RequestFilter(search=pick["nik"]), "ix_service_request_nik"),
        ("--search REG_NO", RequestFilter(search=pick["reg_no"]), "ix_service_request_reg_no"),
        ("--overdue --limit 50", RequestFilter(overdue=True), None),
    ]
    out = []
    for label, flt, index in cases:
        seen.clear()
        list_requests(database, "bench", flt, tz=TZ)
        statement, params = next(
            (s, p) for s, p in reversed(seen) if "FROM service_request" in s and "LIMIT" in s
        )
        with database.engine.connect() as conn:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        depth = {0: -1}
        lines = []
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        plan = "\n".join(lines)
        uses = (
            index is None
            or f"USING INDEX {index}" in plan
            or f"USING COVERING INDEX {index}" in plan
        )
        out.append((label, plan, uses))
    database.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "requests-1m.db")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="egovctl-bench-"))
    env = clean_env(home)
    db = args.db.resolve()

    lines = [f"bench_requests.py, {date.today()}"]
    if args.reuse and db.exists():
        print(f"reusing {db}")
    else:
        seeded = build(db, args.requests, env)
        summary = seeded.summary
        lines.append(
            table(
                [
                    [
                        f"egovctl db seed-demo --requests {args.requests:,}",
                        f"{seeded.load:.2f}",
                        f"{seeded.seconds:.1f} s",
                        f"{seeded.user:.1f} + {seeded.sys:.1f} s",
                        f"{seeded.max_rss_mb:.0f} MB",
                        "<= 60 s",
                        verdict(seeded.seconds, 60.0),
                    ]
                ],
                [
                    "build",
                    "load before",
                    "wall",
                    "CPU user + sys (both processes)",
                    "peak RSS (main process)",
                    "target",
                    "",
                ],
            )
        )
        lines.append(
            f"  {summary['events']:,} events; statuses {summary['statuses']}; "
            f"{summary['overdue']:,} overdue; database "
            f"{db.stat().st_size / 2**30:.2f} GiB"
        )

    pick = samples(db)
    base = ["--db", str(db)]
    floor, frozen = floors("typer, sqlmodel")
    cases = [
        (
            Case(
                "egovctl request log ...",
                [
                    *egovctl(),
                    *base,
                    "request",
                    "log",
                    "DUKCAPIL-KTP-EL",
                    "--name",
                    "Nur'aini Bench",
                    "--nik",
                    "1906034507890001",
                    "--phone",
                    "0812-3456-7890",
                ],
            ),
            1.3,
        ),
        (
            Case(
                f"egovctl request show {pick['reg_no']}",
                [*egovctl(), *base, "request", "show", pick["reg_no"]],
            ),
            1.5,
        ),
        (
            Case(
                "egovctl request list --overdue --limit 50",
                [*egovctl(), *base, "request", "list", "--overdue", "--limit", "50"],
            ),
            1.5,
        ),
    ]
    measure([floor, frozen, *(c for c, _ in cases)], env, args.runs, cwd=home)
    rows = [
        [
            floor.name,
            f"{floor.median * 1000:.0f} ms",
            "1.00",
            "",
            "",
            f"{floor.median / frozen.median:.2f}",
        ],
        [
            frozen.name,
            f"{frozen.median * 1000:.0f} ms",
            f"{frozen.median / floor.median:.2f}",
            "",
            "",
            "1.00",
        ],
    ]
    for case, limit in cases:
        ratio = case.median / floor.median
        rows.append(
            [
                case.name,
                f"{case.median * 1000:.0f} ms",
                f"{ratio:.2f}",
                f"<= {limit}x",
                verdict(ratio, limit),
                f"{case.median / frozen.median:.2f}",
            ]
        )
    lines.append(
        table(
            rows,
            [
                f"process (median of {args.runs})",
                "wall",
                "ratio",
                "target",
                "",
                "ratio to the second",
            ],
        )
    )

    for label, plan, uses in query_plans(db, pick):
        lines.append(
            f"EXPLAIN QUERY PLAN of request list {label}: "
            f"{'uses its index' if uses else 'MISSED: no index'}\n{plan}"
        )
    lines.append(machine())
    print("\n\n".join(lines))


if __name__ == "__main__":
    main()
