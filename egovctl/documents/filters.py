"""The Jinja filters of printed documents: dates, money, masking, Markdown, QR codes, positions.

Dates and money are written by :mod:`egovctl.formats`; this module adapts them to templates
(aware datetimes shown in the office's timezone, an undefined value named the way ``{{ x }}``
names it) and adds the filters that only documents need. What each filter gives is listed in
``templates/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from egovctl import formats
from egovctl.i18n import _

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markupsafe import Markup

_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")


def document_filters(place: str, zone: ZoneInfo) -> dict[str, Callable[..., Any]]:
    """Every filter a template may use, for an office at ``place`` in ``zone``."""
    tz = zone.key

    def local(value: Any) -> Any:
        # An aware datetime's calendar day is the office's, not UTC's.
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(zone)
        return value

    def place_date(value: Any, where: str | None = None) -> str:
        return formats.place_date(place if where is None else where, local(value))

    def mask(nik: Any) -> str:
        from egovctl.identity import mask_nik

        return "" if nik is None else mask_nik(str(nik))

    filters: dict[str, Callable[..., Any]] = {
        "long_date": lambda d: formats.long_date(local(d)),
        "letter_date": lambda d: formats.letter_date(local(d)),
        "short_date": lambda d: formats.short_date(local(d)),
        "place_date": place_date,
        "rupiah": formats.rupiah,
        "terbilang": formats.terbilang,
        "fee_text": formats.fee_text,
        "fee_label": formats.fee_label,
        "mask_nik": mask,
        "time_wib": lambda d, zone=tz: formats.time_wib(d, zone),
        "datetime_text": lambda d, zone=tz: formats.datetime_text(d, zone),
        "markdown": markdown_html,
        "qr_svg": qr_svg,
        "position_title": position_title,
        "hours_lines": hours_lines,
    }
    return {name: _strict(func) for name, func in filters.items()}


def _strict(func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that fails on an undefined value the way ``{{ x }}`` does.

    Jinja hands filters an Undefined object instead of raising; without this,
    ``{{ date|long_date }}`` with no ``date`` would report a type error instead of naming it.
    """
    from jinja2 import Undefined

    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, Undefined):
            str(value)  # StrictUndefined raises UndefinedError naming the variable
        return func(value, *args, **kwargs)

    checked.__name__ = getattr(func, "__name__", "filter")
    return checked


# -- positions ----------------------------------------------------------------------------------

# Units whose head has a title of their own kind ("Camat" of a Kecamatan, "Lurah" of a
# Kelurahan, "Bupati" of a Kabupaten, "Kepala Puskesmas" of a UPTD Puskesmas): such a title
# names the place rather than the unit, so "Camat Manggar" already says "Kecamatan Manggar".
_UNIT_KINDS = frozenset(
    {
        "kecamatan",
        "kelurahan",
        "desa",
        "kabupaten",
        "kota",
        "provinsi",
        "sekretariat",
        "inspektorat",
        "uptd",
        "upt",
    }
)


def hours_lines(agency: Any, pickup: bool = False) -> list[str]:
    """An agency's service hours as printed lines ("Senin-Kamis 08.00-15.30", ...); empty
    when it gives none. ``pickup`` leaves out the cut-off, which is for handing papers in."""
    from egovctl.catalogue.hours import ServiceHours

    mapping = (agency or {}).get("hours") if hasattr(agency or {}, "get") else None
    if not mapping:
        return []
    hours = ServiceHours.parse(mapping)
    if pickup:
        hours = ServiceHours(hours.days, hours.break_, None)
    return hours.lines()


def position_title(title: Any, unit: Any = None) -> str:
    """A head's position followed by the unit's name unless the title already names it.

    Words are compared without regard to case: "Kepala Dinas" + "Dinas Sosial" gives
    "Kepala Dinas Sosial" (the shared word once), "Kepala Dinas Sosial" + "dinas sosial" and
    "Camat Manggar" + "Kecamatan Manggar" give the title alone, "Kepala" + "Dinas Sosial"
    gives "Kepala Dinas Sosial". An empty title gives the unit's name.
    """
    title_text = " ".join(str(title or "").split())
    unit_text = " ".join(str(unit or "").split())
    if not title_text or not unit_text:
        return title_text or unit_text
    title_words = _comparable_words(title_text)
    unit_words = _comparable_words(unit_text)
    if _has_run(title_words, unit_words):
        return title_text
    if (
        len(unit_words) > 1
        and unit_words[0] in _UNIT_KINDS
        and _has_run(title_words, unit_words[1:])
    ):
        return title_text
    # "Kepala Dinas" + "Dinas Sosial": the title's last words start the unit's name.
    for overlap in range(min(len(title_words), len(unit_words)), 0, -1):
        if title_words[-overlap:] == unit_words[:overlap]:
            return " ".join([title_text, *unit_text.split()[overlap:]])
    return f"{title_text} {unit_text}"


def _comparable_words(text: str) -> list[str]:
    return [word.strip(".,;:").casefold() for word in text.split()]


def _has_run(words: list[str], run: list[str]) -> bool:
    """Whether ``run`` occurs in ``words`` as consecutive whole words."""
    size = len(run)
    return any(words[i : i + size] == run for i in range(len(words) - size + 1))


# -- Markdown -----------------------------------------------------------------------------------


def markdown_html(text: Any, images: Mapping[str, str] | None = None) -> Markup:
    """CommonMark (with tables) as safe HTML; raw HTML in the source comes out escaped.

    ``images`` maps an image source as the parser reads it (``foto.png``) to what the document
    embeds instead (a ``data:`` URI); other sources are left as written.
    """
    from markupsafe import Markup

    parser = markdown_parser()
    if not images:
        return Markup(parser.render(str(text)))
    tokens = parser.parse(str(text))
    for image in markdown_images(tokens):
        src = image.attrGet("src")
        if isinstance(src, str) and src in images:
            image.attrSet("src", images[src])
    return Markup(parser.renderer.render(tokens, parser.options, {}))


def markdown_images(tokens: list[Token]) -> list[Token]:
    """The image tokens of parsed Markdown (in paragraphs, tables, links, alt texts)."""
    found: list[Token] = []
    for token in tokens:
        if token.type == "image":
            found.append(token)
        if token.children:
            found.extend(markdown_images(token.children))
    return found


_MARKDOWN: MarkdownIt | None = None


def markdown_parser() -> MarkdownIt:
    """The one CommonMark parser of documents (tables on, raw HTML off)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
    return _MARKDOWN


# -- QR codes -----------------------------------------------------------------------------------


def qr_svg(data: Any, size: str = "30mm") -> Markup:
    """A QR code of ``data`` as inline SVG markup, ``size`` square (a CSS length)."""
    import segno
    from markupsafe import Markup

    if not _CSS_LENGTH.match(str(size)):
        raise ValueError(
            _("qr_svg size must be a length like 30mm, got {size}").format(size=repr(size))
        )
    # A 2-module quiet zone: the paper around it is white anyway and it saves space on 80 mm.
    svg = segno.make(str(data), error="m").svg_inline(border=2, omitsize=True, svgclass="qr")
    return Markup(svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1))
