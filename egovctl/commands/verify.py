"""`egovctl verify FILE.pdf`: is this the document the office printed, unchanged and validly
signed? (docs/signing.md)"""

from pathlib import Path
from typing import Annotated

import typer

from egovctl.commands._state import state
from egovctl.i18n import N_

# One command, not a group: `egovctl verify FILE` (see Noun.single).
verify_app = typer.Typer(rich_markup_mode=None, add_completion=False)


@verify_app.command(
    "verify",
    help=N_(
        "Check a PDF against the document register and its electronic signature.\n\n"
        "Example: egovctl verify bukti-DISDUKCAPIL-2026-000001.pdf"
    ),
)
def verify(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=N_("The PDF to check."), show_default=False)],
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
) -> None:
    from egovctl.commands._output import emit_json, say
    from egovctl.documents.verify import verify_file

    st = state(ctx)
    result = verify_file(st.database(), st.config.sign, file)
    if json_:
        emit_json(result.as_dict(st.timezone))
    problem = result.problem_text()
    if problem is not None:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(1)
    if not json_:
        say(f"ok: {result.summary(st.timezone)}")
