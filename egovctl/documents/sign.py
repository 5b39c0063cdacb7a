"""PAdES signatures on printed PDFs with pyHanko (docs/signing.md).

The key is a PKCS#12 file (``[sign] key``, its passphrase from the environment or a prompt) or
an external signing command (``[sign] command`` with the certificate in ``[sign] cert``) that
reads the hex digest of the document on stdin and writes a CMS signature on stdout, the way a
remote signing service is plugged in; pyHanko's interrupted signing embeds what it returns.
Baseline B-B; B-T when ``[sign] tsa_url`` names an RFC 3161 server; B-LT when revocation data
for the certificate can be fetched.

Everything is checked before a page is laid out (the file, the passphrase, the certificate's
dates, that key and certificate belong together), and everything happens in memory, so a
failure leaves no file behind. The signed result is validated once more before it is returned:
an external signer that answers with something else than a signature over this document is
caught here, not by the citizen.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import ConfigError, EgovError, InvalidInput, NotFound
from egovctl.i18n import _

if TYPE_CHECKING:
    from asn1crypto import cms
    from asn1crypto import x509 as asn1_x509

    from egovctl.config import Sign

FIELD_NAME = "TandaTanganElektronik"
# Room for the CMS an external signer returns (certificate chain and a timestamp token
# included), in hex digits as the PDF stores it.
EXTERNAL_RESERVED = 32_768
COMMAND_TIMEOUT = 120
TSA_TIMEOUT = 15


class SigningError(EgovError):
    """The document could not be signed (key, certificate, timestamp or external signer)."""


@dataclass
class Signed:
    data: bytes
    signer: str  # the certificate's common name
    signed_at: datetime
    timestamped: bool
    level: str  # "B-B", "B-T" or "B-LT"


@dataclass
class Box:
    """Where the stamp is on the last page, in PDF points from the bottom left."""

    x1: float
    y1: float
    x2: float
    y2: float


class DocumentSigner:
    """A key and certificate checked and ready to sign; made by :func:`load_signer`."""

    def __init__(self, settings: Sign, cert: Any, signer: Any, command: list[str] | None):
        self.settings = settings
        self.cert = cert  # cryptography x509.Certificate
        self._signer = signer  # pyHanko Signer (SimpleSigner or ExternalSigner)
        self._command = command

    @property
    def common_name(self) -> str:
        from cryptography.x509.oid import NameOID

        names = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.cert.subject.rfc4514_string()

    @property
    def stamp_name(self) -> str:
        return self.settings.name or self.common_name

    def sign(self, pdf: bytes, *, doc_id: str, box: Box | None, place: str | None) -> Signed:
        """``pdf`` signed as PAdES; the signature field's widget covers ``box``."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        if box is not None:
            fields.append_signature_field(
                writer,
                fields.SigFieldSpec(
                    sig_field_name=FIELD_NAME,
                    on_page=-1,
                    box=(round(box.x1), round(box.y1), round(box.x2), round(box.y2)),
                ),
            )
        timestamper = self._timestamper()
        validation = self._revocation_context()
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=f"Dokumen {doc_id}",
            location=place,
            name=self.stamp_name,
            embed_validation_info=validation is not None,
            validation_context=validation,
            use_pades_lta=False,
        )
        try:
            if self._command is None:
                data = self._sign_with_key(writer, meta, timestamper)
            else:
                data = self._sign_with_command(writer, meta, timestamper)
        except EgovError:
            raise
        except Exception as exc:
            raise self._explain(exc) from None
        return self._checked(data, doc_id, timestamper is not None, validation is not None)

    # -- the two ways of signing ---------------------------------------------------------------

    def _sign_with_key(self, writer: Any, meta: Any, timestamper: Any) -> bytes:
        from pyhanko.sign import signers

        pdf_signer = signers.PdfSigner(
            meta, signer=self._signer, timestamper=timestamper, stamp_style=_blank_stamp()
        )
        out: BytesIO = pdf_signer.sign_pdf(writer)
        return out.getvalue()

    def _sign_with_command(self, writer: Any, meta: Any, timestamper: Any) -> bytes:
        import asyncio

        from pyhanko.sign import signers
        from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

        pdf_signer = signers.PdfSigner(meta, signer=self._signer, stamp_style=_blank_stamp())
        prepared, _tbs, output = asyncio.run(
            pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=EXTERNAL_RESERVED)
        )
        signature = self._run_command(prepared.document_digest)
        if timestamper is not None:
            signature = _add_signature_timestamp(signature, timestamper)
        if len(signature.dump()) * 2 > EXTERNAL_RESERVED:
            raise SigningError(
                _(
                    "the signing command returned a signature of {size} bytes, more than the "
                    "{room} the document has room for"
                ).format(size=len(signature.dump()), room=EXTERNAL_RESERVED // 2)
            )
        asyncio.run(PdfTBSDocument.async_finish_signing(output, prepared, signature))
        output.seek(0)
        return bytes(output.read())

    def _run_command(self, digest: bytes) -> cms.ContentInfo:
        assert self._command is not None
        env = {**os.environ, "EGOVCTL_SIGN_DIGEST_ALGORITHM": "sha256"}
        name = self._command[0]
        try:
            done = subprocess.run(
                self._command,
                input=(digest.hex() + "\n").encode("ascii"),
                capture_output=True,
                timeout=COMMAND_TIMEOUT,
                env=env,
                check=False,
            )
        except FileNotFoundError:
            raise ConfigError(
                _("the signing command {name} was not found ([sign] command)").format(name=name)
            ) from None
        except PermissionError:
            raise ConfigError(
                _("the signing command {name} cannot be run: permission denied").format(name=name)
            ) from None
        except subprocess.TimeoutExpired:
            raise SigningError(
                _("the signing command {name} gave no answer within {seconds} s").format(
                    name=name, seconds=COMMAND_TIMEOUT
                )
            ) from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SigningError(
                _("the signing command {name} failed (exit {code}): {message}").format(
                    name=name, code=done.returncode, message=said[-1] if said else _("no message")
                )
            )
        return _read_cms(done.stdout, digest, name)

    # -- timestamps and revocation data --------------------------------------------------------

    def _timestamper(self) -> Any:
        if not self.settings.tsa_url:
            return None
        from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

        return RequestsHTTPTimeStamper(self.settings.tsa_url, timeout=TSA_TIMEOUT)

    def _revocation_context(self) -> Any:
        """A validation context for B-LT, when the certificate says where its revocation data
        is and the trust roots are configured; otherwise None (B-B or B-T)."""
        if (
            not self.settings.tsa_url
            or not self.settings.trust
            or not _has_revocation_info(self.cert)
        ):
            return None
        from pyhanko_certvalidator import ValidationContext

        return ValidationContext(
            trust_roots=load_certificates(self.settings.trust, "trust"),
            allow_fetching=True,
            revocation_mode="soft-fail",
        )

    # -- errors and the final check ------------------------------------------------------------

    def _explain(self, exc: Exception) -> EgovError:
        from pyhanko.sign.timestamps import TimestampRequestError

        text = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, TimestampRequestError) or _is_network_error(exc):
            return SigningError(
                _(
                    "cannot get a timestamp from {url}: {reason}; check [sign] tsa_url or "
                    "the network"
                ).format(url=self.settings.tsa_url, reason=text)
            )
        return SigningError(_("signing failed: {reason}").format(reason=text))

    def _checked(self, data: bytes, doc_id: str, timestamped: bool, lt: bool) -> Signed:
        """Validate the new signature's integrity (not its trust: that is verify's job)."""
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature

        try:
            reader = PdfFileReader(BytesIO(data))
            embedded = reader.embedded_signatures[-1]
            with quiet_pyhanko():
                status = validate_pdf_signature(embedded, signer_validation_context=no_trust())
        except Exception as exc:
            raise SigningError(
                _("the signed document does not read back: {reason}").format(reason=exc)
            ) from None
        if not status.intact or not status.valid:
            raise SigningError(
                _(
                    "the signature does not match the document (the signer returned a "
                    "signature made with another key or over other data); nothing was written"
                )
            )
        if not _same_certificate(status.signing_cert, self.cert):
            raise SigningError(
                _(
                    "the document was signed with another certificate than {cert} "
                    "([sign] cert); nothing was written"
                ).format(cert=self.settings.cert or self.settings.key)
            )
        ts = status.timestamp_validity
        signed_at = ts.timestamp if ts is not None else status.signer_reported_dt
        if signed_at is None:
            signed_at = datetime.now(UTC)
        level = (
            "B-LT"
            if lt and reader.root.get("/DSS") is not None
            else ("B-T" if timestamped else "B-B")
        )
        return Signed(data, self.common_name, signed_at, ts is not None, level)


# -- loading and checking the key -------------------------------------------------------------


def load_signer(
    settings: Sign, *, passphrase: Callable[[], str | None] | None = None, now: datetime
) -> DocumentSigner:
    """The configured key, checked; ``passphrase`` asks for one when the environment has none."""
    if settings.command:
        return _command_signer(settings, now)
    if settings.key is None:
        raise ConfigError(
            _(
                "no signing key: set [sign] key to a PKCS#12 file (.p12), or [sign] command "
                "to an external signer (see docs/signing.md)"
            )
        )
    return _key_signer(settings, passphrase, now)


def _key_signer(
    settings: Sign, passphrase: Callable[[], str | None] | None, now: datetime
) -> DocumentSigner:
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    path = Path(settings.key or "")
    data = _read(path, "key")
    secret = os.environ.get(settings.passphrase_env)
    if secret is None and passphrase is not None:
        secret = passphrase()
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            data, secret.encode("utf-8") if secret else None
        )
    except ValueError:
        hint = (
            _("the passphrase is wrong")
            if secret
            else _("it needs a passphrase: set {env} or run on a terminal").format(
                env=settings.passphrase_env
            )
        )
        raise InvalidInput(
            _("cannot open the signing key {path}: {hint} (or it is not a PKCS#12 file)").format(
                path=path, hint=hint
            )
        ) from None
    if key is None or cert is None:
        what = _("no private key") if key is None else _("no certificate")
        raise InvalidInput(
            _("the signing key {path} holds {what}; export key and certificate together").format(
                path=path, what=what
            )
        )
    if settings.cert is not None:
        # A certificate named beside the key replaces the one in the file (a renewed one).
        cert = load_certificates([settings.cert], "cert")[0]
    _check_certificate(cert, now, path)
    if not _key_matches(key, cert):
        raise InvalidInput(
            _(
                "the key in {path} does not belong to its certificate ({subject}); export "
                "the pair again"
            ).format(path=path, subject=cert.subject.rfc4514_string())
        )
    chain = [*extra, *(load_certificates(settings.chain, "chain") if settings.chain else [])]
    store = SimpleCertificateStore()
    store.register_multiple([cert_asn1(c) for c in chain])
    signer = signers.SimpleSigner(
        signing_key=key_asn1(key), signing_cert=cert_asn1(cert), cert_registry=store
    )
    return DocumentSigner(settings, cert, signer, None)


def _command_signer(settings: Sign, now: datetime) -> DocumentSigner:
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if settings.cert is None:
        raise ConfigError(
            _(
                "[sign] command needs the signer's certificate in [sign] cert (a .pem or "
                ".cer file), for the stamp and the checks"
            )
        )
    try:
        argv = shlex.split(settings.command or "")
    except ValueError as exc:
        raise ConfigError(_("[sign] command cannot be read: {reason}").format(reason=exc)) from None
    if not argv:
        raise ConfigError(_("[sign] command is empty"))
    cert = load_certificates([settings.cert], "cert")[0]
    _check_certificate(cert, now, settings.cert)
    store = SimpleCertificateStore()
    if settings.chain:
        store.register_multiple([cert_asn1(c) for c in load_certificates(settings.chain, "chain")])
    # The external signer makes the real signature; this one only sizes and shapes the field.
    signer = signers.ExternalSigner(
        signing_cert=cert_asn1(cert), cert_registry=store, signature_value=256
    )
    return DocumentSigner(settings, cert, signer, argv)


def cert_asn1(cert: Any) -> asn1_x509.Certificate:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def key_asn1(key: Any) -> Any:
    from asn1crypto import keys
    from cryptography.hazmat.primitives import serialization

    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return keys.PrivateKeyInfo.load(der)


def _read(path: Path, key: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(
            _("the file {path} does not exist ([sign] {key})").format(path=path, key=key)
        ) from None
    except IsADirectoryError:
        raise InvalidInput(
            _("{path} is a directory, not a file ([sign] {key})").format(path=path, key=key)
        ) from None
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {path} ([sign] {key}): {reason}").format(
                path=path, key=key, reason=exc.strerror or exc
            )
        ) from None


def load_certificates(paths: list[Path], key: str) -> list[Any]:
    """Certificates (``cryptography`` objects) from PEM or DER files; a PEM file may hold
    several."""
    from cryptography import x509

    found: list[Any] = []
    for path in paths:
        data = _read(Path(path), key)
        try:
            if b"-----BEGIN CERTIFICATE-----" in data:
                found.extend(x509.load_pem_x509_certificates(data))
            else:
                found.append(x509.load_der_x509_certificate(data))
        except ValueError:
            raise InvalidInput(
                _("{path} is not a certificate (PEM or DER) ([sign] {key})").format(
                    path=path, key=key
                )
            ) from None
    return found


def _check_certificate(cert: Any, now: datetime, where: Path | str) -> None:
    from egovctl.formats import say_date

    if now < cert.not_valid_before_utc:
        raise InvalidInput(
            _("the signing certificate in {path} is not valid before {day}").format(
                path=where, day=say_date(cert.not_valid_before_utc.date())
            )
        )
    if now > cert.not_valid_after_utc:
        raise InvalidInput(
            _(
                "the signing certificate in {path} expired on {day}; renew it with the "
                "certificate authority"
            ).format(path=where, day=say_date(cert.not_valid_after_utc.date()))
        )


def _key_matches(key: Any, cert: Any) -> bool:
    from cryptography.hazmat.primitives import serialization

    form = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return bool(key.public_key().public_bytes(*form) == cert.public_key().public_bytes(*form))


def _same_certificate(asn1_cert: asn1_x509.Certificate, cert: Any) -> bool:
    from cryptography.hazmat.primitives import serialization

    return bool(asn1_cert.dump() == cert.public_bytes(serialization.Encoding.DER))


def _has_revocation_info(cert: Any) -> bool:
    from cryptography import x509

    for ext in (x509.CRLDistributionPoints, x509.AuthorityInformationAccess):
        try:
            cert.extensions.get_extension_for_class(ext)
            return True
        except x509.ExtensionNotFound:
            continue
    return False


def _is_network_error(exc: Exception) -> bool:
    try:
        import requests
    except ImportError:  # pragma: no cover - pyHanko's timestamp client needs it
        return False
    return isinstance(exc, requests.RequestException | OSError)


def no_trust() -> Any:
    """A validation context that trusts nothing and fetches nothing: for checking that a
    signature matches its document, not who vouches for the signer."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=[], allow_fetching=False)


@contextmanager
def quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs every certificate path it cannot build, with a traceback, to stderr;
    what matters is in the result, which the caller turns into one line."""
    import logging

    logger = logging.getLogger("pyhanko")
    other = logging.getLogger("pyhanko_certvalidator")
    saved = [(lg, lg.level, lg.propagate) for lg in (logger, other)]
    for lg in (logger, other):
        lg.setLevel(logging.CRITICAL + 1)
        lg.propagate = False
    try:
        yield
    finally:
        for lg, level, propagate in saved:
            lg.setLevel(level)
            lg.propagate = propagate


def _blank_stamp() -> Any:
    """The widget's own appearance: nothing, since the stamp is part of the page (the
    template's), and the widget only makes it clickable in a PDF reader."""
    from pyhanko import stamp

    return stamp.TextStampStyle(stamp_text=" ", border_width=0, background=None)


def _read_cms(output: bytes, digest: bytes, name: str) -> cms.ContentInfo:
    """The signing command's answer: DER, PEM or base64 of a CMS SignedData over ``digest``."""
    import base64
    import binascii

    from asn1crypto import cms

    data = output.strip()
    if data.startswith(b"-----BEGIN"):
        data = b"".join(line for line in data.splitlines() if not line.startswith(b"-----"))
    if data[:1] != b"\x30":
        try:
            data = base64.b64decode(data, validate=False)
        except (binascii.Error, ValueError):
            data = b""
    garbage = SigningError(
        _("the signing command {name} did not return a CMS signature ({size} bytes)").format(
            name=name, size=len(output)
        )
    )
    if not data:
        raise garbage
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            raise garbage
        signer_info = info["content"]["signer_infos"][0]
        signed = {a["type"].native: a["values"][0] for a in signer_info["signed_attrs"]}
    except (ValueError, TypeError, KeyError, IndexError):
        raise garbage from None
    message_digest = signed.get("message_digest")
    if message_digest is None or bytes(message_digest.native) != digest:
        raise SigningError(
            _(
                "the signing command {name} signed another digest than the one it was given; "
                "nothing was written"
            ).format(name=name)
        )
    return info


def _add_signature_timestamp(signature: cms.ContentInfo, timestamper: Any) -> cms.ContentInfo:
    """Add a signature timestamp (RFC 3161 token over the signature value) to an external
    signer's CMS, unless it brought one: that is what makes it B-T."""
    from asn1crypto import cms

    signer_info = signature["content"]["signer_infos"][0]
    unsigned = signer_info["unsigned_attrs"]
    present = unsigned.native if isinstance(unsigned, cms.CMSAttributes) else None
    if present and any(a["type"] == "signature_time_stamp_token" for a in present):
        return signature
    value = bytes(signer_info["signature"].native)
    import asyncio

    token = asyncio.run(timestamper.async_timestamp(hashlib.sha256(value).digest(), "sha256"))
    attrs = list(unsigned) if present else []
    attrs.append(cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]}))
    signer_info["unsigned_attrs"] = cms.CMSAttributes(attrs)
    return cms.ContentInfo.load(signature.dump(force=True))
