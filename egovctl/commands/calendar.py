"""`egovctl calendar ...`: national holidays plus the office's own closures."""

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive
from egovctl.commands._params import date_value
from egovctl.commands._state import state
from egovctl.i18n import N_, _, ngettext

app = noun_app("calendar")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DateArg = Annotated[
    str, typer.Argument(help="The date, e.g. 2026-12-31.", show_default=False, callback=date_value)
]


@app.command("list")
def list_(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option(help="Year (default: this year).", min=1900, max=2200)
    ] = None,
    json_: JsonOpt = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """List the non-working days of a year: national, collective leave and local."""
    from egovctl.requests.calendar import list_year

    exclusive(json=json_, csv=csv_)
    st = state(ctx)
    from egovctl.timeutil import today

    rows = list_year(st.database(), year or today(st.timezone).year)
    if json_:
        emit_json(rows)
        return
    if csv_:
        emit_csv(rows, ["date", "name", "source", "working", "weekend"])
        return
    from rich.table import Table

    from egovctl.formats import long_date

    weekend = any(r["weekend"] and not r["working"] for r in rows)
    table = Table(
        title=f"Hari libur {year or today(st.timezone).year}",
        title_justify="left",
        caption=(
            "Hari libur pada Sabtu atau Minggu tidak menggeser jatuh tempo." if weekend else None
        ),
        caption_justify="left",
    )
    table.add_column("Tanggal")
    table.add_column("Keterangan")
    table.add_column("Sumber")
    for r in rows:
        style = "green" if r["working"] else "dim" if r["weekend"] else None
        table.add_row(long_date(r["date"]), r["name"], r["source"], style=style)
    console.print(table)


def _date(value: str) -> date:
    from egovctl.timeutil import parse_date

    return parse_date(value)


DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help=N_("Show the due dates that would move; change nothing.")),
]


def _print_moved(result: Mapping[str, Any]) -> None:
    """The open requests whose due date moved (or would move, on a dry run)."""
    from egovctl.formats import long_date

    moved = result["moved"]
    if not moved:
        console.print(_("No open request's due date moves."))
        return
    if result["dry_run"]:
        head = ngettext(
            "{n} open request's due date would move:",
            "{n} open requests' due dates would move:",
            len(moved),
        )
    else:
        head = ngettext(
            "{n} open request's due date moved:", "{n} open requests' due dates moved:", len(moved)
        )
    console.print(head.format(n=len(moved)))
    from rich.table import Table

    table = Table()
    table.add_column(_("Registration no."))
    table.add_column(_("Was due"))
    table.add_column(_("Now due"))
    for m in moved:
        table.add_row(m["reg_no"], long_date(m["old_due"]), long_date(m["new_due"]))
    console.print(table)


@app.command("add")
def add(
    ctx: typer.Context,
    day: DateArg,
    name: Annotated[str, typer.Option(help="What the day is.", show_default=False)],
    working: Annotated[
        bool, typer.Option("--working", help="Declare the day working instead.")
    ] = False,
    hours: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "Own service hours of a declared working day, e.g. 08:00-12:00 "
                "(default: that weekday's hours; Friday's on a weekend)."
            ),
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Add a local closure (or, with --working, a day the office works).

    The due dates of open requests the day touches move with it.

    Example: egovctl calendar add 2026-12-31 --name "Cuti bersama daerah"
    """
    from egovctl.requests.calendar import add_day

    st = state(ctx)
    result = add_day(
        st.database(),
        st.actor,
        _date(day),
        name,
        working=working,
        hours=hours,
        tz=st.timezone,
        dry_run=dry_run,
    )
    if json_:
        emit_json(result)
        return
    if dry_run:
        console.print(_("Dry run: nothing was changed."))
    else:
        kind = "working day" if working else "closure"
        console.print(f"{result['date']} added as a local {kind}: {result['name']}")
    _print_moved(result)


@app.command("remove")
def remove(
    ctx: typer.Context, day: DateArg, dry_run: DryRunOpt = False, json_: JsonOpt = False
) -> None:
    """Remove a day from the local calendar; the due dates it moved move back."""
    from egovctl.requests.calendar import remove_day

    st = state(ctx)
    result = remove_day(st.database(), st.actor, _date(day), tz=st.timezone, dry_run=dry_run)
    if json_:
        emit_json(result)
        return
    if dry_run:
        console.print(_("Dry run: nothing was changed."))
    else:
        console.print(f"{result['date']} removed ({result['name']})")
    _print_moved(result)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="YAML list of {date, name, working}.", show_default=False)
    ],
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Import local days from YAML (all or nothing); due dates move with them."""
    from egovctl.requests.calendar import import_days

    st = state(ctx)
    result = import_days(st.database(), st.actor, file, tz=st.timezone, dry_run=dry_run)
    if json_:
        emit_json(result)
        return
    if dry_run:
        console.print(_("Dry run: nothing was changed."))
    console.print(
        f"{result['created']} added, {result['updated']} updated, {result['unchanged']} unchanged"
    )
    _print_moved(result)


@app.command("recompute")
def recompute(ctx: typer.Context, dry_run: DryRunOpt = False, json_: JsonOpt = False) -> None:
    """Re-check every open request's due date against the whole current calendar.

    Run it after an upgrade of the national holiday data.

    Example: egovctl calendar recompute --dry-run
    """
    from egovctl.requests.calendar import recompute as recompute_all

    st = state(ctx)
    result = recompute_all(st.database(), st.actor, tz=st.timezone, dry_run=dry_run)
    if json_:
        emit_json(result)
        return
    if dry_run:
        console.print(_("Dry run: nothing was changed."))
    console.print(_("{n} open requests checked.").format(n=result["checked"]))
    _print_moved(result)
