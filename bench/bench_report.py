"""Benchmark `egovctl report summary --period <month>` on a seed-demo database.

Prints, side by side:

1. the whole process (``egovctl --db DB report summary --period M --json``) against
   ``python -c "import typer, sqlmodel"``, median of several runs each, and their ratio
   (target: at most 2x);
2. the report's aggregation in process (``egovctl.reports.summary.summary``: SQLAlchemy, the
   calendar, the median) against the same aggregation written by hand as plain SQL through
   the ``sqlite3`` module (same statements, rows fetched), median of several warm runs, and
   their ratio (target: at most 1.5x); with the query plans of the hand-written statements.

Usage:
    python bench/bench_report.py [--db bench/out/report-1m.db] [--requests 1000000]
                                 [--month 2026-10] [--runs 7]

A missing database is created: the bundled catalogue is imported and ``seed_demo`` adds the
requests (about a minute for a million). The month defaults to the last complete month and
the one twelve months before it (an old month is the hard case for the "overdue at the end of
the period" query: every request finished since then is a candidate).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TZ = "Asia/Jakarta"


def paired_medians(a, b, runs: int) -> tuple[float, float]:
    """Median times of ``a`` and ``b``, run alternately so that both see the same load."""
    times_a, times_b = [], []
    for _ in range(runs):
        for fn, times in ((a, times_a), (b, times_b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)


def build(db_path: Path, requests: int) -> None:
    from egovctl.catalogue.store import import_catalogue
    from egovctl.db import open_database
    from egovctl.demo.seed import seed_demo

    db_path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(f"sqlite:///{db_path}")
    print(f"building {db_path}: catalogue + {requests:,} requests ...", flush=True)
    start = time.perf_counter()
    import_catalogue(db, "bench", [ROOT / "procedures"])
    seed_demo(db, "bench", requests, seed=1, tz=TZ)
    db.dispose()
    con = sqlite3.connect(db_path)
    con.execute("ANALYZE")
    con.close()
    print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)


def whole_process(db_path: Path, month: str, runs: int) -> tuple[float, float]:
    env = {**os.environ, "EGOVCTL_USER": "bench"}
    egovctl = [
        sys.executable,
        "-m",
        "egovctl",
        "--db",
        str(db_path),
        "report",
        "summary",
        "--period",
        month,
        "--json",
    ]
    baseline = [sys.executable, "-c", "import typer, sqlmodel"]

    def run(cmd):
        return lambda: subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)

    run(egovctl)()  # warm the page cache and the bytecode
    run(baseline)()
    return paired_medians(run(egovctl), run(baseline), runs)


# The same aggregation as egovctl.reports.summary.summary, written by hand for the sqlite3 module.
HAND_SQL = {
    "received": """
        SELECT procedure_id, count(*) FROM service_request
        WHERE received_date BETWEEN :start AND :end GROUP BY procedure_id""",
    "finished": """
        SELECT procedure_id, received_date, ready_date, count(*),
               sum(CASE WHEN ready_date <= due_date THEN 1 ELSE 0 END)
        FROM service_request WHERE ready_date BETWEEN :start AND :end
        GROUP BY procedure_id, received_date, ready_date""",
    "closed": """
        SELECT procedure_id, status, count(*) FROM service_request
        WHERE closed_date BETWEEN :start AND :end AND status IN ('rejected', 'cancelled')
        GROUP BY procedure_id, status""",
    "overdue": """
        SELECT procedure_id, count(*) FROM (
          SELECT procedure_id FROM service_request
          WHERE status IN ('in_progress', 'on_hold') AND received_date <= :asof
            AND due_date < :asof
          UNION ALL
          SELECT procedure_id FROM service_request
          WHERE ready_date > :asof AND received_date <= :asof
            AND (closed_date IS NULL OR closed_date > :asof) AND due_date < :asof
          UNION ALL
          SELECT procedure_id FROM service_request
          WHERE ready_date IS NULL AND closed_date > :asof AND received_date <= :asof
            AND due_date < :asof)
        GROUP BY procedure_id""",
}


def hand(con: sqlite3.Connection, params: dict) -> dict:
    return {name: con.execute(sql, params).fetchall() for name, sql in HAND_SQL.items()}


def plans(con: sqlite3.Connection, params: dict) -> list[str]:
    lines = []
    for name, sql in HAND_SQL.items():
        detail = [row[-1] for row in con.execute("EXPLAIN QUERY PLAN " + sql, params)]
        lines.append(f"    {name:9} " + " | ".join(detail))
    return lines


def query_times(db_path: Path, month: str, runs: int) -> tuple[float, float, dict, list[str]]:
    from egovctl.db import open_database
    from egovctl.reports.periods import parse_period_value
    from egovctl.reports.summary import summary

    period = parse_period_value(month)
    today = date.today()
    as_of = period.as_of(today)
    db = open_database(f"sqlite:///{db_path}")
    result = summary(db, "bench", period, tz=TZ, today=today)  # warm-up (engine, calendar)
    con = sqlite3.connect(db_path)
    params = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "asof": as_of.isoformat(),
    }
    rows = hand(con, params)
    ours, theirs = paired_medians(
        lambda: summary(db, "bench", period, tz=TZ, today=today), lambda: hand(con, params), runs
    )
    db.dispose()
    # The two must agree on the counts they share.
    by_hand = dict(rows["received"])
    assert sum(by_hand.values()) == result["totals"]["received"], "received differs"
    assert sum(n for _p, n in rows["overdue"]) == result["totals"]["overdue"], "overdue differs"
    plan = [f"  {month} (overdue as of {as_of}):", *plans(con, params)]
    con.close()
    return ours, theirs, result["totals"], plan


def last_complete_month(today: date) -> str:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "report-1m.db")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--month", action="append", help="YYYY-MM (repeatable)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.requests)
    con = sqlite3.connect(args.db)
    total = con.execute("SELECT count(*) FROM service_request").fetchone()[0]
    con.close()
    today = date.today()
    months = args.month or [
        last_complete_month(today),
        last_complete_month(today.replace(year=today.year - 1)),
    ]
    print(f"database: {args.db} ({total:,} requests); median of {args.runs} runs\n")
    print(
        f"{'month':8} {'report':>9} {'baseline':>9} {'ratio':>6}   "
        f"{'query':>9} {'by hand':>9} {'ratio':>6}   received finished overdue"
    )
    all_plans: list[str] = []
    for month in months:
        proc, base = whole_process(args.db, month, args.runs)
        ours, theirs, totals, plan = query_times(args.db, month, args.runs)
        all_plans += plan
        print(
            f"{month:8} {proc * 1000:7.0f}ms {base * 1000:7.0f}ms {proc / base:5.2f}x   "
            f"{ours * 1000:7.1f}ms {theirs * 1000:7.1f}ms {ours / theirs:5.2f}x   "
            f"{totals['received']:8,} {totals['finished']:8,} {totals['overdue']:7,}",
            flush=True,
        )
    print("\ntargets: report/baseline <= 2.00x, query/by hand <= 1.50x")
    print("\nquery plans of the hand-written statements:")
    print("\n".join(all_plans))


if __name__ == "__main__":
    main()
