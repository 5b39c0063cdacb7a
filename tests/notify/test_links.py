"""`notify links`: an office without a WhatsApp gateway sends the messages by hand."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pexpect
import pytest

from tests.conftest import Cli, egovctl_argv, table_counts
from tests.notify.conftest import PHONE, log_with, messages

NIK2 = "1906031203850002"


def test_links_page_then_marked_sent_on_confirmation(catalogue: Cli, tmp_path: Path) -> None:
    reg = log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    log_with(catalogue, "--notify", "email", "--email", "siti@contoh.go.id", nik=NIK2)
    page = tmp_path / "kirim.html"
    # Not at a terminal and without --yes: the page is written, nothing is marked.
    result = catalogue.ok("notify", "links", "-o", str(page))
    assert "1 message written to" in result.stdout and "Not marked as sent" in result.stdout
    html = page.read_text(encoding="utf-8")
    (wa, email) = messages(catalogue)
    link = f"https://wa.me/6281234567890?text={quote(wa['text'], safe='')}"
    assert link.replace("&", "&amp;") in html or link in html
    assert reg in html and "Kirim lewat WhatsApp" in html
    assert wa["status"] == "pending" and "siti@contoh.go.id" not in html  # WhatsApp only
    err = catalogue.fails("notify", "links", "-o", str(page)).stderr
    assert "already exists; use --force" in err
    # The clerk confirms at the terminal.
    data = catalogue.ok("notify", "links", "--yes", "--json").json()
    assert data["marked_sent"] == 1 and data["messages"][0]["link"] == link
    wa, email = messages(catalogue)
    assert wa["status"] == "sent" and wa["sent_at"] and email["status"] == "pending"
    assert "No WhatsApp messages are waiting." in catalogue.ok("notify", "links").stdout
    audit = catalogue.ok("audit", "log", "--json").json()
    assert any(entry["action"] == "notify.links" for entry in audit)


def test_links_without_output_prints_them_and_a_refusal_keeps_them(catalogue: Cli) -> None:
    log_with(catalogue, "--phone", PHONE, "--notify", "wa")
    out = catalogue.ok("notify", "links", input="n\n").stdout
    assert "https://wa.me/6281234567890?text=" in out
    assert [r["status"] for r in messages(catalogue)] == ["pending"]
    before = table_counts(catalogue.db_url)
    catalogue.fails("notify", "links", "-o", "/nonexistent/dir/kirim.html")
    assert table_counts(catalogue.db_url) == before


NIKS = ("1906034507890001", "1906031203850002", "1906034507890003", "1906034507890004")


def _four_waiting(cli: Cli) -> list[str]:
    return [log_with(cli, "--phone", PHONE, "--notify", "wa", nik=nik) for nik in NIKS]


def _statuses(cli: Cli) -> list[str]:
    return [r["status"] for r in messages(cli)]


def test_the_clerk_marks_exactly_the_ones_sent(catalogue: Cli, tmp_path: Path) -> None:
    regs = _four_waiting(catalogue)
    page = tmp_path / "kirim.html"
    catalogue.ok("notify", "links", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert '<tr id="pesan-1">' in html and "<td>4</td>" in html
    out = catalogue.ok("notify", "links").stdout
    assert f"1. {regs[0]} +6281234567890" in out and f"4. {regs[3]}" in out
    result = catalogue.ok("notify", "links", "--sent", "1, 3-3")
    assert "2 messages marked sent." in result.stdout
    assert "2 messages stay pending." in result.stdout
    assert _statuses(catalogue) == ["sent", "pending", "sent", "pending"]
    (entry,) = [
        e for e in catalogue.ok("audit", "log", "--json").json() if e["action"] == "notify.links"
    ]
    ids = [r["id"] for r in messages(catalogue)]
    assert entry["details"]["ids"] == [ids[0], ids[2]] and entry["details"]["marked"] == 2
    assert entry["details"]["listed"] == ids
    # The list is numbered again from 1: what is still waiting.
    data = catalogue.ok("notify", "links", "--sent", "2", "--json").json()
    assert data["marked_sent"] == 1 and [m["reg_no"] for m in data["messages"]] == [regs[3]]
    assert _statuses(catalogue) == ["sent", "pending", "sent", "sent"]
    assert catalogue.ok("notify", "links", "--sent", "none").stdout.endswith(
        "Nothing marked; they stay pending.\n"
    )
    assert catalogue.ok("--lang", "id", "notify", "links", "--sent", "semua").stdout.endswith(
        "1 pesan ditandai terkirim.\n"
    )
    assert _statuses(catalogue) == ["sent"] * 4


@pytest.mark.parametrize(
    ("answer", "english", "indonesian"),
    [
        ("5", "there is no message 5: the list goes from 1 to 4", "tidak ada pesan nomor 5"),
        (
            "0-2",
            "there is no message 0: the list goes from 1 to 4",
            "daftar ini bernomor 1 sampai 4",
        ),
        ("3-1", "'3-1': a range goes from the lower number up, as in 1-3", "seperti 1-3"),
        ("1;2", "'1;2' is not a number or a range", "'1;2' bukan nomor atau rentang"),
        ("some", "'some' is not a number or a range; give all, none", "jawab semua, tidak ada"),
        ("", "no answer: give all, none, or numbers such as 1-3,5", "tidak ada jawaban"),
    ],
)
def test_a_bad_sent_list_changes_nothing(
    catalogue: Cli, tmp_path: Path, answer: str, english: str, indonesian: str
) -> None:
    _four_waiting(catalogue)
    before = table_counts(catalogue.db_url)
    page = tmp_path / "kirim.html"
    err = catalogue.fails("notify", "links", "-o", str(page), "--sent", answer).stderr
    assert err.startswith(f"error: {english}"), err
    assert not page.exists()  # stopped before writing anything
    err = catalogue.fails("--lang", "id", "notify", "links", "--sent", answer).stderr
    assert err.startswith("error: ") and indonesian in err, err
    assert table_counts(catalogue.db_url) == before
    assert _statuses(catalogue) == ["pending"] * 4


def test_yes_is_all_and_not_with_sent(catalogue: Cli) -> None:
    _four_waiting(catalogue)
    err = catalogue.fails("notify", "links", "--yes", "--sent", "1", code=2).stderr
    assert "give --sent or --yes, not both" in err
    assert _statuses(catalogue) == ["pending"] * 4
    assert catalogue.ok("notify", "links", "--yes", "--json").json()["marked_sent"] == 4


def _numbered(n: int, reg: str) -> str:
    """The line of link ``n`` on a terminal, where the registration number is coloured."""
    return rf"{n}\. (\x1b\[[0-9;]*m)*{re.escape(reg)}"


def _spawn(cli: Cli, *args: str, lang: str | None) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("EGOVCTL_LANG", None)
    if lang:
        env["EGOVCTL_LANG"] = lang
    argv = egovctl_argv("--db", cli.db_url, *args)
    return pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=60, dimensions=(40, 200)
    )


@pytest.mark.parametrize(
    ("lang", "question", "wrong", "marked", "pending"),
    [
        (
            None,
            "Mana yang sudah terkirim? Jawab semua, tidak ada, atau nomor mis. 1-3,5:",
            "tidak ada pesan nomor 7: daftar ini bernomor 1 sampai 4",
            "3 pesan ditandai terkirim.",
            "1 pesan tetap menunggu.",
        ),
        (
            "en",
            "Which were sent? Answer all, none, or numbers such as 1-3,5:",
            "there is no message 7: the list goes from 1 to 4",
            "3 messages marked sent.",
            "1 message stays pending.",
        ),
    ],
)
def test_at_a_terminal_the_clerk_is_asked_which_were_sent(
    catalogue: Cli, lang: str | None, question: str, wrong: str, marked: str, pending: str
) -> None:
    regs = _four_waiting(catalogue)
    child = _spawn(catalogue, "notify", "links", lang=lang)
    child.expect(_numbered(4, regs[3]))
    child.expect_exact(question)
    child.sendline("1-2,7")
    child.expect_exact(wrong)  # named, then asked again; nothing marked yet
    child.expect_exact(question)
    assert _statuses(catalogue) == ["pending"] * 4
    child.sendline("1-2, 4")
    child.expect_exact(marked)
    child.expect_exact(pending)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert _statuses(catalogue) == ["sent", "sent", "pending", "sent"]
    # Answering none marks nothing.
    child = _spawn(catalogue, "notify", "links", lang=lang)
    child.expect(_numbered(1, regs[2]))
    child.sendline("tidak ada" if lang is None else "none")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and _statuses(catalogue)[2] == "pending"
