"""Printed documents: every bundled template rendered to HTML and PDF, office overrides,
the sandbox, error messages and safe writing (egovctl.documents.render).

PDF layout costs about a second per document, so each kind is rendered once per module and
several tests read the same file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from egovctl.documents.render import DocumentTemplateError, OutputExists, Renderer
from egovctl.errors import ConfigError, EgovError, InvalidInput, NotFound

WIB = ZoneInfo("Asia/Jakarta")
NIK = "1906034507890001"
NIK_MASKED = "190603********01"
EVIL_NAME = "Siti & <script>alert(1)</script> Aminah"

AGENCY = {
    "code": "DISDUKCAPIL",
    "name": "Dinas Kependudukan dan Pencatatan Sipil",
    "address": "Jl. Jenderal Sudirman No. 12, Manggar",
    "phone": "(0719) 91234",
    "head": {
        "name": "Drs. H. Ahmad Fauzi, M.Si.",
        "nip": "196711101992031001",
        "title": "Kepala Dinas",
    },
}
DPMPTSP = {
    "code": "DPMPTSP",
    "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "address": "Jl. Raya Lalang, Manggar",
    "phone": None,
    "head": None,
}


def procedure(code: str = "DUKCAPIL-KTP-EL", **changes: Any) -> dict[str, Any]:
    base = {
        "code": code,
        "name": "Penerbitan KTP Elektronik",
        "category": "Kependudukan",
        "description": "Penerbitan Kartu Tanda Penduduk Elektronik bagi penduduk yang telah "
        "berusia 17 tahun, sudah kawin atau pernah kawin.",
        "legal_basis": [
            "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 "
            "Tahun 2006 tentang Administrasi Kependudukan",
            "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara "
            "Pendaftaran Penduduk dan Pencatatan Sipil",
            "Peraturan Bupati Belitung Timur Nomor 10 Tahun 2024 tentang Standar Pelayanan",
        ],
        "requirements": [
            {"name": "Fotokopi Kartu Keluarga", "copies": 1, "optional": False, "note": None},
            {
                "name": "Pas foto 3x4 berwarna",
                "copies": 2,
                "optional": False,
                "note": "latar merah/biru",
            },
            {"name": "Surat keterangan pindah", "copies": 1, "optional": True, "note": None},
        ],
        "steps": [
            {"name": "Penerimaan dan pemeriksaan berkas", "actor": "Petugas loket", "days": 0},
            {"name": "Perekaman data biometrik", "actor": "Operator perekaman", "days": 0},
            {"name": "Verifikasi dan validasi data", "actor": "Operator", "days": 1},
            {"name": "Pencetakan dokumen", "actor": "Operator", "days": 1},
            {"name": "Penyerahan dokumen", "actor": "Petugas loket", "days": None},
        ],
        "sla_days": 3,
        "fee": 0,
        "fee_basis": "Pasal 79A Undang-Undang Nomor 24 Tahun 2013",
        "product": "KTP Elektronik",
        "complaints": "Kotak saran di ruang tunggu, SMS/WhatsApp 0812-7000-1234, "
        "atau SP4N-LAPOR! (lapor.go.id)",
        "service_hours": "Senin-Kamis 08.00-15.00; Jumat 08.00-11.00",
        "version": 2,
    }
    base.update(changes)
    return base


PAID = procedure(
    "DPMPTSP-PBG",
    name="Persetujuan Bangunan Gedung",
    category="Perizinan",
    fee=1_250_000,
    fee_basis="Peraturan Daerah Kabupaten Belitung Timur Nomor 1 Tahun 2024 tentang Pajak "
    "Daerah dan Retribusi Daerah",
    sla_days=14,
    product="Surat Persetujuan Bangunan Gedung (PBG)",
    requirements=["Fotokopi KTP pemohon", "Gambar rencana teknis", "Bukti kepemilikan tanah"],
)


def receipt_context(paper: str = "a5", requirements: int | None = None) -> dict[str, Any]:
    reqs = (
        procedure()["requirements"]
        if requirements is None
        else [
            {
                "name": f"Fotokopi dokumen pendukung {i} yang telah dilegalisir",
                "copies": 1,
                "optional": i % 3 == 0,
                "note": "Bagi pemohon yang pernah kawin" if i % 3 == 0 else None,
            }
            for i in range(1, requirements + 1)
        ]
    )
    return {
        "paper": paper,
        "request": {
            "reg_no": "DISDUKCAPIL-2026-000042",
            "received_at": dt.datetime(2026, 11, 27, 7, 5, tzinfo=dt.UTC),  # 14.05 WIB
            "due_date": dt.date(2026, 12, 2),
            "sla_days": 3,
            "fee": 0,
            "status": "in_progress",
            "applicant": {
                "name": EVIL_NAME,
                "nik": NIK,
                "phone": "0812-7788-9900",
                "address": "Jl. Melati No. 5, Kelapa Kampit",
            },
            "procedure": {
                "code": "DUKCAPIL-KTP-EL",
                "name": "Penerbitan KTP Elektronik",
                "version": 2,
            },
            "agency": {"code": "DISDUKCAPIL", "name": AGENCY["name"]},
            "requirements": reqs,
            "officer": {"name": "Rina Marlina", "username": "petugas1"},
        },
    }


READY_NAMES = [
    "Budi Santoso",
    "Siti Aminah",
    "Ahmad Rizal",
    "Dewi Lestari",
    "Hendra Wijaya",
    "Nur Aisyah",
    "Rudi Hartono",
    "Maya Sari",
    "Agus Salim",
    "Fitri Handayani",
]


def ready_context(n: int = 60) -> dict[str, Any]:
    rows = [
        {
            "reg_no": f"DISDUKCAPIL-2026-{i + 1:06d}",
            "name": READY_NAMES[i % len(READY_NAMES)] + ("" if i else " & Keluarga <b>"),
            "nik": f"19060345078{i:05d}",
            "procedure": "Penerbitan KTP Elektronik" if i % 3 else "Penerbitan Kartu Keluarga",
            "ready_at": dt.date(2026, 11, 2) + dt.timedelta(days=i % 20),
        }
        for i in range(n)
    ]
    return {
        "agency": AGENCY,
        "rows": rows,
        "generated_at": dt.datetime(2026, 11, 27, 8, 0, tzinfo=WIB),
    }


ANNOUNCEMENT = {
    "title": "Jadwal Pelayanan Selama Cuti Bersama Akhir Tahun",
    "number": "800/123/DISDUKCAPIL/2026",
    "date": dt.date(2026, 12, 18),
    "signer": {
        "name": "Drs. H. Ahmad Fauzi, M.Si.",
        "title": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "nip": "196711101992031001",
    },
    "body_markdown": (
        "Sehubungan dengan cuti bersama akhir tahun 2026, dengan ini kami sampaikan jadwal "
        "pelayanan sebagai berikut:\n\n"
        "| Tanggal | Pelayanan |\n|---|---|\n"
        "| 24 Desember 2026 | **Tutup** |\n| 28-30 Desember 2026 | Buka 08.00-12.00 WIB |\n\n"
        "1. Permohonan yang masuk sebelum 23 Desember tetap diproses.\n"
        "2. Pengambilan dokumen dapat dilakukan mulai 28 Desember 2026.\n\n"
        "Contoh HTML mentah: <script>alert('x')</script> & <b>tebal</b>.\n\n"
        "Atas perhatian Bapak/Ibu, kami ucapkan terima kasih."
    ),
}


@pytest.fixture(scope="module")
def logo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small emblem-like PNG standing in for the regency's logo."""
    from PIL import Image, ImageDraw

    path = tmp_path_factory.mktemp("logo") / "logo-beltim.png"
    img = Image.new("RGBA", (220, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.polygon(
        [(10, 10), (210, 10), (210, 140), (110, 230), (10, 140)],
        fill=(20, 90, 160),
        outline=(0, 0, 0),
    )
    draw.ellipse((70, 50, 150, 130), fill=(240, 200, 40))
    img.save(path)
    return path


@pytest.fixture(scope="module")
def office(logo: Path) -> dict[str, Any]:
    return {
        "government": "Pemerintah Kabupaten Belitung Timur",
        "name": "Mal Pelayanan Publik Kabupaten Belitung Timur",
        "address": "Jl. Jenderal Sudirman, Manggar",
        "place": "Manggar",
        "logo": str(logo),
        "timezone": "Asia/Jakarta",
    }


@pytest.fixture(scope="module")
def renderer(office: dict[str, Any]) -> Renderer:
    return Renderer(office=office)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("documents")


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def pdf_pages(path: Path) -> list[Any]:
    from pypdf import PdfReader

    return list(PdfReader(path).pages)


def one_line(text: str) -> str:
    return " ".join(text.split())


# One PDF per kind, shared by the tests below.
SAMPLES: dict[str, tuple[str, Any]] = {
    "receipt-a5": ("receipt", lambda: receipt_context("a5")),
    "receipt-80mm": ("receipt", lambda: receipt_context("80mm")),
    "receipt-a5-long": ("receipt", lambda: receipt_context("a5", requirements=8)),
    "standard": ("standard", lambda: {"procedure": procedure(), "agency": AGENCY}),
    "standard-paid": ("standard", lambda: {"procedure": PAID, "agency": DPMPTSP}),
    "catalogue": (
        "catalogue",
        lambda: {
            "agency": None,
            "year": 2026,
            "procedures": [
                {**procedure(), "agency": AGENCY},
                {**PAID, "agency": DPMPTSP},
                {
                    **procedure(
                        "DUKCAPIL-KK", name="Penerbitan Kartu Keluarga", product="Kartu Keluarga"
                    ),
                    "agency": AGENCY,
                },
            ],
        },
    ),
    "maklumat": ("maklumat", lambda: {"agency": AGENCY, "date": dt.date(2026, 1, 2)}),
    "announcement": ("announcement", lambda: ANNOUNCEMENT),
    "ready-list": ("ready_list", ready_context),
    "ready-empty": ("ready_list", lambda: {**ready_context(0), "agency": None}),
}


@pytest.fixture(scope="module")
def layout_warnings() -> dict[str, list[str]]:
    return {}


@pytest.fixture(scope="module")
def pdfs(
    renderer: Renderer, out_dir: Path, layout_warnings: dict[str, list[str]]
) -> dict[str, Path]:
    paths = {}
    for key, (template, make) in SAMPLES.items():
        paths[key] = renderer.write(template, make(), out_dir / f"{key}.pdf")
        layout_warnings[key] = renderer.layout_warnings
    return paths


# -- content ------------------------------------------------------------------------------------


def test_receipt_a5(pdfs: dict[str, Path]) -> None:
    text = one_line(pdf_text(pdfs["receipt-a5"]))
    for expected in (
        "BUKTI PENDAFTARAN",
        "DISDUKCAPIL-2026-000042",
        NIK_MASKED,
        "PEMERINTAH KABUPATEN BELITUNG TIMUR",
        "Penerbitan KTP Elektronik",
        "27 November 2026 pukul 14.05 WIB",
        "Rabu, 2 Desember 2026",
        "(3 hari kerja)",
        "Rina Marlina",
        "0812-7788-9900",
        "Pas foto 3x4 berwarna (2 lembar)",
        "dengan menyebutkan nomor pendaftaran",
        "Siti & <script>alert(1)</script> Aminah",
        "Kelengkapan persyaratan (dicentang petugas):",
        "Surat keterangan pindah (jika ada)",
        "Biaya : Gratis",
    ):
        assert expected in text, expected
    assert NIK not in text and "Persyaratan yang diterima" not in text
    pages = pdf_pages(pdfs["receipt-a5"])
    assert len(pages) == 1
    width, height = (float(v) for v in pages[0].mediabox[2:])
    assert (round(width), round(height)) == (420, 595)  # A5 in points


def test_receipt_a5_with_many_requirements_stays_on_one_page(pdfs: dict[str, Path]) -> None:
    # Eight requirements, some with notes (as for a marriage certificate): still one sheet,
    # with the officer's signature on it.
    pages = pdf_pages(pdfs["receipt-a5-long"])
    assert len(pages) == 1
    text = one_line(pages[0].extract_text())
    for expected in (
        "dokumen pendukung 8",
        "Biaya : Gratis",
        "Petugas Penerima",
        "Rina Marlina",
        "dengan menunjukkan bukti pendaftaran ini",
    ):
        assert expected in text, expected
    assert "Halaman" not in text


def test_receipt_80mm_is_a_narrow_roll(pdfs: dict[str, Path]) -> None:
    pages = pdf_pages(pdfs["receipt-80mm"])
    assert len(pages) == 1
    width, height = (float(v) for v in pages[0].mediabox[2:])
    assert width == pytest.approx(226.77, abs=0.5)
    # Cut to the content: longer than it is wide, far shorter than the 1 m layout page.
    assert 300 < height < 1000
    text = one_line(pdf_text(pdfs["receipt-80mm"]))
    for expected in (
        "BUKTI PENDAFTARAN",
        "DISDUKCAPIL-2026-000042",
        NIK_MASKED,
        "MAL PELAYANAN PUBLIK KABUPATEN BELITUNG TIMUR",
        "Terima kasih",
        "Kelengkapan persyaratan (dicentang petugas)",
        "Surat keterangan pindah (jika ada)",
        "Biaya Gratis",
    ):
        assert expected in text, expected
    assert NIK not in text and "Persyaratan yang diterima" not in text


@pytest.mark.parametrize("paper", ["a5", "80mm"])
def test_receipt_requirement_boxes_are_left_for_the_officer(renderer: Renderer, paper: str) -> None:
    # Nothing records which papers were handed in: every box is empty, to tick by hand,
    # and an optional requirement still says it is optional.
    html = renderer.render_html("receipt", receipt_context(paper))
    checklist = html[html.index('<ul class="checklist">') :]
    checklist = checklist[: checklist.index("</ul>")]
    assert checklist.count("☐") == len(procedure()["requirements"]) == 3
    assert "☑" not in html and "☒" not in html
    assert "Surat keterangan pindah <em>(jika ada)</em>" in checklist
    assert "Kelengkapan persyaratan (dicentang petugas)" in html


def test_standard_sheet(pdfs: dict[str, Path]) -> None:
    text = one_line(pdf_text(pdfs["standard"]))
    for expected in (
        "STANDAR PELAYANAN",
        "PENERBITAN KTP ELEKTRONIK",
        "Dasar Hukum",
        "Persyaratan Pelayanan",
        "Sistem, Mekanisme dan Prosedur",
        "Jangka Waktu Penyelesaian",
        "3 (tiga) hari kerja",
        "Biaya/Tarif",
        "Gratis (tidak dipungut biaya)",
        "Produk Pelayanan",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Jam Pelayanan",
        "Jumat 08.00-11.00",
        "Verifikasi dan validasi data",
        "Operator",
        "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        "Surat keterangan pindah",
    ):
        assert expected in text, expected
    assert "Halaman" not in text  # one page: no page numbers


def test_standard_with_fee_spells_it_out(pdfs: dict[str, Path]) -> None:
    text = one_line(pdf_text(pdfs["standard-paid"]))
    assert "Rp1.250.000 (satu juta dua ratus lima puluh ribu rupiah)" in text
    assert "14 (empat belas) hari kerja" in text
    assert "Gambar rencana teknis" in text


def test_catalogue_has_cover_contents_and_numbered_pages(pdfs: dict[str, Path]) -> None:
    pages = pdf_pages(pdfs["catalogue"])
    assert len(pages) == 5  # cover, contents, three standards
    texts = [one_line(page.extract_text()) for page in pages]
    assert "STANDAR PELAYANAN PUBLIK" in texts[0] and "TAHUN 2026" in texts[0]
    assert "Halaman" not in texts[0]
    assert "DAFTAR ISI" in texts[1]
    # Grouped by agency name; the contents give each standard's page.
    assert "Dinas Kependudukan dan Pencatatan Sipil" in texts[1]
    toc = texts[1]
    assert toc.index("Penerbitan KTP Elektronik") < toc.index("Persetujuan Bangunan Gedung")
    assert "Halaman 2 dari 5" in texts[1]
    for number, page_text in enumerate(texts[2:], start=3):
        assert "STANDAR PELAYANAN" in page_text
        assert f"Halaman {number} dari 5" in page_text
    assert "PERSETUJUAN BANGUNAN GEDUNG" in texts[4]


def test_maklumat(pdfs: dict[str, Path]) -> None:
    text = one_line(pdf_text(pdfs["maklumat"]))
    for expected in (
        "MAKLUMAT PELAYANAN",
        "menyelenggarakan pelayanan sesuai standar pelayanan",
        "siap menerima sanksi",
        "Manggar, 2 Januari 2026",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil,",
        "Drs. H. Ahmad Fauzi, M.Si.",
        "NIP. 196711101992031001",
    ):
        assert expected in text, expected


def test_announcement(pdfs: dict[str, Path]) -> None:
    text = one_line(pdf_text(pdfs["announcement"]))
    for expected in (
        "PENGUMUMAN",
        "Nomor: 800/123/DISDUKCAPIL/2026",
        "TENTANG",
        "JADWAL PELAYANAN SELAMA CUTI BERSAMA AKHIR TAHUN",
        "Tutup",
        "Manggar, 18 Desember 2026",
        "NIP. 196711101992031001",
        # Raw HTML in the Markdown is printed as text, never interpreted.
        "<script>alert('x')</script> & <b>tebal</b>",
    ):
        assert expected in text, expected


def signature_lines(html: str) -> list[str]:
    """The text of each line of the (last) signature block, as printed."""
    from html.parser import HTMLParser

    class Lines(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0  # > 0 inside the signature block
            self.lines: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag != "div":
                return
            if self.depth or ("class", "signature") in attrs:
                if self.depth == 0:
                    self.lines = []  # a later block replaces an earlier one
                self.depth += 1
                if self.depth == 2 and ("class", "signature-space") not in attrs:
                    self.lines.append("")

        def handle_endtag(self, tag: str) -> None:
            if tag == "div" and self.depth:
                self.depth -= 1

        def handle_data(self, data: str) -> None:
            if self.depth >= 2 and self.lines:
                self.lines[-1] += data

    parser = Lines()
    parser.feed(html)
    return [" ".join(line.split()) for line in parser.lines]


def test_maklumat_of_a_kecamatan_names_it_once(renderer: Renderer) -> None:
    kecamatan = {
        "code": "KEC-MANGGAR",
        "name": "Kecamatan Manggar",
        "address": None,
        "phone": None,
        "head": {
            "name": "Fajar Ramadhan Putra, S.STP., M.Si.",
            "nip": "198603052008011001",
            "title": "Camat Manggar",
        },
    }
    html = renderer.render_html("maklumat", {"agency": kecamatan, "date": dt.date(2026, 1, 2)})
    assert signature_lines(html) == [
        "Manggar, 2 Januari 2026",
        "Camat Manggar,",
        "Fajar Ramadhan Putra, S.STP., M.Si.",
        "NIP. 198603052008011001",
    ]


@pytest.mark.parametrize(
    "signer",
    [
        {"name": "Andi Saputra", "title": "", "nip": None},  # a staff member: no title on record
        {"name": "Andi Saputra", "title": None, "nip": "196711101992031001"},
        {"name": "Andi Saputra", "title": " , ", "nip": ""},
    ],
)
def test_signature_has_no_blank_or_punctuation_only_line(
    renderer: Renderer, signer: dict[str, Any]
) -> None:
    html = renderer.render_html("announcement", {**ANNOUNCEMENT, "signer": signer})
    lines = signature_lines(html)
    assert lines[0] == "Manggar, 18 Desember 2026" and lines[1] == "Andi Saputra"
    for line in lines:
        assert re.search(r"\w", line), lines


def test_agency_head_signer_gets_the_unit_once(renderer: Renderer) -> None:
    signer = {"name": "Zulkarnain Effendi", "title": "Kepala", "nip": None, "unit": "Dinas Sosial"}
    html = renderer.render_html("announcement", {**ANNOUNCEMENT, "signer": signer})
    assert signature_lines(html)[1] == "Kepala Dinas Sosial,"


def test_ready_list_masks_every_nik_and_repeats_the_header(pdfs: dict[str, Path]) -> None:
    pages = pdf_pages(pdfs["ready-list"])
    assert len(pages) >= 2
    texts = [one_line(page.extract_text()) for page in pages]
    full = " ".join(texts)
    for i in range(60):
        nik = f"19060345078{i:05d}"
        assert nik not in full
        assert f"190603********{nik[-2:]}" in full
        assert f"DISDUKCAPIL-2026-{i + 1:06d}" in full
    assert "Jumlah: 60 dokumen" in full
    assert "Dokumen dapat diambil pada jam pelayanan dengan membawa bukti pendaftaran" in full
    for number, page_text in enumerate(texts, start=1):
        assert "Nomor Pendaftaran" in page_text  # header row repeated
        assert f"Halaman {number} dari {len(pages)}" in page_text


def _table_cells(renderer: Renderer, html: str) -> Iterator[tuple[str, int, float, str]]:
    """Each body cell of the laid-out document: class, lines, overflow (px) and text."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    def walk(box: Any) -> Iterator[Any]:
        yield box
        for child in getattr(box, "children", []):
            yield from walk(child)

    document = HTML(string=html, base_url=renderer.bundled_dir.as_uri() + "/").render()
    for page in document.pages:
        for box in walk(page._page_box):
            if isinstance(box, boxes.TableCellBox) and box.element_tag == "td":
                lines = [child for child in box.children if isinstance(child, boxes.LineBox)]
                texts = [t for line in lines for t in walk(line) if isinstance(t, boxes.TextBox)]
                right = max((t.position_x + t.width for t in texts), default=0.0)
                yield (
                    box.element.get("class") or "",
                    len(lines),
                    right - (box.content_box_x() + box.width),
                    " ".join(t.text for t in texts),
                )


def test_ready_list_columns_fit_their_contents(renderer: Renderer) -> None:
    # Every service in the bundled catalogue, with the longest registration numbers it makes
    # (KEC-MANGGAR-...) and a long applicant name.
    import yaml

    from egovctl.resources import procedures_dir

    names = [
        doc["name"]
        for path in sorted(procedures_dir().glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text("utf-8"))
        if doc and doc.get("kind") == "procedure"
    ]
    rows = [
        {
            "reg_no": f"KEC-MANGGAR-2026-{i:06d}",
            "name": "Muhammad Rizky Pratama Wijaya",
            "nik": NIK,
            "procedure": name,
            "ready_at": dt.date(2026, 9, 30),
        }
        for i, name in enumerate(names, start=1)
    ]
    html = renderer.render_html("ready_list", {**ready_context(0), "rows": rows})
    cells = [cell for cell in _table_cells(renderer, html) if not cell[0].startswith("kop")]
    assert len(cells) == 6 * len(names)
    for kind, lines, overflow, text in cells:
        if kind in ("reg", "nik", "date"):
            # Numbers never break, nor run over into the next column.
            assert lines == 1 and overflow <= 0, (kind, text, overflow)
        elif kind == "procedure":
            # Typical names (up to ~55 characters) on two lines, the longest on three.
            assert lines <= (2 if len(text) <= 55 else 3), (text, lines)
        elif kind == "name":
            assert lines <= 2, text
    assert sum(1 for kind, *_ in cells if kind == "date") == len(names)
    assert "30 Sep 2026" in html and "190603********01" in html


def test_empty_ready_list(pdfs: dict[str, Path]) -> None:
    text = one_line(pdf_text(pdfs["ready-empty"]))
    assert "tidak ada dokumen yang siap diambil" in text
    assert "Semua layanan" in text
    assert "Nomor Pendaftaran" not in text


def test_bundled_css_raises_no_layout_warnings(
    pdfs: dict[str, Path], layout_warnings: dict[str, list[str]]
) -> None:
    # WeasyPrint reports unsupported CSS and unloadable images as warnings: the bundled
    # templates must have none.
    assert layout_warnings == {key: [] for key in SAMPLES}


# -- HTML ---------------------------------------------------------------------------------------


def test_html_escapes_context_values(renderer: Renderer) -> None:
    html = renderer.render_html("receipt", receipt_context())
    assert "<script>alert(1)</script>" not in html
    assert "Siti &amp; &lt;script&gt;alert(1)&lt;/script&gt; Aminah" in html
    assert NIK not in html and NIK_MASKED in html
    assert 'src="data:image/png;base64,' in html  # the logo travels inside the document


def test_markdown_raw_html_is_escaped(renderer: Renderer) -> None:
    html = renderer.render_html("announcement", ANNOUNCEMENT)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<table>" in html and "<strong>Tutup</strong>" in html


def test_qr_code_is_inline_svg(renderer: Renderer) -> None:
    html = renderer.render_html("receipt", receipt_context("80mm"))
    assert '<svg width="30mm" height="30mm"' in html
    assert "<?xml" not in html
    assert 'name="egovctl-paper" content="roll"' in html


def test_write_html(renderer: Renderer, tmp_path: Path) -> None:
    out = renderer.write(
        "maklumat", {"agency": DPMPTSP, "date": dt.date(2026, 1, 2)}, tmp_path / "maklumat.html"
    )
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    # No head configured: blank lines to sign by hand, the position from the agency.
    assert "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu," in html
    assert "NIP. ......" in html


def test_template_stem_and_full_name_are_the_same(renderer: Renderer) -> None:
    ctx = {
        "agency": AGENCY,
        "date": dt.date(2026, 1, 2),
        "now": dt.datetime(2026, 1, 2, tzinfo=WIB),
    }
    assert renderer.render_html("maklumat", ctx) == renderer.render_html("maklumat.html.j2", ctx)


def test_globals(renderer: Renderer) -> None:
    env_html = renderer.render_html(
        "announcement",
        {**ANNOUNCEMENT, "signer": None, "body_markdown": "Hari ini {{ today }}"},
    )
    # Markdown is data, never a template: the braces come out as written.
    assert "Hari ini {{ today }}" in env_html
    assert "Manggar, 18 Desember 2026" in env_html


# -- office templates and the sandbox ------------------------------------------------------------


@pytest.fixture
def kantor(tmp_path: Path, office: dict[str, Any]) -> tuple[Path, Renderer]:
    directory = tmp_path / "templates-kantor"
    directory.mkdir()
    return directory, Renderer(directory, office=office)


def test_office_template_overrides_bundled_by_name(kantor: tuple[Path, Renderer]) -> None:
    directory, renderer = kantor
    (directory / "maklumat.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}'
        "<p>MAKLUMAT KHUSUS {{ agency.name }} – {{ date|letter_date }}</p>{% endblock %}",
        "utf-8",
    )
    html = renderer.render_html("maklumat", {"agency": AGENCY, "date": dt.date(2026, 1, 2)})
    assert "MAKLUMAT KHUSUS Dinas Kependudukan dan Pencatatan Sipil – 2 Januari 2026" in html
    assert "PEMERINTAH KABUPATEN BELITUNG TIMUR" in html  # the bundled base still applies
    listing = {info.name: info for info in renderer.list_templates()}
    assert listing["maklumat.html.j2"].source == "kantor"
    assert listing["maklumat.html.j2"].path == directory / "maklumat.html.j2"
    assert listing["receipt.html.j2"].source == "bundled"
    assert {
        "base.html.j2",
        "standard.html.j2",
        "catalogue.html.j2",
        "announcement.html.j2",
        "ready_list.html.j2",
    } <= set(listing)


def test_office_base_restyles_bundled_documents(kantor: tuple[Path, Renderer]) -> None:
    directory, renderer = kantor
    (directory / "base.html.j2").write_text(
        "<html><body><h1>KOP KANTOR</h1>{% block content %}{% endblock %}</body></html>", "utf-8"
    )
    html = renderer.render_html("maklumat", {"agency": AGENCY, "date": dt.date(2026, 1, 2)})
    assert "KOP KANTOR" in html and "MAKLUMAT PELAYANAN" in html


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% if office.__class__ %}x{% endif %}",
        "{{ request.applicant.items.__self__ }}",
    ],
)
def test_sandbox_refuses_python_internals(kantor: tuple[Path, Renderer], source: str) -> None:
    directory, renderer = kantor
    (directory / "receipt.html.j2").write_text("<p>line one</p>\n" + source, "utf-8")
    with pytest.raises(DocumentTemplateError) as caught:
        renderer.render_html("receipt", receipt_context())
    message = str(caught.value)
    assert str(directory / "receipt.html.j2") in message
    assert "line 2" in message
    assert "tried to access" in message and "not allowed" in message


def test_sandbox_refuses_mutation(kantor: tuple[Path, Renderer]) -> None:
    directory, renderer = kantor
    (directory / "receipt.html.j2").write_text("{{ request.requirements.append(1) }}", "utf-8")
    with pytest.raises(DocumentTemplateError, match="'append' of a 'list' object"):
        renderer.render_html("receipt", receipt_context())


def test_syntax_error_names_file_and_line(kantor: tuple[Path, Renderer]) -> None:
    directory, renderer = kantor
    (directory / "maklumat.html.j2").write_text(
        "<p>\n</p>\n{% if agency %}\n<b>{{ x }</b>\n", "utf-8"
    )
    with pytest.raises(DocumentTemplateError) as caught:
        renderer.render_html("maklumat", {"agency": AGENCY, "date": dt.date(2026, 1, 2)})
    message = str(caught.value)
    assert str(directory / "maklumat.html.j2") in message
    assert "line 4" in message and "syntax error" in message


def test_undefined_value_names_it_and_the_template(kantor: tuple[Path, Renderer]) -> None:
    directory, renderer = kantor
    (directory / "maklumat.html.j2").write_text("<p>\n{{ agency.motto }}</p>", "utf-8")
    with pytest.raises(DocumentTemplateError) as caught:
        renderer.render_html("maklumat", {"agency": AGENCY, "date": dt.date(2026, 1, 2)})
    message = str(caught.value)
    assert "motto" in message and "maklumat.html.j2, line 2" in message
    assert "undefined" in message


def test_missing_context_key_in_bundled_template(renderer: Renderer) -> None:
    with pytest.raises(DocumentTemplateError, match=r"maklumat\.html\.j2.*'date' is undefined"):
        renderer.render_html("maklumat", {"agency": AGENCY})


def test_filter_misuse_is_a_template_error(kantor: tuple[Path, Renderer]) -> None:
    directory, renderer = kantor
    (directory / "maklumat.html.j2").write_text("{{ -5|terbilang }}", "utf-8")
    with pytest.raises(DocumentTemplateError, match="line 1: terbilang covers"):
        renderer.render_html("maklumat", {"agency": AGENCY, "date": dt.date(2026, 1, 2)})


def test_unknown_template(renderer: Renderer) -> None:
    with pytest.raises(NotFound, match="template 'kwitansi.html.j2' not found"):
        renderer.render_html("kwitansi", {})


def test_missing_templates_dir_and_logo(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="templates directory .* does not exist"):
        Renderer(tmp_path / "nope")
    missing = Renderer(office={"logo": str(tmp_path / "logo.png")})
    with pytest.raises(NotFound, match=r"logo file .*logo\.png does not exist"):
        missing.render_html("maklumat", {"agency": AGENCY, "date": dt.date(2026, 1, 2)})


def test_timezone_from_office(office: dict[str, Any]) -> None:
    makassar = Renderer(office={**office, "timezone": "Asia/Makassar"})
    html = makassar.render_html("receipt", receipt_context())
    assert "27 November 2026 pukul 15.05 WITA" in html
    with pytest.raises(ConfigError, match="unknown timezone"):
        Renderer(office=office, timezone="Asia/Atlantis")


# -- writing files ------------------------------------------------------------------------------


MAKLUMAT = {"agency": AGENCY, "date": dt.date(2026, 1, 2)}


def test_unknown_extension_is_refused(renderer: Renderer, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(InvalidInput, match=r"extension '\.docx'; use \.pdf or \.html"):
        renderer.write("maklumat", MAKLUMAT, tmp_path / "maklumat.docx")
    with pytest.raises(InvalidInput, match="no extension"):
        renderer.write("maklumat", MAKLUMAT, tmp_path / "maklumat")
    assert list(tmp_path.iterdir()) == []


def test_existing_file_needs_force(renderer: Renderer, tmp_path: Path) -> None:
    out = tmp_path / "maklumat.html"
    out.write_text("old", "utf-8")
    with pytest.raises(OutputExists, match="already exists; use --force"):
        renderer.write("maklumat", MAKLUMAT, out)
    assert out.read_text("utf-8") == "old"
    assert renderer.write("maklumat", MAKLUMAT, out, force=True) == out
    assert "MAKLUMAT PELAYANAN" in out.read_text("utf-8")


def test_missing_directory(renderer: Renderer, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="directory .* does not exist"):
        renderer.write("maklumat", MAKLUMAT, tmp_path / "no" / "maklumat.pdf")


def test_failure_leaves_no_file_behind(kantor: tuple[Path, Renderer], tmp_path: Path) -> None:
    directory, renderer = kantor
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (directory / "maklumat.html.j2").write_text("{{ ''.__class__ }}", "utf-8")
    with pytest.raises(EgovError):
        renderer.write("maklumat", MAKLUMAT, out_dir / "maklumat.pdf")
    assert list(out_dir.iterdir()) == []


def test_failed_rename_leaves_old_file_and_no_temp(
    renderer: Renderer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "maklumat.html"
    out.write_text("old", "utf-8")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(EgovError, match="disk full"):
        renderer.write("maklumat", MAKLUMAT, out, force=True)
    assert out.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["maklumat.html"]
