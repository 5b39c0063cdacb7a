"""`egovctl verify FILE.pdf`: is this the document the office printed, unchanged, and is its
signature valid against the trust roots? (docs/signing.md)

The file is looked up by the SHA-256 of its bytes: any change, however small, makes it a file
the register does not know. A changed file that still names its register id (every registered
PDF carries ``egovctl-document:<id>`` in its keywords) is reported as changed rather than
unknown. Signatures are validated with pyHanko against ``[sign] trust``; pyHanko is imported
only when the file holds a signature.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import _

if TYPE_CHECKING:
    from egovctl.config import Sign
    from egovctl.db import Database

# WeasyPrint writes the keywords as a PDF string with "-" and ":" as octal escapes.
_KEYWORD = re.compile(rb"egovctl(?:-|\\055)document(?::|\\072)([0-9a-z]{10})")


@dataclass
class Verdict:
    sha256: str
    registered: bool = False
    id: str | None = None
    kind: str | None = None
    subject: str | None = None
    signed: bool = False
    intact: bool = False
    valid: bool = False
    signer: str | None = None
    signed_at: datetime | None = None
    timestamped: bool = False
    problem: str | None = None
    status: Any = field(default=None, repr=False)  # pyHanko's validation status, if signed

    def as_dict(self, tz: str | None = None) -> dict[str, Any]:
        """The SPEC's JSON; ``signed_at`` in the office's timezone when ``tz`` is given."""
        signed_at = self.signed_at
        if signed_at is not None and tz is not None:
            from zoneinfo import ZoneInfo

            signed_at = signed_at.astimezone(ZoneInfo(tz))
        return {
            "registered": self.registered,
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "signed": self.signed,
            "intact": self.intact,
            "valid": self.valid,
            "signer": self.signer,
            "signed_at": signed_at.isoformat(timespec="seconds") if signed_at else None,
            "timestamped": self.timestamped,
            "sha256": self.sha256,
            "problem": self.problem,
        }

    def problem_text(self) -> str | None:
        return self.problem

    def summary(self, tz: str) -> str:
        """One line for a file that passed."""
        from egovctl.formats import say_datetime

        what = f"{self.kind} {self.subject}" if self.subject else str(self.kind)
        if not self.signed:
            return _("document {id} ({what}) is registered and unchanged; it is not signed").format(
                id=self.id, what=what
            )
        when = say_datetime(self.signed_at, tz) if self.signed_at else "?"
        if self.timestamped:
            return _(
                "document {id} ({what}) is registered, unchanged and validly signed by "
                "{signer} on {when} (timestamped)"
            ).format(id=self.id, what=what, signer=self.signer, when=when)
        return _(
            "document {id} ({what}) is registered, unchanged and validly signed by {signer} on "
            "{when} (no timestamp: the time is the signer's own claim)"
        ).format(id=self.id, what=what, signer=self.signer, when=when)


def verify_file(db: Database, sign: Sign, path: Path) -> Verdict:
    from egovctl.documents.register import find_by_hash

    data = _read_pdf(path)
    verdict = Verdict(hashlib.sha256(data).hexdigest())
    with db.read() as session:
        row = find_by_hash(session, verdict.sha256)
        claimed = _claimed_id(data) if row is None else None
        if claimed is not None:
            from egovctl.models import RegisteredDocument

            row_by_id = session.get(RegisteredDocument, claimed)
        else:
            row_by_id = None
        if row is not None:
            verdict.registered = True
            verdict.id, verdict.kind, verdict.subject = row.id, row.kind, row.subject
        elif row_by_id is not None:
            verdict.id, verdict.kind = row_by_id.id, row_by_id.kind
            verdict.subject = row_by_id.subject
    if b"/ByteRange" in data:
        _check_signature(data, sign, verdict)
    verdict.problem = _problem(verdict, row_by_id is not None, sign)
    return verdict


def _claimed_id(data: bytes) -> str | None:
    """The register id a PDF names in its keywords: in plain bytes after a signature's
    incremental update, else inside WeasyPrint's compressed object stream, read with pyHanko."""
    found = _KEYWORD.search(data)
    if found is None:
        try:
            from io import BytesIO

            from pyhanko.pdf_utils.reader import PdfFileReader

            info = PdfFileReader(BytesIO(data), strict=False).trailer_view.get("/Info")
            keywords = str(info.get_object().get("/Keywords", "")) if info is not None else ""
        except Exception:
            return None
        found = _KEYWORD.search(keywords.encode("ascii", "replace"))
    return found.group(1).decode("ascii") if found else None


def _read_pdf(path: Path) -> bytes:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise NotFound(_("{path} does not exist").format(path=path)) from None
    except IsADirectoryError:
        raise InvalidInput(_("{path} is a directory; give a PDF file").format(path=path)) from None
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    if not data.lstrip()[:5] == b"%PDF-":
        raise InvalidInput(_("{path} is not a PDF file").format(path=path))
    return data


def _check_signature(data: bytes, sign: Sign, verdict: Verdict) -> None:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    from egovctl.documents.certs import quiet_pyhanko

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        verdict.signed = True  # it says so, but cannot be read: not intact
        return
    if not signatures:
        return
    verdict.signed = True
    embedded = signatures[-1]
    from egovctl.documents.certs import no_trust

    context = _trust_context(sign)
    try:
        with quiet_pyhanko():
            status = validate_pdf_signature(
                embedded, signer_validation_context=context or no_trust()
            )
    except Exception:
        return
    verdict.intact = bool(status.intact and _covers_all(status)) and all(
        _intact(s) for s in signatures[:-1]
    )
    verdict.valid = bool(verdict.intact and status.valid and status.trusted and context)
    verdict.signer = _common_name(status.signing_cert)
    ts = status.timestamp_validity
    verdict.timestamped = bool(ts is not None and ts.intact and ts.valid)
    verdict.signed_at = ts.timestamp if ts is not None else status.signer_reported_dt
    verdict.status = status


def _covers_all(status: Any) -> bool:
    """The signature covers the whole file, or everything after it is revocation data and
    timestamps (a B-LT signature's document security store), which change no content."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    level = getattr(status.diff_result, "modification_level", None)
    return bool(
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and level is not None
        and level <= ModificationLevel.LTA_UPDATES
    )


def _intact(embedded: Any) -> bool:
    from pyhanko.sign.validation import validate_pdf_signature

    from egovctl.documents.certs import no_trust, quiet_pyhanko

    with quiet_pyhanko():
        return bool(validate_pdf_signature(embedded, signer_validation_context=no_trust()).intact)


def _trust_context(sign: Sign) -> Any:
    if not sign.trust:
        return None
    from pyhanko_certvalidator import ValidationContext

    from egovctl.documents.certs import cert_asn1, load_certificates

    roots = [cert_asn1(c) for c in load_certificates(sign.trust, "trust")]
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def _common_name(cert: Any) -> str | None:
    if cert is None:
        return None
    try:
        return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)
    except Exception:
        return None


def _problem(v: Verdict, known_id: bool, sign: Sign) -> str | None:
    """What is wrong, in one line; None when nothing is."""
    if v.signed and not v.intact:
        if v.id is not None:
            return _(
                "changed after signing: the signature no longer matches the content (document {id})"
            ).format(id=v.id)
        return _("changed after signing: the signature no longer matches the content")
    if not v.registered:
        if known_id:
            return _(
                "changed after it was printed: this is not the file registered as document "
                "{id} (its SHA-256 differs)"
            ).format(id=v.id)
        return _("not registered: this office's register has no document with this content")
    if not v.signed:
        return None
    status = v.status
    if status is None:
        return _("signature invalid: it cannot be read")
    if not status.valid:
        return _("signature invalid: it does not match the signer's certificate")
    if not sign.trust:
        return _(
            "signer not trusted: no trust roots are configured ([sign] trust), so nobody "
            "vouches for {signer}"
        ).format(signer=v.signer)
    if not status.trusted:
        if not v.timestamped and _expired(status.signing_cert):
            return _(
                "no timestamp: the certificate of {signer} has expired and nothing proves the "
                "document was signed before that"
            ).format(signer=v.signer)
        return _(
            "signer not trusted: the certificate of {signer} is not issued under the roots "
            "in [sign] trust"
        ).format(signer=v.signer)
    return None


def _expired(cert: Any) -> bool:
    from egovctl.timeutil import now_utc

    try:
        return bool(cert["tbs_certificate"]["validity"]["not_after"].native < now_utc())
    except Exception:
        return False
