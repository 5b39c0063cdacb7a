"""Compare two checkouts of egovctl on the commands every clerk runs (issue 12, "Must not change").

A move of code between modules must not slow egovctl down. This script times the same
commands from an earlier commit (``--before``, default ``HEAD~1``, checked out into a
temporary git worktree) and from this checkout, interleaved in the same rounds beside the
floors the targets name, so a busy machine slows all of them alike:

* ``egovctl --help`` against ``python -c "import typer"``
* ``procedure list`` (bundled catalogue) against ``python -c "import typer, sqlmodel"``
* ``request log`` and ``request show`` on a ``db seed-demo`` database of ``--requests``
  requests, against ``python -c "import typer, sqlmodel"``

Each checkout gets a database built by its own code (schemas may differ between commits).

Usage:
    python bench/bench_checkouts.py [--before REF] [--requests 100000] [--runs 11]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import ROOT, Case, clean_env, egovctl, floors, machine, measure, run, table  # noqa: E402

NIK_BASE = 1906034507890000


def checkout_env(home: Path, tree: Path) -> dict[str, str]:
    import compileall

    env = clean_env(home)
    env["PYTHONPATH"] = str(tree)
    compileall.compile_dir(str(tree / "egovctl"), quiet=1)
    return env


def prepare(tree: Path, work: Path, requests: int) -> tuple[dict[str, str], Path]:
    home = work / f"home-{tree.name}"
    home.mkdir()
    env = checkout_env(home, tree)
    db = work / f"{tree.name}.db"
    base = [*egovctl(), "--db", str(db)]
    run([*base, "procedure", "import", str(tree / "procedures")], env)
    run([*base, "db", "seed-demo", "--requests", str(requests)], env)
    return env, db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD~1")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="egovctl-bench-checkouts-"))
    old = work / "before"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old), args.before],
        check=True,
    )
    try:
        trees = {"before": old, "after": ROOT}
        setups = {label: prepare(tree, work, args.requests) for label, tree in trees.items()}

        def log_argv(db: Path) -> list[str]:
            return [
                *egovctl(), "--db", str(db), "request", "log", "DUKCAPIL-KTP-EL",
                "--name", "Siti Aminah", "--nik", str(NIK_BASE + 1),
            ]  # fmt: skip

        help_floor = Case('python -c "import typer"', [sys.executable, "-c", "import typer"])
        floor, _ = floors("typer, sqlmodel")
        cases: list[Case] = [help_floor, floor]
        mine: dict[str, dict[str, Case]] = {}
        for label, (env, db) in setups.items():
            listing = [*egovctl(), "--db", str(db), "request", "list", "--limit", "1", "--json"]
            reg_no = json.loads(run(listing, env, capture=True).stdout)[0]["reg_no"]
            base = [*egovctl(), "--db", str(db)]
            mine[label] = {
                "help": Case(f"{label}: --help", [*egovctl(), "--help"], env=env),
                "list": Case(f"{label}: procedure list", [*base, "procedure", "list"], env=env),
                "show": Case(f"{label}: request show", [*base, "request", "show", reg_no], env=env),
                "log": Case(f"{label}: request log", log_argv(db), env=env),
            }
            cases += mine[label].values()
        measure(cases, setups["after"][0], args.runs)
        rows = [[c.name, f"{c.median * 1000:.0f} ms"] for c in cases]
        print(table(rows, ["case", "median"]))
        print()
        out = []
        for key in ("help", "list", "show", "log"):
            base_case = help_floor if key == "help" else floor
            b = mine["before"][key].median / base_case.median
            a = mine["after"][key].median / base_case.median
            out.append([key, f"{b:.2f}x", f"{a:.2f}x", f"{(a / b - 1) * 100:+.1f} %"])
        print(table(out, ["command", "before (ratio)", "after (ratio)", "change"]))
        print(machine())
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
