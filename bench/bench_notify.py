"""Benchmark notifications to applicants (issue 17, "Performance").

Times whole processes, medians of ``--runs`` interleaved rounds, beside the floor
``python -c "import typer, sqlmodel"`` measured in the same run:

- ``request advance REG`` that finishes a request's last step (it becomes ``ready``) for an
  applicant who agreed to WhatsApp messages, so the ``ready`` message is queued in the move's
  transaction, against the same move for an applicant without consent (target: the queueing
  adds at most 5 %). Each timed process moves another request, prepared untimed.
- ``notify send`` of ``--messages`` (default 1,000) queued messages to a webhook gateway on
  127.0.0.1 started by this script (a threaded HTTP server answering 200), target < 10 s;
  the messages are put back to ``pending`` (untimed) before each round.

The database is a SQLite file holding the bundled catalogue and ``--requests`` background
requests (default 20,000) logged in-process, so the tables are not empty.

Usage:
    python bench/bench_notify.py [--runs 9] [--messages 1000] [--requests 20000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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

TZ = "Asia/Jakarta"
PROCEDURE = "DUKCAPIL-KTP-EL"


def _nik(i: int) -> str:
    return f"190603{(i % 28) + 1:02d}0{(i % 12) + 1}{90 + i % 10:02d}{i % 10000:04d}"


def prepare(db: Path, background: int, per_kind: int) -> dict[str, list[str]]:
    """The catalogue, ``background`` requests, and ``per_kind`` requests at their last step
    with and without consent: the ones the timed ``advance`` processes finish."""
    from egovctl.catalogue.store import import_catalogue
    from egovctl.db import Database
    from egovctl.notify.addresses import Consent
    from egovctl.requests.service import Applicant, log_request, transition

    database = Database(f"sqlite:///{db}")
    database.migrate()
    import_catalogue(database, "bench", [str(ROOT / "procedures")])
    for i in range(background):
        log_request(database, "bench", PROCEDURE, Applicant(f"Pemohon {i}", _nik(i)), tz=TZ)
    regs: dict[str, list[str]] = {"consent": [], "none": []}
    for i in range(per_kind * 2):
        kind = "consent" if i % 2 == 0 else "none"
        consent = Consent("wa", "+6281234567890") if kind == "consent" else None
        data = log_request(
            database,
            "bench",
            PROCEDURE,
            Applicant(f"Uji {i}", _nik(background + i), phone="+6281234567890"),
            tz=TZ,
            consent=consent,
        )
        for _ in range(data["steps"] - 1):
            transition(database, "bench", data["reg_no"], "advance", tz=TZ)
        regs[kind].append(data["reg_no"])
    database.dispose()
    return regs


def in_process(db: Path, n: int) -> dict[str, float]:
    """Median milliseconds of one ``advance`` to ready in this process (no start-up), with
    and without consent, interleaved, and of the consent look-up alone: the move's own cost
    of queueing, free of the noise of starting a process."""
    import statistics
    import time

    from egovctl.db import Database
    from egovctl.notify.outbox import consent_of
    from egovctl.requests.service import transition

    extra = prepare_more(db, n)
    database = Database(f"sqlite:///{db}")
    times: dict[str, list[float]] = {"consent": [], "none": []}
    for consent_reg, plain_reg in zip(extra["consent"], extra["none"], strict=True):
        for kind, reg in (("consent", consent_reg), ("none", plain_reg)):
            start = time.perf_counter()
            transition(database, "bench", reg, "advance", tz=TZ)
            times[kind].append((time.perf_counter() - start) * 1000)
    lookups = []
    with database.read() as session:
        for rid in range(1, 200):
            start = time.perf_counter()
            consent_of(session, rid)
            lookups.append((time.perf_counter() - start) * 1000)
    database.dispose()
    return {
        "consent": statistics.median(times["consent"]),
        "none": statistics.median(times["none"]),
        "lookup": statistics.median(lookups),
    }


def prepare_more(db: Path, per_kind: int) -> dict[str, list[str]]:
    """``per_kind`` more requests at their last step, with and without consent."""
    from egovctl.db import Database
    from egovctl.notify.addresses import Consent
    from egovctl.requests.service import Applicant, log_request, transition

    database = Database(f"sqlite:///{db}")
    regs: dict[str, list[str]] = {"consent": [], "none": []}
    for i in range(per_kind * 2):
        kind = "consent" if i % 2 == 0 else "none"
        consent = Consent("wa", "+6281234567890") if kind == "consent" else None
        data = log_request(
            database,
            "bench",
            PROCEDURE,
            Applicant(f"Lagi {i}", _nik(900_000 + i), phone="+6281234567890"),
            tz=TZ,
            consent=consent,
        )
        for _ in range(data["steps"] - 1):
            transition(database, "bench", data["reg_no"], "advance", tz=TZ)
        regs[kind].append(data["reg_no"])
    database.dispose()
    return regs


def queue_messages(db: Path, n: int) -> None:
    """``n`` pending WhatsApp messages (copies of a real ``logged`` one)."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("DELETE FROM notify_message")
        rid, reg = conn.execute("SELECT id, reg_no FROM service_request LIMIT 1").fetchone()
        data = json.dumps({"reg_no": reg, "procedure": "Penerbitan KTP", "due_date": "2026-12-07"})
        conn.executemany(
            "INSERT INTO notify_message (request_id, reg_no, event, channel, address, data, "
            "status, attempts, next_attempt_at, created_at) VALUES "
            "(?, ?, 'logged', 'wa', '+6281234567890', ?, 'pending', 0, "
            "'2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
            [(rid, reg, data)] * n,
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


class Webhook:
    """A gateway on 127.0.0.1 that answers every POST with 200 and counts them."""

    def __init__(self) -> None:
        self.count = 0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real gateways allow
            disable_nagle_algorithm = True  # one segment per answer: no delayed-ACK stall

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hook.count += 1
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/send"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="egovctl-bench-notify-"))
    env = clean_env(work / "home")
    db = work / "notify.db"
    print(f"preparing {db} ({args.requests:,} requests) ...", flush=True)
    regs = prepare(db, args.requests, args.runs + 1)
    hook = Webhook()
    (work / "egovctl.toml").write_text(
        f'[notify.wa]\ngateway = "webhook"\nurl = "{hook.url}"\n', encoding="utf-8"
    )

    def advance(kind: str) -> Case:
        argv = [*egovctl(), "--db", str(db), "request", "advance", "REG"]
        pool = list(regs[kind])

        def next_reg() -> None:
            argv[-1] = pool.pop()

        label = "with consent (queues)" if kind == "consent" else "without consent"
        return Case(f"request advance -> ready, {label}", argv, before=next_reg)

    floor, floor_nogc = floors("typer, sqlmodel")
    with_consent, without = advance("consent"), advance("none")
    send = Case(
        f"notify send ({args.messages:,} messages)",
        [*egovctl(), "--db", str(db), "notify", "send", "--json"],
        before=lambda: queue_messages(db, args.messages),
    )
    cases = [floor, floor_nogc, without, with_consent]
    measure(cases, env, args.runs, cwd=work)
    send_runs = max(3, args.runs // 3)
    measure([send], env, send_runs, cwd=work)
    queue_messages(db, args.messages)
    summary = json.loads(run(send.argv, env, cwd=work, capture=True).stdout)
    assert summary["sent"] == args.messages, summary
    added = with_consent.median / without.median - 1
    rows = [
        [
            c.name,
            f"{c.median * 1000:.0f} ms",
            f"{c.median / floor.median:.2f}x",
            f"{c.peak_mb:.0f} MB",
        ]
        for c in [*cases, send]
    ]
    print(f"bench_notify.py, {date.today()}: {args.requests:,} background requests")
    print(table(rows, ["process", "median", "vs floor", "peak RSS"]))
    print(
        f"queueing adds {added * 100:+.1f} % to request advance (target <= 5 %): "
        f"{verdict(added, 0.05)}"
    )
    print(
        f"notify send of {args.messages:,}: {send.median:.2f} s, "
        f"{args.messages / send.median:.0f} messages/s (target < 10 s): "
        f"{verdict(send.median, 10.0)}; the gateway received {hook.count:,} calls"
    )
    inner = in_process(db, 60)
    print(
        f"in process (no start-up), median of 60: advance to ready {inner['none']:.2f} ms "
        f"without consent, {inner['consent']:.2f} ms with (the message queued): "
        f"{inner['consent'] - inner['none']:+.2f} ms, "
        f"{(inner['consent'] - inner['none']) / without.median / 10:+.2f} % of the process; "
        f"the consent look-up every move makes: {inner['lookup']:.3f} ms"
    )
    print(machine())


if __name__ == "__main__":
    main()
