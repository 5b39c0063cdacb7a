"""The document register (docs/signing.md): one row per printed PDF, found again by its id (the
QR code, the verification page) or by the SHA-256 of its bytes (``egovctl verify``).

An id is 10 characters drawn with :mod:`secrets` from 31 letters and digits that cannot be
mistaken for one another when read aloud or typed from paper (no 0/o, 1/l/i): some 49 bits,
so ids can be neither counted nor guessed. The row holds no personal data: a receipt's
subject is its registration number, never the applicant.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.models import RegisteredDocument

ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
ID_LENGTH = 10

# The document kinds, by template (the `print` command of the same name).
KINDS = {
    "receipt.html.j2": "receipt",
    "standard.html.j2": "standard",
    "catalogue.html.j2": "catalogue",
    "maklumat.html.j2": "maklumat",
    "announcement.html.j2": "announcement",
    "ready_list.html.j2": "ready-list",
    "complaint_receipt.html.j2": "complaint-receipt",
    "complaint_recap.html.j2": "complaint-recap",
}
# How the verification page names each kind (printed words are Indonesian).
KIND_LABELS = {
    "receipt": "Bukti Pendaftaran",
    "standard": "Standar Pelayanan",
    "catalogue": "Katalog Standar Pelayanan",
    "maklumat": "Maklumat Pelayanan",
    "announcement": "Pengumuman",
    "ready-list": "Daftar Dokumen Siap Diambil",
    "complaint-receipt": "Tanda Terima Pengaduan",
    "complaint-recap": "Rekapitulasi Pengaduan",
}


class DocumentRecord(TypedDict):
    """A register row as ``document show --json`` prints it."""

    id: str
    kind: str
    subject: str | None
    agency: str | None
    created_at: str
    created_by: str
    sha256: str
    signer: str | None
    signed_at: str | None
    timestamped: bool


@dataclass(frozen=True)
class Described:
    kind: str
    subject: str | None
    agency: str | None


def new_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _i in range(ID_LENGTH))


def normalise_id(value: str) -> str:
    """An id as typed from paper: case and surrounding blanks do not matter."""
    text = value.strip().lower()
    if len(text) != ID_LENGTH or any(c not in ID_ALPHABET for c in text):
        raise InvalidInput(
            _(
                "'{value}' is not a document id (10 letters and digits, as under the QR code)"
            ).format(value=value.strip())
        )
    return text


def describe(template: str, context: Mapping[str, Any]) -> Described:
    """What a document is about, read from its template's context: kind, subject code, agency."""
    kind = KINDS.get(template, template.removesuffix(".html.j2").replace("_", "-"))

    def code(value: Any) -> str | None:
        return value.get("code") if isinstance(value, Mapping) else None

    if kind == "receipt":
        req = context["request"]
        return Described(kind, req["reg_no"], code(req.get("agency")))
    if kind == "standard":
        return Described(kind, context["procedure"]["code"], code(context.get("agency")))
    if kind == "complaint-receipt":
        c = context["complaint"]
        return Described(kind, c["number"], code(c.get("agency")))
    if kind == "announcement":
        return Described(kind, context.get("number"), code(context.get("agency")))
    if kind == "complaint-recap":
        agency = context.get("agency")
        return Described(kind, context.get("period_title"), agency if agency else None)
    agency_code = code(context.get("agency"))
    return Described(kind, agency_code, agency_code)


def register(
    db: Database,
    actor: str,
    *,
    doc_id: str,
    about: Described,
    sha256: str,
    created_at: datetime,
    signer: str | None = None,
    signed_at: datetime | None = None,
    timestamped: bool = False,
    level: str | None = None,
    then: Any = None,
) -> DocumentRecord:
    """Enter a document in the register with its audit record, in one transaction.

    ``then`` (no arguments) runs inside the transaction after the row is added: writing the
    file there means a file that cannot be written leaves no row, and a row that cannot be
    committed is the caller's to clean up after (the file is the last thing it made).
    """
    from sqlalchemy import insert

    from egovctl.models import RegisteredDocument
    from egovctl.staff.audit import append

    row = {
        "id": doc_id,
        "kind": about.kind,
        "subject": about.subject,
        "agency": about.agency,
        "title": None,
        "created_at": created_at,
        "created_by": actor,
        "sha256": sha256,
        "signer": signer,
        "signed_at": signed_at,
        "timestamped": timestamped,
    }
    with db.write() as session:
        session.execute(insert(RegisteredDocument.__table__).values(**row))
        details: dict[str, Any] = {
            "kind": about.kind,
            "subject": about.subject,
            "sha256": sha256,
        }
        if signer is not None:
            details.update(signer=signer, level=level, timestamped=timestamped)
        action = "document.sign" if signer is not None else "document.register"
        append(session, actor, action, f"document:{doc_id}", details, at=created_at)
        if then is not None:
            then()
    return _record_from(row)


def _record_from(row: Mapping[str, Any], tz: str | None = None) -> DocumentRecord:
    zone = None
    if tz is not None:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(tz)

    def iso(value: datetime | None) -> str | None:
        if value is None:
            return None
        return (value.astimezone(zone) if zone else value).isoformat(timespec="seconds")

    return {
        "id": row["id"],
        "kind": row["kind"],
        "subject": row["subject"],
        "agency": row["agency"],
        "created_at": iso(row["created_at"]) or "",
        "created_by": row["created_by"],
        "sha256": row["sha256"],
        "signer": row["signer"],
        "signed_at": iso(row["signed_at"]),
        "timestamped": bool(row["timestamped"]),
    }


def record(doc: RegisteredDocument, tz: str | None = None) -> DocumentRecord:
    """A row as the commands print it; times in the office's timezone ``tz``."""
    return _record_from(doc.model_dump(), tz)


def list_documents(
    db: Database, kind: str | None = None, limit: int | None = None, *, tz: str | None = None
) -> list[DocumentRecord]:
    """The register, newest first."""
    from sqlmodel import col, select

    from egovctl.models import RegisteredDocument

    if kind is not None and kind not in KIND_LABELS:
        raise InvalidInput(
            _("unknown document kind '{kind}'; use one of: {kinds}").format(
                kind=kind, kinds=", ".join(KIND_LABELS)
            )
        )
    query = select(RegisteredDocument).order_by(
        col(RegisteredDocument.created_at).desc(), col(RegisteredDocument.id)
    )
    if kind is not None:
        query = query.where(col(RegisteredDocument.kind) == kind)
    if limit is not None:
        query = query.limit(limit)
    with db.read() as session:
        return [record(d, tz) for d in session.exec(query)]


def get_document(db: Database, doc_id: str, *, tz: str | None = None) -> DocumentRecord:
    from egovctl.models import RegisteredDocument

    key = normalise_id(doc_id)
    with db.read() as session:
        doc = session.get(RegisteredDocument, key)
        if doc is None:
            raise NotFound(_("no document {id} in the register").format(id=key))
        return record(doc, tz)


def find_by_hash(session: Session, sha256: str) -> RegisteredDocument | None:
    from sqlmodel import col, select

    from egovctl.models import RegisteredDocument

    query = (
        select(RegisteredDocument)
        .where(col(RegisteredDocument.sha256) == sha256)
        .order_by(col(RegisteredDocument.created_at))
    )
    return session.exec(query).first()


def public_documents(db: Database, agency_names: Mapping[str, str]) -> list[dict[str, Any]]:
    """What a verification page shows of each registered document: nothing personal (the
    subject is a registration number or a code; who printed it is left out)."""
    from sqlmodel import col, select

    from egovctl.models import RegisteredDocument

    with db.read() as session:
        rows = session.exec(select(RegisteredDocument).order_by(col(RegisteredDocument.id)))
        return [
            {
                "id": d.id,
                "kind": d.kind,
                "kind_label": KIND_LABELS.get(d.kind, d.kind),
                "subject": d.subject,
                "agency": d.agency,
                "agency_name": agency_names.get(d.agency or "", d.agency),
                "created_at": d.created_at,
                "signer": d.signer,
                "signed_at": d.signed_at,
                "timestamped": d.timestamped,
                "sha256": d.sha256,
            }
            for d in rows
        ]
