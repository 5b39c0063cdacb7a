"""`egovctl config ...`: the effective configuration and where each value came from."""

from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json
from egovctl.commands._state import state
from egovctl.i18n import N_, _

app = noun_app("config")


@app.command(
    "show",
    help=N_(
        "Print the effective settings and the source of each (flag, environment, file, default)."
    ),
)
def show(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
) -> None:
    cfg = state(ctx).config
    rows = cfg.rows()
    if json_:
        emit_json({key: {"value": value, "source": source} for key, value, source in rows})
        return
    from rich.table import Table

    table = Table(title=_("egovctl configuration"), title_justify="left")
    table.add_column(_("Setting"), no_wrap=True)
    # Paths and URLs are what people copy from here: fold them onto more lines, never cut
    # them short with an ellipsis.
    table.add_column(_("Value"), overflow="fold")
    table.add_column(_("Source"), style="dim", overflow="fold", max_width=24)
    for key, value, source in rows:
        table.add_row(key, "-" if value is None else value, source_words(source))
    console.print(table)


def source_words(source: str) -> str:
    """Where a setting came from, in the language of the terminal. Option and variable names
    stay as they are; the JSON keeps the English words."""
    prefix = "config file "
    if source.startswith(prefix):
        return _("config file {path}").format(path=source.removeprefix(prefix))
    words = {
        "default": N_("default"),
        "default (user data dir)": N_("default (user data dir)"),
        "default (bundled only)": N_("default (bundled only)"),
        "OS login name": N_("OS login name"),
        "user config dir": N_("user config dir"),
        "none found": N_("none found"),
    }
    return _(words[source]) if source in words else source
