"""Replacing a published folder atomically, and only one that egovctl made.

The new copy is written into a hidden sibling folder and swapped in with two renames; a
folder that exists and is not a previous egovctl output (it has files but no marker) is
refused rather than deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from egovctl.errors import EgovError, InvalidInput, NotFound

MARKER = ".egovctl-site"
KIND_LABELS = {
    "site": "website (egovctl publish site)",
    "open311": "Open311 export (egovctl export open311)",
}


def check_target(outdir: Path | str, kind: str) -> Path:
    """The folder to (re)write, refused if it holds anything egovctl did not put there."""
    given = Path(outdir).expanduser()
    # A symlinked document root keeps its link: the real folder behind it is swapped.
    path = given.resolve()
    if path.parent == path:
        raise InvalidInput(f"cannot publish to {given}: choose a folder, not the root")
    if path.exists() and not path.is_dir():
        raise InvalidInput(f"cannot publish to {given}: it is a file, not a folder")
    if path.is_dir():
        marker = path / MARKER
        if marker.is_file():
            found = _marker_kind(marker)
            if found != kind:
                raise InvalidInput(
                    f"{given} holds an egovctl {KIND_LABELS.get(found, found)}, not an "
                    f"{KIND_LABELS[kind]}; publish each into its own folder"
                )
        elif any(path.iterdir()):
            raise InvalidInput(
                f"{given} exists and was not made by egovctl (it has files but no {MARKER} "
                "file), so it is not replaced; choose a new or empty folder, or remove this "
                "one yourself"
            )
    if not path.parent.is_dir():
        raise NotFound(f"cannot publish to {given}: folder {path.parent} does not exist")
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
    was and removes the half-built one.
    """
    from egovctl import __version__

    parent = target.parent
    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.new-"))
    except OSError as exc:
        raise EgovError(f"cannot write in {parent}: {exc.strerror}") from None
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
                f"could not replace {target}: {exc.strerror or exc}; it is left "
                "as it was (is another publish running?)"
            ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
