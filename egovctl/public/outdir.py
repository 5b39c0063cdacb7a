"""Replacing a published folder atomically, and only one that egovctl made.

The new copy is written into a hidden sibling folder and swapped in with two renames; a
folder that exists and is not a previous egovctl output (it has files but no marker) is
refused rather than deleted.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from egovctl.errors import EgovError, InvalidInput, NotFound
from egovctl.i18n import N_, _

MARKER = ".egovctl-site"
KIND_LABELS = {
    "site": N_("website (egovctl publish site)"),
    "open311": N_("Open311 export (egovctl export open311)"),
}


def check_target(outdir: Path | str, kind: str) -> Path:
    """The folder to (re)write, refused if it holds anything egovctl did not put there."""
    given = Path(outdir).expanduser()
    # A symlinked document root keeps its link: the real folder behind it is swapped.
    path = given.resolve()
    if path.parent == path:
        raise InvalidInput(
            _("cannot publish to {path}: choose a folder, not the root").format(path=given)
        )
    if path.exists() and not path.is_dir():
        raise InvalidInput(
            _("cannot publish to {path}: it is a file, not a folder").format(path=given)
        )
    if path.is_dir():
        marker = path / MARKER
        if marker.is_file():
            found = _marker_kind(marker)
            if found != kind:
                raise InvalidInput(
                    _(
                        "{path} holds an egovctl {found}, not an {kind}; publish each into its "
                        "own folder"
                    ).format(
                        path=given,
                        found=_(KIND_LABELS[found]) if found in KIND_LABELS else found,
                        kind=_(KIND_LABELS[kind]),
                    )
                )
        elif any(path.iterdir()):
            raise InvalidInput(
                _(
                    "{path} exists and was not made by egovctl (it has files but no {marker} "
                    "file), so it is not replaced; choose a new or empty folder, or remove this "
                    "one yourself"
                ).format(path=given, marker=MARKER)
            )
    if not path.parent.is_dir():
        raise NotFound(
            _("cannot publish to {path}: folder {parent} does not exist").format(
                path=given, parent=path.parent
            )
        )
    return path


def _marker_kind(marker: Path) -> str:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        return str(data.get("kind", "site")) if isinstance(data, dict) else "site"
    except (OSError, ValueError):
        return "site"  # an unreadable marker is still ours: the name is egovctl's


def replace_dir(
    target: Path, kind: str, build: Callable[[Path], None], generated_at: datetime
) -> None:
    """Build the new folder beside ``target`` and swap it in; the old one is deleted.

    Readers see the old folder or the new one, never a half-written one: between the two
    renames the path is briefly absent, never partial. A failure leaves the old folder as it
    was and removes the half-built one; a full disk or a read-only folder is one ``cannot
    write`` line, as ``fileio`` gives for a printed document. Folders that a killed publish
    left beside the target are removed first, unless another publish may still be building
    there.
    """
    from egovctl import __version__

    parent = target.parent
    with _sole_publisher(parent) as alone:
        if alone:
            remove_leftovers(target)
        try:
            tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.new-"))
        except OSError as exc:
            raise _write_error(exc, target, parent) from None
        old: Path | None = None
        try:
            build(tmp)
            (tmp / MARKER).write_text(
                json.dumps(
                    {
                        "generator": "egovctl",
                        "version": __version__,
                        "kind": kind,
                        "generated_at": generated_at.isoformat(timespec="seconds"),
                    },
                    indent=2,
                )
                + "\n",
                encoding="utf-8",
            )
            # mkdtemp makes the folder private; a web server must be able to read it.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o777 & ~umask)
            check_target(target, kind)  # it may have changed while we were building
            try:
                if target.exists():
                    old = parent / f".{target.name}.old-{uuid.uuid4().hex[:12]}"
                    os.rename(target, old)
                try:
                    os.rename(tmp, target)
                except OSError:
                    if old is not None:
                        os.rename(old, target)
                        old = None
                    raise
            except OSError as exc:
                raise EgovError(
                    _(
                        "could not replace {path}: {reason}; it is left "
                        "as it was (is another publish running?)"
                    ).format(path=target, reason=exc.strerror or exc)
                ) from None
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise _write_error(exc, target, tmp) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


# Errors that can only come from writing, whichever file the error names.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}


def _write_error(exc: OSError, target: Path, written_in: Path) -> EgovError:
    """One line for an OSError met while building ``target`` in ``written_in``: "cannot
    write" with the system's reason, or "cannot read" a source file (a logo, a template)."""
    why = exc.strerror or str(exc)
    names = [Path(os.fsdecode(n)) for n in (exc.filename, exc.filename2) if n is not None]
    if exc.errno in _WRITE_ERRNOS or not names or any(written_in in n.parents for n in names):
        if target.exists():
            said = _("cannot write {path}: {reason}; what was there is left as it was")
        else:
            said = _("cannot write {path}: {reason}")
        return EgovError(said.format(path=target, reason=why))
    return EgovError(_("cannot read {path}: {reason}").format(path=names[0], reason=why))


def leftover_pattern(target: Path) -> re.Pattern[str]:
    """The names ``replace_dir`` gives its hidden folders beside ``target``: the one being
    built (``tempfile.mkdtemp``'s eight characters) and the previous copy being swapped out."""
    return re.compile(rf"\.{re.escape(target.name)}\.(new-[a-z0-9_]{{8}}|old-[0-9a-f]{{12}})")


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the hidden folders a killed publish of ``target`` left beside it (a web server
    would serve them); only folders named as ``replace_dir`` names its own."""
    pattern = leftover_pattern(target)
    removed = []
    for entry in target.parent.iterdir():
        if pattern.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextmanager
def _sole_publisher(parent: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``parent`` while publishing into it, and say whether it was
    had: when another publish holds it, its half-built folder is not a leftover. Where
    folders cannot be locked (no ``fcntl``, or a file system without locks) nothing counts
    as a leftover."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield False
        return
    try:
        fd = os.open(parent, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
        else:
            yield True
    finally:
        os.close(fd)  # also releases the lock
