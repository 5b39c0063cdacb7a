"""`egovctl print ...` end to end: the database into PDFs and HTML that say the right things."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.documents.test_render import signature_lines

NIK = "1906034507890001"
MASKED = "190603********01"


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.fixture
def logged(catalogue: Cli) -> tuple[Cli, str]:
    reg = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "Siti <b>Aminah</b> & Co",
        "--nik",
        NIK,
        "--at",
        "2026-11-27T09:00",
        "--json",
    ).json()["reg_no"]
    return catalogue, reg


def test_receipt_default_name_and_content(logged, isolated_env: Path) -> None:
    cli, reg = logged
    cli.ok("print", "receipt", reg)
    pdf = isolated_env / f"bukti-{reg}.pdf"
    text = _pdf_text(pdf)
    assert "BUKTI PENDAFTARAN" in text and reg in text
    assert MASKED in text and NIK not in text
    assert "2 Desember 2026" in text  # the due date
    assert "already exists" in cli.fails("print", "receipt", reg).stderr
    cli.ok("print", "receipt", reg, "--force")


def test_thermal_receipt_has_its_own_default_name(logged, isolated_env: Path) -> None:
    # Printing both papers for one request keeps both files.
    cli, reg = logged
    assert cli.ok("print", "receipt", reg).stdout == f"written {isolated_env}/bukti-{reg}.pdf\n"
    out = cli.ok("print", "receipt", reg, "--paper", "80mm").stdout
    assert out == f"written {isolated_env}/bukti-{reg}-80mm.pdf\n"
    assert sorted(p.name for p in isolated_env.iterdir()) == [
        f"bukti-{reg}-80mm.pdf",
        f"bukti-{reg}.pdf",
    ]
    text = _pdf_text(isolated_env / f"bukti-{reg}-80mm.pdf")
    assert "Kelengkapan persyaratan (dicentang petugas)" in text and "☑" not in text


@pytest.mark.parametrize("paper", ["58mm", "A4", ""])
def test_unknown_paper_is_a_usage_error(logged, isolated_env: Path, paper: str) -> None:
    cli, reg = logged
    err = cli.fails("print", "receipt", reg, "--paper", paper, code=2).stderr
    assert "--paper" in err and f"'{paper}'" in err
    assert "'a5'" in err and "'80mm'" in err  # the valid values are listed
    assert list(isolated_env.iterdir()) == []


def test_thermal_receipt_is_80mm_wide(logged, tmp_path: Path) -> None:
    from pypdf import PdfReader

    cli, reg = logged
    out = tmp_path / "r.pdf"
    cli.ok("print", "receipt", reg, "--paper", "80mm", "-o", str(out))
    width = float(PdfReader(str(out)).pages[0].mediabox.width)
    assert abs(width - 80 / 25.4 * 72) < 1


def test_html_output_escapes_names(logged, tmp_path: Path) -> None:
    cli, reg = logged
    out = tmp_path / "[arsip] loket" / ("bukti-" + "x" * 90 + ".html")
    out.parent.mkdir()
    result = cli.ok("print", "receipt", reg, "-o", str(out))
    assert result.stdout == f"written {out}\n"  # one line, as typed, however long
    html = out.read_text(encoding="utf-8")
    assert "Siti &lt;b&gt;Aminah&lt;/b&gt; &amp; Co" in html
    assert "<b>Aminah</b>" not in html


def test_standard_sheet(catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    catalogue.ok("print", "standard", "DUKCAPIL-KTP-EL", "-o", str(out))
    text = _pdf_text(out)
    assert "STANDAR PELAYANAN" in text and "Gratis" in text
    assert "Persyaratan" in text and "3 (tiga) hari kerja" in text
    paid = tmp_path / "p.pdf"
    catalogue.ok("print", "standard", "DINKES-SLHS", "-o", str(paid))
    assert "Rp150.000" in _pdf_text(paid) and "seratus lima puluh ribu rupiah" in _pdf_text(
        paid
    ).replace("\n", " ")


def test_ready_list_masks_nik(logged, tmp_path: Path) -> None:
    cli, reg = logged
    steps = cli.ok("request", "show", reg, "--json").json()["steps"]
    for _ in range(steps):
        cli.ok("request", "advance", reg)
    out = tmp_path / "ready.pdf"
    cli.ok("print", "ready-list", "-o", str(out))
    text = _pdf_text(out)
    assert reg in text and MASKED in text and NIK not in text
    html = tmp_path / "ready.html"
    cli.ok("print", "ready-list", "--agency", "DISDUKCAPIL", "-o", str(html))
    assert NIK not in html.read_text(encoding="utf-8")


def test_maklumat_and_catalogue(catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"
    catalogue.ok("print", "maklumat", "DISDUKCAPIL", "-o", str(out))
    text = _pdf_text(out).replace("\n", " ")
    assert "MAKLUMAT PELAYANAN" in text and "NIP" in text and "sanksi" in text
    book = tmp_path / "k.pdf"
    catalogue.ok("print", "catalogue", "--agency", "DINSOS", "-o", str(book))
    text = _pdf_text(book)
    assert "DINSOS" in text or "Dinas Sosial" in text


def test_announcement_from_markdown(catalogue: Cli, tmp_path: Path) -> None:
    md = tmp_path / "pidato.md"
    md.write_text(
        "# Pelayanan Publik Berbasis E-Gov\n\nKetepatan **pelayanan** publik.\n\n"
        "<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    out = tmp_path / "a.html"
    catalogue.ok("print", "announcement", str(md), "--signer", "DISDUKCAPIL", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Pelayanan Publik Berbasis E-Gov" in html and "<strong>pelayanan</strong>" in html
    assert "<script>alert" not in html
    pdf = tmp_path / "a.pdf"
    catalogue.ok(
        "print", "announcement", str(md), "--signer", "Budi|Sekretaris Daerah|", "-o", str(pdf)
    )
    assert "Budi" in _pdf_text(pdf)


def test_maklumat_of_a_kecamatan_names_it_once(catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"
    catalogue.ok("print", "maklumat", "KEC-MANGGAR", "-o", str(out))
    lines = [line.strip() for line in _pdf_text(out).splitlines()]
    assert "Camat Manggar," in lines
    assert "Kecamatan Manggar" not in " ".join(lines[lines.index("Camat Manggar,") :])


@pytest.mark.parametrize(
    "signer,position",
    [
        ("KEC-MANGGAR", "Camat Manggar,"),
        ("DINSOS", "Kepala Dinas Sosial,"),
        ("admin1", None),  # a staff member has no title on record: no position line at all
        ("Budi Santoso|Sekretaris Daerah|1967 1110 1992 03 1001", "Sekretaris Daerah,"),
    ],
)
def test_announcement_signature_lines(
    catalogue: Cli, tmp_path: Path, signer: str, position: str | None
) -> None:
    catalogue.ok("staff", "add", "admin1", "--name", "Andi Saputra", "--role", "admin")
    md = tmp_path / "info.md"
    md.write_text("# Info\n\nIsi pengumuman.\n", encoding="utf-8")
    out = tmp_path / "a.html"
    catalogue.ok(
        "print", "announcement", str(md), "--signer", signer, "-o", str(out), user="admin1"
    )
    lines = signature_lines(out.read_text(encoding="utf-8"))
    assert lines[0].startswith("Manggar, ")
    if position:
        assert lines[1] == position
    for line in lines:
        assert any(ch.isalnum() for ch in line), lines  # never a lone "," or an empty line
    if "|" in signer:
        assert lines[-1] == "NIP. 196711101992031001"


@pytest.mark.parametrize(
    "nip,problem",
    [
        ("19671110199203100", "NIP must have 18 digits, got 17"),
        ("1967111019920310011", "NIP must have 18 digits, got 19"),
        ("19671110199203100X", "only digits"),
        ("196713101992031001", "not a real date"),
    ],
)
def test_signer_nip_is_validated_like_staff_nip(
    catalogue: Cli, isolated_env: Path, nip: str, problem: str
) -> None:
    md = isolated_env.parent / "info.md"
    md.write_text("# Info\n\nIsi.\n", encoding="utf-8")
    err = catalogue.fails(
        "print", "announcement", str(md), "--signer", f"Budi|Sekretaris Daerah|{nip}"
    ).stderr
    assert f"'{nip}'" in err and problem in err and "--signer" in err
    assert list(isolated_env.iterdir()) == []
    # The same check as staff add --nip.
    staff_err = catalogue.fails(
        "staff", "add", "budi", "--name", "Budi", "--role", "clerk", "--nip", nip
    ).stderr
    assert problem in staff_err


def test_announcement_default_name_ends_on_a_whole_word(catalogue: Cli, isolated_env: Path) -> None:
    md = isolated_env.parent / "info.md"
    md.write_text(
        "# Pelayanan Publik Berbasis E-Government yang Terintegrasi di Kabupaten\n\nIsi.\n",
        encoding="utf-8",
    )
    catalogue.ok("print", "announcement", str(md))
    assert [p.name for p in isolated_env.iterdir()] == [
        "pengumuman-pelayanan-publik-berbasis-e-government-yang.pdf"
    ]


@pytest.mark.parametrize(
    "args,message",
    [
        (["receipt", "DISDUKCAPIL-2026-999999"], "no request"),
        (["standard", "NOPE"], "no procedure"),
        (["maklumat", "NOPE"], "no agency"),
        (["announcement", "tidak-ada.md"], "does not exist"),
        (["standard", "DUKCAPIL-KTP-EL", "-o", "x.docx"], ".docx"),
    ],
)
def test_bad_input_leaves_no_file(catalogue: Cli, isolated_env: Path, args, message) -> None:
    err = catalogue.fails("print", *args).stderr
    assert message in err
    assert list(isolated_env.iterdir()) == []


def test_office_template_overrides_and_sandbox(catalogue: Cli, tmp_path: Path) -> None:
    tdir = tmp_path / "kantor"
    tdir.mkdir()
    cfg = tmp_path / "egovctl.toml"
    cfg.write_text(f'templates = "{tdir}"\n', encoding="utf-8")
    (tdir / "maklumat.html.j2").write_text(
        "<p>MAKLUMAT KANTOR {{ agency.name }}</p>", encoding="utf-8"
    )
    out = tmp_path / "m.html"
    catalogue.ok("--config", str(cfg), "print", "maklumat", "DINSOS", "-o", str(out))
    assert "MAKLUMAT KANTOR Dinas Sosial" in out.read_text(encoding="utf-8")
    listed = catalogue.ok("--config", str(cfg), "print", "templates", "--json").json()
    assert {"name": "maklumat.html.j2", "source": "kantor"}.items() <= next(
        t for t in listed if t["name"] == "maklumat.html.j2"
    ).items()
    (tdir / "maklumat.html.j2").write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    err = catalogue.fails(
        "--config", str(cfg), "print", "maklumat", "DINSOS", "-o", str(tmp_path / "x.html")
    ).stderr
    assert "not allowed" in err and "maklumat.html.j2" in err
    (tdir / "maklumat.html.j2").write_text("<p>\n{% if %}\n</p>", encoding="utf-8")
    err = catalogue.fails(
        "--config", str(cfg), "print", "maklumat", "DINSOS", "-o", str(tmp_path / "y.html")
    ).stderr
    assert "line 2" in err and "maklumat.html.j2" in err
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "y.html").exists()


def test_clerk_cannot_print_receipts_for_counter_only(catalogue: Cli, tmp_path: Path) -> None:
    catalogue.ok("staff", "add", "admin1", "--name", "A", "--role", "admin")
    catalogue.ok("staff", "add", "loket1", "--name", "L", "--role", "counter", user="admin1")
    err = catalogue.fails(
        "print", "standard", "DUKCAPIL-KTP-EL", "-o", str(tmp_path / "s.pdf"), user="loket1"
    ).stderr
    assert "needs role" in err
