"""`egovctl config ...`: the effective configuration and where each value came from."""

from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json
from egovctl.commands._state import state

app = noun_app("config")


@app.command("show")
def show(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the effective settings and the source of each (flag, environment, file, default)."""
    cfg = state(ctx).config
    rows = cfg.rows()
    if json_:
        emit_json({key: {"value": value, "source": source} for key, value, source in rows})
        return
    from rich.table import Table

    table = Table(title="egovctl configuration", title_justify="left")
    table.add_column("Setting", no_wrap=True)
    # Paths and URLs are what people copy from here: fold them onto more lines, never cut
    # them short with an ellipsis.
    table.add_column("Value", overflow="fold")
    table.add_column("Source", style="dim", overflow="fold", max_width=24)
    for key, value, source in rows:
        table.add_row(key, "-" if value is None else value, source)
    console.print(table)
