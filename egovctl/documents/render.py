"""Printed documents: Jinja templates rendered to HTML, and to PDF (docs/printing.md).

The templates live in the bundled ``templates/`` folder; an office may put files of the same
name in its own templates directory (``templates`` in the config) to override them one by one.
A template only ever sees plain dicts, lists, dates and strings, so this module knows nothing
about the database; the caller builds the context. What each template receives, the globals
and the filters: ``templates/README.md``.

``Renderer.write`` renders to ``.pdf`` or ``.html`` by the output's extension, written to a
temporary name and renamed, so a failure never leaves a partial document. Errors are all
``EgovError``: ``DocumentTemplateError`` (syntax error with file and line, sandbox violation,
undefined value, misused filter), ``NotFound`` (template, logo, output directory),
``InvalidInput`` (output extension), ``OutputExists`` (no ``--force``), ``ConfigError``
(templates dir, timezone, logo type).

Every template runs in one ``ImmutableSandboxedEnvironment``, bundled ones included. Office
templates are written by clerks and must not reach Python internals
(``{{ ''.__class__.__mro__ }}``); one environment keeps a single loader, so an office
template can ``{% extends "base.html.j2" %}`` and an office ``base.html.j2`` restyles every
bundled document, which two environments (trusted + sandboxed) could not do without
duplicating the search path and the cache. The bundled templates need nothing the sandbox
forbids, and the sandbox's cost (an attribute check per lookup) is invisible next to PDF layout.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from egovctl import formats
from egovctl.documents.filters import document_filters
from egovctl.errors import ConfigError, EgovError, InvalidInput, NotFound
from egovctl.i18n import _
from egovctl.timeutil import now_utc

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_SUFFIX = ".html.j2"
OUTPUT_FORMATS = (".pdf", ".html")
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
                _("templates directory {path} does not exist (config key 'templates')").format(
                    path=self.office_dir
                )
            )
        # Missing keys fall back to the config defaults, so a partial dict still prints.
        self.office: dict[str, Any] = {**Office().as_dict(), **(office or {})}
        self.timezone = timezone or self.office.get("timezone") or formats.DEFAULT_TIMEZONE
        try:
            self._zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                _("unknown timezone '{zone}'; use e.g. Asia/Jakarta").format(zone=self.timezone)
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
            raise NotFound(
                _("template '{name}' not found in {where}").format(
                    name=exc.name, where=self._search_text()
                )
            ) from None
        except TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise DocumentTemplateError(
                _("template {where}, line {line}: syntax error: {problem}").format(
                    where=where, line=exc.lineno, problem=exc.message
                )
            ) from None
        except SecurityError as exc:
            raise DocumentTemplateError(
                _(
                    "template {where} tried to access {what}, which is not allowed in templates"
                ).format(where=self._where(exc, name), what=_describe_unsafe(exc))
            ) from None
        except UndefinedError as exc:
            raise DocumentTemplateError(
                _("template {where} uses an undefined value: {problem}").format(
                    where=self._where(exc, name), problem=exc.message
                )
            ) from None
        except TemplateError as exc:
            raise DocumentTemplateError(
                _("template {where}: {problem}").format(where=self._where(exc, name), problem=exc)
            ) from None
        except (TypeError, ValueError, OverflowError, RecursionError) as exc:
            # A filter given the wrong kind of value by a template (e.g. ``"abc"|terbilang``),
            # a sandbox limit or a macro calling itself is the template's mistake; anything not
            # raised from template code is our bug.
            location = _template_frame(exc)
            if location is None:
                raise
            raise DocumentTemplateError(
                _("template {where}, line {line}: {problem}").format(
                    where=location[0], line=location[1], problem=_template_problem(exc)
                )
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
            if not str(output).strip() or str(output) == ".":
                raise InvalidInput(_("-o is empty; give a file name such as hasil.pdf"))
            if output.suffix:
                raise InvalidInput(
                    _("cannot write {output}: extension '{suffix}'; use .pdf or .html").format(
                        output=output, suffix=output.suffix
                    )
                )
            raise InvalidInput(
                _("cannot write {output}: no extension; use .pdf or .html").format(output=output)
            )
        if output.is_dir():
            raise InvalidInput(_("cannot write {output}: it is a directory").format(output=output))
        directory = output.parent
        if not directory.is_dir():
            raise NotFound(
                _("cannot write {output}: directory {directory} does not exist").format(
                    output=output, directory=directory
                )
            )
        # Checked before rendering too, so a refusal costs no PDF layout.
        if output.exists() and not force:
            raise OutputExists(
                _("{output} already exists; use --force to overwrite it").format(output=output)
            )
        html = self.render_html(template, context)
        data = self.pdf_bytes(html) if suffix == ".pdf" else html.encode("utf-8")
        return write_bytes_atomic(output, data, force=force)

    def pdf_bytes(self, html: str) -> bytes:
        """Lay out rendered HTML as a PDF (numbered pages when longer than one)."""
        from egovctl.documents.pdf import captured_layout_messages, fewer_collections

        self.layout_warnings = []
        with captured_layout_messages(self.layout_warnings), fewer_collections():
            return self._layout(html)

    def _layout(self, html: str) -> bytes:
        from egovctl.documents.pdf import layout

        return layout(html, self.office_dir or self.bundled_dir, self._allowed_roots())

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
        env.filters.update(document_filters(self.office["place"], self._zone))
        self._env = env
        return env

    def _render_globals(self) -> dict[str, Any]:
        if self._office_globals is None:
            office = dict(self.office)
            office["logo"] = _logo_uri(office.get("logo"))
            self._office_globals = office
        now = now_utc().astimezone(self._zone)
        return {"office": self._office_globals, "now": now, "today": now.date()}

    def _allowed_roots(self) -> list[Path]:
        return [d.resolve() for d in (self.office_dir, self.bundled_dir) if d is not None]

    def _search_text(self) -> str:
        dirs = [str(d) for d in (self.office_dir, self.bundled_dir) if d is not None]
        if len(dirs) == 2:
            return _("{first} or {second}").format(first=dirs[0], second=dirs[1])
        return dirs[0]

    def _where(self, exc: BaseException, name: str) -> str:
        location = _template_frame(exc)
        if location is None:
            return name
        return _("{file}, line {line}").format(file=location[0], line=location[1])


# -- helpers (module level: usable without a Renderer) --------------------------------------------


def template_name(template: str) -> str:
    """``"receipt"`` → ``"receipt.html.j2"``; a full file name is kept."""
    return template if template.endswith(".j2") else template + TEMPLATE_SUFFIX


def _logo_uri(logo: Any) -> str | None:
    """The logo file as a ``data:`` URI, so the PDF needs no file access at layout time."""
    from egovctl.documents.images import ImageProblem, image_data_uri

    if not logo:
        return None
    path = Path(logo)
    try:
        return image_data_uri(path)
    except ImageProblem as exc:
        error = NotFound if not path.exists() else ConfigError
        what = _("logo file {path}").format(path=path)
        raise error(_("{problem} (config [office] logo)").format(problem=exc.say(what))) from None


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in ``exc``'s traceback (Jinja rewrites frames)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") or frame.filename == "<template>":
            return frame.filename, frame.lineno or 0
    return None


def _template_problem(exc: BaseException) -> str:
    from jinja2.sandbox import MAX_RANGE

    if isinstance(exc, RecursionError):
        return _("a macro or include calls itself without end")
    if isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        return _("range too big; a template may use a range of at most {n} numbers").format(
            n=MAX_RANGE
        )
    return str(exc)


def _describe_unsafe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    match = _UNSAFE_ATTRIBUTE.search(message)
    if match:
        return _("attribute '{name}' of a '{kind}' object").format(name=match[1], kind=match[2])
    return message.rstrip(".")
