"""The outbox: consent, the message each step queues, and nothing for refused changes."""

from __future__ import annotations

import pytest

from tests.conftest import Cli, Clock, table_counts
from tests.notify.conftest import E164, NIK, PHONE, log_with, messages, write_config

NIK2 = "1906031203850002"


def test_no_consent_no_message(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    reg = log_with(catalogue, "--phone", PHONE)  # a phone alone is no consent
    catalogue.ok("request", "hold", reg, "--reason", "KK belum ada")
    catalogue.ok("request", "resume", reg)
    steps = catalogue.ok("request", "show", reg, "--json").json()["steps"]
    for _ in range(steps):
        catalogue.ok("request", "advance", reg)
    catalogue.ok("request", "deliver", reg)
    assert table_counts(catalogue.db_url)["notify_message"] == 0
    shown = catalogue.ok("request", "show", reg, "--json").json()
    assert shown["notify"] == {"channel": "none", "to": None}


def test_each_step_queues_its_message_in_indonesian(
    catalogue: Cli, clock: Clock, isolated_env
) -> None:
    write_config(isolated_env, '[notify]\nsurvey_url = "https://skm.beltimkab.go.id"\n')
    clock.travel("2026-12-01T09:00+07:00")
    reg = log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    catalogue.ok("request", "advance", reg)
    catalogue.ok("request", "hold", reg, "--reason", "fotokopi KK belum ada")
    clock.shift(days=1)
    catalogue.ok("request", "resume", reg)
    steps = catalogue.ok("request", "show", reg, "--json").json()["steps"]
    for _ in range(steps - 1):
        catalogue.ok("request", "advance", reg)
    catalogue.ok("request", "deliver", reg, "--to", "Siti Aminah")
    other = log_with(catalogue, "--notify", "email", "--email", "siti@contoh.go.id", nik=NIK2)
    catalogue.ok("request", "reject", other, "--reason", "persyaratan tidak lengkap")

    rows = messages(catalogue)
    assert [(r["reg_no"], r["event"]) for r in rows] == [
        (reg, "logged"),
        (reg, "on_hold"),
        (reg, "resumed"),
        (reg, "ready"),
        (reg, "delivered"),
        (other, "logged"),
        (other, "rejected"),
    ]
    office = "Mal Pelayanan Publik Kabupaten Belitung Timur"
    for row in rows:
        assert row["status"] == "pending" and row["attempts"] == 0
        assert office in row["text"] and row["reg_no"] in row["text"]
        assert NIK not in row["text"] and NIK2 not in row["text"]
    texts = {r["event"]: r["text"] for r in rows if r["reg_no"] == reg}
    assert rows[0]["to"] == E164 and rows[-1]["to"] == "siti@contoh.go.id"
    assert "diterima" in texts["logged"] and "Penerbitan KTP Elektronik" in texts["logged"]
    assert "DITUNDA: fotokopi KK belum ada" in texts["on_hold"]
    assert "diproses kembali" in texts["resumed"]
    assert "SUDAH SELESAI" in texts["ready"]
    assert "https://skm.beltimkab.go.id" in texts["delivered"]
    assert "DITOLAK: persyaratan tidak lengkap" in rows[-1]["text"]
    assert all(len(texts[e]) <= 160 for e in ("on_hold", "resumed"))  # one SMS
    shown = catalogue.ok("request", "show", reg, "--json").json()
    assert shown["notify"] == {"channel": "wa", "to": E164}
    terminal = catalogue.ok("request", "show", reg).stdout
    assert "told of each step by WhatsApp at +6281234567890" in terminal


def test_handover_sends_delivered_only_and_cancel_sends_nothing(
    catalogue: Cli, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    reg = log_with(catalogue, "--phone", PHONE, "--notify", "sms")
    steps = catalogue.ok("request", "show", reg, "--json").json()["steps"]
    for _ in range(steps - 1):
        catalogue.ok("request", "advance", reg)
    catalogue.ok("request", "deliver", reg)  # at the last step: ready and delivered at once
    other = log_with(catalogue, "--phone", PHONE, "--notify", "sms", nik=NIK2)
    catalogue.ok("request", "cancel", other, "--reason", "ditarik pemohon")
    events = [(r["reg_no"], r["event"], r["channel"]) for r in messages(catalogue)]
    assert events == [
        (reg, "logged", "sms"),
        (reg, "delivered", "sms"),
        (other, "logged", "sms"),
    ]


def test_refused_changes_write_no_message(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    reg = log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("request", "resume", reg).stderr
    assert "cannot resume" in err
    catalogue.fails("request", "reject", reg, "--reason", " ")
    assert table_counts(catalogue.db_url) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--notify", "wa"), "--notify wa needs the applicant's phone number: give --phone"),
        (("--notify", "email"), "--notify email needs the address: give --email"),
        (("--notify", "email", "--email", "siti@@contoh"), "invalid e-mail address"),
        (("--notify", "sms", "--phone", "12345"), "invalid phone number"),
        (("--email", "siti@contoh.go.id"), "--email is only used with --notify email"),
    ],
)
def test_bad_consent_is_refused_and_nothing_logged(
    catalogue: Cli, args: tuple[str, ...], message: str
) -> None:
    before = table_counts(catalogue.db_url)
    err = catalogue.fails(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti", "--nik", NIK, *args
    ).stderr
    assert message in err
    assert table_counts(catalogue.db_url) == before


def test_unknown_notify_channel_is_a_usage_error(catalogue: Cli) -> None:
    catalogue.fails(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "S",
        "--nik",
        NIK,
        "--notify",
        "fax",
        code=2,
    )


def test_request_notify_changes_consent_and_waiting_messages(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    reg = log_with(catalogue, "--phone", PHONE)
    assert messages(catalogue) == []
    data = catalogue.ok("request", "notify", reg, "--channel", "wa", "--json").json()
    assert data["channel"] == "wa" and data["to"] == E164  # the request's own phone
    catalogue.ok("request", "hold", reg, "--reason", "KK belum ada")
    out = catalogue.ok(
        "request", "notify", reg, "--channel", "email", "--email", "siti@contoh.go.id"
    ).stdout
    assert "e-mail at siti@contoh.go.id" in out
    (row,) = messages(catalogue)
    assert (row["event"], row["channel"], row["to"]) == ("on_hold", "email", "siti@contoh.go.id")
    catalogue.ok("request", "notify", reg, "--channel", "none")
    (row,) = messages(catalogue)
    assert row["status"] == "failed" and row["error"] == "consent withdrawn"
    catalogue.ok("request", "resume", reg)
    assert len(messages(catalogue)) == 1  # no consent, no new message
    err = catalogue.fails("request", "notify", "DISDUKCAPIL-2026-999999", "--channel", "wa")
    assert "no request with registration number" in err.stderr
    audit = catalogue.ok("audit", "log", "--json").json()
    assert any(entry["action"] == "request.notify" for entry in audit)


def test_calendar_change_queues_due_changed_for_consenting_requests_only(
    catalogue: Cli, clock: Clock
) -> None:
    clock.travel("2026-12-01T09:00+07:00")
    told = log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    log_with(catalogue, nik=NIK2)  # no consent
    due = catalogue.ok("request", "show", told, "--json").json()["due_date"]
    catalogue.ok("calendar", "add", due, "--name", "Banjir")
    rows = [r for r in messages(catalogue) if r["event"] == "due_changed"]
    assert [r["reg_no"] for r in rows] == [told]
    assert "perubahan hari kerja" in rows[0]["text"] and told in rows[0]["text"]


def test_receipt_names_the_chosen_channel(catalogue: Cli, tmp_path) -> None:
    reg = log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    out = tmp_path / "bukti.html"
    catalogue.ok("print", "receipt", reg, "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Pemberitahuan" in html and "WhatsApp ke 0812-3456-7890" in html
    plain = log_with(catalogue, nik=NIK2)
    out2 = tmp_path / "bukti2.html"
    catalogue.ok("print", "receipt", plain, "-o", str(out2))
    assert "Pemberitahuan" not in out2.read_text(encoding="utf-8")


def test_office_overrides_a_message_template_in_the_sandbox(catalogue: Cli, isolated_env) -> None:
    mine = isolated_env / "kantor" / "notify"
    mine.mkdir(parents=True)
    (mine / "logged.txt.j2").write_text("Halo {{ reg_no }} <b>&</b>\n", encoding="utf-8")
    write_config(isolated_env, 'templates = "kantor"\n')
    reg = log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    (row,) = messages(catalogue)
    assert row["text"] == f"Halo {reg} <b>&</b>"  # plain text: not HTML-escaped
    (mine / "logged.txt.j2").write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    (row,) = messages(catalogue)
    assert row["text"] is None  # the sandbox refused it; notify send reports why
