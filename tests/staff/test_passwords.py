"""Who is acting: passwords, lock-out, login sessions, single-user mode (docs/staff-and-audit.md,
"Who is acting")."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import PROCEDURES, Cli, Clock, table_counts

NIK = "1906034507890001"
ADMIN_PW = "rahasia-admin-1"
LOKET_PW = "rahasia-loket-1"


@pytest.fixture
def guarded(catalogue: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """admin1 and loket1 with passwords; nothing in the environment afterwards."""
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", ADMIN_PW)
    catalogue.ok("staff", "add", "admin1", "--name", "Admin Satu", "--role", "admin")
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", LOKET_PW)
    monkeypatch.setenv("EGOVCTL_PASSWORD", ADMIN_PW)
    catalogue.ok("staff", "add", "loket1", "--name", "Loket", "--role", "counter", user="admin1")
    monkeypatch.delenv("EGOVCTL_NEW_PASSWORD")
    monkeypatch.delenv("EGOVCTL_PASSWORD")
    return catalogue


def _audit(cli: Cli, *args: str) -> list[dict[str, object]]:
    return cli.ok("audit", "log", "--json", *args).json()  # type: ignore[return-value]


def _sessions_dir() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "egovctl" / "sessions"


# Every kind of change, each refused without proof and allowed with it.
MUTATING = [
    ["procedure", "import", str(PROCEDURES)],
    ["procedure", "retire", "DUKCAPIL-KK"],
    ["staff", "add", "x1", "--name", "X", "--role", "clerk"],
    ["staff", "disable", "loket1"],
    ["staff", "role", "loket1", "clerk"],
    ["staff", "password", "loket1"],
    ["calendar", "add", "2026-12-30", "--name", "Tutup"],
    ["request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK],
    ["survey", "record", "--procedure", "DUKCAPIL-KTP-EL", "--scores", "4,4,4,4,4,4,4,4,4"],
    ["db", "backup", "cadangan.db"],
]


@pytest.mark.parametrize("args", MUTATING, ids=lambda a: " ".join(a[:2]))
def test_every_change_needs_proof(
    guarded: Cli, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", "password-baru-1")
    before = table_counts(guarded.db_url)
    err = guarded.fails(*args, user="admin1").stderr
    assert "'admin1' has not proved who they are" in err, err
    assert "egovctl login admin1" in err
    assert table_counts(guarded.db_url) == before
    assert not Path("cadangan.db").exists()
    monkeypatch.setenv("EGOVCTL_PASSWORD", ADMIN_PW)
    guarded.ok(*args, user="admin1")


def test_wrong_password_is_refused_and_recorded(guarded: Cli, monkeypatch) -> None:
    monkeypatch.setenv("EGOVCTL_PASSWORD", "bukan-sandinya")
    before = table_counts(guarded.db_url)["staff"]
    err = guarded.fails("staff", "add", "x1", "--name", "X", "--role", "clerk", user="admin1")
    assert "wrong password for 'admin1' (4 more wrong attempts" in err.stderr
    assert table_counts(guarded.db_url)["staff"] == before
    failed = _audit(guarded, "--action", "login_failed")
    assert len(failed) == 1
    assert failed[0]["entity"] == "staff:admin1"
    assert str(failed[0]["actor"]).startswith("os:")  # not a name anyone proved
    assert failed[0]["details"] == {"reason": "wrong password", "in_a_row": 1}
    # An unknown member and a member of no password are failures too.
    guarded.fails("request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK, user="ghost")
    assert len(_audit(guarded, "--action", "login_failed")) == 2


def test_lock_after_five_failures_and_its_end(
    guarded: Cli, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.travel("2026-11-27T09:00+07:00")
    monkeypatch.setenv("EGOVCTL_PASSWORD", "bukan-sandinya")
    for _ in range(4):
        guarded.fails("whoami", user="loket1")
    err = guarded.fails("whoami", user="loket1").stderr
    assert "5 in a row: the account is locked until 27 November 2026 at 09:15 WIB" in err, err
    locked = _audit(guarded, "--action", "locked")
    assert len(locked) == 1 and locked[0]["entity"] == "staff:loket1"
    # The right password does not open it before the time it names ...
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    clock.shift(minutes=14)
    err = guarded.fails("whoami", user="loket1").stderr
    assert "locked after 5 wrong passwords in a row until 27 November 2026 at 09:15" in err
    listed = guarded.ok("staff", "show", "loket1", "--json").json()
    assert listed["locked_until"] == "2026-11-27T09:15:00+07:00"
    # ... and does after it.
    clock.shift(minutes=1, seconds=1)
    out = guarded.ok("whoami", "--json", user="loket1").json()
    assert out["username"] == "loket1" and out["proved_by"] == "password"
    # The count starts again: one wrong password does not lock.
    monkeypatch.setenv("EGOVCTL_PASSWORD", "bukan-sandinya")
    assert "4 more wrong attempts" in guarded.fails("whoami", user="loket1").stderr


def test_admin_reset_lifts_the_lock(guarded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOVCTL_PASSWORD", "bukan-sandinya")
    for _ in range(5):
        guarded.fails("whoami", user="loket1")
    monkeypatch.setenv("EGOVCTL_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", "sandi-baru-loket")
    guarded.ok("staff", "password", "loket1", user="admin1")
    monkeypatch.setenv("EGOVCTL_PASSWORD", "sandi-baru-loket")
    guarded.ok("request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK, user="loket1")
    changed = _audit(guarded, "--action", "password_changed")
    assert changed[0]["actor"] == "admin1" and changed[0]["details"] == {"reset": True}


def test_own_password_change_and_length_rule(guarded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", "pendek")
    before = table_counts(guarded.db_url)
    err = guarded.fails("staff", "password", user="loket1").stderr
    assert "at least 10 characters" in err and "pendek" not in err
    assert table_counts(guarded.db_url) == before
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", "sepuluh-huruf")
    guarded.ok("staff", "password", user="loket1")
    assert guarded("whoami", user="loket1").exit_code == 1  # the old one no longer works
    monkeypatch.setenv("EGOVCTL_PASSWORD", "sepuluh-huruf")
    guarded.ok("whoami", user="loket1")
    # A counter may not set another's password.
    err = guarded.fails("staff", "password", "admin1", user="loket1").stderr
    assert "may not manage staff" in err


def test_login_session_acts_for_the_shift(
    guarded: Cli, clock: Clock, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    clock.travel("2026-11-27T07:30+07:00")
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    out = guarded.ok("login", "loket1").stdout
    assert "Logged in as loket1 until 27 November 2026 at 16:30 WIB" in out
    monkeypatch.delenv("EGOVCTL_PASSWORD")
    # The token: one private file, the database holds its hash only.
    files = list(_sessions_dir().iterdir())
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(_sessions_dir().stat().st_mode) == 0o700
    token = files[0].read_text().strip()
    assert len(token) >= 40
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM staff_session")).scalars().all()
    engine.dispose()
    assert len(stored) == 1 and token not in stored[0]
    # Commands act as loket1 without --as, and --as loket1 too.
    reg = guarded.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK, "--json"
    ).json()["reg_no"]
    guarded.ok("request", "advance", reg, user="loket1")
    actors = {r["actor"] for r in _audit(guarded, "--entity", f"request:{reg}")}
    assert actors == {"loket1"}
    assert guarded.ok("whoami", "--json").json()["proved_by"] == "session"
    # Another name still needs its own proof.
    assert "not proved" in guarded.fails("staff", "disable", "loket1", user="admin1").stderr
    login = _audit(guarded, "--action", "login")
    assert login[0]["actor"] == "loket1" and login[0]["details"]["os_user"]
    # It lasts [staff] session_hours (9 by default) ...
    clock.shift(hours=8, minutes=59)
    guarded.ok("request", "hold", reg, "--reason", "berkas kurang")
    clock.shift(minutes=2)
    err = guarded.fails("request", "resume", reg).stderr
    assert "has not proved who they are" in err
    assert guarded.ok("whoami", "--json").json()["proved_by"] == "none"
    ended = _audit(guarded, "--action", "session_ended")
    assert ended[0]["details"] == {"reason": "expired"}


def test_session_hours_from_the_config(
    guarded: Cli, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.travel("2026-11-27T07:30+07:00")
    Path("egovctl.toml").write_text("[staff]\nsession_hours = 4\n")
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    out = guarded.ok("login", "loket1", "--json").json()
    assert out["expires_at"] == "2026-11-27T11:30:00+07:00"
    Path("egovctl.toml").write_text("[staff]\nsession_hours = 0\n")
    assert "session_hours" in guarded.fails("whoami").stderr


def test_logout_and_disable_end_the_session(guarded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    guarded.ok("login", "loket1")
    monkeypatch.delenv("EGOVCTL_PASSWORD")
    guarded.ok("whoami")
    assert "Logged out loket1" in guarded.ok("logout").stdout
    assert not list(_sessions_dir().iterdir())
    assert "No login session" in guarded.ok("logout").stdout
    assert guarded.ok("whoami", "--json").json()["proved_by"] == "none"
    # Disabling ends it at once, though the token file is still there.
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    guarded.ok("login", "loket1")
    monkeypatch.setenv("EGOVCTL_PASSWORD", ADMIN_PW)
    guarded.ok("staff", "disable", "loket1", user="admin1")
    monkeypatch.delenv("EGOVCTL_PASSWORD")
    assert list(_sessions_dir().iterdir())
    err = guarded.fails("request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK)
    assert "not proved" in err.stderr
    reasons = [r["details"]["reason"] for r in _audit(guarded, "--action", "session_ended")]
    assert reasons == ["disabled", "logout"]


def test_a_token_others_can_read_is_not_used(guarded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    guarded.ok("login", "loket1")
    monkeypatch.delenv("EGOVCTL_PASSWORD")
    (token,) = _sessions_dir().iterdir()
    token.chmod(0o644)
    assert guarded.ok("whoami", "--json").json()["proved_by"] == "none"


def test_reads_without_proof_are_a_non_members(
    guarded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    reg = guarded.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK, "--json", user="loket1"
    ).json()["reg_no"]
    assert (
        guarded.ok("request", "show", reg, "--json", user="loket1").json()["applicant"]["nik"]
        == NIK
    )
    monkeypatch.delenv("EGOVCTL_PASSWORD")
    for user in ("loket1", None):  # a claim nobody proved, and nobody at all
        shown = guarded.ok("request", "show", reg, "--json", user=user).json()
        assert shown["applicant"]["nik"] == "190603********01"
        assert guarded.ok("request", "list", "--json", user=user).json()


def test_no_password_or_hash_in_any_output(
    guarded: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EGOVCTL_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", "sandi-baru-loket")
    outputs = [
        guarded.ok("staff", "password", "loket1", user="admin1").output,
        guarded.ok("staff", "list", "--json", user="admin1").output,
        guarded.ok("staff", "list", "--csv", user="admin1").output,
        guarded.ok("staff", "list", user="admin1").output,
        guarded.ok("staff", "show", "loket1", "--json", user="admin1").output,
        guarded.ok("audit", "log", "--json", "--limit", "1000", user="admin1").output,
        guarded.ok("audit", "log", user="admin1").output,
        guarded.ok("db", "backup", str(tmp_path / "c.db"), "--json", user="admin1").output,
        guarded.ok("login", "admin1", "--json").output,
        guarded.ok("whoami", "--json").output,
        guarded.ok("export", "open311", str(tmp_path / "o311")).output,
        guarded.ok("config", "show").output,
    ]
    exported = "".join(p.read_text() for p in (tmp_path / "o311").rglob("*") if p.is_file())
    text = "\n".join([*outputs, exported])
    for secret in (ADMIN_PW, LOKET_PW, "sandi-baru-loket", "scrypt$"):
        assert secret not in text
    token = next(_sessions_dir().iterdir()).read_text().strip()
    assert token not in text
    assert json.loads(outputs[1])[0]["password_set"] is True


def test_single_user_mode_is_unchanged(catalogue: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Members without passwords (an office from before them): --as works as it did."""
    added = catalogue("staff", "add", "admin1", "--name", "Admin", "--role", "admin")
    assert added.exit_code == 0 and "admin1 has no password" in added.stderr
    catalogue.ok("staff", "add", "loket1", "--name", "L", "--role", "counter", user="admin1")
    catalogue.ok("request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK, user="loket1")
    assert (
        "'anyone' is not a staff member"
        in catalogue.fails(
            "request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK, user="anyone"
        ).stderr
    )
    assert catalogue.ok("whoami", "--json", user="loket1").json()["proved_by"] == "single-user"
    monkeypatch.setenv("EGOVCTL_PASSWORD", ADMIN_PW)
    assert "nothing to log in to" in catalogue.fails("login", "admin1").stderr


def test_first_password_is_an_admins_then_members_without_one_cannot_act(
    catalogue: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue.ok("staff", "add", "admin1", "--name", "Admin", "--role", "admin")
    catalogue.ok("staff", "add", "loket1", "--name", "L", "--role", "counter", user="admin1")
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", LOKET_PW)
    err = catalogue.fails("staff", "password", user="loket1").stderr
    assert "set an admin's password first" in err
    catalogue.ok("staff", "password", user="admin1")  # now the database is guarded
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    err = catalogue.fails("whoami", user="loket1").stderr
    assert "has no password yet" in err and "egovctl staff password loket1" in err
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    catalogue.ok("staff", "password", "loket1", user="admin1")
    catalogue.ok("request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK, user="loket1")


def test_the_last_admin_who_can_act_is_protected(
    guarded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EGOVCTL_NEW_PASSWORD", raising=False)
    monkeypatch.setenv("EGOVCTL_PASSWORD", ADMIN_PW)
    added = guarded("staff", "add", "admin2", "--name", "A2", "--role", "admin", user="admin1")
    assert added.exit_code == 0 and "admin2 has no password" in added.stderr
    err = guarded.fails("staff", "disable", "admin1", user="admin1").stderr
    assert "last active admin who can act" in err


def test_db_upgrade_says_what_passwords_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egovctl.db import Database
    from tests.conftest import BACKEND

    if BACKEND != "sqlite":
        pytest.skip("migrates a SQLite file of its own")
    path = tmp_path / "lama.db"
    old = Database(f"sqlite:///{path}")
    old.migrate("0008")
    from sqlalchemy import text

    with old.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO staff (username, name, role, active, created_at) "
                "VALUES ('admin1', 'Admin', 'admin', 1, '2026-01-01 00:00:00.000000')"
            )
        )
    old.dispose()
    cli = Cli(f"sqlite:///{path}")
    out = cli.ok("db", "upgrade", user="admin1").stdout
    assert "Until an admin has one, egovctl stays in single-user mode" in out
    assert "(1 member has none yet)" in out
    cli.ok("calendar", "add", "2026-12-30", "--name", "Tutup", user="admin1")


def test_passwords_are_asked_on_a_terminal(guarded: Cli) -> None:
    """On a terminal the password is asked without echo; the wrong one is refused."""
    pexpect = pytest.importorskip("pexpect")
    from tests.conftest import egovctl_argv

    def run(*args: str) -> pexpect.spawn:
        argv = egovctl_argv("--db", guarded.db_url, *args)
        return pexpect.spawn(argv[0], argv[1:], env=dict(os.environ), encoding="utf-8", timeout=30)

    child = run("login", "loket1")
    child.expect("Password for loket1: ")
    child.sendline(LOKET_PW)
    child.expect("Logged in as loket1 until")
    child.expect(pexpect.EOF)
    assert LOKET_PW not in (child.before or "")
    child.close()
    assert child.exitstatus == 0
    assert guarded.ok("whoami", "--json").json()["username"] == "loket1"

    # --as asks for the acting member's password, then the new member's twice.
    child = run("--as", "admin1", "staff", "add", "baru1", "--name", "Baru", "--role", "clerk")
    child.expect("Password for admin1: ")
    child.sendline(ADMIN_PW)
    child.expect("First password for baru1: ")
    child.sendline("sandi-baru-satu")
    child.expect("Repeat it: ")
    child.sendline("sandi-baru-satu")
    child.expect("added baru1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    child = run("--as", "admin1", "staff", "disable", "baru1")
    child.expect("Password for admin1: ")
    child.sendline("salah-sandinya")
    child.expect("error: wrong password for 'admin1'")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert guarded.ok("staff", "show", "baru1", "--json").json()["active"] is True


def test_own_change_in_a_session_asks_the_current_password(
    guarded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    guarded.ok("login", "loket1")
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", "sandi-baru-loket")
    monkeypatch.delenv("EGOVCTL_PASSWORD")
    err = guarded.fails("staff", "password").stderr
    assert "no password given" in err and "EGOVCTL_PASSWORD" in err
    monkeypatch.setenv("EGOVCTL_PASSWORD", "bukan-sandinya")
    assert "wrong password for 'loket1'" in guarded.fails("staff", "password").stderr
    monkeypatch.setenv("EGOVCTL_PASSWORD", LOKET_PW)
    guarded.ok("staff", "password")
    monkeypatch.setenv("EGOVCTL_PASSWORD", "sandi-baru-loket")
    assert guarded.ok("whoami", "--json", user="loket1").json()["proved_by"] == "session"
