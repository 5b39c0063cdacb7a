"""Signed documents and the register (docs/signing.md): `print ... --sign`, `document`,
`egovctl verify` and the verification pages, with a throw-away CA and a local RFC 3161 server
made in the test run."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest

from tests.conftest import Cli, Clock, table_counts
from tests.documents import pki

NIK = "1906034507890001"
NAME = "Siti Aminah Wulandari"


@dataclass
class Pki:
    folder: Path
    ca: pki.Issued
    signer: pki.Issued
    tsa: pki.Issued
    server: pki.TimestampServer
    p12: Path
    ca_pem: Path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    folder = tmp_path_factory.mktemp("pki")
    ca = pki.make_ca()
    signer = pki.issue(ca, "Budi Santoso")
    tsa = pki.issue(ca, "TSA Uji", tsa=True)
    (folder / "ca.pem").write_bytes(ca.pem())
    (folder / "signer.pem").write_bytes(signer.pem())
    server = pki.TimestampServer(ca, tsa)
    try:
        yield Pki(
            folder,
            ca,
            signer,
            tsa,
            server,
            pki.write_p12(folder / "kunci.p12", signer, ca),
            folder / "ca.pem",
        )
    finally:
        server.close()


def configure(folder: Path, keys: Pki, **sign: object) -> None:
    """./egovctl.toml (the test's working folder) with a [sign] section."""
    values: dict[str, object] = {
        "key": str(keys.p12),
        "name": "Drs. Budi Santoso, M.Si.",
        "title": "Kepala Mal Pelayanan Publik",
        "verify_url": "https://mpp.example.go.id/v/",
        "trust": [str(keys.ca_pem)],
        **sign,
    }
    lines = ["[sign]"]
    for key, value in values.items():
        if value is not None:
            lines.append(f"{key} = {json.dumps(value)}")
    (folder / "egovctl.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def office(
    catalogue: Cli, keys: Pki, isolated_env: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> tuple[Cli, str]:
    # Before the service's cut-off, when the receipt's content is what the one-page checks
    # expect, and within the test certificates' validity whatever day the suite runs.
    clock.travel(pki.PINNED, tick=True)
    monkeypatch.setenv("EGOVCTL_SIGN_PASSPHRASE", pki.PASSPHRASE)
    configure(isolated_env, keys)
    reg = catalogue.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", NAME, "--nik", NIK, "--json"
    ).json()["reg_no"]
    return catalogue, reg


def validate(path: Path, keys: Pki) -> object:
    """pyHanko's own verdict on the file's last signature, against the test CA."""
    from asn1crypto import x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(keys.ca.cert.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(BytesIO(path.read_bytes()))
    return validate_pdf_signature(
        reader.embedded_signatures[-1],
        signer_validation_context=ValidationContext(trust_roots=[root]),
    )


def documents(cli: Cli) -> list[dict]:
    return cli.ok("document", "list", "--json").json()  # type: ignore[return-value]


KINDS = [
    ("receipt", None, "bukti-{reg}.pdf"),
    ("receipt", ["--paper", "80mm"], "bukti-{reg}-80mm.pdf"),
    ("standard", ["DUKCAPIL-KTP-EL"], "standar-DUKCAPIL-KTP-EL.pdf"),
    ("catalogue", ["--agency", "DINSOS"], "katalog-DINSOS.pdf"),
    ("maklumat", ["DISDUKCAPIL"], "maklumat-DISDUKCAPIL.pdf"),
    ("announcement", ["--signer", "DISDUKCAPIL", "--number", "800/12/2026"], None),
    ("ready-list", None, None),
    ("complaint-receipt", None, None),
    ("complaint-recap", None, None),
]


@pytest.mark.parametrize(("kind", "args", "name"), KINDS)
def test_every_kind_signs_validates_and_verifies(
    office, keys: Pki, isolated_env: Path, kind: str, args: list[str] | None, name: str | None
) -> None:
    cli, reg = office
    if kind == "receipt":
        argv = [reg, *(args or [])]
    elif kind == "complaint-receipt":
        number = cli.ok(
            "complaint", "record", "--text", "Antrean lama", "--channel", "langsung",
            "--agency", "DISDUKCAPIL", "--anonymous", "--json",
        ).json()["number"]  # fmt: skip
        argv = [number]
    elif kind == "announcement":
        (isolated_env / "libur.md").write_text(
            "# Libur Pelayanan\n\nKantor tutup pada hari Jumat.\n"
        )
        argv = ["libur.md", *(args or [])]
    else:
        argv = args or []
    out = isolated_env / f"{kind}.pdf"
    printed = cli.ok("print", kind, *argv, "-o", str(out), "--sign").stdout
    assert "signed by Budi Santoso (B-B)" in printed
    status = validate(out, keys)
    assert status.bottom_line, status.pretty_print_details()  # type: ignore[attr-defined]
    (row,) = documents(cli)
    assert row["kind"] == kind and row["signer"] == "Budi Santoso"
    assert row["id"] in printed
    import hashlib

    assert row["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    verdict = cli.ok("verify", str(out), "--json").json()
    assert verdict["registered"] and verdict["signed"] and verdict["intact"] and verdict["valid"]
    assert verdict["id"] == row["id"] and verdict["kind"] == kind
    # The stamp, the QR code's address and the footer are on the page.
    text = _pdf_text(out)
    assert "Ditandatangani secara elektronik oleh" in text
    assert "Drs. Budi Santoso, M.Si." in text
    assert f"ID dokumen {row['id']}" in text
    if kind == "receipt":
        assert row["subject"] == reg and row["agency"] == "DISDUKCAPIL"
    if kind == "announcement":
        assert row["subject"] == "800/12/2026" and row["agency"] == "DISDUKCAPIL"
    if kind in ("receipt", "maklumat", "announcement"):
        # The stamp takes the handwritten signature's room: still one page.
        assert "Halaman" not in text


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return " ".join(text.split())


def test_stamp_is_a_signature_field_on_the_last_page(office, isolated_env: Path) -> None:
    from pypdf import PdfReader

    cli, reg = office
    cli.ok("print", "receipt", reg, "--sign")
    reader = PdfReader(str(isolated_env / f"bukti-{reg}.pdf"))
    (page,) = reader.pages
    widgets = [a.get_object() for a in page.get("/Annots", [])]
    (sig,) = [w for w in widgets if w.get("/FT") == "/Sig"]
    x1, y1, x2, y2 = (float(v) for v in sig["/Rect"])
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    # Over the stamp: in the lower right of the A5 page, 5.3 cm (150 pt) wide.
    assert width / 2 < x1 < x2 <= width and 0 < y1 < y2 < height / 2
    assert 140 < x2 - x1 < 160


def test_unsigned_pdf_is_registered_without_stamp_and_html_is_not(
    office, isolated_env: Path
) -> None:
    cli, reg = office
    cli.ok("print", "receipt", reg, "-o", "draft.html")
    assert documents(cli) == []
    cli.ok("print", "receipt", reg)
    (row,) = documents(cli)
    assert row["signer"] is None and len(row["id"]) == 10
    text = _pdf_text(isolated_env / f"bukti-{reg}.pdf")
    assert "secara elektronik" not in text and row["id"] not in text
    verdict = cli.ok("verify", f"bukti-{reg}.pdf", "--json").json()
    assert verdict["registered"] and not verdict["signed"]
    shown = cli.ok("document", "show", row["id"].upper(), "--json").json()
    assert shown == row
    assert "not signed" in cli.ok("document", "show", row["id"]).stdout


def test_ids_are_random_not_sequential() -> None:
    from egovctl.documents.register import ID_ALPHABET, new_id

    ids = {new_id() for _i in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) == 10 and set(i) <= set(ID_ALPHABET) for i in ids)
    # Every position uses the whole alphabet: nothing fixed, nothing counting.
    assert all(len({i[p] for i in ids}) == len(ID_ALPHABET) for p in range(10))


def test_timestamped_signature_is_b_t(office, keys: Pki, isolated_env: Path) -> None:
    cli, reg = office
    configure(isolated_env, keys, tsa_url=keys.server.url)
    before = keys.server.requests
    assert "(B-T)" in cli.ok("print", "receipt", reg, "--sign").stdout
    assert keys.server.requests > before
    status = validate(isolated_env / f"bukti-{reg}.pdf", keys)
    assert status.timestamp_validity is not None  # type: ignore[attr-defined]
    assert status.timestamp_validity.valid  # type: ignore[attr-defined]
    verdict = cli.ok("verify", f"bukti-{reg}.pdf", "--json").json()
    assert verdict["timestamped"] is True
    assert documents(cli)[0]["timestamped"] is True
    assert "(timestamped)" in cli.ok("verify", f"bukti-{reg}.pdf").stdout


def test_verify_finds_what_is_wrong(office, keys: Pki, isolated_env: Path) -> None:
    cli, reg = office
    cli.ok("print", "receipt", reg, "--sign")
    signed = isolated_env / f"bukti-{reg}.pdf"
    (row,) = documents(cli)
    ok = cli.ok("verify", str(signed)).stdout
    assert ok.startswith(f"ok: document {row['id']} (receipt {reg})")
    assert "validly signed by Budi Santoso" in ok

    # One byte changed inside the signed content.
    data = bytearray(signed.read_bytes())
    at = len(data) // 4  # in the page's content, well inside the signed bytes
    data[at] = data[at] ^ 0x01
    changed = isolated_env / "changed.pdf"
    changed.write_bytes(bytes(data))
    result = cli.fails("verify", str(changed), "--json")
    verdict = result.json()
    assert verdict["registered"] is False and verdict["intact"] is False
    assert verdict["id"] == row["id"]
    assert "error: changed after signing" in result.stderr

    # An unsigned registered document, changed.
    cli.ok("print", "maklumat", "DISDUKCAPIL", "-o", "maklumat.pdf")
    plain = bytearray((isolated_env / "maklumat.pdf").read_bytes())
    plain[len(plain) // 4] ^= 0x01
    (isolated_env / "maklumat.pdf").write_bytes(bytes(plain))
    result = cli.fails("verify", "maklumat.pdf")
    assert "error: changed after it was printed: this is not the file registered" in result.stderr

    # An unknown file.
    other = isolated_env / "other.pdf"
    other.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    result = cli.fails("verify", str(other))
    assert result.stderr == (
        "error: not registered: this office's register has no document with this content\n"
    )
    assert result.stdout == ""

    # A root that is not the signer's.
    stranger = pki.make_ca("CA Lain")
    (isolated_env / "lain.pem").write_bytes(stranger.pem())
    configure(isolated_env, keys, trust=["lain.pem"])
    result = cli.fails("verify", str(signed), "--json")
    assert result.json()["valid"] is False and result.json()["intact"] is True
    assert "error: signer not trusted" in result.stderr
    configure(isolated_env, keys, trust=None)
    assert "no trust roots are configured" in cli.fails("verify", str(signed)).stderr


def test_verify_refuses_what_is_no_pdf(office, isolated_env: Path) -> None:
    cli, _reg = office
    assert "does not exist" in cli.fails("verify", "nope.pdf").stderr
    (isolated_env / "x.pdf").write_text("hello")
    assert "is not a PDF file" in cli.fails("verify", "x.pdf").stderr


def test_signing_is_audited(office) -> None:
    cli, reg = office
    cli.ok("print", "receipt", reg, "--sign")
    (row,) = documents(cli)
    log = cli.ok("audit", "log", "--json").json()
    (entry,) = [e for e in log if e["action"] == "document.sign"]
    assert entry["entity"] == f"document:{row['id']}"
    assert entry["details"]["signer"] == "Budi Santoso"
    assert entry["details"]["sha256"] == row["sha256"]
    cli.ok("audit", "verify")


def _expired(keys: Pki, folder: Path) -> Path:
    old = pki.issue(
        keys.ca,
        "Kadaluwarsa",
        not_before=pki.BASE - timedelta(days=400),
        not_after=pki.BASE - timedelta(days=1),
    )
    return pki.write_p12(folder / "lama.p12", old, keys.ca)


def _mismatched(keys: Pki, folder: Path) -> Path:
    """A certificate named beside the key (`[sign] cert`) that is not the key's."""
    other = pki.issue(keys.ca, "Orang Lain")
    (folder / "lain.pem").write_bytes(other.pem())
    return folder / "lain.pem"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda k, f, m: m.setenv("EGOVCTL_SIGN_PASSPHRASE", "salah"), "the passphrase is wrong"),
        (lambda k, f, m: m.delenv("EGOVCTL_SIGN_PASSPHRASE"), "it needs a passphrase"),
        (lambda k, f, m: configure(f, k, key="hilang.p12"), "hilang.p12 does not exist"),
        (lambda k, f, m: configure(f, k, key=str(_expired(k, f))), "expired on"),
        (lambda k, f, m: configure(f, k, cert=str(_mismatched(k, f))), "does not belong to"),
        (
            lambda k, f, m: configure(f, k, tsa_url="http://127.0.0.1:9/tsa"),
            "cannot get a timestamp from http://127.0.0.1:9/tsa",
        ),
        (lambda k, f, m: configure(f, k, verify_url=None), "set [sign] verify_url"),
        (lambda k, f, m: configure(f, k, key=None), "no signing key"),
    ],
    ids=["passphrase", "no-passphrase", "missing", "expired", "mismatch", "tsa", "url", "nokey"],
)
def test_bad_key_writes_and_registers_nothing(
    office, keys: Pki, isolated_env: Path, monkeypatch: pytest.MonkeyPatch, setup, message: str
) -> None:
    cli, reg = office
    setup(keys, isolated_env, monkeypatch)
    before = table_counts(cli.db_url)
    result = cli.fails("print", "receipt", reg, "--sign")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert table_counts(cli.db_url) == before
    left = sorted(p.name for p in isolated_env.iterdir() if p.suffix not in (".p12", ".pem"))
    assert left == ["egovctl.toml"]


def test_sign_needs_a_pdf(office) -> None:
    cli, reg = office
    assert (
        "--sign needs a PDF" in cli.fails("print", "receipt", reg, "-o", "a.html", "--sign").stderr
    )
    assert documents(cli) == []


SIGNER_SCRIPT = """
import sys, asyncio
from pyhanko.sign import signers
mode = sys.argv[3]
digest = bytes.fromhex(sys.stdin.read().strip())
if mode == "fail":
    print("gateway: certificate suspended", file=sys.stderr)
    sys.exit(3)
if mode == "garbage":
    sys.stdout.write("this is not a signature")
    sys.exit(0)
if mode == "other":
    digest = bytes(32)
signer = signers.SimpleSigner.load_pkcs12(sys.argv[1], passphrase=sys.argv[2].encode())
cms = asyncio.run(signer.async_sign(digest, "sha256", use_pades=True))
sys.stdout.buffer.write(cms.dump())
"""


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("ok", None),
        ("fail", "failed (exit 3): gateway: certificate suspended"),
        ("garbage", "did not return a CMS signature"),
        ("other", "signed another digest than the one it was given"),
    ],
)
def test_external_signer_command(
    office, keys: Pki, isolated_env: Path, mode: str, message: str | None
) -> None:
    import shlex

    cli, reg = office
    script = isolated_env.parent / "penanda.py"
    script.write_text(SIGNER_SCRIPT)
    command = shlex.join([sys.executable, str(script), str(keys.p12), pki.PASSPHRASE, mode])
    configure(
        isolated_env,
        keys,
        key=None,
        command=command,
        cert=str(keys.folder / "signer.pem"),
        tsa_url=keys.server.url,
    )
    before = table_counts(cli.db_url)
    if message is not None:
        assert message in cli.fails("print", "receipt", reg, "--sign").stderr
        assert table_counts(cli.db_url) == before
        assert not (isolated_env / f"bukti-{reg}.pdf").exists()
        return
    assert "(B-T)" in cli.ok("print", "receipt", reg, "--sign").stdout
    status = validate(isolated_env / f"bukti-{reg}.pdf", keys)
    assert status.bottom_line and status.timestamp_validity is not None  # type: ignore[attr-defined]
    assert cli.ok("verify", f"bukti-{reg}.pdf", "--json").json()["timestamped"] is True


def test_verification_pages(office, isolated_env: Path, tmp_path: Path) -> None:
    cli, reg = office
    cli.ok("print", "receipt", reg, "--sign")
    cli.ok("print", "maklumat", "DISDUKCAPIL")
    rows = {r["kind"]: r for r in documents(cli)}
    summary = cli.ok("publish", "site", str(tmp_path / "situs"), "--json").json()
    assert summary["documents"] == 2
    page = (tmp_path / "situs" / "v" / f"{rows['receipt']['id']}.html").read_text()
    assert "Bukti Pendaftaran" in page and reg in page
    assert rows["receipt"]["sha256"] in page
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page
    assert "Ditandatangani secara elektronik oleh Budi Santoso" in page
    assert NIK not in page and NIK[:6] not in page
    for word in NAME.split():
        assert word not in page
    other = (tmp_path / "situs" / "v" / f"{rows['maklumat']['id']}.html").read_text()
    assert "Maklumat Pelayanan" in other and "Tidak ditandatangani" in other
    # The QR code of the signed receipt leads to that page.
    assert f"https://mpp.example.go.id/v/{rows['receipt']['id']}.html" in _pdf_text(
        isolated_env / f"bukti-{reg}.pdf"
    )


def test_document_list_filters_and_refuses_unknown(office) -> None:
    cli, reg = office
    cli.ok("print", "receipt", reg)
    cli.ok("print", "maklumat", "DISDUKCAPIL")
    assert [
        r["kind"] for r in cli.ok("document", "list", "--kind", "maklumat", "--json").json()
    ] == ["maklumat"]
    assert "unknown document kind 'memo'" in cli.fails("document", "list", "--kind", "memo").stderr
    assert "is not a document id" in cli.fails("document", "show", "123").stderr
    assert "no document" in cli.fails("document", "show", "abcdefghjk").stderr
    csv = cli.ok("document", "list", "--csv").stdout
    assert csv.splitlines()[0].startswith("id,kind,subject")


SIGNED_META = {
    "id": "7kq2mxw9tp",
    "verify_url": "https://mpp.example.go.id/v/7kq2mxw9tp.html",
    "signed": True,
    "signer": {"name": "Drs. Budi Santoso, M.Si.", "title": "Kepala Mal Pelayanan Publik"},
}


@pytest.mark.parametrize("requirements", [None, 8])
def test_signed_a5_receipt_keeps_one_page(tmp_path: Path, requirements: int | None) -> None:
    """The stamp takes the officer's signature block's place: eight requirements still fit."""
    from pypdf import PdfReader

    from egovctl.documents.render import Renderer
    from tests.documents.test_render import receipt_context

    renderer = Renderer()
    context = {**receipt_context("a5", requirements=requirements), "document": SIGNED_META}
    path = renderer.write("receipt", context, tmp_path / "r.pdf")
    (page,) = PdfReader(str(path)).pages
    text = " ".join((page.extract_text() or "").split())
    assert "Ditandatangani secara elektronik oleh Drs. Budi Santoso, M.Si." in text
    assert "ID dokumen 7kq2mxw9tp" in text and "Petugas penerima" in text
    assert "Dokumen ini ditandatangani secara elektronik" in text  # the footer
    assert renderer.anchors["egovctl-stamp"][1] > 0  # laid out on this (last) page


def test_external_answer_may_be_der_pem_or_base64(keys: Pki) -> None:
    """DER is taken as it came (its last byte may look like white space); PEM and base64 text
    are read too."""
    import asyncio
    import base64
    import hashlib

    from pyhanko.sign import signers

    from egovctl.documents.external_signer import read_cms

    signer = signers.SimpleSigner.load_pkcs12(str(keys.p12), passphrase=pki.PASSPHRASE.encode())
    for i in range(2000):
        digest = hashlib.sha256(str(i).encode()).digest()
        der = asyncio.run(signer.async_sign(digest, "sha256", use_pades=True)).dump()
        if der[-1:].isspace():
            break
    else:  # pragma: no cover - 2000 tries without one is about one chance in 10^20
        pytest.fail("no signature ending in a white-space byte")
    assert read_cms(der, digest, "x")["content_type"].native == "signed_data"
    text = base64.b64encode(der)
    pem = b"-----BEGIN PKCS7-----\n" + text + b"\n-----END PKCS7-----\n"
    for answer in (text + b"\n", pem):
        assert read_cms(answer, digest, "x").dump() == der
