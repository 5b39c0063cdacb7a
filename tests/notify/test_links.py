"""`notify links`: an office without a WhatsApp gateway sends the messages by hand."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from tests.conftest import Cli, table_counts
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
