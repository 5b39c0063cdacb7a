"""`notify send` against real servers on loopback: the webhook, WAHA and Fonnte gateways and
an SMTP server; retries with back-off, permanent failures, and a set-up that cannot work."""

from __future__ import annotations

import pytest

from tests.conftest import Cli, Clock
from tests.notify.conftest import (
    E164,
    PHONE,
    Gateway,
    Mailbox,
    log_with,
    messages,
    webhook_config,
    write_config,
)

NIK2 = "1906031203850002"


def send(cli: Cli, *extra: str) -> dict:
    data = cli.ok("notify", "send", *extra, "--json").json()
    assert isinstance(data, dict)
    return data


def test_webhook_gets_the_spec_json_with_idempotency_key(
    catalogue: Cli, gateway: Gateway, isolated_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVCTL_WA_TOKEN", "rahasia")
    write_config(isolated_env, webhook_config(gateway.url))
    reg = log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    summary = send(catalogue)
    assert summary["sent"] == 1 and summary["channels"]["wa"]["sent"] == 1
    (call,) = gateway.calls
    (row,) = messages(catalogue)
    assert call["path"] == "/send"
    assert call["headers"]["idempotency-key"] == str(row["id"])
    assert call["headers"]["authorization"] == "Bearer rahasia"
    assert call["body"] == {
        "id": row["id"],
        "to": E164,
        "text": row["text"],
        "reg_no": reg,
        "event": "logged",
    }
    assert row["status"] == "sent" and row["sent_at"] and row["attempts"] == 1
    assert send(catalogue)["sent"] == 0  # nothing twice
    assert len(gateway.calls) == 1
    out = catalogue.ok("notify", "send").stdout
    assert "0 sent" in out


def test_500_then_success_after_the_back_off(
    catalogue: Cli, gateway: Gateway, isolated_env, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    write_config(isolated_env, webhook_config(gateway.url))
    gateway.answers = [500, 500]
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    first = send(catalogue)
    assert first["retried"] == 1 and "HTTP 500" in first["errors"][0]
    (row,) = messages(catalogue)
    assert row["status"] == "pending" and row["attempts"] == 1 and "HTTP 500" in row["error"]
    assert send(catalogue)["retried"] == 0  # not due yet: 60 s
    clock.shift(seconds=61)
    assert send(catalogue)["retried"] == 1
    clock.shift(seconds=61)
    assert send(catalogue)["retried"] == 0  # the second delay is 120 s
    clock.shift(seconds=60)
    assert send(catalogue)["sent"] == 1
    (row,) = messages(catalogue)
    assert row["status"] == "sent" and row["attempts"] == 3 and row["error"] is None
    assert len(gateway.calls) == 3
    assert len({c["headers"]["idempotency-key"] for c in gateway.calls}) == 1


def test_gives_up_after_max_attempts(
    catalogue: Cli, gateway: Gateway, isolated_env, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    write_config(isolated_env, webhook_config(gateway.url, notify="max_attempts = 2"))
    gateway.default = 503
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    send(catalogue)
    clock.shift(minutes=5)
    assert send(catalogue)["failed"] == 1
    (row,) = messages(catalogue)
    assert row["status"] == "failed" and "gave up after 2 attempts" in row["error"]


def test_4xx_fails_at_once(catalogue: Cli, gateway: Gateway, isolated_env) -> None:
    write_config(isolated_env, webhook_config(gateway.url))
    gateway.default = 422
    gateway.body = {"error": "nomor tidak terdaftar di WhatsApp"}
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    summary = send(catalogue)
    assert summary["failed"] == 1
    (row,) = messages(catalogue)
    assert row["status"] == "failed" and row["attempts"] == 1
    assert "refused the message (HTTP 422)" in row["error"]
    assert "nomor tidak terdaftar" in row["error"]


def test_401_holds_the_channel_without_using_attempts(
    catalogue: Cli, gateway: Gateway, isolated_env
) -> None:
    write_config(isolated_env, webhook_config(gateway.url))
    gateway.default = 401
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    log_with(catalogue, "--phone", PHONE, "--notify", "wa", nik=NIK2)
    summary = send(catalogue)
    assert summary["held"] == 2 and summary["sent"] == summary["failed"] == 0
    assert len(gateway.calls) == 1  # the channel stopped at the first refusal
    assert "refused the token (HTTP 401): check EGOVCTL_WA_TOKEN" in summary["errors"][0]
    for row in messages(catalogue):
        assert row["status"] == "pending" and row["attempts"] == 0
        assert "EGOVCTL_WA_TOKEN" in row["error"]
    err = catalogue.ok("notify", "send").stderr
    assert err == ""  # held until the retry delay: nothing due


def test_a_gateway_that_never_answers_times_out_and_is_retried(
    catalogue: Cli, gateway: Gateway, isolated_env
) -> None:
    write_config(isolated_env, webhook_config(gateway.url))
    gateway.default = "hang"
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    summary = send(catalogue)
    assert summary["retried"] == 1
    (row,) = messages(catalogue)
    assert row["status"] == "pending" and "did not answer within 0.5 s" in row["error"]


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ('[notify.wa]\ngateway = "fontee"\nurl = "http://x"\n', "unknown gateway 'fontee'"),
        ('[notify.wa]\ngateway = "webhook"\n', "no url for the webhook gateway in [notify.wa]"),
        ("", "no WhatsApp gateway"),
        ('[notify.wa]\ngateway = "waha"\nurl = "ftp://x"\n', "is not an http:// or https://"),
    ],
)
def test_bad_gateway_config_is_a_clear_error_on_the_message(
    catalogue: Cli, isolated_env, config: str, problem: str
) -> None:
    write_config(isolated_env, config)
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    result = catalogue.ok("notify", "send")
    assert "1 held back" in result.stdout
    assert problem in result.stderr and result.stderr.startswith("warning: wa: ")
    (row,) = messages(catalogue)
    assert row["status"] == "pending" and row["attempts"] == 0 and problem in row["error"]


def test_bad_config_value_types_are_errors(catalogue: Cli, isolated_env) -> None:
    write_config(isolated_env, "[notify]\nmax_attempts = 0\n")
    err = catalogue.fails("notify", "send").stderr
    assert "'notify.max_attempts' must be a whole number from 1 to 50" in err
    write_config(isolated_env, '[notify.email]\nport = "587"\n')
    assert "'notify.email.port' must be a whole number" in catalogue.fails("notify", "send").stderr


def test_waha_and_fonnte_speak_their_apis(
    catalogue: Cli, gateway: Gateway, isolated_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVCTL_WA_TOKEN", "kunci-waha")
    monkeypatch.setenv("EGOVCTL_SMS_TOKEN", "kunci-fonnte")
    write_config(
        isolated_env,
        f'[notify.wa]\ngateway = "waha"\nurl = "{gateway.url}"\nsession = "kantor"\n'
        f'[notify.sms]\ngateway = "fonnte"\nurl = "{gateway.url}/send"\n',
    )
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    log_with(catalogue, "--phone", PHONE, "--notify", "sms", nik=NIK2)
    gateway.body = {"status": True}
    assert send(catalogue)["sent"] == 2
    waha, fonnte = sorted(gateway.calls, key=lambda c: c["path"])
    assert waha["path"] == "/api/sendText" and waha["headers"]["x-api-key"] == "kunci-waha"
    assert waha["body"]["chatId"] == "6281234567890@c.us"
    assert waha["body"]["session"] == "kantor" and "SUDAH" not in waha["body"]["text"]
    assert fonnte["path"] == "/send" and fonnte["headers"]["authorization"] == "kunci-fonnte"
    assert fonnte["body"]["target"] == "6281234567890" and fonnte["body"]["message"]


def test_fonnte_status_false_is_a_failure_with_its_reason(
    catalogue: Cli, gateway: Gateway, isolated_env
) -> None:
    write_config(isolated_env, f'[notify.wa]\ngateway = "fonnte"\nurl = "{gateway.url}/send"\n')
    gateway.body = {"status": False, "reason": "target invalid"}
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    assert send(catalogue)["failed"] == 1
    (row,) = messages(catalogue)
    assert row["status"] == "failed" and "target invalid" in row["error"]


def test_email_over_smtp(
    catalogue: Cli, smtp: tuple[Mailbox, int], isolated_env, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    box, port = smtp
    write_config(
        isolated_env,
        "[notify]\nretry_seconds = 60\n[notify.email]\n"
        f'host = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        'sender = "Mal Pelayanan Publik <mpp@beltimkab.go.id>"\n',
    )
    reg = log_with(catalogue, "--notify", "email", "--email", "siti@contoh.go.id")
    box.refuse.add("salah@contoh.go.id")
    log_with(catalogue, "--notify", "email", "--email", "salah@contoh.go.id", nik=NIK2)
    summary = send(catalogue)
    assert summary["sent"] == 1 and summary["failed"] == 1
    (mail,) = box.messages
    assert mail["To"] == "siti@contoh.go.id"
    assert mail["From"] == "Mal Pelayanan Publik <mpp@beltimkab.go.id>"
    assert reg in mail["Subject"]
    body = mail.get_content()
    assert reg in body and "diterima" in body
    good, bad = messages(catalogue)
    assert good["status"] == "sent" and mail["Idempotency-Key"] == str(good["id"])
    assert bad["status"] == "failed" and "550" in bad["error"]


def test_unreachable_smtp_server_is_retried(catalogue: Cli, isolated_env) -> None:
    from tests.notify.conftest import free_port

    write_config(
        isolated_env,
        f'[notify.email]\nhost = "127.0.0.1"\nport = {free_port()}\nstarttls = false\n'
        'sender = "mpp@beltimkab.go.id"\n',
    )
    log_with(catalogue, "--notify", "email", "--email", "siti@contoh.go.id")
    summary = send(catalogue)
    assert summary["retried"] == 1 and "cannot reach the SMTP server" in summary["errors"][0]


def test_notify_list_masks_contacts_for_counter_staff(
    catalogue: Cli, isolated_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    monkeypatch.setenv("EGOVCTL_NEW_PASSWORD", "kata-sandi-panjang")
    monkeypatch.setenv("EGOVCTL_PASSWORD", "kata-sandi-panjang")
    catalogue.ok("staff", "add", "admin1", "--name", "Admin", "--role", "admin")
    catalogue.ok("staff", "add", "loket1", "--name", "Loket", "--role", "counter", user="admin1")
    (row,) = catalogue.ok("notify", "list", "--json", user="loket1").json()
    assert row["to"] == "+62812****7890"
    (row,) = catalogue.ok("notify", "list", "--json", user="admin1").json()
    assert row["to"] == E164
    err = catalogue.fails("notify", "send", user="loket1").stderr
    assert "may not send notifications" in err
    err = catalogue.fails("notify", "list", "--status", "sent", "--reg", "X", user="nobody")
    assert "'nobody'" in err.stderr  # not a member: refused, whichever way it is said


def test_report_summary_counts_messages_per_channel(
    catalogue: Cli, gateway: Gateway, isolated_env, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    write_config(isolated_env, webhook_config(gateway.url))
    gateway.answers = [200, 400]
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    log_with(catalogue, "--phone", PHONE, "--notify", "wa", nik=NIK2)
    log_with(catalogue, "--phone", PHONE, "--notify", "sms", nik="1906034507890003")
    send(catalogue)
    data = catalogue.ok("report", "summary", "--period", "2026-12", "--json").json()
    assert data["notifications"] == {
        "wa": {"sent": 1, "failed": 1, "pending": 0},
        "sms": {"sent": 0, "failed": 0, "pending": 1},
        "email": {"sent": 0, "failed": 0, "pending": 0},
    }
    out = catalogue.ok("report", "summary", "--period", "2026-12").stdout
    assert "Messages by WhatsApp: 1 sent, 1 failed, 0 pending" in out
    assert "Messages by SMS: 0 sent, 0 failed, 1 pending" in out
    other = catalogue.ok("report", "summary", "--period", "2026-11", "--json").json()
    assert other["notifications"]["wa"] == {"sent": 0, "failed": 0, "pending": 0}
