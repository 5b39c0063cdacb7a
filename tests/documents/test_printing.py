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


# -- fees on the receipt ----------------------------------------------------------------------


@pytest.mark.parametrize("code,fee", [("DINKES-SLHS", "Rp150.000"), ("DUKCAPIL-KTP-EL", "Gratis")])
def test_receipt_prints_the_fee(catalogue: Cli, tmp_path: Path, code: str, fee: str) -> None:
    reg = catalogue.ok(
        "request", "log", code, "--name", "Siti Aminah", "--nik", NIK, "--json"
    ).json()["reg_no"]
    a5 = tmp_path / "a5.pdf"
    catalogue.ok("print", "receipt", reg, "-o", str(a5))
    lines = [line.strip() for line in _pdf_text(a5).splitlines()]
    assert any(line.startswith("Biaya") and line.endswith(fee) for line in lines), lines
    roll = tmp_path / "roll.html"
    catalogue.ok("print", "receipt", reg, "--paper", "80mm", "-o", str(roll))
    html = roll.read_text(encoding="utf-8")
    assert '<div class="label">Biaya</div><div class="value">' + fee in html


# -- announcements: letterhead, title, file name, number, images -------------------------------


def _kop_name(html: str) -> str:
    import re

    match = re.search(r'<div class="kop-name[^"]*">([^<]*)</div>', html)
    assert match, html[:2000]
    return match.group(1)


@pytest.mark.parametrize(
    "signer,kop",
    [
        ("DINSOS", "DINAS SOSIAL"),
        ("KEC-MANGGAR", "KECAMATAN MANGGAR"),
        (None, "MAL PELAYANAN PUBLIK"),
        ("Budi Santoso|Sekretaris Daerah|", "MAL PELAYANAN PUBLIK"),
    ],
)
def test_announcement_letterhead_is_the_signing_heads_agency(
    catalogue: Cli, tmp_path: Path, signer: str | None, kop: str
) -> None:
    md = tmp_path / "info.md"
    md.write_text("# Info\n\nIsi pengumuman.\n", encoding="utf-8")
    out = tmp_path / "a.html"
    args = ["--signer", signer] if signer else []
    catalogue.ok("print", "announcement", str(md), *args, "-o", str(out))
    assert kop in _kop_name(out.read_text(encoding="utf-8"))


def test_maklumat_and_announcement_share_the_agency_letterhead(
    catalogue: Cli, tmp_path: Path
) -> None:
    md = tmp_path / "info.md"
    md.write_text("# Info\n\nIsi.\n", encoding="utf-8")
    catalogue.ok("print", "maklumat", "DINSOS", "-o", str(tmp_path / "m.html"))
    catalogue.ok(
        "print", "announcement", str(md), "--signer", "dinsos", "-o", str(tmp_path / "a.html")
    )
    read = lambda name: (tmp_path / name).read_text(encoding="utf-8")  # noqa: E731
    assert _kop_name(read("a.html")) == _kop_name(read("m.html"))
    assert "Telp. (0719) 910518" in read("a.html")


@pytest.mark.parametrize(
    "text",
    [
        "Isi pengumuman tanpa judul.\n",
        "## Bukan judul utama\n\nIsi.\n",
        "#\n\nIsi.\n",
        "Isi dulu.\n\n# Judul di tengah\n",
    ],
)
def test_announcement_without_a_title_is_refused(
    catalogue: Cli, isolated_env: Path, text: str
) -> None:
    md = isolated_env.parent / "nojudul.md"
    md.write_text(text, encoding="utf-8")
    err = catalogue.fails("print", "announcement", str(md)).stderr
    assert "nojudul.md" in err and "title" in err and "--title" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert list(isolated_env.iterdir()) == []
    catalogue.ok("print", "announcement", str(md), "--title", "Jadwal Pelayanan")
    assert [p.name for p in isolated_env.iterdir()] == ["pengumuman-jadwal-pelayanan.pdf"]


def test_announcement_title_alone_without_newline(catalogue: Cli, tmp_path: Path) -> None:
    md = tmp_path / "x.md"
    md.write_text("# Judul Saja", encoding="utf-8")
    err = catalogue.fails("print", "announcement", str(md)).stderr
    assert "x.md" in err and "no text" in err
    md.write_text("# Judul Saja\nIsi.", encoding="utf-8")
    out = tmp_path / "x.html"
    catalogue.ok("print", "announcement", str(md), "-o", str(out))
    assert "JUDUL SAJA" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("title", ["", "   "])
def test_announcement_empty_title_option_is_refused(
    catalogue: Cli, isolated_env: Path, title: str
) -> None:
    md = isolated_env.parent / "info.md"
    md.write_text("# Info\n\nIsi.\n", encoding="utf-8")
    err = catalogue.fails("print", "announcement", str(md), "--title", title).stderr
    assert "--title" in err
    assert list(isolated_env.iterdir()) == []


@pytest.mark.parametrize(
    "title,name",
    [
        ("Pengumuman Libur Nasional", "pengumuman-libur-nasional.pdf"),
        ("PENGUMUMAN: Jadwal Pelayanan", "pengumuman-jadwal-pelayanan.pdf"),
        ("Pengumuman", "pengumuman.pdf"),
        ("Pengumuman Pengumuman Hasil Seleksi", "pengumuman-hasil-seleksi.pdf"),
        ("Pengumumannya Besok", "pengumuman-pengumumannya-besok.pdf"),
    ],
)
def test_announcement_file_name_does_not_repeat_the_word(
    catalogue: Cli, isolated_env: Path, title: str, name: str
) -> None:
    md = isolated_env.parent / "info.md"
    md.write_text(f"# {title}\n\nIsi.\n", encoding="utf-8")
    catalogue.ok("print", "announcement", str(md))
    assert [p.name for p in isolated_env.iterdir()] == [name]


def test_announcement_number(catalogue: Cli, tmp_path: Path) -> None:
    md = tmp_path / "info.md"
    md.write_text("# Info\n\nIsi.\n", encoding="utf-8")
    out = tmp_path / "a.pdf"
    catalogue.ok(
        "print", "announcement", str(md), "--number", "800/123/DISDUKCAPIL/2026", "-o", str(out)
    )
    lines = [line.strip() for line in _pdf_text(out).splitlines()]
    assert "Nomor: 800/123/DISDUKCAPIL/2026" in lines
    plain = tmp_path / "b.html"
    catalogue.ok("print", "announcement", str(md), "-o", str(plain))
    assert "Nomor" not in plain.read_text(encoding="utf-8")
    err = catalogue.fails("print", "announcement", str(md), "--number", "  ").stderr
    assert "--number" in err


def _png(path: Path, color: tuple[int, int, int] = (200, 30, 30)) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (120, 80), color).save(path)
    return path


def test_announcement_images_beside_the_markdown_are_embedded(
    catalogue: Cli, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    folder = tmp_path / "pengumuman"
    _png(folder / "foto.png")
    _png(folder / "gambar" / "peta kota.png", (30, 30, 200))
    md = folder / "info.md"
    md.write_text(
        "# Info\n\nFoto kegiatan:\n\n![foto](foto.png)\n\n![peta](<gambar/peta kota.png>)\n",
        encoding="utf-8",
    )
    out = tmp_path / "a.pdf"
    result = catalogue.ok("print", "announcement", str(md), "-o", str(out))
    assert result.stderr == ""  # no warning: both images load
    images = [image for page in PdfReader(str(out)).pages for image in page.images]
    assert len(images) == 2
    assert "foto" not in _pdf_text(out).replace("Foto kegiatan", "")  # not the alt text
    html = tmp_path / "a.html"
    catalogue.ok("print", "announcement", str(md), "-o", str(html))
    assert html.read_text(encoding="utf-8").count('src="data:image/png;base64,') == 2


def test_announcement_images_from_another_working_directory(
    catalogue: Cli, isolated_env: Path
) -> None:
    # Relative to the Markdown file, not to where egovctl was started.
    folder = isolated_env.parent / "arsip"
    _png(folder / "foto.png")
    (folder / "info.md").write_text("# Info\n\n![foto](./foto.png)\n", encoding="utf-8")
    result = catalogue.ok("print", "announcement", "../arsip/info.md")
    assert result.stderr == ""
    assert [p.name for p in isolated_env.iterdir()] == ["pengumuman-info.pdf"]


@pytest.mark.parametrize(
    "src,problem",
    [
        ("hilang.png", "does not exist"),
        ("../luar.png", "outside"),
        ("{outside}", "outside"),
        ("gambar", "not a file"),
        ("catatan.txt", "not an image"),
        ("palsu.png", "not a PNG"),
        ("https://example.com/foto.png", "in the folder"),
    ],
)
def test_announcement_bad_image_is_an_error_and_no_pdf(
    catalogue: Cli, isolated_env: Path, src: str, problem: str
) -> None:
    root = isolated_env.parent
    folder = root / "pengumuman"
    _png(folder / "foto.png")
    outside = _png(root / "luar.png")
    (folder / "gambar").mkdir()
    (folder / "catatan.txt").write_text("bukan gambar", encoding="utf-8")
    (folder / "palsu.png").write_text("bukan gambar", encoding="utf-8")
    src = src.format(outside=outside)
    md = folder / "info.md"
    md.write_text(f"# Info\n\n![foto](foto.png)\n\n![x]({src})\n", encoding="utf-8")
    err = catalogue.fails("print", "announcement", str(md)).stderr
    # A long absolute path is echoed shortened (its start); a short name whole.
    named = src if len(src) < 40 else src[:40]
    assert problem in err and named in err and "info.md" in err, err
    assert len(err.strip().splitlines()) == 1 and "warning" not in err
    assert list(isolated_env.iterdir()) == []


def test_announcement_image_through_a_symlink_out_of_the_folder_is_refused(
    catalogue: Cli, isolated_env: Path
) -> None:
    root = isolated_env.parent
    folder = root / "pengumuman"
    folder.mkdir()
    (folder / "foto.png").symlink_to(_png(root / "rahasia.png"))
    md = folder / "info.md"
    md.write_text("# Info\n\n![foto](foto.png)\n", encoding="utf-8")
    err = catalogue.fails("print", "announcement", str(md)).stderr
    assert "outside" in err and "foto.png" in err
    assert list(isolated_env.iterdir()) == []


def test_bundled_sample_announcement(catalogue: Cli, tmp_path: Path) -> None:
    from egovctl.resources import bundled_dir

    sample = bundled_dir("templates").parent / "docs" / "pengumuman-egov.md"
    if not sample.is_file():
        pytest.skip("the sample announcement is in the source checkout only")
    out = tmp_path / "a.pdf"
    result = catalogue.ok(
        "print", "announcement", str(sample), "--signer", "DPMPTSP", "-o", str(out)
    )
    assert result.stderr == ""
    text = " ".join(_pdf_text(out).split())
    assert "PELAYANAN PUBLIK HARUS DIKELOLA BERBASIS E-GOVERNMENT" in text


# -- office templates and logos that cannot print ---------------------------------------------


def _office_config(tmp_path: Path, **files: str) -> Path:
    tdir = tmp_path / "kantor"
    tdir.mkdir(exist_ok=True)
    for name, text in files.items():
        (tdir / f"{name}.html.j2").write_text(text, encoding="utf-8")
    cfg = tmp_path / "egovctl.toml"
    cfg.write_text(f'templates = "{tdir}"\n', encoding="utf-8")
    return cfg


@pytest.mark.parametrize(
    "source,problem",
    [
        ("<p>\n{% for i in range(100000000) %}x{% endfor %}</p>", "range too big"),
        ("<p>\n{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}</p>", "calls itself"),
    ],
)
def test_office_template_over_a_limit_is_a_one_line_error(
    catalogue: Cli, tmp_path: Path, source: str, problem: str
) -> None:
    cfg = _office_config(tmp_path, maklumat=source)
    out = tmp_path / "m.pdf"
    err = catalogue.fails("--config", str(cfg), "print", "maklumat", "DINSOS", "-o", str(out))
    message = err.stderr
    assert message.startswith("error: template ") and "maklumat.html.j2, line 2" in message
    assert problem in message and "unexpected" not in message
    assert len(message.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "name,content,problem",
    [
        ("logo.png", b"bukan gambar\n", "is not a PNG image"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is a damaged PNG image"),
        ("logo.jpg", b"<html></html>", "is not a JPEG image"),
        ("logo.txt", b"x", "is not an image ('.txt')"),
    ],
)
def test_logo_that_is_not_an_image_is_an_error(
    catalogue: Cli, tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    logo = tmp_path / name
    logo.write_bytes(content)
    cfg = tmp_path / "egovctl.toml"
    cfg.write_text(f'[office]\nlogo = "{logo}"\n', encoding="utf-8")
    out = tmp_path / "m.pdf"
    result = catalogue.fails("--config", str(cfg), "print", "maklumat", "DINSOS", "-o", str(out))
    assert f"logo file {logo} {problem}" in result.stderr
    assert "(config [office] logo)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_real_logo_prints_without_warnings(catalogue: Cli, tmp_path: Path) -> None:
    logo = _png(tmp_path / "logo.png")
    cfg = tmp_path / "egovctl.toml"
    cfg.write_text(f'[office]\nlogo = "{logo}"\n', encoding="utf-8")
    out = tmp_path / "m.pdf"
    result = catalogue.ok("--config", str(cfg), "print", "maklumat", "DINSOS", "-o", str(out))
    assert result.stderr == ""


def test_announcement_title_option_replaces_the_heading(catalogue: Cli, tmp_path: Path) -> None:
    md = tmp_path / "info.md"
    md.write_text("# Judul Lama\n\nIsi pengumuman.\n", encoding="utf-8")
    out = tmp_path / "a.html"
    catalogue.ok("print", "announcement", str(md), "--title", "Judul Baru", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "JUDUL BARU" in html and "Judul Lama" not in html and "Isi pengumuman." in html


@pytest.mark.parametrize(
    "src,shown",
    [
        ("foto%00.png", "foto\\u0000.png"),
        ("x" * 300 + ".png", "x" * 79 + "…"),
        ("a/" * 3000 + "x.png", "a/" * 39 + "a…"),
        ("foto%1B%5B31m.png", "foto\\u001b[31m.png"),
    ],
)
def test_announcement_impossible_image_names_are_errors_shown_short(
    catalogue: Cli, isolated_env: Path, src: str, shown: str
) -> None:
    md = isolated_env.parent / "info.md"
    md.write_text(f"# Info\n\nIsi.\n\n![x]({src})\n", encoding="utf-8")
    err = catalogue.fails("print", "announcement", str(md)).stderr
    assert f"image '{shown}'" in err and "\x1b" not in err
    assert len(err) < 400 and len(err.strip().splitlines()) == 1
    assert list(isolated_env.iterdir()) == []
