"""Why a message did not go, in the terminal's language (docs/notify.md, docs/language.md):
each kind of problem, made by the real loopback servers, is said in Indonesian by `notify
send` and in `notify list`'s table, and kept in English in the record and in --json."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from egovctl import i18n
from egovctl.notify import problems
from tests.conftest import Cli, terminal
from tests.notify.conftest import (
    PHONE,
    Gateway,
    Mailbox,
    free_port,
    log_with,
    webhook_config,
    write_config,
)

WHERE = problems.GATEWAY


def _sample(name: str) -> object:
    samples: dict[str, object] = {
        "where": i18n.Said(WHERE, gateway="webhook", url="http://127.0.0.1:9/send"),
        "error": i18n.Said(
            problems.HTTP_ANSWER,
            where=i18n.Said(problems.SMTP_SERVER, host="mail.example", port=587),
            status=503,
            body='{"error": "busy: try again; answered later"}',
        ),
        "reason": "[Errno 111] Connection refused: answered nothing",
        "status": 429,
        "code": 550,
        "port": 25,
        "seconds": problems.seconds(1.5),
        "n": 5,
        "gateway": "waha",
    }
    return samples.get(name, f"some {name}: with ; odd (text)")


@pytest.mark.parametrize("msgid", problems.FORMS)
def test_every_stored_form_is_said_again_in_indonesian(msgid: str) -> None:
    """The record is English; read back by its form, it is said as the sender would have."""
    i18n.set_language("id")
    fields = {name: _sample(name) for name in re.findall(r"\{(\w+)\}", msgid)}
    made = i18n.Said(msgid, **fields)
    assert made != made.english  # every form has its translation
    again = problems.say(made.english)
    assert again is not None
    assert str(again) == str(made) and again.english == made.english


def test_unknown_text_is_shown_as_stored() -> None:
    i18n.set_language("id")
    said = problems.say("written by an older egovctl")
    assert said == "written by an older egovctl" and said is not None
    assert said.english == "written by an older egovctl"
    assert problems.say(None) is None


def _webhook(answer: int | str, notify: str = "") -> Callable[[Cli, Gateway, Path], None]:
    def setup(cli: Cli, gateway: Gateway, env: Path) -> None:
        write_config(env, webhook_config(gateway.url, notify=notify))
        gateway.default = answer
        gateway.body = {"error": "nomor tidak terdaftar"}
        log_with(cli, "--phone", PHONE, "--notify", "wa")

    return setup


def _fonnte(body: dict[str, object]) -> Callable[[Cli, Gateway, Path], None]:
    def setup(cli: Cli, gateway: Gateway, env: Path) -> None:
        write_config(env, f'[notify.wa]\ngateway = "fonnte"\nurl = "{gateway.url}/send"\n')
        gateway.body = body
        log_with(cli, "--phone", PHONE, "--notify", "wa")

    return setup


def _config(text: str, channel: str = "wa") -> Callable[[Cli, Gateway, Path], None]:
    def setup(cli: Cli, gateway: Gateway, env: Path) -> None:
        write_config(env, text)
        if channel == "wa":
            log_with(cli, "--phone", PHONE, "--notify", "wa")
        else:
            log_with(cli, "--notify", "email", "--email", "siti@contoh.go.id")

    return setup


def _broken_template(cli: Cli, gateway: Gateway, env: Path) -> None:
    templates = env / "templat"
    (templates / "notify").mkdir(parents=True)
    (templates / "notify" / "logged.txt.j2").write_text("{% if %}", encoding="utf-8")
    write_config(env, f'templates = "{templates}"\n' + webhook_config(gateway.url))
    log_with(cli, "--phone", PHONE, "--notify", "wa")


# (how the problem is made, the English record, the Indonesian in the table, the Indonesian
# of `notify send`'s warning line, or None when the problem is not a sender's)
GATEWAY_CASES = [
    pytest.param(
        _webhook("hang"),
        "gateway {url}/send did not answer within 0.5 s",
        "gateway webhook {url}/send tidak menjawab dalam 0,5 detik",
        "tidak menjawab dalam 0,5 detik",
        id="timeout",
    ),
    pytest.param(
        _webhook(500),
        "gateway {url}/send answered HTTP 500: ",
        "gateway webhook {url}/send menjawab HTTP 500: ",
        "menjawab HTTP 500",
        id="500",
    ),
    pytest.param(
        _webhook(422),
        'refused the message (HTTP 422): {"error": "nomor tidak terdaftar"}',
        'menolak pesan ini (HTTP 422): {"error": "nomor tidak terdaftar"}',
        "menolak pesan ini (HTTP 422)",
        id="4xx",
    ),
    pytest.param(
        _webhook(401),
        "refused the token (HTTP 401): check EGOVCTL_WA_TOKEN",
        "menolak token (HTTP 401): periksa EGOVCTL_WA_TOKEN",
        "menolak token (HTTP 401): periksa EGOVCTL_WA_TOKEN",
        id="401",
    ),
    pytest.param(
        _webhook(503, notify="max_attempts = 1"),
        'answered HTTP 503: {"error": "nomor tidak terdaftar"}; gave up after 1 attempts',
        'menjawab HTTP 503: {"error": "nomor tidak terdaftar"}; dihentikan setelah 1 kali '
        "percobaan",
        "menjawab HTTP 503",
        id="gave-up",
    ),
    pytest.param(
        _fonnte({"status": False, "reason": "target invalid"}),
        "fonnte gateway {url}/send did not send it: target invalid",
        "gateway fonnte {url}/send tidak mengirimnya: target invalid",
        "tidak mengirimnya: target invalid",
        id="fonnte-reason",
    ),
    pytest.param(
        _fonnte({"status": False}),
        "did not send it: no reason given",
        "tidak mengirimnya: tanpa alasan",
        "tidak mengirimnya: tanpa alasan",
        id="fonnte-no-reason",
    ),
    pytest.param(
        _fonnte({"status": False, "reason": "invalid token"}),
        "refused the token: invalid token",
        "menolak token: invalid token",
        "menolak token: invalid token",
        id="fonnte-token",
    ),
    pytest.param(
        _broken_template,
        "template problem: template ",
        "masalah templat: templat ",
        "masalah templat: templat ",
        id="template-prefix",
    ),
    pytest.param(
        _broken_template,
        ": syntax error: ",
        ": kesalahan sintaksis: ",
        ": kesalahan sintaksis: ",
        id="template",
    ),
    pytest.param(
        _config('[notify.wa]\ngateway = "fontee"\nurl = "http://x"\n'),
        "unknown gateway 'fontee' in [notify.wa]; use one of webhook, waha, fonnte",
        "gateway 'fontee' di [notify.wa] tidak dikenal; gunakan salah satu dari webhook, waha, "
        "fonnte",
        "gateway 'fontee' di [notify.wa] tidak dikenal",
        id="unknown-gateway",
    ),
    pytest.param(
        _config('[notify.wa]\ngateway = "webhook"\n'),
        "no url for the webhook gateway in [notify.wa]",
        "tidak ada url untuk gateway webhook di [notify.wa]",
        "tidak ada url untuk gateway webhook di [notify.wa]",
        id="no-url",
    ),
    pytest.param(
        _config(""),
        "no WhatsApp gateway: set gateway and url in [notify.wa], or send the messages by hand",
        "tidak ada gateway WhatsApp: isi gateway dan url di [notify.wa], atau kirim pesannya",
        "tidak ada gateway WhatsApp",
        id="no-gateway",
    ),
    pytest.param(
        _config('[notify.wa]\ngateway = "waha"\nurl = "ftp://x"\n'),
        "url 'ftp://x' in [notify.wa] is not an http:// or https:// address",
        "url 'ftp://x' di [notify.wa] bukan alamat http:// atau https://",
        "bukan alamat http:// atau https://",
        id="bad-url",
    ),
    pytest.param(
        _config("", channel="email"),
        "no SMTP server: set host in [notify.email] of the config file",
        "tidak ada server SMTP: isi host di [notify.email] pada berkas konfigurasi",
        "tidak ada server SMTP",
        id="no-smtp-host",
    ),
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _table(cli: Cli, *args: str) -> str:
    with terminal(2000):
        return _flat(cli.ok(*args, "notify", "list").stdout)


@pytest.mark.parametrize(("setup", "english", "indonesian", "warning"), GATEWAY_CASES)
def test_each_problem_in_indonesian_at_the_terminal_and_english_in_json(
    catalogue: Cli,
    gateway: Gateway,
    isolated_env: Path,
    setup: Callable[[Cli, Gateway, Path], None],
    english: str,
    indonesian: str,
    warning: str,
) -> None:
    setup(catalogue, gateway, isolated_env)
    english, indonesian = (
        english.replace("{url}", gateway.url),
        indonesian.replace("{url}", gateway.url),
    )
    result = catalogue.ok("--lang", "id", "notify", "send")
    assert result.stderr.lstrip().startswith("warning: "), result.output
    assert warning.replace("{url}", gateway.url) in _flat(result.stderr)
    (row,) = catalogue.ok("--lang", "id", "notify", "list", "--json").json()
    assert english in row["error"]  # the record, in English whatever the terminal speaks
    assert indonesian not in row["error"]
    assert indonesian in _table(catalogue, "--lang", "id")
    assert english in _table(catalogue, "--lang", "en")


def test_send_json_stays_english_in_an_indonesian_terminal(
    catalogue: Cli, gateway: Gateway, isolated_env: Path
) -> None:
    from tests.notify.conftest import NIK

    write_config(isolated_env, webhook_config(gateway.url))
    gateway.default = "hang"
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    log_with(catalogue, "--phone", PHONE, "--notify", "wa", nik=NIK[:-1] + "9")
    summary = catalogue.ok("--lang", "id", "notify", "send", "--json").json()
    (line,) = summary["errors"]
    problem = f"webhook gateway {gateway.url}/send did not answer within 0.5 s"
    assert line == f"wa: {problem} (2 messages)"


def test_smtp_problems_in_both_languages(
    catalogue: Cli, smtp: tuple[Mailbox, int], isolated_env: Path
) -> None:
    box, port = smtp
    box.refuse.add("salah@contoh.go.id")
    write_config(
        isolated_env,
        f'[notify.email]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        'sender = "mpp@beltimkab.go.id"\n',
    )
    log_with(catalogue, "--notify", "email", "--email", "salah@contoh.go.id")
    err = _flat(catalogue.ok("--lang", "id", "notify", "send").stderr)
    refused = f"server SMTP 127.0.0.1:{port} menolak salah@contoh.go.id: 550 5.1.1 no such mailbox"
    assert refused in err
    (row,) = catalogue.ok("notify", "list", "--json").json()
    assert row["error"] == (
        f"SMTP server 127.0.0.1:{port} refused salah@contoh.go.id: 550 5.1.1 no such mailbox"
    )
    assert refused in _table(catalogue, "--lang", "id")


def test_unreachable_smtp_server_in_both_languages(catalogue: Cli, isolated_env: Path) -> None:
    port = free_port()
    write_config(
        isolated_env,
        f'[notify.email]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        'sender = "mpp@beltimkab.go.id"\n',
    )
    log_with(catalogue, "--notify", "email", "--email", "siti@contoh.go.id")
    err = _flat(catalogue.ok("--lang", "id", "notify", "send").stderr)
    assert f"tidak dapat menghubungi server SMTP 127.0.0.1:{port}: " in err
    (row,) = catalogue.ok("notify", "list", "--json").json()
    assert row["error"].startswith(f"cannot reach the SMTP server 127.0.0.1:{port}: ")
    assert f"tidak dapat menghubungi server SMTP 127.0.0.1:{port}: " in _table(
        catalogue, "--lang", "id"
    )


def test_withdrawn_consent_in_both_languages(catalogue: Cli) -> None:
    reg = log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    catalogue.ok("request", "notify", reg, "--channel", "none")
    (row,) = catalogue.ok("--lang", "id", "notify", "list", "--json").json()
    assert row["status"] == "failed" and row["error"] == "consent withdrawn"
    assert "persetujuan pemohon dicabut" in _table(catalogue, "--lang", "id")
    assert "consent withdrawn" in _table(catalogue, "--lang", "en")
