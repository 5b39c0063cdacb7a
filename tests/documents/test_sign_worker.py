"""The signing worker (egovctl/documents/sign_worker.py): `print --sign` gets the key ready in
a second process while it renders. It ends with its parent, carries no secret in its
environment nor the parent's database, and its refusals reach the user as one `error:` line;
when it cannot start, the document is signed in the parent as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import egovctl_argv, table_counts
from tests.documents import pki
from tests.documents.test_signing import (  # noqa: F401
    Pki,
    configure,
    documents,
    keys,
    office,
    validate,
)


def _gone(pid: int, within: float = 20.0) -> bool:
    """Whether ``pid`` has ended (a zombie waiting for a reaper has ended too)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_print_signs_in_the_worker(office, keys: Pki, isolated_env: Path) -> None:  # noqa: F811
    from egovctl.documents import sign_worker

    cli, reg = office
    before = sign_worker.started
    assert "signed by Budi Santoso (B-B)" in cli.ok("print", "receipt", reg, "--sign").stdout
    assert sign_worker.started == before + 1
    assert validate(isolated_env / f"bukti-{reg}.pdf", keys).bottom_line  # type: ignore[attr-defined]
    # Without [sign] name, the stamp carries the certificate's name, read in the parent.
    configure(isolated_env, keys, name=None)
    cli.ok("print", "maklumat", "DISDUKCAPIL", "-o", "m.pdf", "--sign")
    assert sign_worker.started == before + 2
    from pypdf import PdfReader

    text = " ".join((PdfReader(str(isolated_env / "m.pdf")).pages[-1].extract_text()).split())
    assert "Ditandatangani secara elektronik oleh Budi Santoso" in text


PARENT = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from egovctl.config import Sign
from egovctl.documents.sign_worker import WorkerSigner

database = open(sys.argv[2], "ab")  # the parent's database file: the worker must not hold it
settings = Sign(key=Path(sys.argv[1]), name="X", verify_url="https://x.example/v/")
worker = WorkerSigner(settings, sys.argv[3], datetime.now(UTC))
print(worker.pid, flush=True)
if sys.argv[4] == "raise":
    time.sleep(1)
    raise SystemExit("the parent gives up without closing anything")
time.sleep(600)
"""


@pytest.mark.parametrize("how", ["killed", "raise"])
def test_worker_ends_with_its_parent(keys: Pki, tmp_path: Path, how: str) -> None:  # noqa: F811
    database = tmp_path / "egovctl.db"
    env = {**os.environ, "EGOVCTL_SIGN_PASSPHRASE": pki.PASSPHRASE, "EGOVCTL_DB": str(database)}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(keys.p12), str(database), pki.PASSPHRASE, how],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        # No secret and no database in the worker: not in its environment, not open.
        environ = Path(f"/proc/{worker}/environ").read_bytes()
        assert pki.PASSPHRASE.encode() not in environ and b"EGOVCTL_DB" not in environ
        held = [os.readlink(f) for f in Path(f"/proc/{worker}/fd").iterdir() if f.is_symlink()]
        assert str(database) not in held
        assert str(keys.p12) not in held
        if how == "killed":
            parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        assert _gone(worker), "the signing worker outlived its parent"
    finally:
        parent.kill()
        parent.wait()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda k, f, m: m.setenv("EGOVCTL_SIGN_PASSPHRASE", "salah"), "the passphrase is wrong"),
        (
            lambda k, f, m: configure(f, k, tsa_url="http://127.0.0.1:9/tsa"),
            "cannot get a timestamp from http://127.0.0.1:9/tsa",
        ),
    ],
    ids=["check", "signature"],
)
def test_worker_refusal_is_one_error_line(
    office,  # noqa: F811
    keys: Pki,  # noqa: F811
    isolated_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    setup,
    message: str,
) -> None:
    """Refused in the worker, either when it checks the key or when it signs: one `error:`
    line, exit 1, nothing written or registered. Through the installed command, as a user
    runs it, so nothing but what the user sees is looked at."""
    cli, reg = office
    setup(keys, isolated_env, monkeypatch)
    before = table_counts(cli.db_url)
    done = subprocess.run(
        egovctl_argv("--db", cli.db_url, "print", "receipt", reg, "--sign"),
        capture_output=True,
        text=True,
        cwd=isolated_env,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert table_counts(cli.db_url) == before
    assert not (isolated_env / f"bukti-{reg}.pdf").exists()


@pytest.mark.parametrize("python", ["/nonexistent/python3", "/bin/false"])
def test_signing_works_when_the_worker_cannot_start(
    office,  # noqa: F811
    keys: Pki,  # noqa: F811
    isolated_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    python: str,
) -> None:
    """No interpreter to start, or one that ends at once without a word: the key is loaded
    and the document signed in this process, with the same result and the same refusals."""
    cli, reg = office
    monkeypatch.setattr(sys, "executable", python)
    assert "signed by Budi Santoso (B-B)" in cli.ok("print", "receipt", reg, "--sign").stdout
    assert validate(isolated_env / f"bukti-{reg}.pdf", keys).bottom_line  # type: ignore[attr-defined]
    (row,) = documents(cli)
    assert row["signer"] == "Budi Santoso"
    monkeypatch.setenv("EGOVCTL_SIGN_PASSPHRASE", "salah")
    result = cli.fails("print", "receipt", reg, "-o", "lagi.pdf", "--sign")
    assert "the passphrase is wrong" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert len(documents(cli)) == 1


def test_worker_speaks_the_terminal_language(
    office,  # noqa: F811
    keys: Pki,  # noqa: F811
    isolated_env: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker's refusals are worded in the worker, in the language egovctl chose."""
    from egovctl.documents import sign_worker

    cli, reg = office
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)
    monkeypatch.setenv("EGOVCTL_SIGN_PASSPHRASE", "salah")
    before = sign_worker.started
    result = cli.fails("print", "receipt", reg, "--sign")
    assert sign_worker.started == before + 1
    assert "tidak dapat dibuka: frasa sandinya salah" in result.stderr
    assert len(result.stderr.splitlines()) == 1
