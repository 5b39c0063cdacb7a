"""Real servers on loopback for the notification tests: an HTTP gateway that records what it
is sent and answers as a test tells it (200, 500, 401, 400, or not at all), and an SMTP
server (aiosmtpd) that keeps the e-mails it receives."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.conftest import Cli

NIK = "1906034507890001"
PHONE = "0812-3456-7890"
E164 = "+6281234567890"


class Gateway:
    """A WhatsApp/SMS gateway on 127.0.0.1. ``answers`` are used one per call, then
    ``default``: an HTTP status, ``"hang"`` (never answers) or ``"block"`` (records the call,
    signals ``received``, and answers only once ``release`` is set)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.answers: list[int | str] = []
        self.default: int | str = 200
        self.delay = 0.0  # seconds before each answer
        self.body: dict[str, Any] = {"ok": True}
        self.lock = threading.Lock()
        self.received = threading.Event()
        self.release = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                body: Any = (
                    json.loads(raw)
                    if "json" in kind
                    else {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                )
                call = {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
                with gateway.lock:
                    gateway.calls.append(call)
                    answer = gateway.answers.pop(0) if gateway.answers else gateway.default
                if gateway.delay:
                    time.sleep(gateway.delay)
                if answer == "hang":
                    gateway.release.wait(10)
                    return
                if answer == "block":
                    gateway.received.set()
                    gateway.release.wait(10)
                    answer = 200
                assert isinstance(answer, int)
                data = json.dumps(gateway.body).encode()
                self.send_response(answer)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """What the SMTP server received; addresses in ``refuse`` get a 550."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def write_config(path: Path, text: str) -> None:
    (path / "egovctl.toml").write_text(text, encoding="utf-8")


def webhook_config(url: str, extra: str = "", notify: str = "") -> str:
    return (
        f"[notify]\nretry_seconds = 60\ntimeout = 0.5\n{notify}\n"
        f'[notify.wa]\ngateway = "webhook"\nurl = "{url}/send"\n{extra}'
    )


def log_with(cli: Cli, *extra: str, nik: str = NIK, procedure: str = "DUKCAPIL-KTP-EL") -> str:
    data = cli.ok(
        "request", "log", procedure, "--name", "Siti Aminah", "--nik", nik, *extra, "--json"
    ).json()
    assert isinstance(data, dict)
    return str(data["reg_no"])


def messages(cli: Cli, *extra: str) -> list[dict[str, Any]]:
    rows = cli.ok("notify", "list", "--limit", "1000", *extra, "--json").json()
    assert isinstance(rows, list)
    return sorted(rows, key=lambda r: r["id"])
