"""The announcement (pengumuman): a Markdown file, its title, its signer, its file name."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from egovctl.documents.printing import Document
from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import N_, _
from egovctl.staff.access import require

if TYPE_CHECKING:
    from egovctl.catalogue.queries import AgencyRecord
    from egovctl.db import Database
    from egovctl.documents.context import AnnouncementContext, SignerContext

MAX_TITLE = 200
MAX_NUMBER = 100
MAX_SLUG = 50


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
    if title is not None:
        title = _option_text(
            title, "--title", MAX_TITLE, N_("--title is empty; give the announcement's title")
        )
    if number is not None:
        number = _option_text(
            number, "--number", MAX_NUMBER, N_("--number is empty; e.g. 800/123/DISDUKCAPIL/2026")
        )
    heading, body = _heading_and_body(_read(path))
    # --title replaces the heading rather than printing a second title above the text.
    title = title or heading
    if not title:
        if heading == "":
            raise InvalidInput(
                _("{path} has no title: the '#' line is empty, or give --title").format(path=path)
            )
        raise InvalidInput(
            _("{path} has no title: start it with '# Judul', or give --title").format(path=path)
        )
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            _("{path}: the title has {n} characters; keep it under {limit}").format(
                path=path, n=len(title), limit=MAX_TITLE
            )
        )
    if not body.strip():
        raise InvalidInput(
            _("{path} has a title but no text; write the announcement below it").format(path=path)
        )
    images = _images(path, body)
    signer_ctx, agency = _signer(db, signer) if signer else (None, None)
    context: AnnouncementContext = {
        "title": title,
        "number": number,
        "body_markdown": body,
        "images": images,
        "signer": signer_ctx,
        "agency": agency,
        "date": day,
    }
    return Document("announcement.html.j2", context, _file_name(title))


def _read(path: Path) -> str:
    try:
        # utf-8-sig: a byte-order mark (Notepad writes one) is not part of the title.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NotFound(_("announcement file {path} does not exist").format(path=path)) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            _("{path} is not UTF-8 text; save it as UTF-8 Markdown").format(path=path)
        ) from None
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {path}: {problem}").format(path=path, problem=exc.strerror)
        ) from None
    if not text.strip():
        raise InvalidInput(
            _("{path} is empty; write the announcement in Markdown").format(path=path)
        )
    return text


def _option_text(value: str, option: str, limit: int, empty: str) -> str:
    """``value`` of ``option`` cleaned; ``empty`` (a msgid) is the error when nothing is left."""
    from egovctl.identity import clean_text

    text = clean_text(value, option, limit)
    if text is None:
        raise InvalidInput(_(empty))
    return " ".join(text.split())


def _heading_and_body(text: str) -> tuple[str | None, str]:
    """The words of the first-level heading that opens ``text`` (None when it does not open
    with one, "" when the heading is empty) and the text after it."""
    from egovctl.documents.filters import markdown_parser

    tokens = markdown_parser().parse(text)
    if len(tokens) < 2 or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        return None, text
    # The words without their Markdown (emphasis marks, links).
    words = "".join(
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for child in tokens[1].children or ()
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    )
    end = tokens[0].map[1] if tokens[0].map else 1
    return " ".join(words.split()), "".join(text.splitlines(keepends=True)[end:])


def _images(path: Path, body: str) -> dict[str, str]:
    """Every image of the Markdown as a ``data:`` URI, keyed by its source as parsed.

    Images are files in the Markdown file's folder (or below it): an announcement is written
    next to its pictures, and a path out of that folder (``../``, an absolute path, a symbolic
    link) could put any readable file of the computer on a public notice board.
    """
    from urllib.parse import unquote, urlsplit

    from egovctl.documents.filters import markdown_images, markdown_parser
    from egovctl.documents.images import ImageProblem, image_data_uri

    folder = path.absolute().parent.resolve()
    images: dict[str, str] = {}
    for token in markdown_images(markdown_parser().parse(body)):
        src = token.attrGet("src")
        if not isinstance(src, str) or src in images:
            continue
        scheme = urlsplit(src).scheme
        if scheme == "data":
            continue  # embedded in the Markdown already
        shown = _shorten(unquote(src))
        if scheme:
            raise InvalidInput(
                _(
                    "{path}: image '{image}' is not a file in the folder of the Markdown file; "
                    "save the picture beside it and write ![keterangan](nama-file.png)"
                ).format(path=path, image=shown)
            )
        try:
            target = (folder / unquote(src)).resolve()
            if not target.is_relative_to(folder):
                raise InvalidInput(
                    _(
                        "{path}: image '{image}' is outside the folder of the Markdown file "
                        "({folder}); put the picture beside it"
                    ).format(path=path, image=shown, folder=folder)
                )
            if not target.exists():
                raise InvalidInput(
                    _("{path}: image '{image}' does not exist in {folder}").format(
                        path=path, image=shown, folder=target.parent
                    )
                )
            images[src] = image_data_uri(target)
        except ImageProblem as exc:
            what = _("{path}: image '{image}'").format(path=path, image=shown)
            raise InvalidInput(exc.say(what)) from None
        except (OSError, ValueError):  # a name too long, a NUL byte: no file is called that
            raise InvalidInput(
                _("{path}: image '{image}' is not a possible file name").format(
                    path=path, image=shown
                )
            ) from None
    return images


def _shorten(text: str, limit: int = 80) -> str:
    """``text`` for a one-line error message: a pasted page is not echoed back whole."""
    # Control and format characters shown as escapes: they must not act on the terminal.
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _file_name(title: str) -> str:
    """``pengumuman-<title>.pdf``, without saying "pengumuman" twice."""
    words = re.sub(r"[^a-z0-9]+", " ", title.lower()).split()
    while words and words[0] == "pengumuman":
        words.pop(0)
    rest = _slug(" ".join(words))
    return f"pengumuman-{rest}.pdf" if rest else "pengumuman.pdf"


def _slug(text: str, limit: int = MAX_SLUG) -> str:
    """``text`` as a file-name part of at most ``limit`` characters, cut between words."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1]  # a hyphen right after the limit still ends a whole word
    head = cut[: cut.rfind("-")] if "-" in cut else ""
    # One word longer than the limit has no boundary to cut at: cut it.
    return head.rstrip("-") or slug[:limit]


def _signer(db: Database, signer: str) -> tuple[SignerContext, AgencyRecord | None]:
    """A staff username, an agency code (its head), or 'Name|Title|NIP' written out; with the
    signing head's agency, whose letterhead the announcement then carries (as the maklumat)."""
    from sqlmodel import col, select

    from egovctl.catalogue.queries import agency_dict
    from egovctl.models import Agency, Staff

    if "|" in signer:
        parts = [p.strip() for p in signer.split("|")]
        name, title, nip = (parts + ["", ""])[:3]
        if not name or not title:
            raise InvalidInput(_("--signer 'Name|Title|NIP' needs at least a name and a title"))
        if nip:
            from egovctl.identity import validate_nip

            try:
                nip = validate_nip(nip)
            except InvalidInput as exc:
                raise InvalidInput(_("--signer: {problem}").format(problem=exc)) from None
        return {"name": name, "title": title, "nip": nip or None}, None
    with db.read() as session:
        agency = session.exec(select(Agency).where(col(Agency.code) == signer.upper())).first()
        if agency is not None and agency.head_name:
            # The unit lets the template write "Kepala Dinas Sosial" for a bare "Kepala".
            head: SignerContext = {
                "name": agency.head_name,
                "title": agency.head_title or "Kepala",
                "nip": agency.head_nip,
                "unit": agency.name,
            }
            return head, agency_dict(agency)
        member = session.exec(select(Staff).where(col(Staff.username) == signer)).first()
        if member is not None:
            # Staff have no position on record: the block shows the name and NIP only.
            return {"name": member.name, "title": "", "nip": member.nip}, None
    raise NotFound(
        _(
            "--signer '{signer}' is neither a staff username nor an agency with a head; "
            "or write it out as 'Name|Title|NIP'"
        ).format(signer=signer)
    )
