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
    data = read_setting_file(path, "key")
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
    check_certificate(cert, now, path)
    if not key_matches(key, cert):
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
    check_certificate(cert, now, settings.cert)
    store = SimpleCertificateStore()
    if settings.chain:
        store.register_multiple([cert_asn1(c) for c in load_certificates(settings.chain, "chain")])
    # The external signer makes the real signature; this one only sizes and shapes the field.
    signer = signers.ExternalSigner(
        signing_cert=cert_asn1(cert), cert_registry=store, signature_value=256
    )
    return DocumentSigner(settings, cert, signer, argv)


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
