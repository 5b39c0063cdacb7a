"""Printed documents: Jinja templates rendered to HTML, and to PDF with WeasyPrint (SPEC §6).

The templates live in the bundled ``templates/`` folder; an office may put files of the same
name in its own templates directory (``templates`` in the config) to override them one by one.
A template only ever sees plain dicts, lists, dates and strings, so this module knows nothing
about the database; the caller builds the context.

Public API
----------
``Renderer(templates_dir=None, office=None, timezone=None)``
    ``render_html(template, context) -> str``
    ``write(template, context, output, *, force=False) -> Path`` (``.pdf`` or ``.html``)
    ``list_templates() -> list[TemplateInfo]`` (``name, source, path``; source ``"bundled"``
    or ``"kantor"`` for the office's own file)
    ``pdf_bytes(html) -> bytes``; afterwards ``layout_warnings`` holds what WeasyPrint
    complained about (unsupported CSS, a refused image), for the CLI to show as warnings.
``template`` is a file name (``"receipt.html.j2"``) or its stem (``"receipt"``).
Errors (all ``EgovError``): ``DocumentTemplateError`` (an ``InvalidInput``: syntax error with
file and line, sandbox violation, undefined value, misused filter), ``NotFound`` (template,
logo file, output directory), ``InvalidInput`` (output extension), ``OutputExists`` (no
``--force``), ``ConfigError`` (templates dir, timezone, logo type).

Partials shared by the documents, overridable like the rest: ``_macros.html.j2`` (signature
block, requirement line, "3 (tiga) hari kerja") and ``_standard.html.j2`` (the standard
sheet's body, used by both ``standard`` and ``catalogue``).

Sandbox
-------
Every template runs in one ``ImmutableSandboxedEnvironment``, bundled ones included. Office
templates are written by clerks and must not reach Python internals
(``{{ ''.__class__.__mro__ }}``); one environment keeps a single loader, so an office
template can ``{% extends "base.html.j2" %}`` and an office ``base.html.j2`` restyles every
bundled document, which two environments (trusted + sandboxed) could not do without
duplicating the search path and the cache. The bundled templates need nothing the sandbox
forbids, and the sandbox's cost (an attribute check per lookup) is invisible next to PDF layout.

Globals in every template
-------------------------
``office``  {government, name, address, place, logo, timezone}: ``logo`` is a ``data:`` URI
            (or None), so WeasyPrint needs no file access; a configured logo that does not
            exist is an error naming the path.
``today``   the office's calendar day (date); ``now`` an aware datetime in the office's zone.
Both may be overridden by the context (tests do, for reproducible output).

Filters: ``long_date``, ``letter_date``, ``short_date`` ("30 Nov 2026", for narrow table
columns), ``place_date`` (``d|place_date`` uses office.place), ``rupiah``, ``terbilang``,
``fee_text``, ``mask_nik``, ``time_wib``, ``datetime_text``, ``markdown`` (CommonMark + tables,
raw HTML escaped), ``qr_svg`` (inline SVG, ``size="30mm"``), ``position_title``
(``title|position_title(unit)``: a head's position with the unit's name, never twice).
Aware datetimes are shown in the office's timezone.

Context of each bundled template (plain dicts; "?" marks a key that may be absent or None)
----------------------------------------------------------------------------------------
``receipt.html.j2`` — bukti pendaftaran::

    {"request": {"reg_no": str, "received_at": aware datetime, "due_date": date,
                 "sla_days": int, "status": str,
                 "applicant": {"name": str, "nik": str, "phone": str?, "address": str?},
                 "procedure": {"code": str, "name": str, "version": int},
                 "agency": {"code": str, "name": str},
                 "requirements": [{"name": str, "copies": int?, "optional": bool?,
                                   "note": str?}],
                 "officer": {"name": str, "username": str}},
     "paper": "a5" | "80mm"}            # paper? defaults to "a5"

``standard.html.j2`` — one standar pelayanan sheet::

    {"procedure": PROCEDURE, "agency": AGENCY}

    PROCEDURE = {"code": str, "name": str, "category": str?, "description": str?,
                 "legal_basis": [str], "requirements": [{"name", "copies"?, "optional"?,
                 "note"?} | str], "steps": [{"name": str, "actor": str?, "days": int?}],
                 "sla_days": int, "fee": int, "fee_basis": str?, "product": str,
                 "complaints": str?, "service_hours": str? ("; " separates lines),
                 "version": int}
    AGENCY = {"code": str, "name": str, "address": str?, "phone": str?,
              "head": {"name": str, "nip": str?, "title": str}?}

``catalogue.html.j2`` — booklet of standards::

    {"agency": AGENCY | None,           # None: the whole office, grouped by agency
     "procedures": [PROCEDURE + {"agency": AGENCY}],
     "year": int?}                      # defaults to today's year

``maklumat.html.j2`` — service pledge: ``{"agency": AGENCY, "date": date}``

``announcement.html.j2`` — pengumuman::

    {"title": str, "number": str?, "body_markdown": str,
     "signer": {"name": str, "title": str, "nip": str?, "unit": str?}?, "date": date}
    # title may be empty (a staff member): the position line is then left out

``ready_list.html.j2`` — documents ready for pickup::

    {"agency": AGENCY | None,
     "rows": [{"reg_no": str, "name": str, "nik": str, "procedure": str,
               "ready_at": date | datetime}],
     "generated_at": aware datetime}

Page layout
-----------
Templates set the paper with CSS ``@page`` (A4 by default, A5 receipt). A document that comes
out longer than one page is laid out again with "Halaman X dari Y" in the bottom margin
(margin boxes do not move the content, so the second layout only adds the numbers). A template
with ``<meta name="egovctl-paper" content="roll">`` (the 80 mm receipt) is printed on a tall
page which is then cut to the height of its content, as a thermal printer's roll would be.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import mimetypes
import re
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from egovctl import formats
from egovctl.errors import ConfigError, EgovError, InvalidInput, NotFound

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_SUFFIX = ".html.j2"
OUTPUT_FORMATS = (".pdf", ".html")
ROLL_MARKER = re.compile(r"<meta\s+name=[\"']egovctl-paper[\"']\s+content=[\"']roll[\"']", re.I)
# Documents that are usually longer than a page say so, and get page numbers in the first
# (and only) layout pass instead of a second one: layout is most of the time of a long list.
NUMBERED_MARKER = re.compile(
    r"<meta\s+name=[\"']egovctl-pages[\"']\s+content=[\"']numbered[\"']", re.I
)
# Author stylesheets are the templates'; this one is a user stylesheet, so a template that
# styles its own page numbers (or hides them on a cover with a named page) wins.
PAGE_NUMBERS_CSS = """
@page {
  @bottom-right {
    content: "Halaman " counter(page) " dari " counter(pages);
    font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
    font-size: 8pt;
    color: #333;
  }
}
"""
_LOGO_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")
_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


class DocumentTemplateError(InvalidInput):
    """A template could not be compiled or rendered (syntax, sandbox, undefined value)."""


class OutputExists(EgovError):
    """The output file exists and ``--force`` was not given."""


class TemplateInfo(NamedTuple):
    name: str
    source: str  # "bundled" or "kantor" (the office's own templates directory)
    path: Path


class Renderer:
    """Renders the bundled and the office's templates to HTML or PDF."""

    def __init__(
        self,
        templates_dir: Path | str | None = None,
        office: Mapping[str, Any] | None = None,
        timezone: str | None = None,
    ) -> None:
        from egovctl.config import Office
        from egovctl.resources import templates_dir as bundled_templates_dir

        self.bundled_dir = bundled_templates_dir()
        self.office_dir = Path(templates_dir) if templates_dir else None
        if self.office_dir is not None and not self.office_dir.is_dir():
            raise ConfigError(
                f"templates directory {self.office_dir} does not exist (config key 'templates')"
            )
        # Missing keys fall back to the config defaults, so a partial dict still prints.
        self.office: dict[str, Any] = {**Office().as_dict(), **(office or {})}
        self.timezone = timezone or self.office.get("timezone") or formats.DEFAULT_TIMEZONE
        try:
            self._zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"unknown timezone '{self.timezone}'; use e.g. Asia/Jakarta"
            ) from None
        self.office["timezone"] = self.timezone
        self._env: Environment | None = None
        self._office_globals: dict[str, Any] | None = None
        # What WeasyPrint complained about in the last PDF (unsupported CSS, an image it could
        # not load): the CLI may show these; by default they would go straight to stderr.
        self.layout_warnings: list[str] = []

    # -- public API ---------------------------------------------------------------------------

    def list_templates(self) -> list[TemplateInfo]:
        """Every template by name, the office's own file replacing a bundled one of that name."""
        found: dict[str, TemplateInfo] = {}
        for source, directory in (("bundled", self.bundled_dir), ("kantor", self.office_dir)):
            if directory is None:
                continue
            for path in directory.glob("*.j2"):
                found[path.name] = TemplateInfo(path.name, source, path)
        return sorted(found.values())

    def render_html(self, template: str, context: Mapping[str, Any]) -> str:
        """The template rendered with ``context`` (over the globals) as an HTML string."""
        from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
        from jinja2.sandbox import SecurityError

        name = template_name(template)
        env = self._environment()
        try:
            return env.get_template(name).render({**self._render_globals(), **context})
        except TemplateNotFound as exc:
            raise NotFound(f"template '{exc.name}' not found in {self._search_text()}") from None
        except TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise DocumentTemplateError(
                f"template {where}, line {exc.lineno}: syntax error: {exc.message}"
            ) from None
        except SecurityError as exc:
            raise DocumentTemplateError(
                f"template {self._where(exc, name)} tried to access {_describe_unsafe(exc)}, "
                "which is not allowed in templates"
            ) from None
        except UndefinedError as exc:
            raise DocumentTemplateError(
                f"template {self._where(exc, name)} uses an undefined value: {exc.message}"
            ) from None
        except TemplateError as exc:
            raise DocumentTemplateError(f"template {self._where(exc, name)}: {exc}") from None
        except (TypeError, ValueError) as exc:
            # A filter given the wrong kind of value by a template (e.g. ``"abc"|terbilang``)
            # is the template's mistake; anything not raised from template code is our bug.
            location = _template_frame(exc)
            if location is None:
                raise
            raise DocumentTemplateError(
                f"template {location[0]}, line {location[1]}: {exc}"
            ) from None

    def write(
        self,
        template: str,
        context: Mapping[str, Any],
        output: Path | str,
        *,
        force: bool = False,
    ) -> Path:
        """Render to ``output`` as PDF or HTML (by its extension); returns the path.

        An existing file is kept unless ``force``; the file is written to a temporary name and
        renamed, so a failure never leaves a partial document behind.
        """
        from egovctl.fileio import write_bytes_atomic

        output = Path(output)
        suffix = output.suffix.lower()
        if suffix not in OUTPUT_FORMATS:
            allowed = " or ".join(OUTPUT_FORMATS)
            if not str(output).strip() or str(output) == ".":
                raise InvalidInput("-o is empty; give a file name such as hasil.pdf")
            what = f"extension '{output.suffix}'" if output.suffix else "no extension"
            raise InvalidInput(f"cannot write {output}: {what}; use {allowed}")
        if output.is_dir():
            raise InvalidInput(f"cannot write {output}: it is a directory")
        directory = output.parent
        if not directory.is_dir():
            raise NotFound(f"cannot write {output}: directory {directory} does not exist")
        # Checked before rendering too, so a refusal costs no PDF layout.
        if output.exists() and not force:
            raise OutputExists(f"{output} already exists; use --force to overwrite it")
        html = self.render_html(template, context)
        data = self.pdf_bytes(html) if suffix == ".pdf" else html.encode("utf-8")
        return write_bytes_atomic(output, data, force=force)

    def pdf_bytes(self, html: str) -> bytes:
        """Lay out rendered HTML as a PDF (numbered pages when longer than one)."""
        self.layout_warnings = []
        with _captured_layout_messages(self.layout_warnings), _fewer_collections():
            return self._layout(html)

    def _layout(self, html: str) -> bytes:
        weasyprint = import_weasyprint()

        base = self.office_dir or self.bundled_dir
        document = weasyprint.HTML(
            string=html,
            base_url=base.resolve().as_uri() + "/",
            url_fetcher=_local_url_fetcher(self._allowed_roots()),
        )
        numbered = bool(NUMBERED_MARKER.search(html))
        stylesheets: list[Any] = [weasyprint.CSS(string=PAGE_NUMBERS_CSS)] if numbered else []
        rendered = document.render(stylesheets=stylesheets)
        if ROLL_MARKER.search(html) and len(rendered.pages) == 1:
            height = _content_height_mm(rendered.pages[0])
            if height is not None:
                width_mm = rendered.pages[0].width * _MM_PER_PX
                stylesheets.append(
                    weasyprint.CSS(
                        string=f"@page {{ size: {width_mm:.2f}mm {height:.1f}mm !important; }}"
                    )
                )
                rendered = document.render(stylesheets=stylesheets)
        if len(rendered.pages) > 1 and not numbered:
            stylesheets.append(weasyprint.CSS(string=PAGE_NUMBERS_CSS))
            rendered = document.render(stylesheets=stylesheets)
        return rendered.write_pdf()

    # -- environment ----------------------------------------------------------------------------

    def _environment(self) -> Environment:
        if self._env is not None:
            return self._env
        from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        search = [str(d) for d in (self.office_dir, self.bundled_dir) if d is not None]
        env = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader(search),
            autoescape=select_autoescape(("html", "htm", "xml", "j2"), default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(self._filters())
        self._env = env
        return env

    def _filters(self) -> dict[str, Callable[..., Any]]:
        tz = self.timezone

        def local(value: Any) -> Any:
            # An aware datetime's calendar day is the office's, not UTC's.
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                return value.astimezone(self._zone)
            return value

        def place_date(value: Any, place: str | None = None) -> str:
            where = self.office["place"] if place is None else place
            return formats.place_date(where, local(value))

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
            "mask_nik": mask,
            "time_wib": lambda d, zone=tz: formats.time_wib(d, zone),
            "datetime_text": lambda d, zone=tz: formats.datetime_text(d, zone),
            "markdown": markdown_html,
            "qr_svg": qr_svg,
            "position_title": position_title,
        }
        return {name: _strict(func) for name, func in filters.items()}

    def _render_globals(self) -> dict[str, Any]:
        if self._office_globals is None:
            office = dict(self.office)
            office["logo"] = _logo_uri(office.get("logo"))
            self._office_globals = office
        now = dt.datetime.now(self._zone)
        return {"office": self._office_globals, "now": now, "today": now.date()}

    def _allowed_roots(self) -> list[Path]:
        return [d.resolve() for d in (self.office_dir, self.bundled_dir) if d is not None]

    def _search_text(self) -> str:
        dirs = [str(d) for d in (self.office_dir, self.bundled_dir) if d is not None]
        return " or ".join(dirs)

    def _where(self, exc: BaseException, name: str) -> str:
        location = _template_frame(exc)
        if location is None:
            return name
        return f"{location[0]}, line {location[1]}"


# -- helpers (module level: usable without a Renderer) --------------------------------------------


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


def template_name(template: str) -> str:
    """``"receipt"`` → ``"receipt.html.j2"``; a full file name is kept."""
    return template if template.endswith(".j2") else template + TEMPLATE_SUFFIX


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


def markdown_html(text: Any) -> Any:
    """CommonMark (with tables) as safe HTML; raw HTML in the source comes out escaped."""
    from markupsafe import Markup

    return Markup(_markdown().render(str(text)))


_MARKDOWN: Any = None


def _markdown() -> Any:
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
    return _MARKDOWN


def qr_svg(data: Any, size: str = "30mm") -> Any:
    """A QR code of ``data`` as inline SVG markup, ``size`` square (a CSS length)."""
    import segno
    from markupsafe import Markup

    if not _CSS_LENGTH.match(str(size)):
        raise ValueError(f"qr_svg size must be a length like 30mm, got {size!r}")
    # A 2-module quiet zone: the paper around it is white anyway and it saves space on 80 mm.
    svg = segno.make(str(data), error="m").svg_inline(border=2, omitsize=True, svgclass="qr")
    return Markup(svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1))


def _logo_uri(logo: Any) -> str | None:
    """The logo file as a ``data:`` URI, so the PDF needs no file access at layout time."""
    if not logo:
        return None
    path = Path(logo)
    if not path.is_file():
        raise NotFound(f"logo file {path} does not exist (config [office] logo)")
    suffix = path.suffix.lower()
    if suffix not in _LOGO_TYPES:
        raise ConfigError(
            f"logo file {path}: unsupported type '{suffix}'; use PNG, JPEG, GIF, SVG or WebP"
        )
    mime = "image/svg+xml" if suffix == ".svg" else mimetypes.types_map.get(suffix, "image/png")
    if suffix == ".webp":
        mime = "image/webp"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in ``exc``'s traceback (Jinja rewrites frames)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") or frame.filename == "<template>":
            return frame.filename, frame.lineno or 0
    return None


def _describe_unsafe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    match = _UNSAFE_ATTRIBUTE.search(message)
    if match:
        return f"attribute '{match[1]}' of a '{match[2]}' object"
    return message.rstrip(".")


_MM_PER_PX = 25.4 / 96
# Messages about the installation, not the document (a missing optional system library).
_LAYOUT_NOISE = ("HarfBuzz-Subset",)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not any(noise in message for noise in _LAYOUT_NOISE):
            self.sink.append(message)


@contextmanager
def _captured_layout_messages(sink: list[str]) -> Iterator[None]:
    """Collect WeasyPrint's warnings instead of letting logging print them on stderr."""
    logger = logging.getLogger("weasyprint")
    handler = _ListHandler(sink)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message=".*HarfBuzz-Subset", category=DeprecationWarning
            )
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


# Generation thresholds while a PDF is laid out. WeasyPrint builds hundreds of thousands of
# boxes, styles and text runs that live until the PDF is written; with CPython's defaults
# (700, 10, 10) the collector walks them over and over (seven full collections for the
# 500-row ready list) and finds next to nothing to free: 15-20 % of the layout time.
_LAYOUT_GC_THRESHOLDS = (10_000, 50, 50)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often during layout; the previous thresholds come back after."""
    import gc

    previous = gc.get_threshold()
    if previous[0] > 0:  # 0: automatic collection is off, and stays off
        gc.set_threshold(*(max(a, b) for a, b in zip(previous, _LAYOUT_GC_THRESHOLDS, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _content_height_mm(page: Any) -> float | None:
    """How tall a roll page must be to hold its content, or None if it cannot be told.

    Uses WeasyPrint's laid-out box tree (not public API); when that changes the receipt
    simply keeps its tall page.
    """
    try:
        page_box = page._page_box
        root = page_box.children[0]
        bottom = root.position_y + root.margin_height()
        margin_bottom = page_box.margin_bottom
    except (AttributeError, IndexError, TypeError):
        return None
    # A few mm of slack so rounding never pushes the last line onto a second page.
    return (bottom + margin_bottom) * _MM_PER_PX + 3


def _local_url_fetcher(roots: list[Path]) -> Any:
    """A WeasyPrint URL fetcher for ``data:`` URIs and files inside the template directories.

    Printing must not hang on the network or let a template pull in arbitrary local files
    (WeasyPrint can embed attachments).
    """
    weasyprint = import_weasyprint()

    def check(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in roots):
                return
        raise ValueError(f"templates may only use files in the templates directory: {url}")

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint >= 68

        class LocalFetcher(weasyprint.URLFetcher):  # type: ignore[misc, name-defined]
            def fetch(self, url: str, headers: Any = None) -> Any:
                check(url)
                return super().fetch(url, headers)

        return LocalFetcher()

    def fetcher(url: str) -> Any:
        check(url)
        return weasyprint.default_url_fetcher(url)

    return fetcher


# -- importing WeasyPrint ---------------------------------------------------------------------


def import_weasyprint() -> Any:
    """The ``weasyprint`` module, imported without a search for its libraries where possible.

    WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying several
    names per library (Windows, macOS and Linux spellings). Each name that is not a loadable
    file makes cffi call ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p``,
    ``gcc`` and ``ld``: some 200 processes and 0.2 s of every print, which is more than the
    layout of a one-page document. The Linux sonames in WeasyPrint's list
    (``libpango-1.0.so.0``) load directly, so the first attempt runs with a ``find_library``
    that finds nothing; only if that import fails (libraries outside the loader's search
    path, found by ``gcc`` or ``LIBRARY_PATH``) is it repeated with the real search.

    The import parses WeasyPrint's user-agent stylesheets and cffi declarations into many
    small objects, so it too runs with the layout's garbage-collection thresholds.
    """
    with _fewer_collections():
        return import_native("weasyprint")


def import_native(name: str) -> Any:
    """Import a module that loads C libraries by name with cffi (see ``import_weasyprint``)."""
    import importlib

    module = sys.modules.get(name)
    if module is not None:
        return module
    if sys.platform.startswith("linux"):
        try:
            return _import_without_library_search(name)
        except OSError:
            pass
    return importlib.import_module(name)


def _import_without_library_search(name: str) -> Any:
    """Import ``name`` with ``ctypes.util.find_library`` finding nothing.

    On failure the modules the attempt left behind are dropped, so that a second, ordinary
    import starts afresh, and what the failed attempt printed (WeasyPrint prints its
    installation help to stdout before raising) is discarded.
    """
    import ctypes.util
    import importlib
    import io
    from contextlib import redirect_stdout

    before = set(sys.modules)
    real = ctypes.util.find_library
    ctypes.util.find_library = _find_no_library
    try:
        with redirect_stdout(io.StringIO()):
            return importlib.import_module(name)
    except OSError:
        for added in set(sys.modules) - before:
            if added == name or added.startswith(name + "."):
                del sys.modules[added]
        raise
    finally:
        ctypes.util.find_library = real


def _find_no_library(name: str) -> None:
    return None
