"""Printed documents, whole process: one-page sheets and a 500-row ready list.

Targets (issue 6): a one-page document at most 1.5 s; a ready-list of 500 rows at most 6 s
and at most 400 MB peak memory. Each command runs as a user runs it (a new process), several
times; the script prints medians, peak RSS, and the ratio to `python -c "import typer,
sqlmodel"` measured in the same run.

    python bench/bench_print.py [--runs 5] [--rows 500]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_db(path: Path, rows: int) -> None:
    """A database with the bundled catalogue and `rows` requests ready for pickup."""
    from egovctl.catalogue import import_catalogue
    from egovctl.db import Database
    from egovctl.workflow import Applicant, log_request, transition

    db = Database(f"sqlite:///{path}")
    db.migrate()
    import_catalogue(db, "bench", [str(ROOT / "procedures")])
    names = ["Siti Aminah", "Budi Santoso", "Ni Luh Putu Ayu", "Rahmat Hidayat", "Dewi Lestari"]
    for i in range(rows):
        nik = f"1906{(i % 9) + 1:02d}{(i % 28) + 1:02d}{(i % 12) + 1:02d}85{(i % 9000) + 1:04d}"
        reg = log_request(db, "bench", "DUKCAPIL-KK",
                          Applicant.checked(f"{names[i % 5]} {i}", nik, None, None),
                          tz="Asia/Jakarta")["reg_no"]
        for _ in range(4):
            transition(db, "bench", reg, "advance", tz="Asia/Jakarta")
    db.dispose()


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, capture_output=True,
                         text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return elapsed, int(out.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    if shutil.which("time") is None and not Path("/usr/bin/time").exists():
        sys.exit("needs /usr/bin/time (Debian package 'time')")
    work = Path(tempfile.mkdtemp(prefix="egovctl-bench-print-"))
    db = work / "print.db"
    t0 = time.perf_counter()
    build_db(db, args.rows)
    print(f"built {args.rows} ready requests in {time.perf_counter() - t0:.1f} s")
    egov = [sys.executable, "-m", "egovctl", "--db", str(db)]
    cases = {
        "baseline: import typer, sqlmodel": [sys.executable, "-c", "import typer, sqlmodel"],
        "print standard KTP-EL (PDF)": [*egov, "print", "standard", "DUKCAPIL-KTP-EL", "-o",
                                        "s.pdf", "--force"],
        "print maklumat (PDF)": [*egov, "print", "maklumat", "DISDUKCAPIL", "-o", "m.pdf",
                                 "--force"],
        "print receipt (A5 PDF)": [*egov, "print", "receipt", "DISDUKCAPIL-2026-000001",
                                   "-o", "r.pdf", "--force"],
        f"print ready-list ({args.rows} rows PDF)": [*egov, "print", "ready-list", "-o",
                                                     "l.pdf", "--force"],
    }
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in cases}
    for _ in range(args.runs):  # interleaved, so load changes hit every case alike
        for name, cmd in cases.items():
            results[name].append(timed(cmd, work))
    base = statistics.median(t for t, _ in results["baseline: import typer, sqlmodel"])
    print(f"\n{'case':<36} {'median s':>9} {'x base':>7} {'peak MB':>8}")
    for name, runs in results.items():
        med = statistics.median(t for t, _ in runs)
        peak = max(m for _, m in runs) / 1024
        print(f"{name:<36} {med:>9.2f} {med / base:>7.2f} {peak:>8.0f}")
    print()
    for name in ("s.pdf", "m.pdf", "r.pdf", "l.pdf"):
        info = subprocess.run(["pdfinfo", str(work / name)], capture_output=True, text=True)
        pages = [line.split()[1] for line in info.stdout.splitlines()
                 if line.startswith("Pages:")]
        size = (work / name).stat().st_size / 1024
        print(f"{name}: {pages[0] if pages else '?'} pages, {size:.0f} KiB")
    print(f"(cpu count {os.cpu_count()}; files in {work})")


if __name__ == "__main__":
    main()
