"""Option and argument values checked while the command line is parsed.

A value that cannot be read at all (a date that does not exist, a status nobody has) is a
usage error: Click reports it with the option's name and exit code 2
(docs/output-and-errors.md), before any database is opened. Whether a readable value is
allowed (a time in the future, a move from the wrong status) is for the domain code to decide,
with exit code 1.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from egovctl.i18n import N_, _
from egovctl.identity import shorten
from egovctl.requests.vocabulary import Channel, Status  # noqa: F401  (re-used by commands)


def at_value(value: str | None) -> str | None:
    """``--at``: an ISO date or date-time (office time unless it carries an offset)."""
    if value is not None:
        try:
            datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            raise typer.BadParameter(
                _(
                    "cannot read the time {value}; write it as 2026-11-27T09:15 "
                    "(office time) or 2026-11-27T09:15:00+07:00"
                ).format(value=repr(shorten(value)))
            ) from None
    return value


def date_value(value: str | None) -> str | None:
    """A calendar date written as 2026-11-27."""
    if value is not None:
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            raise typer.BadParameter(
                _("{value} is not a date in the calendar; write it as 2026-11-27").format(
                    value=repr(shorten(value))
                )
            ) from None
    return value


# --at on every command that records an event (request moves, complaint steps).
AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        help=N_("When it happened (back-filling paper records), e.g. 2026-11-27T09:15."),
        show_default=False,
        callback=at_value,
    ),
]
