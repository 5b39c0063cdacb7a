"""Certificates and keys for signing and verifying (docs/signing.md): reading PEM/DER and
PKCS#12 material named in ``[sign]``, the checks made before signing (dates, key and
certificate belonging together), the conversions pyHanko needs, and keeping pyHanko quiet."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import _

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509


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


def read_setting_file(path: Path, key: str) -> bytes:
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
        data = read_setting_file(Path(path), key)
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


def check_certificate(cert: Any, now: datetime, where: Path | str) -> None:
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


def key_matches(key: Any, cert: Any) -> bool:
    from cryptography.hazmat.primitives import serialization

    form = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return bool(key.public_key().public_bytes(*form) == cert.public_key().public_bytes(*form))


def same_certificate(asn1_cert: asn1_x509.Certificate, cert: Any) -> bool:
    from cryptography.hazmat.primitives import serialization

    return bool(asn1_cert.dump() == cert.public_bytes(serialization.Encoding.DER))


def has_revocation_info(cert: Any) -> bool:
    from cryptography import x509

    for ext in (x509.CRLDistributionPoints, x509.AuthorityInformationAccess):
        try:
            cert.extensions.get_extension_for_class(ext)
            return True
        except x509.ExtensionNotFound:
            continue
    return False


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
