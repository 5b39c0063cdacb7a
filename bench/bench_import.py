"""Benchmark the catalogue import and egovctl's start-up (issue 2, "Performance").

1. Generates N procedure documents (``bench/gen_catalogue.py``, about 40 lines each) and
   times the whole ``egovctl procedure import`` process into an empty database, beside a
   floor measured in the same rounds: a Python process that only parses the same file with
   ``yaml.CSafeLoader``. Targets: at most 3x the floor, at most 4 s, peak memory (RSS of the
   process, from wait4) at most 300 MB.
2. Start-up: ``egovctl --help`` beside ``python -c "import typer"`` (at most 1.5x) and
   ``egovctl procedure list`` on the bundled catalogue beside
   ``python -c "import typer, sqlmodel"`` (at most 1.3x).

Usage:
    python bench/bench_import.py [--procedures 5000] [--runs 7]

Each import run starts from a copy of the same empty, migrated database (copying is not
timed), so every run does the same work: create N procedures with their versions,
requirements and steps.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="egovctl-bench-"))
    env = clean_env(work)
    try:
        report = bench(work, env, args.procedures, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report)


def bench(work: Path, env: dict[str, str], n: int, runs: int) -> str:
    catalogue = work / f"catalogue-{n}.yaml"
    run([sys.executable, str(ROOT / "bench" / "gen_catalogue.py"), str(n), str(catalogue)], env)
    lines_per_doc = catalogue.read_text(encoding="utf-8").count("\n") / n

    empty = work / "empty.db"
    run([*egovctl(), "--db", str(empty), "agency", "list"], env)  # created at head, no rows
    target = work / "import.db"

    def fresh_copy() -> None:
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(empty, target)

    floor = Case(
        "parse only: yaml.CSafeLoader",
        [
            sys.executable,
            "-c",
            "import sys, yaml\n"
            "with open(sys.argv[1], 'rb') as f:\n"
            "    docs = list(yaml.load_all(f, Loader=yaml.CSafeLoader))",
            str(catalogue),
        ],
    )
    imp = Case(
        f"egovctl procedure import ({n:,} procedures)",
        [*egovctl(), "--db", str(target), "procedure", "import", str(catalogue)],
        before=fresh_copy,
    )
    measure([floor, imp], env, runs, cwd=work)
    ratio = imp.median / floor.median
    out = [
        f"bench_import.py, {date.today()}; {n:,} documents of {lines_per_doc:.0f} lines "
        f"({catalogue.stat().st_size / 2**20:.1f} MiB)"
    ]
    out.append(
        table(
            [
                [floor.name, f"{floor.median:.2f} s", "1.00", f"{floor.peak_mb:.0f} MB", "", ""],
                [
                    imp.name,
                    f"{imp.median:.2f} s",
                    f"{ratio:.2f}",
                    f"{imp.peak_mb:.0f} MB",
                    "<= 3x, <= 4 s, <= 300 MB",
                    "ok"
                    if ratio <= 3 and imp.median <= 4 and imp.peak_mb <= 300
                    else "MISSED: "
                    + ", ".join(
                        m
                        for m, bad in (
                            (f"{ratio:.1f}x", ratio > 3),
                            (f"{imp.median:.1f} s", imp.median > 4),
                            (f"{imp.peak_mb:.0f} MB", imp.peak_mb > 300),
                        )
                        if bad
                    ),
                ],
            ],
            [f"process (median of {runs})", "wall", "ratio", "peak RSS", "target", ""],
        )
    )

    bundled = work / "bundled.db"
    run([*egovctl(), "--db", str(bundled), "procedure", "import", str(ROOT / "procedures")], env)
    typer_only, typer_frozen = floors("typer")
    typer_sqlmodel, sqlmodel_frozen = floors("typer, sqlmodel")
    help_ = Case("egovctl --help", [*egovctl(), "--help"])
    listing = Case(
        "egovctl procedure list (bundled)", [*egovctl(), "--db", str(bundled), "procedure", "list"]
    )
    measure(
        [typer_only, typer_frozen, help_, typer_sqlmodel, sqlmodel_frozen, listing],
        env,
        runs,
        cwd=work,
    )
    rows = []
    for case, base, frozen, limit in (
        (help_, typer_only, typer_frozen, 1.5),
        (listing, typer_sqlmodel, sqlmodel_frozen, 1.3),
    ):
        ratio = case.median / base.median
        rows.append(
            [
                base.name,
                f"{base.median * 1000:.0f} ms",
                "1.00",
                "",
                "",
                f"{base.median / frozen.median:.2f}",
            ]
        )
        rows.append(
            [
                frozen.name,
                f"{frozen.median * 1000:.0f} ms",
                f"{frozen.median / base.median:.2f}",
                "",
                "",
                "1.00",
            ]
        )
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
    out.append(
        table(
            rows,
            [f"start-up (median of {runs})", "wall", "ratio", "target", "", "ratio to the second"],
        )
    )
    out.append(machine())
    return "\n\n".join(out)


if __name__ == "__main__":
    main()
