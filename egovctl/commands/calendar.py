"""`egovctl calendar ...`: national holidays plus the office's own closures."""

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive, say
from egovctl.commands._params import date_value
from egovctl.commands._state import state
from egovctl.i18n import N_, _, ngettext

app = noun_app("calendar")
JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print JSON."))]
DateArg = Annotated[
    str,
    typer.Argument(help=N_("The date, e.g. 2026-12-31."), show_default=False, callback=date_value),
]


@app.command(
    "list",
    help=N_("List the non-working days of a year: national, collective leave and local."),
)
def list_(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option(help=N_("Year (default: this year)."), min=1900, max=2200)
    ] = None,
    json_: JsonOpt = False,
    csv_: Annotated[bool, typer.Option("--csv", help=N_("Print CSV."))] = False,
) -> None:
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

    from egovctl.formats import say_long_date

    weekend = any(r["weekend"] and not r["working"] for r in rows)
    table = Table(
        title=_("Holidays {year}").format(year=year or today(st.timezone).year),
        title_justify="left",
        caption=(
            _("A holiday on a Saturday or Sunday does not move due dates.") if weekend else None
        ),
        caption_justify="left",
    )
    table.add_column(_("Date"))
    table.add_column(_("Description"))
    table.add_column(_("Source"))
    for r in rows:
        style = "green" if r["working"] else "dim" if r["weekend"] else None
        table.add_row(say_long_date(r["date"]), r["name"], _source(r["source"]), style=style)
    console.print(table)


# The source of an entry, as JSON and CSV give it (Indonesian data values), in the terminal.
SOURCES = {
    "nasional": N_("national"),
    "cuti bersama": N_("collective leave"),
    "lokal": N_("local"),
    "masuk (lokal)": N_("working (local)"),
}


def _source(source: str) -> str:
    return _(SOURCES[source]) if source in SOURCES else source


def _date(value: str) -> date:
    from egovctl.timeutil import parse_date

    return parse_date(value)


DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help=N_("Show the due dates that would move; change nothing.")),
]


# Longer lists of moved requests print as plain columns.
TABLE_ROWS = 100


def _print_moved(result: Mapping[str, Any]) -> None:
    """The open requests whose due date moved (or would move, on a dry run)."""
    from egovctl.formats import say_long_date

    moved = result["moved"]
    if not moved:
        say(_("No open request's due date moves."))
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
    say(head.format(n=len(moved)))
    # A few hundred dates repeat among thousands of moves: each is written once.
    said: dict[str, str] = {}

    def day(iso: str) -> str:
        text = said.get(iso)
        if text is None:
            text = said[iso] = say_long_date(iso)
        return text

    heads = (_("Registration no."), _("Was due"), _("Now due"))
    rows = [(m["reg_no"], day(m["old_due"]), day(m["new_due"])) for m in moved]
    if len(rows) <= TABLE_ROWS:
        from rich.table import Table

        table = Table()
        for title in heads:
            table.add_column(title)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    # A change that moves thousands of requests: plain columns, written at once (a Rich
    # table measures every cell and takes seconds for 5,000 rows; bench/README.md, issue 20).
    widths = [max(len(text) for text in column) for column in zip(heads, *rows, strict=False)]

    def line(cells: tuple[str, str, str]) -> str:
        return "  ".join(text.ljust(width) for text, width in zip(cells, widths, strict=True))

    lines = [line(heads), line(("-" * widths[0], "-" * widths[1], "-" * widths[2]))]
    lines.extend(line(row) for row in rows)
    typer.echo("\n".join(text.rstrip() for text in lines))


@app.command(
    "add",
    help=N_(
        "Add a local closure (or, with --working, a day the office works).\n\n"
        "The due dates of open requests the day touches move with it.\n\n"
        'Example: egovctl calendar add 2026-12-31 --name "Cuti bersama daerah"'
    ),
)
def add(
    ctx: typer.Context,
    day: DateArg,
    name: Annotated[str, typer.Option(help=N_("What the day is."), show_default=False)],
    working: Annotated[
        bool, typer.Option("--working", help=N_("Declare the day working instead."))
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
    from egovctl.formats import say_long_date
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
        say(_("Dry run: nothing was changed."))
    else:
        said = (
            _("{date} added as a working day: {name}")
            if working
            else _("{date} added as a local closure: {name}")
        )
        say(said.format(date=say_long_date(result["date"]), name=result["name"]))
    _print_moved(result)


@app.command(
    "remove",
    help=N_("Remove a day from the local calendar; the due dates it moved move back."),
)
def remove(
    ctx: typer.Context, day: DateArg, dry_run: DryRunOpt = False, json_: JsonOpt = False
) -> None:
    from egovctl.formats import say_long_date
    from egovctl.requests.calendar import remove_day

    st = state(ctx)
    result = remove_day(st.database(), st.actor, _date(day), tz=st.timezone, dry_run=dry_run)
    if json_:
        emit_json(result)
        return
    if dry_run:
        say(_("Dry run: nothing was changed."))
    else:
        say(
            _("{date} removed ({name}).").format(
                date=say_long_date(result["date"]), name=result["name"]
            )
        )
    _print_moved(result)


@app.command(
    "import",
    help=N_("Import local days from YAML (all or nothing); due dates move with them."),
)
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help=N_("YAML list of {date, name, working}."), show_default=False),
    ],
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
) -> None:
    from egovctl.requests.calendar import import_days

    st = state(ctx)
    result = import_days(st.database(), st.actor, file, tz=st.timezone, dry_run=dry_run)
    if json_:
        emit_json(result)
        return
    if dry_run:
        say(_("Dry run: nothing was changed."))
    say(
        _("{created} added, {updated} updated, {unchanged} unchanged.").format(
            created=result["created"], updated=result["updated"], unchanged=result["unchanged"]
        )
    )
    _print_moved(result)


@app.command(
    "recompute",
    help=N_(
        "Re-check every open request's due date against the whole current calendar.\n\n"
        "Run it after an upgrade of the national holiday data.\n\n"
        "Example: egovctl calendar recompute --dry-run"
    ),
)
def recompute(ctx: typer.Context, dry_run: DryRunOpt = False, json_: JsonOpt = False) -> None:
    from egovctl.requests.calendar import recompute as recompute_all

    st = state(ctx)
    result = recompute_all(st.database(), st.actor, tz=st.timezone, dry_run=dry_run)
    if json_:
        emit_json(result)
        return
    if dry_run:
        say(_("Dry run: nothing was changed."))
    say(
        ngettext(
            "{n} open request checked.", "{n} open requests checked.", result["checked"]
        ).format(n=result["checked"])
    )
    _print_moved(result)
