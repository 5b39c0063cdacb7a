"""Senders at once and senders that die: every message goes out exactly once, except the one
a killed sender had handed to the gateway, which goes again with the same Idempotency-Key."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections import Counter
from pathlib import Path

from tests.conftest import ROOT, Cli, Clock, egovctl_argv
from tests.notify.conftest import PHONE, Gateway, log_with, messages, webhook_config, write_config


def _queue_many(cli: Cli, n: int) -> list[int]:
    """One request with consent, and ``n - 1`` more copies of its logged message."""
    from sqlalchemy import create_engine, insert, select

    from egovctl.models import NotifyMessage

    log_with(cli, "--phone", PHONE, "--notify", "wa")
    t = NotifyMessage.__table__
    engine = create_engine(cli.db_url)
    try:
        with engine.begin() as conn:
            row = conn.execute(select(t)).one()._asdict()
            del row["id"]
            conn.execute(insert(t), [row] * (n - 1))
            return list(conn.execute(select(t.c.id).order_by(t.c.id)).scalars())
    finally:
        engine.dispose()


def _sender(cli: Cli, work: Path) -> subprocess.Popen[str]:
    # This checkout's egovctl, whatever the installed one is.
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.Popen(
        egovctl_argv("--db", cli.db_url, "notify", "send", "--json"),
        cwd=work,
        env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_senders_at_once_send_each_message_once(
    catalogue: Cli, gateway: Gateway, isolated_env: Path
) -> None:
    write_config(isolated_env, webhook_config(gateway.url))
    ids = _queue_many(catalogue, 80)
    gateway.delay = 0.005
    senders = [_sender(catalogue, isolated_env) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in senders]
    for (_out, err), p in zip(results, senders, strict=True):
        assert p.returncode == 0, err
    sent = [json.loads(out)["sent"] for out, _err in results]
    assert sum(sent) == len(ids)
    keys = Counter(int(c["headers"]["idempotency-key"]) for c in gateway.calls)
    assert sorted(keys) == ids and set(keys.values()) == {1}
    assert {r["status"] for r in messages(catalogue)} == {"sent"}


def test_a_sender_killed_mid_send_resends_only_that_message(
    catalogue: Cli, gateway: Gateway, isolated_env: Path, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    write_config(isolated_env, webhook_config(gateway.url))
    ids = _queue_many(catalogue, 30)
    gateway.answers = ["block"]  # the first call is accepted, then its sender dies
    victim = _sender(catalogue, isolated_env)
    assert gateway.received.wait(30), victim.communicate(timeout=5)
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    gateway.release.set()
    first = int(gateway.calls[0]["headers"]["idempotency-key"])
    rows = {r["id"]: r for r in messages(catalogue)}
    assert rows[first]["status"] == "sending"
    # Another run at once leaves the dead sender's claim alone until its lease runs out ...
    out = catalogue.ok("notify", "send", "--json").json()
    assert out["sent"] == len(ids) - len([r for r in rows.values() if r["status"] == "sending"])
    clock.shift(minutes=16)
    # ... then takes it over.
    catalogue.ok("notify", "send", "--json")
    keys = Counter(int(c["headers"]["idempotency-key"]) for c in gateway.calls)
    assert sorted(keys) == ids
    assert keys[first] == 2
    assert all(n == 1 for key, n in keys.items() if key != first)
    assert {r["status"] for r in messages(catalogue)} == {"sent"}
