"""Benchmark the counter desk's reading paths on a database of a million requests (issue 15,
"Performance"): completion of values and name search, beside the floor
``python -c "import typer, sqlmodel"`` measured in the same rounds.

1. Whole processes, median of ``--runs`` interleaved rounds:
   - Tab completion through Typer's protocol (``_EGOVCTL_COMPLETE=complete_bash``) of a
     registration number after ``request advance`` and of a procedure code after
     ``request log`` (target: <= 1.2x the floor);
   - ``request list --search`` for a name that is absent and for one that matches many
     (target: <= 1.3x the floor).
2. Inside one process, as ``desk``'s ``find`` runs them: the same searches, median of
   ``--runs`` after a warm-up (target: under 50 ms).

Usage:
    python bench/bench_desk.py --db COPY.db [--runs 9]

COPY.db is a database of requests at this checkout's schema: build one with
``python bench/bench_requests.py`` or copy /work/bench/r1m.db (never the original: the
upgrade adds the search index to it) and ``egovctl --db COPY.db db upgrade``. With
``--sizes A.db B.db ...`` it prints the in-process search times for each database, to show
how they grow with the number of requests.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import Case, clean_env, egovctl, floors, machine, measure, table, verdict  # noqa: E402

ABSENT = "Zyxwvutsrq"  # no Indonesian name starts so
TZ = "Asia/Jakarta"


def common_name(db: Path) -> tuple[str, int]:
    """The commonest word of names (of 3 letters or more) and how many requests carry it:
    the search that "matches many"."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, request_search, row)")
    word, n = conn.execute(
        "SELECT term, doc FROM temp.words WHERE length(term) >= 3 ORDER BY doc DESC LIMIT 1"
    ).fetchone()
    conn.close()
    return word, n


def grow(source: Path, target: Path, factor: int) -> None:
    """A database ``factor`` times as large as ``source``: its requests copied under new
    numbers (``-B2``, ``-B3``, ... appended), names and NIKs kept, events left out (no search
    reads them), the search index rebuilt once at the end. For the curve of search times."""
    import shutil

    from egovctl.requests.search import FTS_TABLE, sqlite_ddl

    shutil.copyfile(source, target)
    conn = sqlite3.connect(target)
    columns = [
        row[1] for row in conn.execute("PRAGMA table_info(service_request)") if row[1] != "id"
    ]
    picked = ", ".join("reg_no || ?" if c == "reg_no" else c for c in columns)
    (top,) = conn.execute("SELECT max(id) FROM service_request").fetchone()
    conn.execute("BEGIN")
    for statement in sqlite_ddl()[1:]:
        conn.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    for copy in range(2, factor + 1):
        conn.execute(
            f"INSERT INTO service_request ({', '.join(columns)}) SELECT {picked} "
            "FROM service_request WHERE id <= ? ORDER BY id",
            (f"-B{copy}", top),
        )
    for statement in sqlite_ddl()[1:]:
        conn.execute(statement)
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.close()


def completion(db: Path, words: list[str]) -> Case:
    line = ["egovctl", "--db", str(db), *words]
    env = {
        "_EGOVCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(line),
        "COMP_CWORD": str(len(line) - 1),
    }
    return Case("complete " + " ".join(words), egovctl(), env=env)


def in_process(db: Path, terms: list[str], runs: int) -> dict[str, float]:
    """Median milliseconds of list_requests(search=...) in one process, as desk runs it."""
    from egovctl.db import open_database
    from egovctl.requests.queries import RequestFilter, list_requests

    database = open_database(f"sqlite:///{db}")
    out = {}
    for term in terms:
        flt = RequestFilter(search=term, limit=20)
        list_requests(database, "bench", flt, tz=TZ)  # warm-up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            list_requests(database, "bench", flt, tz=TZ)
            times.append((time.perf_counter() - start) * 1000)
        out[term] = statistics.median(times)
    database.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", type=Path, nargs="*", default=[])
    parser.add_argument(
        "--grow", type=Path, help="make this database, --factor times --db's requests, and stop"
    )
    parser.add_argument("--factor", type=int, default=4)
    args = parser.parse_args()
    if args.grow:
        grow(args.db.resolve(), args.grow.resolve(), args.factor)
        return
    db = args.db.resolve()
    word, many = common_name(db)
    with tempfile.TemporaryDirectory() as tmp:
        env = clean_env(Path(tmp))
        floor, _floor_nogc = floors("typer, sqlmodel")
        cases = [
            floor,
            completion(db, ["request", "advance", "DISDUKCAPIL-2026-00"]),
            completion(db, ["request", "log", "DUKCAPIL-"]),
            Case(
                f"request list --search {ABSENT}",
                [*egovctl(), "--db", str(db), "request", "list", "--search", ABSENT, "--json"],
            ),
            Case(
                f"request list --search {word} ({many:,} match)",
                [*egovctl(), "--db", str(db), "request", "list", "--search", word, "--json"],
            ),
        ]
        for case in cases[1:3]:
            case.env = {**env, **(case.env or {})}
        measure(cases, env, args.runs)
    base = floor.median
    limits = [None, 1.2, 1.2, 1.3, 1.3]
    rows = []
    for case, limit in zip(cases, limits, strict=True):
        ratio = case.median / base
        rows.append(
            [
                case.name,
                f"{case.median * 1000:.0f} ms",
                f"{ratio:.2f}x",
                "" if limit is None else f"<= {limit}x {verdict(ratio, limit)}",
            ]
        )
    print(f"{db.name}: median of {args.runs} interleaved rounds")
    print(table(rows, ["process", "median", "vs floor", "target"]))
    print()
    inside = []
    for path in [db, *[p.resolve() for p in args.sizes]]:
        n = (
            sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            .execute("SELECT max(id) FROM service_request")
            .fetchone()[0]
        )
        w, _m = common_name(path)
        timed = in_process(path, [ABSENT, w, "190603", "000123"], args.runs)
        inside.append([f"{n:,}", *(f"{timed[t]:.1f} ms" for t in (ABSENT, w, "190603", "000123"))])
    print("inside one process (desk's find), median of", args.runs)
    print(table(inside, ["requests", "absent name", "common name", "NIK start", "serial"]))
    print()
    print(machine(), f"(pid {os.getpid()})")


if __name__ == "__main__":
    main()
