"""Image files put into documents (the office logo, pictures in an announcement).

An image is read and checked before anything is rendered and embedded as a ``data:`` URI, so
the PDF needs no file access at layout time, an HTML document carries its pictures with it, and
a file that is missing or is not the image its name says is a clear error instead of a
document printed with a hole and a warning.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from egovctl.i18n import N_, _

# The types WeasyPrint draws, by file name; each with what its first bytes must be.
IMAGE_TYPES = {
    ".png": ("image/png", "PNG"),
    ".jpg": ("image/jpeg", "JPEG"),
    ".jpeg": ("image/jpeg", "JPEG"),
    ".gif": ("image/gif", "GIF"),
    ".svg": ("image/svg+xml", "SVG"),
    ".webp": ("image/webp", "WebP"),
}
TYPE_NAMES = "PNG, JPEG, GIF, SVG or WebP"
# A photo from a phone is a few MB; anything much larger would only slow every print.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_SVG_ROOT = re.compile(rb"<svg[\s>]")


class ImageProblem(ValueError):
    """Why a file cannot be used as an image: a whole sentence (an English msgid) about
    ``{what}``, the file as the caller names it (``say``)."""

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def say(self, what: str) -> str:
        """The problem in the language of the terminal, about ``what`` (e.g. "logo file x")."""
        return _(self.message).format(what=what, **self.fields)


def image_data_uri(path: Path) -> str:
    """The image at ``path`` as a ``data:`` URI, or :class:`ImageProblem`."""
    try:
        exists, is_file = path.exists(), path.is_file()
    except (OSError, ValueError):  # a name too long, a NUL byte: no file is called that
        raise ImageProblem(N_("{what} is not a possible file name")) from None
    if not exists:
        raise ImageProblem(N_("{what} does not exist"))
    if not is_file:
        raise ImageProblem(N_("{what} is not a file"))
    suffix = path.suffix.lower()
    if suffix not in IMAGE_TYPES:
        if path.suffix:
            raise ImageProblem(
                N_("{what} is not an image ('{suffix}'); use {types}"),
                suffix=path.suffix,
                types=TYPE_NAMES,
            )
        raise ImageProblem(
            N_("{what} is not an image (no extension); use {types}"), types=TYPE_NAMES
        )
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise ImageProblem(
                N_("{what} is {size} MB; an image may have at most {limit} MB (make it smaller)"),
                size=f"{size / 1024 / 1024:.0f}",
                limit=MAX_IMAGE_BYTES // 1024 // 1024,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImageProblem(
            N_("{what} cannot be read: {problem}"), problem=exc.strerror or exc
        ) from None
    mime, name = IMAGE_TYPES[suffix]
    if not _looks_like(name, data):
        raise ImageProblem(N_("{what} is not a {kind} image"), kind=name)
    if name != "SVG" and not _decodes(data):
        raise ImageProblem(N_("{what} is a damaged {kind} image; save it again"), kind=name)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _looks_like(name: str, data: bytes) -> bool:
    if name == "PNG":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if name == "JPEG":
        return data.startswith(b"\xff\xd8\xff")
    if name == "GIF":
        return data[:6] in (b"GIF87a", b"GIF89a")
    if name == "WebP":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return _SVG_ROOT.search(data[:65536]) is not None


def _decodes(data: bytes) -> bool:
    """Whether Pillow, which WeasyPrint draws raster images with, can read the file."""
    import io

    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - WeasyPrint depends on Pillow
        return True
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # Pillow signals a bad file with many types (even SyntaxError)
        return False
    return True
