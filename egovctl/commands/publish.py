"""`egovctl publish ...`: public information for citizens (the catalogue website)."""

from pathlib import Path
from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json
from egovctl.commands._state import state

app = noun_app("publish")


@app.command("site")
def site(
    ctx: typer.Context,
    outdir: Annotated[
        Path,
        typer.Argument(
            help="Folder to write (replaced as a whole if it holds a previous site).",
            show_default=False,
        ),
    ],
    status: Annotated[
        bool,
        typer.Option(
            "--status", help="Add a status look-up by registration number (no personal data)."
        ),
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Write the catalogue as a static website that works offline and on any web server.

    Example: egovctl publish site /var/www/html/layanan --status
    """
    from egovctl.commands._output import LazyProgress
    from egovctl.public.site import publish_site

    st = state(ctx)
    bar = LazyProgress()
    try:
        result = publish_site(
            st.database(), st.actor, st.config, outdir, status=status, progress=bar
        )
    finally:
        bar.close()
    if json_:
        emit_json(result)
        return
    console.print(
        f"Published {result['procedures']} procedures of {result['agencies']} "
        f"agencies ({result['pages']} pages) to {result['outdir']}"
    )
    if result["status"]:
        console.print(f"  status look-up: {result['requests']} requests (no personal data)")
    console.print(f"  open {result['index']}")
