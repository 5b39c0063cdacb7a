"""`egovctl desk`: one session for a counter's whole shift (docs/desk.md)."""

from typing import Annotated

import typer

from egovctl import completion
from egovctl.commands import NOUNS
from egovctl.commands._state import state
from egovctl.i18n import N_

# A noun that is itself the command: `egovctl desk` runs the session.
desk_app = typer.Typer(help=NOUNS["desk"].help, rich_markup_mode=None, add_completion=False)


@desk_app.command(
    "desk",
    help=N_(
        "Serve a whole shift: scan a receipt or type a word (help lists them).\n\n"
        "Example: egovctl --as petugas1 desk --agency DISDUKCAPIL"
    ),
)
def desk(
    ctx: typer.Context,
    agency: Annotated[
        str | None,
        typer.Option(
            help=N_("Only this agency's requests and procedures."),
            show_default=False,
            autocompletion=completion.agency_codes,
        ),
    ] = None,
) -> None:
    import sys

    from egovctl.desk.session import open_desk

    st = state(ctx)
    interactive = sys.stdin.isatty()
    session = open_desk(st.database(), st.actor, st.config, agency=agency, interactive=interactive)
    failures = session.run()
    # A script learns that some of its lines failed; each said why on stderr.
    if failures and not interactive:
        raise typer.Exit(1)
