"""Shared by the bench scripts: time whole processes, take medians, print a table.

Every figure is the wall time of a complete process (start-up included), because that is
what a clerk at the counter waits for. Commands that are compared run in the same rounds,
interleaved, so a busy machine slows them alike and their ratio stays meaningful.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def egovctl() -> list[str]:
    """The console script beside this Python, as a user runs it from their environment.

    Not whatever ``egovctl`` comes first on PATH: a version manager's shim (pyenv) puts a
    shell script and a second process in front of it, which would be timed as egovctl's.
    """
    script = Path(sys.executable).with_name("egovctl")
    if script.exists():
        return [str(script)]
    found = shutil.which("egovctl")
    return [found] if found else [sys.executable, "-m", "egovctl"]


def precompile() -> None:
    """Write egovctl's bytecode, as installing the package does.

    The baselines import typer and sqlmodel from bytecode that pip wrote at install time;
    an editable checkout under ``PYTHONDONTWRITEBYTECODE=1`` (set on some CI machines)
    would otherwise compile egovctl's modules from source in every timed process, some
    30-40 ms that no installed egovctl pays.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "egovctl"), quiet=1)


def clean_env(home: Path) -> dict[str, str]:
    """An environment without the developer's egovctl settings, running this checkout's
    code (from bytecode, see ``precompile``) even if the installed package points elsewhere."""
    precompile()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVCTL_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        COLUMNS="120",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    stdout: str = ""


def run(
    argv: Sequence[str], env: dict[str, str], *, cwd: Path | None = None, capture: bool = False
) -> Run:
    """Run one process to its end: its wall time and its own peak memory (from wait4).

    Output goes to files rather than pipes, so a chatty process never waits on us.
    """
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), env=env, cwd=cwd, stdout=out if capture else subprocess.DEVNULL, stderr=err
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(
                f"failed ({proc.returncode}): {' '.join(argv)}\n"
                f"{err.read().decode(errors='replace')}"
            )
        out.seek(0)
        text = out.read().decode() if capture else ""
    return Run(seconds, usage.ru_maxrss / 1024, text)  # ru_maxrss is in KiB on Linux


@dataclass
class Case:
    name: str
    argv: Sequence[str]
    before: Callable[[], None] | None = None  # untimed preparation before each run
    runs: list[Run] = field(default_factory=list)
    env: dict[str, str] | None = None  # its own environment (another checkout), if any

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.max_rss_mb for r in self.runs)


def floors(modules: str) -> tuple[Case, Case]:
    """The floor a target names, ``python -c "import MODULES"``, and the same process
    without the interpreter's exit-time garbage collection, which egovctl skips (see
    ``egovctl.cli.main``): the targets are ratios to the first; the ratio to the second
    shows egovctl's own work like for like."""
    code = f"import {modules}"
    return (
        Case(f'python -c "{code}"', [sys.executable, "-c", code]),
        Case(
            "  the same, no exit-time collection",
            [sys.executable, "-c", f"{code}; import gc; gc.freeze()"],
        ),
    )


def measure(
    cases: Sequence[Case], env: dict[str, str], runs: int, *, cwd: Path | None = None
) -> None:
    """One warm-up run of each, then ``runs`` rounds running every case once."""
    for case in cases:
        if case.before:
            case.before()
        run(case.argv, case.env or env, cwd=cwd)
    for _ in range(runs):
        for case in cases:
            if case.before:
                case.before()
            case.runs.append(run(case.argv, case.env or env, cwd=cwd))


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)), line]
    for r in rows:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    return "\n".join(out)


def verdict(value: float, limit: float) -> str:
    return "ok" if value <= limit else "MISSED"


def machine() -> str:
    import platform

    return (
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f} at the end"
    )
