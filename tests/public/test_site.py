"""`egovctl publish site`: the static catalogue website, its status data, the atomic swap."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Cli

# Everything personal the fixture's requests carry; none of it may reach a published file.
APPLICANTS = {
    "DUKCAPIL-KTP-EL": (
        "Siti Aminah",
        "1906034507890001",
        "081234567890",
        "Jl. Melati No. 7",
        "2026-11-27T09:00",
    ),
    "DUKCAPIL-KK": (
        "Budi Santoso",
        "1906031203850002",
        "081298765432",
        "Gang Mawar 12",
        "2026-11-26T10:00",
    ),
    "DUKCAPIL-AKTA-LAHIR": (
        "Rina Wulandari",
        "1906035511900003",
        "085277001122",
        "Desa Lalang RT 03",
        "2026-11-25T08:30",
    ),
    "DUKCAPIL-KIA": (
        "Ahmad Fauzi",
        "1906030101800004",
        "087899887766",
        "Jl. Kenanga 5",
        "2026-11-20T09:00",
    ),
    "DINSOS-SKTM": (
        "Dewi Lestari",
        "1906034202950005",
        "081377665544",
        "Dusun Baru RT 01",
        "2026-11-24T11:00",
    ),
}
HOLD_REASON = "menunggu fotokopi KK dari Budi Santoso"
REJECT_REASON = "NIK 1906034202950005 milik Dewi Lestari tidak terdaftar"
NOTE = "catatan pribadi petugas tentang Siti"
DELIVERED_TO = "Ahmad Fauzi bin Hasan"


def personal_strings() -> list[str]:
    values: list[str] = [HOLD_REASON, REJECT_REASON, NOTE, DELIVERED_TO]
    for name, nik, phone, address, _ in APPLICANTS.values():
        values += [name, nik, phone[1:], address, nik[:6] + "********" + nik[-2:]]
    return values


def assert_no_personal_data(folder: Path) -> None:
    """Grep every file (dotfiles too) for names, NIKs (plain or masked), phones, addresses,
    notes and reasons."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files
    needles = [s.casefold() for s in personal_strings()]
    for path in files:
        text = path.read_text(encoding="utf-8").casefold()
        for needle in needles:
            assert needle not in text, f"{needle!r} found in {path}"
        assert not re.search(r"(?<!\d)\d{16}(?!\d)", text), f"a NIK-like number in {path}"


def populate(cli: Cli) -> dict[str, str]:
    """Five requests, one per status that matters: status -> registration number."""
    regs: dict[str, str] = {}
    for code, (name, nik, phone, address, at) in APPLICANTS.items():
        extra = ["--note", NOTE] if code == "DUKCAPIL-KTP-EL" else []
        regs[code] = cli.ok(
            "request",
            "log",
            code,
            "--name",
            name,
            "--nik",
            nik,
            "--phone",
            phone,
            "--address",
            address,
            "--at",
            at,
            *extra,
            "--json",
        ).json()["reg_no"]
    cli.ok("request", "hold", regs["DUKCAPIL-KK"], "--reason", HOLD_REASON)
    for code in ("DUKCAPIL-AKTA-LAHIR", "DUKCAPIL-KIA"):
        steps = cli.ok("request", "show", regs[code], "--json").json()["steps"]
        for _ in range(steps):
            cli.ok("request", "advance", regs[code])
    cli.ok("request", "deliver", regs["DUKCAPIL-KIA"], "--to", DELIVERED_TO)
    cli.ok("request", "reject", regs["DINSOS-SKTM"], "--reason", REJECT_REASON)
    return {
        "in_progress": regs["DUKCAPIL-KTP-EL"],
        "on_hold": regs["DUKCAPIL-KK"],
        "ready": regs["DUKCAPIL-AKTA-LAHIR"],
        "delivered": regs["DUKCAPIL-KIA"],
        "rejected": regs["DINSOS-SKTM"],
    }


def load_status_data(site: Path) -> dict:
    [script] = site.glob("status-data.*.js")
    text = script.read_text(encoding="utf-8")
    match = re.search(r"window\.EGOVCTL_STATUS = (\{.*\});\s*$", text, re.S)
    assert match, text[:200]
    return json.loads(match.group(1))


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        for key, value in attrs:
            if key in ("href", "src") and value is not None:
                self.links.append(value)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture
def requests_logged(catalogue: Cli) -> tuple[Cli, dict[str, str]]:
    return catalogue, populate(catalogue)


@pytest.fixture
def site(requests_logged, tmp_path: Path) -> tuple[Cli, dict[str, str], Path]:
    cli, regs = requests_logged
    out = tmp_path / "situs"
    cli.ok("publish", "site", str(out), "--status")
    return cli, regs, out


def test_site_has_a_page_per_active_procedure_and_agency(site) -> None:
    cli, _, out = site
    procedures = cli.ok("procedure", "list", "--json").json()
    agencies = cli.ok("agency", "list", "--json").json()
    assert sorted(p.name for p in (out / "layanan").iterdir()) == sorted(
        f"{p['code']}.html" for p in procedures
    )
    assert sorted(p.name for p in (out / "instansi").iterdir()) == sorted(
        f"{a['code']}.html" for a in agencies
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    for proc in procedures:
        assert f'href="layanan/{proc["code"]}.html"' in index
    assert index.count("data-search=") == len(procedures)
    assert (out / "status.html").is_file() and (out / ".egovctl-site").is_file()


def test_every_page_is_well_formed_and_links_stay_inside(site) -> None:
    _, _, out = site
    pages = list(out.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert '<html lang="id">' in html, path
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert html.count("<h1") == 1, path
        page = parse(path)
        assert page.links
        for link in page.links:
            assert not re.match(r"^(/|[a-z]+:)", link), f"{path}: non-relative link {link}"
            if link.startswith("#"):
                assert f'id="{link[1:]}"' in html, f"{path}: no target for {link}"
                continue
            target = (path.parent / link.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{path}: broken link {link}"
            assert target.is_relative_to(out.resolve())
        # Headings do not skip a level: h1, then h2 sections.
        levels = [int(tag[1]) for tag, _ in page.tags if re.fullmatch(r"h[1-6]", tag)]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels))


def test_procedure_page_shows_the_published_components(site) -> None:
    _, _, out = site
    html = (out / "layanan" / "DUKCAPIL-KTP-EL.html").read_text(encoding="utf-8")
    assert "<h1>Penerbitan KTP Elektronik</h1>" in html
    for heading in (
        "Persyaratan",
        "Sistem, Mekanisme dan Prosedur",
        "Jangka Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Pelayanan",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Dasar Hukum",
        "Jam Pelayanan",
    ):
        assert f">{heading}</h2>" in html, heading
    assert "Kartu Keluarga (KK)" in html and "Perekaman data biometrik" in html
    assert "3 (tiga) hari kerja" in html and "Gratis" in html
    assert "Undang-Undang Nomor 25 Tahun 2009" in html and "Senin-Kamis" in html
    paid = (out / "layanan" / "DINKES-SLHS.html").read_text(encoding="utf-8")
    assert "Rp150.000" in paid and "seratus lima puluh ribu rupiah" in paid


def test_agency_page_has_maklumat_and_head(site) -> None:
    _, _, out = site
    html = (out / "instansi" / "DISDUKCAPIL.html").read_text(encoding="utf-8")
    assert "<h1>Dinas Kependudukan dan Pencatatan Sipil</h1>" in html
    assert "Maklumat Pelayanan" in html and "siap menerima sanksi" in html
    assert "Rudi Hartanto Syahputra" in html
    assert 'href="../layanan/DUKCAPIL-KTP-EL.html"' in html
    assert "DINSOS-SKTM" not in html


def test_css_is_responsive_and_print_friendly(site) -> None:
    _, _, out = site
    [css] = out.glob("site.*.css")
    text = css.read_text(encoding="utf-8")
    assert "@media print" in text and "@media (min-width" in text
    assert "http" not in text and "@import" not in text  # nothing fetched from the internet
    for path in out.glob("*.js"):
        assert "fetch(" not in path.read_text(encoding="utf-8")  # file:// refuses it


def test_no_personal_data_anywhere(site) -> None:
    _, _, out = site
    assert_no_personal_data(out)


def test_status_data_is_minimal(site) -> None:
    _, regs, out = site
    data = load_status_data(out)
    assert set(data) == {
        "v",
        "generated",
        "window_days",
        "statuses",
        "procedures",
        "requests",
        "complaint_statuses",
        "complaints",
    }
    statuses = [s[0] for s in data["statuses"]]
    found = {}
    for prefix, block in data["requests"].items():
        for serial, row in block.items():
            assert len(row) == 5 and all(v is None or isinstance(v, int) for v in row)
            found[f"{prefix}-{serial}"] = row
    assert set(found) == set(regs.values())
    for status, reg in regs.items():
        assert statuses[found[reg][0]] == status
    # KTP-el received Friday 2026-11-27 with 3 working days: due Wednesday 2026-12-02.
    row = found[regs["in_progress"]]
    assert data["procedures"][row[1]][:2] == ["DUKCAPIL-KTP-EL", "Penerbitan KTP Elektronik"]
    epoch = datetime(1970, 1, 1).date()
    assert (epoch.fromordinal(epoch.toordinal() + row[3])).isoformat() == "2026-12-02"
    assert (epoch.fromordinal(epoch.toordinal() + row[2])).isoformat() == "2026-11-27"
    assert row[4] is None and found[regs["ready"]][4] is not None
    # Compact: a few dozen bytes per request, not a dump of the database.
    [script] = out.glob("status-data.*.js")
    assert script.stat().st_size < 2000


def test_without_status_flag_there_is_no_status_page(requests_logged, tmp_path: Path) -> None:
    cli, _ = requests_logged
    out = tmp_path / "s"
    result = cli.ok("publish", "site", str(out), "--json").json()
    assert result["status"] is False and "requests" not in result
    assert not (out / "status.html").exists() and not list(out.glob("status*"))
    assert "status.html" not in (out / "index.html").read_text(encoding="utf-8")


def test_json_summary(site, tmp_path: Path) -> None:
    cli, _, _ = site
    out = tmp_path / "again"
    data = cli.ok("publish", "site", str(out), "--status", "--json").json()
    assert data["procedures"] == 20 and data["agencies"] == 5 and data["requests"] == 5
    assert data["outdir"] == str(out.resolve()) and data["status"] is True
    assert data["pages"] == 20 + 5 + 2
    assert datetime.fromisoformat(data["generated_at"]).utcoffset() is not None


def test_retired_procedure_is_not_published(catalogue: Cli, tmp_path: Path) -> None:
    catalogue.ok("procedure", "retire", "DUKCAPIL-KIA")
    out = tmp_path / "s"
    catalogue.ok("publish", "site", str(out))
    assert not (out / "layanan" / "DUKCAPIL-KIA.html").exists()
    assert "DUKCAPIL-KIA" not in (out / "index.html").read_text(encoding="utf-8")
    assert "Kartu Identitas Anak" not in (out / "instansi" / "DISDUKCAPIL.html").read_text(
        encoding="utf-8"
    )


def test_status_window_keeps_open_and_recent_requests(
    catalogue: Cli, db_url: str, tmp_path: Path
) -> None:
    from egovctl.config import load_config
    from egovctl.db import Database
    from egovctl.public.site import publish_site

    old_open = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KK",
        "--name",
        "Lama Terbuka",
        "--nik",
        "1906031203850002",
        "--at",
        "2026-06-01T09:00",
        "--json",
    ).json()["reg_no"]
    old_done = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KK",
        "--name",
        "Lama Selesai",
        "--nik",
        "1906031203850002",
        "--at",
        "2026-06-01T09:30",
        "--json",
    ).json()["reg_no"]
    steps = catalogue.ok("request", "show", old_done, "--json").json()["steps"]
    for day in range(steps):
        catalogue.ok("request", "advance", old_done, "--at", f"2026-06-0{day + 2}T10:00")
    catalogue.ok("request", "deliver", old_done, "--at", "2026-06-10T10:00")
    config = load_config(cli_db=db_url, env={})
    db = Database(db_url)
    try:
        now = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
        publish_site(db, "tester", config, tmp_path / "s", status=True, now=now)
        found = {
            f"{p}-{s}" for p, b in load_status_data(tmp_path / "s")["requests"].items() for s in b
        }
        assert old_open in found and old_done not in found
        # Within 90 days of its delivery it is still shown.
        publish_site(
            db,
            "tester",
            config,
            tmp_path / "s",
            status=True,
            now=datetime(2026, 9, 1, tzinfo=ZoneInfo("Asia/Jakarta")),
        )
        found = {
            f"{p}-{s}" for p, b in load_status_data(tmp_path / "s")["requests"].items() for s in b
        }
        assert old_done in found
    finally:
        db.dispose()


# -- replacing the output folder -------------------------------------------------------------


def test_republishing_replaces_the_whole_site(catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "s"
    catalogue.ok("publish", "site", str(out))
    (out / "stale.html").write_text("old", encoding="utf-8")
    (out / "layanan" / "GONE.html").write_text("old", encoding="utf-8")
    catalogue.ok("procedure", "retire", "DUKCAPIL-KIA")
    catalogue.ok("publish", "site", str(out))
    assert not (out / "stale.html").exists() and not (out / "layanan" / "GONE.html").exists()
    assert not (out / "layanan" / "DUKCAPIL-KIA.html").exists()
    assert (out / "index.html").is_file() and (out / ".egovctl-site").is_file()
    # Nothing is left beside it: no half-built or old copies.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".s.")]
    assert (out.stat().st_mode & 0o755) == 0o755  # readable by a web server


def test_an_empty_existing_folder_is_used(catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "kosong"
    out.mkdir()
    catalogue.ok("publish", "site", str(out))
    assert (out / "index.html").is_file()


def test_foreign_folder_is_refused_untouched(catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "dokumen-saya"
    out.mkdir()
    (out / "skripsi.docx").write_text("penting", encoding="utf-8")
    result = catalogue.fails("publish", "site", str(out))
    assert "was not made by egovctl" in result.stderr and ".egovctl-site" in result.stderr
    assert [p.name for p in out.iterdir()] == ["skripsi.docx"]
    assert (out / "skripsi.docx").read_text(encoding="utf-8") == "penting"


def test_other_bad_targets(catalogue: Cli, tmp_path: Path) -> None:
    afile = tmp_path / "berkas.txt"
    afile.write_text("x", encoding="utf-8")
    assert "is a file" in catalogue.fails("publish", "site", str(afile)).stderr
    missing = tmp_path / "tidak" / "ada"
    assert "does not exist" in catalogue.fails("publish", "site", str(missing)).stderr
    open311 = tmp_path / "open311"
    catalogue.ok("export", "open311", str(open311))
    result = catalogue.fails("publish", "site", str(open311))
    assert "Open311 export" in result.stderr
    assert (open311 / "services.json").is_file()


def test_failure_while_building_keeps_the_old_site(
    catalogue: Cli, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egovctl.config import load_config
    from egovctl.db import Database
    from egovctl.public import site as publish

    out = tmp_path / "s"
    catalogue.ok("publish", "site", str(out))
    before = (out / "index.html").read_text(encoding="utf-8")

    def broken(folder: Path, *args: object) -> dict:
        (folder / "index.html").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(publish, "_build_site", broken)
    db = Database(db_url)
    try:
        with pytest.raises(RuntimeError):
            publish.publish_site(db, "tester", load_config(cli_db=db_url, env={}), out)
    finally:
        db.dispose()
    assert (out / "index.html").read_text(encoding="utf-8") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".s.")]


def test_empty_catalogue_does_not_wipe_the_site(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "s"
    out.mkdir()
    (out / ".egovctl-site").write_text("{}", encoding="utf-8")
    (out / "index.html").write_text("published", encoding="utf-8")
    assert "import the catalogue" in cli.fails("publish", "site", str(out)).stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "published"


def test_publishing_needs_permission(catalogue: Cli, tmp_path: Path) -> None:
    catalogue.ok("staff", "add", "admin", "--name", "Admin Kantor", "--role", "admin")
    catalogue.ok(
        "staff", "add", "loket1", "--name", "Petugas Loket", "--role", "counter", user="admin"
    )
    result = catalogue.fails("publish", "site", str(tmp_path / "s"), user="loket1")
    assert "may not publish public information" in result.stderr
    assert not (tmp_path / "s").exists()
    catalogue.ok("staff", "add", "humas", "--name", "Staf Humas", "--role", "clerk", user="admin")
    catalogue.ok("publish", "site", str(tmp_path / "s"), user="humas")


def test_office_can_override_a_site_template(catalogue: Cli, tmp_path: Path) -> None:
    own = tmp_path / "templates-kantor"
    (own / "site").mkdir(parents=True)
    (own / "site" / "site.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    config = tmp_path / "egovctl.toml"
    config.write_text(f'templates = "{own}"\n', encoding="utf-8")
    out = tmp_path / "s"
    catalogue.ok("--config", str(config), "publish", "site", str(out))
    [css] = out.glob("site.*.css")
    assert "#123456" in css.read_text(encoding="utf-8")
