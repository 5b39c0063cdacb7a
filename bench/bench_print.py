"""Printed documents, whole process: one-page sheets and a 500-row ready list.

Targets (issue 6): a one-page document at most 1.5 s; a ready-list of 500 rows at most 6 s
and at most 400 MB peak memory. Each command runs as a user runs it (a new process of the
``egovctl`` console script), several times, interleaved with ``python -c "import typer,
sqlmodel"`` measured in the same rounds; the script prints medians, the ratio to that
baseline, peak RSS (from wait4), and the pages and size of each PDF.

    python bench/bench_print.py [--runs 5] [--rows 500]

The one-page cases are the A5 receipt and the maklumat; the standard sheet of
DUKCAPIL-KTP-EL is two pages (laid out twice: the second time with page numbers).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import ROOT, Case, clean_env, egovctl, machine, measure, table, verdict  # noqa: E402

ONE_PAGE_LIMIT_S = 1.5
LIST_LIMIT_S = 6.0
LIST_LIMIT_MB = 400


def build_db(path: Path, rows: int) -> None:
    """A database with the bundled catalogue and `rows` requests ready for pickup."""
    from egovctl.catalogue.store import import_catalogue
    from egovctl.db import Database
    from egovctl.requests.service import Applicant, log_request, transition

    db = Database(f"sqlite:///{path}")
    db.migrate()
    import_catalogue(db, "bench", [str(ROOT / "procedures")])
    names = ["Siti Aminah", "Budi Santoso", "Ni Luh Putu Ayu", "Rahmat Hidayat", "Dewi Lestari"]
    for i in range(rows):
        nik = f"1906{(i % 9) + 1:02d}{(i % 28) + 1:02d}{(i % 12) + 1:02d}85{(i % 9000) + 1:04d}"
        reg = log_request(
            db,
            "bench",
            "DUKCAPIL-KK",
            Applicant.checked(f"{names[i % 5]} {i}", nik, None, None),
            tz="Asia/Jakarta",
        )["reg_no"]
        for _ in range(4):
            transition(db, "bench", reg, "advance", tz="Asia/Jakarta")
    db.dispose()


def pdf_summary(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    pages = [line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:")]
    return f"{pages[0] if pages else '?'} p, {path.stat().st_size / 1024:.0f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--build-db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_db:
        build_db(args.build_db, args.rows)
        return
    work = Path(tempfile.mkdtemp(prefix="egovctl-bench-print-"))
    try:
        print(bench(work, clean_env(work), args.rows, args.runs))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench(work: Path, env: dict[str, str], rows: int, runs: int) -> str:
    db = work / "print.db"
    t0 = time.perf_counter()
    # In a child process: this one stays small, so the peak memory that wait4 reports for
    # the timed processes (forked from it) is theirs alone.
    subprocess.run(
        [sys.executable, __file__, "--build-db", str(db), "--rows", str(rows)], env=env, check=True
    )
    built = time.perf_counter() - t0
    egov = [*egovctl(), "--db", str(db), "print"]
    base = Case(
        'python -c "import typer, sqlmodel"', [sys.executable, "-c", "import typer, sqlmodel"]
    )
    cases = [  # (case, its PDF, one-page target?)
        (
            Case(
                "print receipt (A5)",
                [*egov, "receipt", "DISDUKCAPIL-2026-000001", "-o", "r.pdf", "--force"],
            ),
            "r.pdf",
            True,
        ),
        (
            Case("print maklumat", [*egov, "maklumat", "DISDUKCAPIL", "-o", "m.pdf", "--force"]),
            "m.pdf",
            True,
        ),
        (
            Case(
                "print standard DUKCAPIL-KTP-EL",
                [*egov, "standard", "DUKCAPIL-KTP-EL", "-o", "s.pdf", "--force"],
            ),
            "s.pdf",
            False,
        ),
        (
            Case(
                f"print ready-list ({rows} rows)", [*egov, "ready-list", "-o", "l.pdf", "--force"]
            ),
            "l.pdf",
            False,
        ),
    ]
    measure([base, *(case for case, _, _ in cases)], env, runs, cwd=work)
    out = [
        f"bench_print.py, {date.today()}; {rows} ready requests built in {built:.1f} s; "
        f"median of {runs}"
    ]
    body = [[base.name, f"{base.median:.2f} s", "1.00", f"{base.peak_mb:.0f} MB", "", "", ""]]
    for case, pdf, one_page in cases:
        if one_page:
            target, ok = f"<= {ONE_PAGE_LIMIT_S} s", verdict(case.median, ONE_PAGE_LIMIT_S)
        elif case.name.startswith("print ready-list"):
            target = f"<= {LIST_LIMIT_S:.0f} s, <= {LIST_LIMIT_MB} MB"
            ok = verdict(max(case.median / LIST_LIMIT_S, case.peak_mb / LIST_LIMIT_MB), 1)
        else:
            target, ok = "", ""
        body.append(
            [
                case.name,
                f"{case.median:.2f} s",
                f"{case.median / base.median:.2f}",
                f"{case.peak_mb:.0f} MB",
                pdf_summary(work / pdf),
                target,
                ok,
            ]
        )
    out.append(table(body, ["process", "wall", "x base", "peak", "PDF", "target", ""]))
    out.append(f"{machine()}; font subsetting by {subsetter(env)}")
    return "\n".join(out)


def subsetter(env: dict[str, str]) -> str:
    """HarfBuzz, or fontTools when libharfbuzz-subset is missing (0.4-0.7 s more per PDF)."""
    probe = (
        "from egovctl.documents.pdf import import_weasyprint\n"
        "import_weasyprint()\n"
        "from weasyprint.text.ffi import harfbuzz_subset\n"
        "print('HarfBuzz' if harfbuzz_subset else "
        "'fontTools (slow: install libharfbuzz-subset0)')"
    )
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    return out.stdout.strip() or "?"


if __name__ == "__main__":
    main()
