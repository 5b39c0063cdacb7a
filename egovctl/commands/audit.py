"""`egovctl audit ...`: who changed what, and proof that nobody rewrote it."""

from typing import Annotated, Any

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive, styled
from egovctl.commands._params import date_value
from egovctl.commands._state import state
from egovctl.formats import say_number
from egovctl.i18n import N_, _

app = noun_app("audit")


COLUMNS = ("at", "actor", "action", "entity", "details")


@app.command(
    "log",
    help=N_(
        "Show audit records, newest first.\n\n"
        "Example: egovctl audit log --entity request:DISDUKCAPIL-2026-000042"
    ),
)
def log(
    ctx: typer.Context,
    entity: Annotated[
        str | None,
        typer.Option(
            help=N_("e.g. request:DISDUKCAPIL-2026-000042, or 'request' for all requests.")
        ),
    ] = None,
    actor: Annotated[str | None, typer.Option(help=N_("Only this staff member."))] = None,
    action: Annotated[str | None, typer.Option(help=N_("e.g. request.hold or 'request'."))] = None,
    since: Annotated[
        str | None, typer.Option(help=N_("From this date (office time)."), callback=date_value)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help=N_("Up to this date (office time)."), callback=date_value)
    ] = None,
    limit: Annotated[int, typer.Option(help=N_("At most N records."), min=1, max=1_000_000)] = 100,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
    csv_: Annotated[bool, typer.Option("--csv", help=N_("Print CSV (details as JSON)."))] = False,
) -> None:
    from egovctl.staff.audit import list_records
    from egovctl.timeutil import local_iso, parse_date

    exclusive(json=json_, csv=csv_)
    st = state(ctx)
    records = list_records(
        st.database(),
        entity=entity,
        actor=actor,
        action=action,
        since=parse_date(since) if since else None,
        until=parse_date(until) if until else None,
        limit=limit,
        tz=st.timezone,
    )
    rows: list[dict[str, Any]] = [{**r, "at": local_iso(r["at"], st.timezone)} for r in records]
    if json_:
        emit_json([{k: r[k] for k in COLUMNS} for r in rows])
        return
    if csv_:
        emit_csv(rows, COLUMNS)
        return
    console.print(_log_table(rows, console.width, st.timezone))


def _log_table(rows: list[dict[str, Any]], width: int, tz: str) -> Any:
    """One record a row where it fits; on a narrow terminal the action, the object and the
    details stack in one column, so identifiers are never cut."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from egovctl.staff.audit import describe

    title = _("Audit log ({n})").format(n=say_number(len(rows)))
    heads = ("#", _("When"), _("Actor"), _("Operation"), _("Object"))
    cells = [
        (
            str(r["id"]),
            r["at"][:19].replace("T", " "),
            r["actor"],
            r["action"],
            r["entity"],
            describe(r["details"], tz),
        )
        for r in rows
    ]

    def widest(i: int, header: str) -> int:
        return max([cell_len(header), *(cell_len(c[i]) for c in cells)])

    fixed = [widest(i, h) for i, h in enumerate(heads)]
    # Six bordered columns take 19 columns of rules and padding. The details want 30
    # columns, and their longest word unbroken (a time, a code) unless it is a hash.
    words = max((cell_len(w) for c in cells for w in c[5].split()), default=0)
    floor = min(widest(5, _("Details")), max(30, min(words, 45)))
    if sum(fixed) + 19 + floor <= width:
        table = Table(title=title, title_justify="left")
        for header, w in zip(heads, fixed, strict=True):
            table.add_column(
                header, justify="right" if header == "#" else "left", no_wrap=True, min_width=w
            )
        table.add_column(_("Details"), overflow="fold", min_width=floor)
        for c in cells:
            table.add_row(*c)
        return table
    from egovctl.commands._report_views import compact_box

    table = Table(
        title=title,
        title_justify="left",
        box=compact_box(),
        show_edge=False,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(heads[1], no_wrap=True)
    table.add_column(heads[2], no_wrap=True)
    table.add_column(_("Action · object · details"), overflow="fold")
    for c in cells:
        what = Text.assemble((c[3], "bold"), " ", c[4])
        if c[5]:
            what.append("\n" + c[5], style="dim")
        table.add_row(c[0], c[1].replace(" ", "\n"), c[2], what)
    return table


@app.command(
    "verify",
    help=N_(
        "Verify the hash chain and that every request's and complaint's state matches its history."
    ),
)
def verify(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
) -> None:
    from egovctl.complaints.verify import verify_complaints
    from egovctl.requests.verify import verify_requests
    from egovctl.staff.audit import verify_chain

    st = state(ctx)
    db = st.database()
    records = verify_chain(db)
    requests = verify_requests(db, st.timezone)
    complaints = verify_complaints(db)
    if json_:
        emit_json({"ok": True, "records": records, "requests": requests, "complaints": complaints})
    else:
        console.print(
            styled(
                ("ok", "green"),
                ": ",
                _(
                    "{records} audit records, {requests} requests and {complaints} complaints "
                    "verify"
                ).format(
                    records=say_number(records),
                    requests=say_number(requests),
                    complaints=say_number(complaints),
                ),
            )
        )
