"""The same commands on SQLite and PostgreSQL, side by side (issue 5).

Measures, as whole processes (a user's view), median of --runs:
  - `egovctl procedure import` of N generated procedure documents into an empty database,
  - `egovctl request log` into a database holding the bundled catalogue,
each beside `python -c "import typer, sqlmodel"` measured in the same run.

    EGOVCTL_BENCH_PG=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        python bench/bench_postgres.py [--runs 5] [--docs 5000]

The PostgreSQL URL names a server where the user may create and drop databases; the script
creates `egovctl_bench_*` databases and drops them at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NIK = "1906034507890001"


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr}")
    return elapsed


def pg_admin(base: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--docs", type=int, default=5000)
    args = parser.parse_args()
    base = os.environ.get("EGOVCTL_BENCH_PG")
    if not base:
        sys.exit("set EGOVCTL_BENCH_PG to a PostgreSQL server URL (see the docstring)")
    from sqlalchemy.engine import make_url

    work = Path(tempfile.mkdtemp(prefix="egovctl-bench-pg-"))
    docs = work / "catalogue.yaml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_catalogue.py"), str(args.docs), str(docs)],
        check=True,
        capture_output=True,
    )
    egov = [sys.executable, "-m", "egovctl"]
    created: list[str] = []

    def new_pg() -> str:
        name = f"egovctl_bench_{uuid.uuid4().hex[:8]}"
        pg_admin(base, f'CREATE DATABASE "{name}"')
        created.append(name)
        return make_url(base).set(database=name).render_as_string(hide_password=False)

    def new_sqlite() -> str:
        return str(work / f"{uuid.uuid4().hex[:8]}.db")

    results: dict[str, list[float]] = {}
    try:
        # Databases holding the catalogue, for `request log`.
        logdb = {"sqlite": new_sqlite(), "postgresql": new_pg()}
        for url in logdb.values():
            run([*egov, "--db", url, "procedure", "import", str(ROOT / "procedures")])
        for _ in range(args.runs):
            results.setdefault("baseline: import typer, sqlmodel", []).append(
                run([sys.executable, "-c", "import typer, sqlmodel"])
            )
            for backend, factory in (("sqlite", new_sqlite), ("postgresql", new_pg)):
                url = factory()
                run([*egov, "--db", url, "procedure", "list"])  # create the schema first
                results.setdefault(f"import {args.docs} docs [{backend}]", []).append(
                    run([*egov, "--db", url, "procedure", "import", str(docs)])
                )
                results.setdefault(f"request log [{backend}]", []).append(
                    run(
                        [
                            *egov,
                            "--db",
                            logdb[backend],
                            "request",
                            "log",
                            "DUKCAPIL-KTP-EL",
                            "--name",
                            "Warga Uji",
                            "--nik",
                            NIK,
                        ]
                    )
                )
    finally:
        for name in created:
            pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    base_med = statistics.median(results["baseline: import typer, sqlmodel"])
    print(f"{'case':<36} {'median s':>9} {'x base':>7}")
    for name, times in results.items():
        med = statistics.median(times)
        print(f"{name:<36} {med:>9.3f} {med / base_med:>7.2f}")


if __name__ == "__main__":
    main()
