"""Publishing into a folder: a full or read-only disk, and what a killed publish leaves."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli

# Both commands write through egovctl.public.outdir.replace_dir.
WRITERS = [("publish", "site"), ("export", "open311")]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of its own (tmpfs, 4 MiB), so that it can be filled or made
    read-only without touching anything else."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=True)


def _fill(disk: Path) -> Path:
    """Take every free byte of ``disk``."""
    filler = disk / "filler"
    chunk = b"\0" * 65536
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(chunk)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        try:
            while True:  # the last partial chunk
                fh.write(b"\0" * 512)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("noun", "verb"), WRITERS)
def test_a_full_disk_is_one_line_and_keeps_what_was_there(
    catalogue: Cli, small_disk: Path, noun: str, verb: str
) -> None:
    out = small_disk / "out"
    catalogue.ok(noun, verb, str(out))
    before = _files(out)
    filler = _fill(small_disk)
    result = catalogue.fails(noun, verb, str(out))
    assert result.stderr == (
        f"error: cannot write {out}: No space left on device; what was there is left as it was\n"
    )
    assert _files(out) == before
    assert _hidden(small_disk) == []  # the half-built copy is gone
    filler.unlink()
    catalogue.ok(noun, verb, str(out))


@pytest.mark.parametrize(("noun", "verb"), WRITERS)
def test_a_full_disk_on_the_first_publish(
    catalogue: Cli, small_disk: Path, noun: str, verb: str
) -> None:
    _fill(small_disk)
    out = small_disk / "new"
    result = catalogue.fails(noun, verb, str(out))
    assert result.stderr.startswith(f"error: cannot write {out}: No space left on device")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


@pytest.mark.parametrize(("noun", "verb"), WRITERS)
def test_a_read_only_folder(catalogue: Cli, small_disk: Path, noun: str, verb: str) -> None:
    out = small_disk / "out"
    catalogue.ok(noun, verb, str(out))
    before = _files(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = catalogue.fails(noun, verb, str(out))
    assert result.stderr == (
        f"error: cannot write {out}: Read-only file system; what was there is left as it was\n"
    )
    assert _files(out) == before


def _killed_publish(db_url: str, out: Path) -> None:
    """``publish site`` killed (SIGKILL) half-way through writing the new copy."""
    script = f"""if True:
        import os, signal
        from egovctl.config import load_config
        from egovctl.db import Database
        from egovctl.public import site

        def killed(folder, *args):
            (folder / "index.html").write_text("half", encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)

        site._build_site = killed
        url = {db_url!r}
        site.publish_site(Database(url), "tester", load_config(cli_db=url, env={{}}), {str(out)!r})
    """
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -9, done.stderr


def test_the_next_publish_removes_what_a_killed_one_left(
    catalogue: Cli, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "s"
    catalogue.ok("publish", "site", str(out))
    _killed_publish(db_url, out)
    [left] = _hidden(tmp_path)
    assert left.startswith(".s.new-") and (tmp_path / left / "index.html").is_file()
    # Killed between the two renames of a swap: the previous copy, set aside.
    (tmp_path / ".s.old-0123456789ab").mkdir()
    # Not its own: other names, another target's folders, a file.
    others = [".s.new-keep", ".sx.new-abcd1234", ".t.new-abcd1234", ".s.backup"]
    for name in others:
        (tmp_path / name).mkdir()
    (tmp_path / ".s.new-abcd5678").write_text("a file, not a folder", encoding="utf-8")
    catalogue.ok("publish", "site", str(out))
    assert _hidden(tmp_path) == sorted([*others, ".s.new-abcd5678"])
    assert (out / "index.html").read_text(encoding="utf-8") != "half"


def test_a_publish_running_beside_keeps_its_folder(catalogue: Cli, tmp_path: Path) -> None:
    """While another publish holds the folder, a half-built copy may be its work."""
    import fcntl

    out = tmp_path / "s"
    building = tmp_path / ".s.new-abcd1234"
    building.mkdir()
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as the other publish does
        catalogue.ok("publish", "site", str(out))
        assert building.is_dir()
    finally:
        os.close(fd)
    catalogue.ok("publish", "site", str(out))
    assert not building.exists()
