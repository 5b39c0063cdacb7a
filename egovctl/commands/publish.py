"""`egovctl publish ...`: public information for citizens (the catalogue website)."""

from pathlib import Path
from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json
from egovctl.commands._state import state
from egovctl.i18n import N_, _, ngettext

app = noun_app("publish")


@app.command(
    "site",
    help=N_(
        "Write the catalogue as a static website that works offline and on any web server."
        "\n\nExample: egovctl publish site /var/www/html/layanan --status"
    ),
)
def site(
    ctx: typer.Context,
    outdir: Annotated[
        Path,
        typer.Argument(
            help=N_("Folder to write (replaced as a whole if it holds a previous site)."),
            show_default=False,
        ),
    ],
    status: Annotated[
        bool,
        typer.Option(
            "--status",
            help=N_("Add a status look-up by registration number (no personal data)."),
        ),
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print the summary as JSON."))] = False,
) -> None:
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
        _("Published {procedures} of {agencies} ({pages}) to {outdir}").format(
            procedures=ngettext("{n} procedure", "{n} procedures", result["procedures"]).format(
                n=result["procedures"]
            ),
            agencies=ngettext("{n} agency", "{n} agencies", result["agencies"]).format(
                n=result["agencies"]
            ),
            pages=ngettext("{n} page", "{n} pages", result["pages"]).format(n=result["pages"]),
            outdir=result["outdir"],
        )
    )
    if result["status"]:
        said = ngettext(
            "status look-up: {n} request (no personal data)",
            "status look-up: {n} requests (no personal data)",
            result["requests"],
        )
        console.print("  " + said.format(n=result["requests"]))
    console.print("  " + _("open {path}").format(path=result["index"]))
