"""B-LT signatures (docs/signing.md): the throw-away CA's certificates name a revocation list
served on 127.0.0.1 by the test (or an OCSP responder there); with a timestamp server and
`[sign] trust`, it is fetched and embedded in the document security store. A revoked
certificate is refused; an unreachable list gives a B-T signature and a warning."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest

from tests.conftest import Cli, table_counts
from tests.documents import pki
from tests.documents.test_signing import Pki, configure, documents, keys, office  # noqa: F401

UNREACHABLE = "http://127.0.0.1:9/ca.crl"  # the discard port: nothing listens


@dataclass
class Revocation:
    server: pki.CrlServer
    good: Path  # a .p12 whose certificate names the served list
    revoked: Path  # one the served list revokes
    unreachable: Path  # one that names a list nobody serves
    signer: pki.Issued


@pytest.fixture(scope="module")
def revocation(keys: Pki) -> Iterator[Revocation]:  # noqa: F811
    server = pki.CrlServer(b"")
    good = pki.issue(keys.ca, "Budi Santoso", crl_url=server.url)
    revoked = pki.issue(keys.ca, "Pejabat Lama", crl_url=server.url)
    lost = pki.issue(keys.ca, "Budi Santoso", crl_url=UNREACHABLE)
    server.crl = pki.make_crl(keys.ca, (revoked,))
    folder = keys.folder
    try:
        yield Revocation(
            server,
            pki.write_p12(folder / "lt.p12", good, keys.ca),
            pki.write_p12(folder / "dicabut.p12", revoked, keys.ca),
            pki.write_p12(folder / "tanpa-crl.p12", lost, keys.ca),
            good,
        )
    finally:
        server.close()


def _dss(path: Path) -> dict[str, list[bytes]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(path.read_bytes()))
    dss = reader.root["/DSS"]
    return {key: [ref.get_object().data for ref in dss.get(key, [])] for key in ("/CRLs", "/OCSPs")}


def _audit_level(cli: Cli) -> str:
    log = cli.ok("audit", "log", "--json").json()
    (entry,) = [e for e in log if e["action"] == "document.sign"]
    return str(entry["details"]["level"])


def test_b_lt_embeds_the_revocation_list(
    office,  # noqa: F811
    keys: Pki,  # noqa: F811
    revocation: Revocation,
    isolated_env: Path,
) -> None:
    from asn1crypto import x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    cli, reg = office
    configure(isolated_env, keys, key=str(revocation.good), tsa_url=keys.server.url)
    before = revocation.server.requests
    printed = cli.ok("print", "receipt", reg, "--sign")
    assert "signed by Budi Santoso (B-LT)" in printed.stdout
    assert "warning" not in printed.stderr
    assert revocation.server.requests > before
    signed = isolated_env / f"bukti-{reg}.pdf"
    # The list the CA published is in the document security store, as served.
    assert _dss(signed)["/CRLs"] == [revocation.server.crl]
    # pyHanko, insisting on revocation data and fetching none: what the file carries is
    # enough to validate it (and without the store's data it is not).
    root = x509.Certificate.load(keys.ca.cert.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(BytesIO(signed.read_bytes()))
    settings = {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "hard-fail"}
    from_file = DocumentSecurityStore.read_dss(reader).as_validation_context(settings)
    status = validate_pdf_signature(reader.embedded_signatures[-1], from_file)
    assert status.bottom_line, status.pretty_print_details()
    from pyhanko_certvalidator import ValidationContext

    nothing = ValidationContext(**settings, crls=[], ocsps=[])
    bare = validate_pdf_signature(reader.embedded_signatures[-1], nothing)
    assert not bare.bottom_line
    assert _audit_level(cli) == "B-LT"
    verdict = cli.ok("verify", str(signed), "--json").json()
    assert verdict["valid"] and verdict["timestamped"] and verdict["signer"] == "Budi Santoso"
    assert "(timestamped)" in cli.ok("verify", str(signed)).stdout

    # After the signature, verify accepts revisions that only add validation data, nothing
    # else: text drawn on the page in an update of its own is a change after signing.
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed.read_bytes()))
    drawn = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf (PALSU) Tj ET"))
    writer.add_stream_to_page(0, drawn)
    forged = isolated_env / "palsu.pdf"
    out = BytesIO()
    writer.write(out)
    forged.write_bytes(out.getvalue())
    assert "error: changed after signing" in cli.fails("verify", str(forged)).stderr

    # Revoked after signing: the document carries the list that was current when it was
    # signed, and verify checks the file offline, so it stays valid (docs/signing.md).
    served = revocation.server.crl
    revocation.server.crl = pki.make_crl(keys.ca, (revocation.signer,))
    try:
        assert cli.ok("verify", str(signed), "--json").json()["valid"] is True
    finally:
        revocation.server.crl = served


def test_revoked_certificate_is_refused(
    office,  # noqa: F811
    keys: Pki,  # noqa: F811
    revocation: Revocation,
    isolated_env: Path,
) -> None:
    cli, reg = office
    configure(isolated_env, keys, key=str(revocation.revoked), tsa_url=keys.server.url)
    before = table_counts(cli.db_url)
    result = cli.fails("print", "receipt", reg, "--sign")
    assert result.stderr.startswith(
        "error: the signing certificate of Pejabat Lama has been revoked by its certificate "
        "authority (CRL indicates the end-entity certificate was revoked at "
    )
    assert "ask the authority for a new one" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert table_counts(cli.db_url) == before
    assert not (isolated_env / f"bukti-{reg}.pdf").exists()


def test_unreachable_revocation_list_signs_b_t_with_a_warning(
    office,  # noqa: F811
    keys: Pki,  # noqa: F811
    revocation: Revocation,
    isolated_env: Path,
) -> None:
    cli, reg = office
    configure(isolated_env, keys, key=str(revocation.unreachable), tsa_url=keys.server.url)
    result = cli.ok("print", "receipt", reg, "--sign")
    assert "signed by Budi Santoso (B-T)" in result.stdout
    assert result.stderr == (
        "warning: no revocation data for the signing certificate (Failure to fetch CRL from "
        f"URL {UNREACHABLE}); the signature is B-T, not B-LT: valid, but it cannot be checked "
        "long after the certificate expires\n"
    )
    signed = isolated_env / f"bukti-{reg}.pdf"
    assert _dss(signed)["/CRLs"] == []
    assert _audit_level(cli) == "B-T"
    assert cli.ok("verify", str(signed), "--json").json()["valid"] is True
    (row,) = documents(cli)
    assert row["timestamped"] is True


def test_revocation_needs_the_signer_under_trust(
    office,  # noqa: F811
    keys: Pki,  # noqa: F811
    revocation: Revocation,
    isolated_env: Path,
) -> None:
    cli, reg = office
    stranger = pki.make_ca("CA Lain")
    (isolated_env / "lain.pem").write_bytes(stranger.pem())
    configure(
        isolated_env,
        keys,
        key=str(revocation.good),
        tsa_url=keys.server.url,
        trust=[str(isolated_env / "lain.pem")],
    )
    result = cli.fails("print", "receipt", reg, "--sign")
    assert (
        "error: the signing certificate of Budi Santoso is not issued under the roots in "
        "[sign] trust" in result.stderr
    )
    assert documents(cli) == []


def test_b_lt_with_an_ocsp_responder(
    office,  # noqa: F811
    keys: Pki,  # noqa: F811
    isolated_env: Path,
) -> None:
    """A certificate that names an OCSP responder instead of a list: its answer is
    embedded."""
    cli, reg = office
    responder = pki.OcspResponder(keys.ca)
    try:
        signer = pki.issue(keys.ca, "Budi Santoso", ocsp_url=responder.url)
        responder.known[signer.cert.serial_number] = signer.cert
        p12 = pki.write_p12(isolated_env.parent / "ocsp.p12", signer, keys.ca)
        configure(isolated_env, keys, key=str(p12), tsa_url=keys.server.url)
        printed = cli.ok("print", "receipt", reg, "--sign")
        assert "signed by Budi Santoso (B-LT)" in printed.stdout, printed.stderr
        assert responder.requests > 0
        store = _dss(isolated_env / f"bukti-{reg}.pdf")
        assert len(store["/OCSPs"]) == 1 and store["/CRLs"] == []
        assert cli.ok("verify", f"bukti-{reg}.pdf", "--json").json()["valid"] is True
    finally:
        responder.close()
