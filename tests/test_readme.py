"""The README's quick start works as written, in any year."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, Clock, egovctl_argv, sqlite_only


def quick_start() -> str:
    """The shell line under "Install and quick start", without its `pip install -e . &&`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Install and quick start", 1)[1]
    line = re.search(r"```sh\n(.+?)\n```", section, re.DOTALL)
    assert line is not None, "the quick start has no ```sh block"
    install, _, commands = line.group(1).partition(" && ")
    assert install == "pip install -e .", install
    return commands


def _shim(folder: Path, name: str, argv: list[str]) -> None:
    """A command on PATH, as `pip install` makes one, but running `argv`."""
    script = folder / name
    script.write_text(f'#!/bin/sh\nexec {shlex.join(argv)} "$@"\n', encoding="utf-8")
    script.chmod(0o755)


@sqlite_only  # the quick start uses the default database, a SQLite file
def test_quick_start_runs_in_another_year(clock: Clock, isolated_env: Path) -> None:
    clock.travel("2027-01-04T09:00+07:00")
    bin_dir = isolated_env.parent / "bin"
    bin_dir.mkdir()
    _shim(bin_dir, "egovctl", egovctl_argv())
    _shim(bin_dir, "python", [sys.executable])
    (isolated_env / "procedures").symlink_to(ROOT / "procedures")
    env = {k: v for k, v in os.environ.items() if k != "EGOVCTL_TEST_PG"}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        ["sh", "-c", quick_start()],
        cwd=isolated_env,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "DISDUKCAPIL-2027-000001" in done.stdout, done.stdout
    assert (isolated_env / "bukti-DISDUKCAPIL-2027-000001.pdf").stat().st_size > 0
