"""A throw-away PKI for the signing tests: a root CA, a signer, a timestamp authority and a
local RFC 3161 server on 127.0.0.1, all made with ``cryptography`` in the test run."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "rahasia-uji-123"
# The moment the signing tests pin their clock to; certificates are valid a year before it
# and ten years after, so they hold whatever day the tests (or the bench) run.
PINNED = "2026-12-01T09:00+07:00"
BASE = datetime.fromisoformat(PINNED).astimezone(UTC)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemkab Uji"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@dataclass
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def make_ca(cn: str = "CA Uji egovctl") -> Issued:
    key = _key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(BASE - timedelta(days=365))
        .not_valid_after(BASE + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    ca: Issued,
    cn: str,
    *,
    tsa: bool = False,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    crl_url: str | None = None,
    ocsp_url: str | None = None,
) -> Issued:
    """A certificate under ``ca``; with ``crl_url``, it says its revocation list is there,
    with ``ocsp_url`` that an OCSP responder answers for it there."""
    key = _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or BASE - timedelta(days=365))
        .not_valid_after(not_after or BASE + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not tsa,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), False
        )
    )
    if crl_url is not None:
        point = x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)],
            relative_name=None,
            reasons=None,
            crl_issuer=None,
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ocsp_url is not None:
        access = x509.AccessDescription(
            x509.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
        )
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return Issued(key, builder.sign(ca.key, hashes.SHA256()))


def write_p12(
    path: Path, signer: Issued, ca: Issued | None, passphrase: str = PASSPHRASE, key=None
) -> Path:
    data = pkcs12.serialize_key_and_certificates(
        b"penandatangan",
        key or signer.key,
        signer.cert,
        [ca.cert] if ca else None,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    path.write_bytes(data)
    return path


class _LocalServer:
    """A small HTTP server on 127.0.0.1 at ``url``, answering every GET or POST with
    ``answer(body)`` (the request's body, empty for a GET) as ``content_type``; counts
    ``requests``."""

    content_type = "application/octet-stream"

    def __init__(self, path: str) -> None:
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._reply(b"")

            def do_POST(self) -> None:
                self._reply(self.rfile.read(int(self.headers["Content-Length"])))

            def _reply(self, body: bytes) -> None:
                answer = outer.answer(body)
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", outer.content_type)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, body: bytes) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class TimestampServer(_LocalServer):
    """An RFC 3161 server on 127.0.0.1 answering with pyHanko's ``DummyTimeStamper``."""

    content_type = "application/timestamp-reply"

    def __init__(self, ca: Issued, tsa: Issued) -> None:
        from asn1crypto import keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps import DummyTimeStamper

        key_der = tsa.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(tsa.cert.public_bytes(serialization.Encoding.DER)),
            tsa_key=keys.PrivateKeyInfo.load(key_der),
            certs_to_embed=[
                asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))
            ],
        )
        super().__init__("/tsa")

    def answer(self, body: bytes) -> bytes:
        from asn1crypto import tsp

        return bytes(self.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump())


def real_now() -> datetime:
    """The machine's clock even when a test pinned this process's (time-machine): the signing
    worker runs pyHanko in a process of its own, on the real clock."""
    try:
        from time_machine import escape_hatch
    except ImportError:  # the bench, without the test dependencies
        return datetime.now(UTC)
    if not escape_hatch.is_travelling():
        return datetime.now(UTC)
    return escape_hatch.datetime.datetime.now(UTC)


def make_crl(ca: Issued, revoked: tuple[Issued, ...] = ()) -> bytes:
    """A CRL (DER) signed by ``ca`` listing ``revoked``, current by the real clock (see
    ``real_now``)."""
    now = real_now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - timedelta(days=2))
        .next_update(now + timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), False
        )
    )
    for gone in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(gone.cert.serial_number)
            .revocation_date(now - timedelta(days=3))
            .build()
        )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


class CrlServer(_LocalServer):
    """A revocation list served over HTTP on 127.0.0.1 (``url``); ``crl`` may be replaced."""

    content_type = "application/pkix-crl"

    def __init__(self, crl: bytes) -> None:
        self.crl = crl
        super().__init__("/ca.crl")

    def answer(self, body: bytes) -> bytes:
        return self.crl


class OcspResponder(_LocalServer):
    """An OCSP responder on 127.0.0.1 (``url``) answering for the certificates in ``known``
    (serial number -> certificate), signed by the CA itself; all of them good."""

    content_type = "application/ocsp-response"

    def __init__(self, ca: Issued) -> None:
        self.ca = ca
        self.known: dict[int, x509.Certificate] = {}
        super().__init__("/ocsp")

    def answer(self, body: bytes) -> bytes:
        from cryptography.x509 import ocsp

        request = ocsp.load_der_ocsp_request(body)
        now = real_now()
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=self.known[request.serial_number],
                issuer=self.ca.cert,
                algorithm=request.hash_algorithm,
                cert_status=ocsp.OCSPCertStatus.GOOD,
                this_update=now - timedelta(hours=1),
                next_update=now + timedelta(days=7),
                revocation_time=None,
                revocation_reason=None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.ca.cert)
        )
        for ext in request.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                builder = builder.add_extension(ext.value, critical=False)
        return builder.sign(self.ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
