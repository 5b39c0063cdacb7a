"""Printing helpers shared by the commands: rich tables, JSON and CSV on stdout."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any


class _LazyConsole:
    """A rich Console created on first use: commands that only print JSON never load it."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def real(self) -> Any:
        if self._console is None:
            from rich.console import Console

            # No markup or emoji codes in what we print: names, notes and file names are
            # shown exactly as typed ("[Ahmad]" is a name, not a style). Styled text is made
            # explicitly with styled() or Text.
            self._console = Console(highlight=False, markup=False, emoji=False, **self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    # `with console:` (rich progress bars use it) does not go through __getattr__.
    def __enter__(self) -> Any:
        return self.real().__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self.real().__exit__(*exc)


console: Any = _LazyConsole()
err_console: Any = _LazyConsole(stderr=True)


def styled(*parts: str | tuple[str, str]) -> Any:
    """Rich text from plain parts and ``(text, style)`` parts, none of it read as markup."""
    from rich.text import Text

    return Text.assemble(*parts)


def say(*parts: str | tuple[str, str]) -> None:
    """One line on stdout. A ``(text, colour)`` part is bold and coloured on a terminal.

    For the one-line confirmations of the counter's commands: Click's styling, which Typer
    already loaded, spares the counter's most frequent commands Rich's imports; and no Rich
    markup, so a ``[...]`` in a name is printed as typed.
    """
    import typer

    plain = "NO_COLOR" in os.environ
    typer.echo(
        "".join(
            part
            if isinstance(part, str)
            else part[0]
            if plain
            else typer.style(part[0], fg=part[1], bold=True)
            for part in parts
        )
    )


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def emit_json(data: Any) -> None:
    """One JSON document on stdout, nothing else; messages in it in English whatever the
    terminal speaks (``i18n.Said``)."""
    from egovctl.i18n import english

    sys.stdout.write(json.dumps(english(data), ensure_ascii=False, indent=2, default=_default))
    sys.stdout.write("\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_default)
    return str(value)


def emit_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_inert(_cell(row.get(col))) for col in columns])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (a name typed as '=HYPERLINK(...)')
    gets a leading apostrophe, as OWASP advises for CSV exports; numbers and phone numbers
    such as +6281234567890 stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        body = value.lstrip("+-").replace(" ", "").replace(".", "")
        if not body.isdigit():
            return "'" + value
    return value


def exclusive(**flags: bool) -> None:
    """Refuse two output formats at once (a usage error, exit 2)."""
    import typer

    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        from egovctl.i18n import _

        raise typer.BadParameter(
            _("choose one of {options}").format(options=", ".join("--" + c for c in chosen)),
            param_hint=_("output format"),
        )


class LazyProgress:
    """A progress bar that only appears once the work has taken about a second."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.start < 1.0:
                return
            from rich.progress import Progress

            self.bar = Progress(console=err_console.real(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(phase, total=total)
        self.bar.update(self.task, description=phase, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
