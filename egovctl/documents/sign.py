"""PAdES signatures on printed PDFs with pyHanko (docs/signing.md).

The key is a PKCS#12 file (``[sign] key``, its passphrase from the environment or a prompt) or
an external signing command (``[sign] command`` with the certificate in ``[sign] cert``) that
reads the hex digest of the document on stdin and writes a CMS signature on stdout, the way a
remote signing service is plugged in; pyHanko's interrupted signing embeds what it returns.
Baseline B-B; B-T when ``[sign] tsa_url`` names an RFC 3161 server; B-LT when revocation data
for the certificate can be fetched (a revoked certificate is refused; a revocation server that
does not answer gives B-T and a warning).

The key is checked in two steps: ``check_key`` with ``cryptography`` alone (the file, the
passphrase, the certificate's dates, that key and certificate belong together), then
``build_signer``, where pyHanko is imported. ``print --sign`` runs both in the signing worker
(sign_worker.py) while it lays the page out; everything happens in memory, so a failure
leaves no file behind. The signed result is validated once more before it is returned:
an external signer that answers with something else than a signature over this document is
caught here, not by the citizen.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.documents.certs import (
    cert_asn1,
    check_certificate,
    has_revocation_info,
    key_asn1,
    key_matches,
    load_certificates,
    no_trust,
    quiet_pyhanko,
    read_setting_file,
    same_certificate,
)
from egovctl.documents.external_signer import (
    SigningError,
    add_signature_timestamp,
    run_command,
)
from egovctl.errors import ConfigError, EgovError, InvalidInput
from egovctl.i18n import _

if TYPE_CHECKING:
    from egovctl.config import Sign

FIELD_NAME = "TandaTanganElektronik"
# Room for the CMS an external signer returns (certificate chain and a timestamp token
# included), in hex digits as the PDF stores it.
EXTERNAL_RESERVED = 32_768
TSA_TIMEOUT = 15


@dataclass
class Signed:
    data: bytes
    signer: str  # the certificate's common name
    signed_at: datetime
    timestamped: bool
    level: str  # "B-B", "B-T" or "B-LT"
    warnings: tuple[str, ...] = ()


@dataclass
class Box:
    """Where the stamp is on the last page, in PDF points from the bottom left."""

    x1: float
    y1: float
    x2: float
    y2: float


class DocumentSigner:
    """A key and certificate checked and ready to sign; made by :func:`load_signer`."""

    def __init__(
        self,
        settings: Sign,
        cert: Any,
        signer: Any,
        command: list[str] | None,
        cert_bytes: int = 0,
    ):
        self.settings = settings
        self.cert = cert  # cryptography x509.Certificate
        self._signer = signer  # pyHanko Signer (SimpleSigner or ExternalSigner)
        self._command = command
        self._cert_bytes = cert_bytes  # DER size of the certificates the CMS carries

    @property
    def is_external(self) -> bool:
        return self._command is not None

    @property
    def pyhanko_signer(self) -> Any:
        return self._signer

    def poll(self) -> None:
        """Nothing to wait for: the key was checked when loaded (see the worker's)."""

    def close(self) -> None:
        """Nothing to let go of (the worker's stand-in has a process to end)."""

    @property
    def common_name(self) -> str:
        return common_name(self.cert)

    @property
    def stamp_name(self) -> str:
        return self.settings.name or self.common_name

    def sign(self, pdf: bytes, *, doc_id: str, box: Box | None, place: str | None) -> Signed:
        """``pdf`` signed as PAdES; the signature field's widget covers ``box``."""
        from pyhanko.sign import fields, signers

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
                data = self._sign_with_key(pdf, box, meta, timestamper)
            else:
                data = self._sign_with_command(_writer(pdf, box), meta, timestamper)
        except EgovError:
            raise
        except Exception as exc:
            raise self._explain(exc) from None
        return self._checked(data, doc_id, timestamper is not None, validation)

    # -- the two ways of signing ---------------------------------------------------------------

    def _sign_with_key(self, pdf: bytes, box: Box | None, meta: Any, timestamper: Any) -> bytes:
        from pyhanko.sign import signers
        from pyhanko.sign.general import SigningError as TooSmall

        pdf_signer = signers.PdfSigner(
            meta, signer=self._signer, timestamper=timestamper, stamp_style=_blank_stamp()
        )
        # Without a size, pyHanko makes a whole trial signature (and, with a timestamp server,
        # asks it for a trial token) only to measure it; the room is known well enough from
        # the certificates. Should a CMS ever outgrow it, pyHanko's own estimate is taken.
        reserved = self._reserved(timestamper is not None)
        try:
            out: BytesIO = pdf_signer.sign_pdf(_writer(pdf, box), bytes_reserved=reserved)
        except TooSmall as exc:
            if "larger than expected" not in str(exc):
                raise
            out = pdf_signer.sign_pdf(_writer(pdf, box))
        return out.getvalue()

    def _reserved(self, timestamped: bool) -> int:
        """Room for the CMS in hex digits: the certificates it carries, the signature and its
        attributes (2 KiB, about twice what a 4096-bit RSA key needs), and 8 KiB more for a
        timestamp token with its authority's certificates (docs/signing.md)."""
        size = self._cert_bytes + 2048 + (8192 if timestamped else 0)
        return 2 * size

    def _sign_with_command(self, writer: Any, meta: Any, timestamper: Any) -> bytes:
        import asyncio

        from pyhanko.sign import signers
        from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

        pdf_signer = signers.PdfSigner(meta, signer=self._signer, stamp_style=_blank_stamp())
        prepared, _tbs, output = asyncio.run(
            pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=EXTERNAL_RESERVED)
        )
        assert self._command is not None
        signature = run_command(self._command, prepared.document_digest)
        if timestamper is not None:
            signature = add_signature_timestamp(signature, timestamper)
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
            or not has_revocation_info(self.cert)
        ):
            return None
        from pyhanko_certvalidator import ValidationContext

        return ValidationContext(
            trust_roots=[cert_asn1(c) for c in load_certificates(self.settings.trust, "trust")],
            allow_fetching=True,
            revocation_mode="soft-fail",
        )

    # -- errors and the final check ------------------------------------------------------------

    def _explain(self, exc: Exception) -> EgovError:
        from pyhanko.sign.timestamps import TimestampRequestError
        from pyhanko_certvalidator.errors import PathBuildingError, RevokedError

        text = " ".join(str(exc).split()) or type(exc).__name__
        cause = exc.__cause__
        subject = self.common_name
        if isinstance(cause, RevokedError):
            # The revocation list (or OCSP answer) the certificate names says it is revoked.
            return SigningError(
                _(
                    "the signing certificate of {subject} has been revoked by its certificate "
                    "authority ({reason}); it cannot sign any more: ask the authority for a "
                    "new one"
                ).format(subject=subject, reason=" ".join(str(cause).split()).rstrip("."))
            )
        if isinstance(cause, PathBuildingError):
            return SigningError(
                _(
                    "the signing certificate of {subject} is not issued under the roots in "
                    "[sign] trust, so its revocation data cannot be checked; add its "
                    "authority's root to [sign] trust"
                ).format(subject=subject)
            )
        if cause is not None and "could not be validated" in text:
            return SigningError(
                _("the signing certificate of {subject} could not be validated: {reason}").format(
                    subject=subject, reason=" ".join(str(cause).split()) or type(cause).__name__
                )
            )
        if isinstance(exc, TimestampRequestError) or _is_network_error(exc):
            return SigningError(
                _(
                    "cannot get a timestamp from {url}: {reason}; check [sign] tsa_url or "
                    "the network"
                ).format(url=self.settings.tsa_url, reason=text)
            )
        return SigningError(_("signing failed: {reason}").format(reason=text))

    def _checked(self, data: bytes, doc_id: str, timestamped: bool, validation: Any) -> Signed:
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
        if not same_certificate(status.signing_cert, self.cert):
            raise SigningError(
                _(
                    "the document was signed with another certificate than {cert} "
                    "([sign] cert); nothing was written"
                ).format(cert=self.settings.cert or self.settings.key)
            )
        ts = status.timestamp_validity
        signed_at = ts.timestamp if ts is not None else status.signer_reported_dt
        if signed_at is None:
            from egovctl.timeutil import now_utc

            signed_at = now_utc()
        level = "B-T" if timestamped else "B-B"
        warnings: tuple[str, ...] = ()
        if validation is not None:
            if _has_revocation_data(reader):
                level = "B-LT"
            else:
                # Soft-fail: a revocation server that does not answer does not stop the
                # office's work; the signature is B-T, and the clerk is told.
                failures = validation.soft_fail_exceptions
                reason = " ".join(str(failures[0]).split()) if failures else "?"
                warnings = (
                    _(
                        "no revocation data for the signing certificate ({reason}); the "
                        "signature is B-T, not B-LT: valid, but it cannot be checked long "
                        "after the certificate expires"
                    ).format(reason=reason),
                )
        return Signed(data, self.common_name, signed_at, ts is not None, level, warnings)


def _has_revocation_data(reader: Any) -> bool:
    """Whether the document security store holds a CRL or an OCSP answer (B-LT)."""
    dss = reader.root.get("/DSS")
    if dss is None:
        return False
    dss = dss.get_object()
    return any(len(dss.get(key, ())) > 0 for key in ("/CRLs", "/OCSPs"))


def _writer(pdf: bytes, box: Box | None) -> Any:
    """An incremental writer over ``pdf`` with the signature field over ``box``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

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
    return writer


# -- loading and checking the key -------------------------------------------------------------


@dataclass
class Checked:
    """A key and certificate read and checked with ``cryptography`` alone (no pyHanko yet):
    what the signing worker answers with at once, before its slow imports."""

    settings: Sign
    cert: Any
    key: Any  # None with an external signer
    chain: list[Any]
    command: list[str] | None

    @property
    def common_name(self) -> str:
        return common_name(self.cert)


def common_name(cert: Any) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def load_signer(
    settings: Sign,
    *,
    passphrase: Callable[[], str | None] | None = None,
    now: datetime,
    secret: str | None = None,
) -> DocumentSigner:
    """The configured key, checked; the passphrase is ``secret``, or else from the
    environment, or else asked for by ``passphrase``."""
    if secret is None:
        secret = key_passphrase(settings, passphrase)
    return build_signer(check_key(settings, secret, now))


def key_passphrase(settings: Sign, ask: Callable[[], str | None] | None) -> str | None:
    """The PKCS#12 passphrase: from the environment, or asked for (on a terminal) once the key
    file is known to be there; None with an external signer, or when there is no one to ask.
    What is refused here is refused before anything else starts."""
    if settings.command:
        return None
    if settings.key is None:
        raise ConfigError(
            _(
                "no signing key: set [sign] key to a PKCS#12 file (.p12), or [sign] command "
                "to an external signer (see docs/signing.md)"
            )
        )
    read_setting_file(Path(settings.key), "key")
    secret = os.environ.get(settings.passphrase_env)
    if secret is None and ask is not None:
        secret = ask()
    return secret


def check_key(settings: Sign, secret: str | None, now: datetime) -> Checked:
    """Read and check the key (or the external signer's certificate) with ``cryptography``."""
    if settings.command:
        return _check_command(settings, now)
    if settings.key is None:
        key_passphrase(settings, None)  # raises: no key configured
    return _check_key_file(settings, secret, now)


def build_signer(checked: Checked) -> DocumentSigner:
    """The pyHanko signer for a checked key: this is where pyHanko is imported."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    store = SimpleCertificateStore()
    store.register_multiple([cert_asn1(c) for c in checked.chain])
    sizes = sum(len(cert_asn1(c).dump()) for c in [checked.cert, *checked.chain])
    if checked.command is not None:
        # The external signer makes the real signature; this one only sizes and shapes the
        # field.
        signer: Any = signers.ExternalSigner(
            signing_cert=cert_asn1(checked.cert), cert_registry=store, signature_value=256
        )
    else:
        signer = _loaded_key_signer(checked.key)(
            signing_key=key_asn1(checked.key),
            signing_cert=cert_asn1(checked.cert),
            cert_registry=store,
        )
    return DocumentSigner(checked.settings, checked.cert, signer, checked.command, sizes)


def _loaded_key_signer(key: Any) -> Any:
    """pyHanko's ``SimpleSigner`` signing with the key already loaded: its own reads the key
    back from DER for every signature, and for RSA that means checking the key again, which
    costs more than the signature itself."""
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class LoadedKeySigner(signers.SimpleSigner):  # type: ignore[misc]
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            hashing = get_pyca_cryptography_hash(digest_algorithm)
            if algorithm == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, padding.PKCS1v15(), hashing)
            if algorithm == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(hashing))
            return bytes(super().sign_raw(data, digest_algorithm))

    return LoadedKeySigner


def _check_key_file(settings: Sign, secret: str | None, now: datetime) -> Checked:
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(settings.key or "")
    data = read_setting_file(path, "key")
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
    check_certificate(cert, now, path)
    if not key_matches(key, cert):
        raise InvalidInput(
            _(
                "the key in {path} does not belong to its certificate ({subject}); export "
                "the pair again"
            ).format(path=path, subject=cert.subject.rfc4514_string())
        )
    chain = [*extra, *(load_certificates(settings.chain, "chain") if settings.chain else [])]
    return Checked(settings, cert, key, chain, None)


def _check_command(settings: Sign, now: datetime) -> Checked:
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
    check_certificate(cert, now, settings.cert)
    chain = load_certificates(settings.chain, "chain") if settings.chain else []
    return Checked(settings, cert, None, chain, argv)


def _is_network_error(exc: Exception) -> bool:
    try:
        import requests
    except ImportError:  # pragma: no cover - pyHanko's timestamp client needs it
        return False
    return isinstance(exc, requests.RequestException | OSError)


def _blank_stamp() -> Any:
    """The widget's own appearance: nothing, since the stamp is part of the page (the
    template's), and the widget only makes it clickable in a PDF reader."""
    from pyhanko import stamp

    return stamp.TextStampStyle(stamp_text=" ", border_width=0, background=None)
