"""The announcement (pengumuman): a Markdown file, its title, its signer, its file name."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from egovctl.documents.printing import Document
from egovctl.errors import InvalidInput, NotFound
from egovctl.staff.access import require

if TYPE_CHECKING:
    from egovctl.db import Database
    from egovctl.documents.context import AnnouncementContext, SignerContext


def announcement(
    db: Database,
    actor: str,
    path: Path,
    *,
    title: str | None,
    signer: str | None,
    number: str | None,
    day: date,
) -> Document:
    require(db, actor, "print.board")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"announcement file {path} does not exist") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text; save it as UTF-8 Markdown") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    if not text.strip():
        raise InvalidInput(f"{path} is empty; write the announcement in Markdown")
    body = text
    if title is None:
        # A first-level Markdown heading doubles as the title.
        match = re.match(r"\s*#\s+(.+?)\s*\n", text)
        if match:
            title, body = match.group(1), text[match.end() :]
        else:
            title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    signer_ctx = _signer(db, signer) if signer else None
    slug = _slug(title) or "pengumuman"
    context: AnnouncementContext = {
        "title": title,
        "number": number,
        "body_markdown": body,
        "signer": signer_ctx,
        "date": day,
    }
    return Document("announcement.html.j2", context, f"pengumuman-{slug}.pdf")


def _slug(text: str, limit: int = 50) -> str:
    """``text`` as a file-name part of at most ``limit`` characters, cut between words."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1]  # a hyphen right after the limit still ends a whole word
    head = cut[: cut.rfind("-")] if "-" in cut else ""
    # One word longer than the limit has no boundary to cut at: cut it.
    return head.rstrip("-") or slug[:limit]


def _signer(db: Database, signer: str) -> SignerContext:
    """A staff username, an agency code (its head), or 'Name|Title|NIP' written out."""
    from sqlmodel import col, select

    from egovctl.models import Agency, Staff

    if "|" in signer:
        parts = [p.strip() for p in signer.split("|")]
        name, title, nip = (parts + ["", ""])[:3]
        if not name or not title:
            raise InvalidInput("--signer 'Name|Title|NIP' needs at least a name and a title")
        if nip:
            from egovctl.identity import validate_nip

            try:
                nip = validate_nip(nip)
            except InvalidInput as exc:
                raise InvalidInput(f"--signer: {exc}") from None
        return {"name": name, "title": title, "nip": nip or None}
    with db.read() as session:
        agency = session.exec(select(Agency).where(col(Agency.code) == signer.upper())).first()
        if agency is not None and agency.head_name:
            # The unit lets the template write "Kepala Dinas Sosial" for a bare "Kepala".
            return {
                "name": agency.head_name,
                "title": agency.head_title or "Kepala",
                "nip": agency.head_nip,
                "unit": agency.name,
            }
        member = session.exec(select(Staff).where(col(Staff.username) == signer)).first()
        if member is not None:
            # Staff have no position on record: the block shows the name and NIP only.
            return {"name": member.name, "title": "", "nip": member.nip}
    raise NotFound(
        f"--signer '{signer}' is neither a staff username nor an agency with a "
        "head; or write it out as 'Name|Title|NIP'"
    )
