"""PDF layout with WeasyPrint: page numbers, the thermal roll, local files only, fast import.

A document that comes out longer than one page is laid out again with "Halaman X dari Y" in the
bottom margin (margin boxes do not move the content, so the second layout only adds the
numbers). A template with ``<meta name="egovctl-paper" content="roll">`` (the 80 mm receipt) is
printed on a tall page which is then cut to the height of its content, as a thermal printer's
roll would be. What WeasyPrint complains about (unsupported CSS, an image it could not load) is
collected for the caller instead of going to stderr.
"""

from __future__ import annotations

import logging
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

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


def layout(
    html: str,
    base_dir: Path,
    roots: list[Path],
    anchors: dict[str, tuple[float, float, float, float]] | None = None,
) -> bytes:
    """Lay out rendered HTML as PDF bytes; relative URLs resolve against ``base_dir`` and
    only files under ``roots`` (and ``data:`` URIs) may be loaded.

    ``anchors``, when given, receives the boxes of the elements with an ``id`` on the last
    page as ``{id: (x1, y1, x2, y2)}`` in PDF points from the page's bottom left (where the
    signature field goes over the stamp)."""
    weasyprint = import_weasyprint()

    document = weasyprint.HTML(
        string=html,
        base_url=base_dir.resolve().as_uri() + "/",
        url_fetcher=_local_url_fetcher(roots),
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
    if anchors is not None and rendered.pages:
        last = rendered.pages[-1]
        height_pt = last.height * _PT_PER_PX
        for name, (x1, y1, x2, y2) in last.anchors.items():
            anchors[name] = (
                x1 * _PT_PER_PX,
                height_pt - y2 * _PT_PER_PX,
                x2 * _PT_PER_PX,
                height_pt - y1 * _PT_PER_PX,
            )
    pdf: bytes = rendered.write_pdf()
    return pdf


_MM_PER_PX = 25.4 / 96
_PT_PER_PX = 72 / 96
# Messages about the installation, not the document (a missing optional system library).
_LAYOUT_NOISE = ("HarfBuzz-Subset",)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not any(noise in message for noise in _LAYOUT_NOISE):
            self.sink.append(_readable(message))


_DATA_URI = re.compile(r"'data:([^;,']*)[^']*'")


def _readable(message: str) -> str:
    """A layout message fit for one terminal line: an embedded image is named by its type,
    not by a megabyte of base64, and a failure WeasyPrint gives no reason for gets one."""
    message = _DATA_URI.sub(lambda m: f"an embedded {m[1] or 'data'} file", message).strip()
    if message.endswith(":"):
        message += " it is damaged or not in a format WeasyPrint can read"
    return message


@contextmanager
def captured_layout_messages(sink: list[str]) -> Iterator[None]:
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
def fewer_collections() -> Iterator[None]:
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
    with fewer_collections():
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
