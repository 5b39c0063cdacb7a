"""Printing a document to a file: render, lay out, sign if asked, register, write
(docs/printing.md, docs/signing.md).

Order matters. Everything that can be refused is checked first (the output path, the key file
and its passphrase); the signing worker checks the key and its certificate while the page is
rendered, and its refusal is raised as soon as it is known (before the layout when it is
already there). The register id is drawn
before rendering, because the QR code and the footer carry it. The PDF is laid out and signed
in memory; the file is written inside the register's transaction, so a file that cannot be
written leaves no row, and a row that cannot be committed takes its new file away again.
HTML is written as before: it is a draft, not a document, and is not registered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import ConfigError, InvalidInput
from egovctl.i18n import _

if TYPE_CHECKING:
    from egovctl.config import Config
    from egovctl.db import Database
    from egovctl.documents.printing import Document
    from egovctl.documents.sign import Box

STAMP_ID = "egovctl-stamp"  # the stamp's element in _esign.html.j2


@dataclass
class Printed:
    path: Path
    id: str | None = None  # None: HTML, not registered
    sha256: str | None = None
    signed: bool = False
    signer: str | None = None
    signed_at: str | None = None
    timestamped: bool = False
    level: str | None = None
    verify_url: str | None = None
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "id": self.id,
            "sha256": self.sha256,
            "signed": self.signed,
            "signer": self.signer,
            "signed_at": self.signed_at,
            "timestamped": self.timestamped,
            "level": self.level,
            "verify_url": self.verify_url,
        }


def verify_address(base: str | None, doc_id: str) -> str | None:
    """``[sign] verify_url`` + the id: ``https://mpp.example.go.id/v/`` gives
    ``https://mpp.example.go.id/v/<id>.html``, the page `publish site` writes, which any
    static web server serves; a base holding ``{id}`` has it replaced instead
    (``https://example.go.id/cek?id={id}``)."""
    if not base:
        return None
    if "{id}" in base:
        return base.replace("{id}", doc_id)
    return base.rstrip("/") + "/" + doc_id + ".html"


def print_document(
    db: Database,
    actor: str,
    config: Config,
    doc: Document,
    output: Path | None,
    *,
    force: bool = False,
    sign: bool = False,
    passphrase: Callable[[], str | None] | None = None,
) -> Printed:
    """Write ``doc`` to ``output`` (or its default name here); a PDF goes into the register,
    signed when ``sign``."""
    from egovctl.documents.printing import output_path, renderer
    from egovctl.documents.register import describe, new_id
    from egovctl.timeutil import now_utc

    rend = renderer(config)
    path = rend.check_output(output_path(doc, output), force=force)
    is_pdf = path.suffix.lower() == ".pdf"
    if sign and not is_pdf:
        raise InvalidInput(_("--sign needs a PDF; give -o with a .pdf name"))
    if not is_pdf:
        from egovctl.fileio import write_bytes_atomic

        html = rend.render_html(doc.template, doc.context)
        write_bytes_atomic(path, html.encode("utf-8"), force=force)
        return Printed(path, warnings=tuple(rend.layout_warnings))

    now = now_utc()
    signer = None
    if sign:
        from egovctl.documents.sign_worker import start_signer

        if not config.sign.verify_url:
            raise ConfigError(
                _(
                    "signed documents carry a QR code of their verification page: set "
                    "[sign] verify_url (e.g. https://mpp.example.go.id/v/)"
                )
            )
        # The key is got ready in a worker process while this one renders (docs/signing.md).
        signer = start_signer(config.sign, passphrase=passphrase, now=now)
    try:
        about = describe(doc.template, doc.context)
        doc_id = new_id()
        url = verify_address(config.sign.verify_url, doc_id)
        meta: dict[str, Any] = {"id": doc_id, "verify_url": url, "signed": signer is not None}
        if signer is not None:
            meta["signer"] = {"name": signer.stamp_name, "title": config.sign.title}
        html = rend.render_html(doc.template, {**doc.context, "document": meta})
        if signer is not None:
            signer.poll()
        data = rend.pdf_bytes(html)
        result = Printed(path, doc_id, verify_url=url, warnings=tuple(rend.layout_warnings))
        signed_at = None
        if signer is not None:
            signed = signer.sign(
                data, doc_id=doc_id, box=_stamp_box(rend.anchors), place=config.office.place
            )
            data = signed.data
            signed_at = signed.signed_at
            result.signed, result.signer, result.level = True, signed.signer, signed.level
            result.timestamped = signed.timestamped
            result.warnings += signed.warnings
            result.signed_at = signed.signed_at.isoformat(timespec="seconds")
    finally:
        if signer is not None:
            signer.close()
    result.sha256 = hashlib.sha256(data).hexdigest()
    _register_and_write(
        db,
        actor,
        path,
        data,
        force=force,
        register=lambda then: _register(db, actor, doc_id, about, result, now, signed_at, then),
    )
    return result


def _register(
    db: Database,
    actor: str,
    doc_id: str,
    about: Any,
    result: Printed,
    now: Any,
    signed_at: Any,
    then: Callable[[], None],
) -> None:
    from egovctl.documents.register import register

    register(
        db,
        actor,
        doc_id=doc_id,
        about=about,
        sha256=result.sha256 or "",
        created_at=now,
        signer=result.signer,
        signed_at=signed_at,
        timestamped=result.timestamped,
        level=result.level,
        then=then,
    )


def _register_and_write(
    db: Database,
    actor: str,
    path: Path,
    data: bytes,
    *,
    force: bool,
    register: Callable[[Callable[[], None]], None],
) -> None:
    from egovctl.fileio import write_bytes_atomic

    written = False

    def write() -> None:
        nonlocal written
        write_bytes_atomic(path, data, force=force)
        written = True

    try:
        register(write)
    except BaseException:
        # The commit failed after the file was renamed into place: a file the register does
        # not know would fail `verify`, so it goes too.
        if written:
            path.unlink(missing_ok=True)
        raise


def _stamp_box(anchors: dict[str, tuple[float, float, float, float]]) -> Box | None:
    """The stamp's rectangle on the last page; None when a template has no stamp (an office's
    own base template): the signature field is then invisible, and the page carries what the
    template printed."""
    from egovctl.documents.sign import Box

    box = anchors.get(STAMP_ID)
    if box is None or box[2] <= box[0] or box[3] <= box[1]:
        return None
    return Box(*box)
