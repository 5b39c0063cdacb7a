"""Writing output files so that a failure never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from egovctl.errors import EgovError
from egovctl.i18n import _


def write_bytes_atomic(path: Path, data: bytes, *, force: bool = True) -> Path:
    path = Path(path)
    if path.is_dir():
        raise EgovError(
            _("cannot write {path}: it is a directory; give a file name").format(path=path)
        )
    if path.exists() and not force:
        raise EgovError(_("{path} already exists; use --force to overwrite it").format(path=path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        if directory.exists():
            said = _("cannot write {path}: {directory} is not a directory")
        else:
            said = _("cannot write {path}: {directory} does not exist")
        raise EgovError(said.format(path=path, directory=directory))
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise EgovError(
            _("cannot write {path}: {reason}; choose another place").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private; an output file gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise EgovError(
            _("cannot write {path}: {reason}; choose another place").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str, *, force: bool = True) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"), force=force)
