"""Where the bundled catalogue and templates live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The bundled ``templates`` or ``procedures`` directory.

    A wheel ships them inside the package (``egovctl/_bundled/NAME``); an editable install
    or a source checkout uses the top-level folder of the repository.
    """
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def templates_dir() -> Path:
    return bundled_dir("templates")


def procedures_dir() -> Path:
    return bundled_dir("procedures")
