"""The published website in a real browser: headless Chromium opens it from disk (file://).

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and the ``playwright`` Python package
(its own browser download is never used). Skipped with the reason when either is absent;
CI installs both. One browser per module keeps the module to a few seconds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli, _clone
from tests.public.test_site import populate

CHROMIUM = Path(os.environ.get("EGOVCTL_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

if not CHROMIUM.is_file():
    pytest.skip(
        f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need the playwright package (pip install "
    "playwright; its browser download is not needed)",
)


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, catalogue_template: str
) -> Iterator[tuple[Path, dict[str, str]]]:
    """The bundled catalogue with five requests, published with --status, once per module."""
    base = tmp_path_factory.mktemp("browser")
    home = base / "home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_CONFIG_HOME", str(home / ".config"))
        mp.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
        for var in ("EGOVCTL_DB", "EGOVCTL_CONFIG", "EGOVCTL_USER", "EGOVCTL_DEBUG"):
            mp.delenv(var, raising=False)
        mp.chdir(base)
        clone = _clone(catalogue_template, base)
        db_url = next(clone)
        cli = Cli(db_url)
        regs = populate(cli)
        out = base / "situs"
        cli.ok("publish", "site", str(out), "--status")
        yield out, regs
        next(clone, None)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh phone-sized page that fails the test on any script error."""
    context = browser.new_context(viewport=PHONE, locale="id-ID")  # type: ignore[attr-defined]
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    context.close()
    assert errors == []


def url(site_dir: Path, path: str) -> str:
    return (site_dir / path).as_uri()


def visible_services(page: object) -> list[str]:
    return page.locator("li.service:visible .service-name").all_inner_texts()  # type: ignore


def test_search_narrows_the_list_as_one_types(site, page) -> None:
    out, _ = site
    page.goto(url(out, "index.html"))
    everything = visible_services(page)
    assert len(everything) == 20
    box = page.get_by_label("Cari layanan")
    box.press_sequentially("akta")
    found = visible_services(page)
    assert sorted(found) == [
        "Penerbitan Kutipan Akta Kelahiran",
        "Penerbitan Kutipan Akta Kematian",
        "Penerbitan Kutipan Akta Perkawinan",
    ]
    assert page.locator("#cari-hasil").inner_text() == "3 layanan cocok dengan “akta”"
    # Agencies with nothing left disappear; the one with matches stays.
    assert page.locator(".agency-group:visible h2").all_inner_texts() == [
        "Dinas Kependudukan dan Pencatatan Sipil"
    ]
    box.press_sequentially(" lahir")
    assert visible_services(page) == ["Penerbitan Kutipan Akta Kelahiran"]
    box.fill("")
    box.press_sequentially("IZIN")  # any case; names, codes, categories, products
    found = visible_services(page)
    assert {
        "Penerbitan Surat Izin Praktik Bidan",
        "Penerbitan Izin Penyelenggaraan Reklame",
        "Rekomendasi Izin Keramaian",
    } <= set(found)
    # Within an agency, entries named for the words come before those that only mention them.
    dpmptsp = page.locator("#instansi-DPMPTSP + ul li.service:visible .service-name")
    names = dpmptsp.all_inner_texts()
    named = ["izin" in n.lower() for n in names]
    assert named == sorted(named, reverse=True) and named[0] and not named[-1]
    box.fill("zzzz")
    page.locator("#cari").dispatch_event("input")
    assert visible_services(page) == []
    assert page.locator("#cari-kosong").is_visible()
    box.fill("")
    page.locator("#cari").dispatch_event("input")
    assert len(visible_services(page)) == 20 and not page.locator("#cari-kosong").is_visible()


def test_search_from_the_address(site, page) -> None:
    out, _ = site
    page.goto(url(out, "index.html") + "?q=kartu%20keluarga")
    found = visible_services(page)
    assert found[0] == "Penerbitan Kartu Keluarga" and len(found) == 3  # + two akta with a KK
    assert page.get_by_label("Cari layanan").input_value() == "kartu keluarga"


def test_procedure_page_shows_requirements(site, page) -> None:
    out, _ = site
    page.goto(url(out, "index.html"))
    page.get_by_label("Cari layanan").press_sequentially("ktp")
    page.get_by_role("link", name="Penerbitan KTP Elektronik").click()
    assert page.url.endswith("/layanan/DUKCAPIL-KTP-EL.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Penerbitan KTP Elektronik"
    requirements = page.locator("#persyaratan ol.requirements > li").all_inner_texts()
    assert "Kartu Keluarga (KK)" in requirements and len(requirements) == 5
    assert page.get_by_role("heading", name="Biaya/Tarif").is_visible()
    assert "3 (tiga) hari kerja" in page.locator("#jangka-waktu").inner_text()
    assert page.get_by_role("button", name="Cetak halaman ini").is_visible()
    page.get_by_role("link", name="Dinas Kependudukan dan Pencatatan Sipil").first.click()
    assert page.url.endswith("/instansi/DISDUKCAPIL.html")
    assert "siap menerima sanksi" in page.locator(".maklumat").inner_text()


def test_status_lookup(site, page) -> None:
    out, regs = site
    page.goto(url(out, "index.html"))
    page.get_by_role("link", name="Cek status permohonan Anda").click()
    box = page.get_by_label("Nomor pendaftaran")
    box.fill(" " + regs["in_progress"].lower() + " ")
    box.press("Enter")
    result = page.locator("#hasil")
    text = result.inner_text()
    assert "Status: Sedang diproses" in text
    assert "Penerbitan KTP Elektronik" in text
    assert "Jumat, 27 November 2026" in text  # received
    assert "Rabu, 2 Desember 2026" in text  # due: three working days later
    assert box.input_value() == regs["in_progress"]

    box.fill(regs["ready"])
    page.get_by_role("button", name="Cek status").click()
    assert "siap diambil" in result.inner_text()
    assert "Selesai pada" in result.inner_text()

    box.fill(regs["in_progress"][:-1] + "9")
    box.press("Enter")
    assert "Nomor tidak ditemukan" in result.inner_text()


def test_status_from_the_address(site, page) -> None:
    out, regs = site
    page.goto(url(out, "status.html") + f"?no={regs['rejected']}")
    assert "Status: Ditolak" in page.locator("#hasil").inner_text()


def test_pages_fit_a_phone_and_a_desktop(site, browser) -> None:
    out, _ = site
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        tab = context.new_page()
        for path in (
            "index.html",
            "layanan/DUKCAPIL-KTP-EL.html",
            "instansi/DISDUKCAPIL.html",
            "status.html",
        ):
            tab.goto(url(out, path))
            overflow = tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways at {viewport['width']}px"
            size = tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 16, f"{path}: body text too small to read ({size}px)"
        context.close()


def test_print_layout_hides_navigation(site, browser) -> None:
    out, _ = site
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto(url(out, "layanan/DUKCAPIL-KTP-EL.html"))
    tab.emulate_media(media="print")
    assert not tab.locator(".site-nav").is_visible()
    assert tab.locator(".brand-name").is_visible()  # the office still heads the sheet
    assert not tab.get_by_role("button", name="Cetak halaman ini").is_visible()
    assert tab.locator("#persyaratan").is_visible()
    context.close()
