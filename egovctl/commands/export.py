"""`egovctl export ...`: the catalogue and requests for other systems (Open311)."""

from pathlib import Path
from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json
from egovctl.commands._state import state
from egovctl.i18n import N_, _, ngettext

app = noun_app("export")


@app.command(
    "open311",
    help=N_(
        "Write Open311 GeoReport v2 files (services, requests) for a static web server."
        "\n\nExample: egovctl export open311 /var/www/html/open311/v2"
    ),
)
def open311(
    ctx: typer.Context,
    outdir: Annotated[
        Path,
        typer.Argument(
            help=N_("Folder to write (replaced as a whole if it holds a previous export)."),
            show_default=False,
        ),
    ],
    json_: Annotated[bool, typer.Option("--json", help=N_("Print the summary as JSON."))] = False,
) -> None:
    from egovctl.commands._output import LazyProgress
    from egovctl.public.open311 import export_open311

    st = state(ctx)
    bar = LazyProgress()
    try:
        result = export_open311(st.database(), st.actor, st.config, outdir, progress=bar)
    finally:
        bar.close()
    if json_:
        emit_json(result)
        return
    console.print(
        _(
            "Exported {services} and {requests} (requests.json lists the newest {listed}) "
            "to {outdir}"
        ).format(
            services=ngettext("{n} service", "{n} services", result["services"]).format(
                n=result["services"]
            ),
            requests=ngettext("{n} request", "{n} requests", result["requests"]).format(
                n=result["requests"]
            ),
            listed=result["requests_listed"],
            outdir=result["outdir"],
        )
    )
