"""`egovctl complaint ...`: the complaints register (pengaduan), docs/complaints.md."""

from typing import Annotated, Any

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive, say
from egovctl.commands._params import AtOpt
from egovctl.commands._state import AppState, state
from egovctl.complaints.vocabulary import ComplaintAction
from egovctl.i18n import N_, _

app = noun_app("complaint")

JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print the complaint as JSON."))]
NumberArg = Annotated[
    str,
    typer.Argument(
        help=N_("Complaint number, e.g. ADU-DISDUKCAPIL-2026-000001."), show_default=False
    ),
]
CSV_COLUMNS = [
    "number",
    "status",
    "channel",
    "agency",
    "complainant",
    "anonymous",
    "received_at",
    "respond_due",
    "respond_overdue",
    "assigned_to",
    "outcome",
]


def _at(st: AppState, at: str | None) -> Any:
    if at is None:
        return None
    from egovctl.timeutil import parse_at

    return parse_at(at, st.timezone)


def _done(data: dict[str, Any], json_: bool) -> None:
    if json_:
        emit_json(data)
        return
    from egovctl.complaints.vocabulary import status_word
    from egovctl.formats import say_long_date

    say(
        (data["number"], "green"),
        ": "
        + _("{status} (respond by {day})").format(
            status=status_word(data["status"]), day=say_long_date(data["respond_due"])
        ),
    )


@app.command(
    "record",
    help=N_(
        "Record a complaint; prints its number and the date its response is due.\n\n"
        'Example: egovctl complaint record --channel langsung --name "Budi" --agency DISDUKCAPIL\n'
        '--text "Antrean terlalu lama"'
    ),
)
def record(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Option(help=N_("The complaint, as the complainant put it."), show_default=False)
    ],
    channel: Annotated[
        str,
        typer.Option(
            help=N_("How it came in: langsung, telepon, surat, email, sp4n-lapor, media-sosial."),
            show_default=False,
        ),
    ],
    name: Annotated[str | None, typer.Option(help=N_("The complainant's name."))] = None,
    contact: Annotated[str | None, typer.Option(help=N_("Phone or e-mail to answer to."))] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help=N_("Keep no name and no contact."))
    ] = False,
    reg: Annotated[str | None, typer.Option("--reg", help=N_("The request it is about."))] = None,
    procedure: Annotated[str | None, typer.Option(help=N_("The procedure it is about."))] = None,
    agency: Annotated[str | None, typer.Option(help=N_("The agency it is about."))] = None,
    lapor_id: Annotated[
        str | None, typer.Option("--lapor-id", help=N_("The SP4N-LAPOR! ticket id."))
    ] = None,
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    from egovctl.complaints.service import Intake, record_complaint

    st = state(ctx)
    intake = Intake.checked(
        text,
        channel,
        name=name,
        contact=contact,
        anonymous=anonymous,
        reg_no=reg,
        procedure=procedure,
        agency=agency,
        lapor_id=lapor_id,
    )
    data = record_complaint(
        st.database(),
        st.actor,
        intake,
        tz=st.timezone,
        respond_days=st.config.complaints.respond_days,
        at=_at(st, at),
    )
    _done(data, json_)


def _act(ctx: typer.Context, number: str, action: ComplaintAction, json_: bool, **kw: Any) -> None:
    from egovctl.complaints.service import act

    st = state(ctx)
    at = _at(st, kw.pop("at", None))
    data = act(st.database(), st.actor, number, action, tz=st.timezone, at=at, **kw)
    _done(data, json_)


@app.command("assign", help=N_("Assign a complaint to a staff member (received → in progress)."))
def assign(
    ctx: typer.Context,
    number: NumberArg,
    to: Annotated[str, typer.Option("--to", help=N_("Staff member who handles it."))],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _act(ctx, number, "assign", json_, to=to, at=at)


@app.command(
    "note",
    help=N_("Add an internal note, e.g. a correction: the complaint's text itself never changes."),
)
def note(
    ctx: typer.Context,
    number: NumberArg,
    text: Annotated[str, typer.Option(help=N_("The note (internal)."), show_default=False)],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _act(ctx, number, "note", json_, text=text, at=at)


@app.command("respond", help=N_("Record the office's response to the complainant (→ responded)."))
def respond(
    ctx: typer.Context,
    number: NumberArg,
    text: Annotated[
        str, typer.Option(help=N_("The answer to the complainant."), show_default=False)
    ],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _act(ctx, number, "respond", json_, text=text, at=at)


@app.command("close", help=N_("Close a responded complaint with its outcome."))
def close(
    ctx: typer.Context,
    number: NumberArg,
    outcome: Annotated[
        str,
        typer.Option(help=N_("How it ended: resolved, unfounded, referred."), show_default=False),
    ],
    note: Annotated[str | None, typer.Option("--note", help=N_("A closing note."))] = None,
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _act(ctx, number, "close", json_, outcome=outcome, text=note, at=at)


@app.command(
    "show",
    help=N_("Show a complaint: its text, complainant, deadline, response and history."),
)
def show(ctx: typer.Context, number: NumberArg, json_: JsonOpt = False) -> None:
    from egovctl.complaints.queries import show_complaint

    st = state(ctx)
    data = show_complaint(st.database(), st.actor, number, tz=st.timezone)
    if json_:
        emit_json(data)
        return
    from egovctl.commands._complaint_views import complaint_view

    console.print(complaint_view(data, st.timezone))


@app.command(
    "list",
    help=N_("List complaints, the earliest response deadline first (overdue ones in red)."),
)
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help=N_("Only complaints in this status."))] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help=N_("Only those unanswered after their deadline."))
    ] = False,
    agency: Annotated[str | None, typer.Option(help=N_("Agency code."))] = None,
    limit: Annotated[
        int, typer.Option(help=N_("At most N complaints."), min=1, max=1_000_000)
    ] = 100,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
    csv_: Annotated[bool, typer.Option("--csv", help=N_("Print CSV."))] = False,
) -> None:
    from egovctl.complaints.queries import ComplaintFilter, list_complaints

    exclusive(json=json_, csv=csv_)
    st = state(ctx)
    flt = ComplaintFilter(status=status, overdue=overdue, agency=agency, limit=limit)
    rows = list_complaints(st.database(), st.actor, flt, tz=st.timezone)
    if json_:
        emit_json(rows)
        return
    if csv_:
        emit_csv(rows, CSV_COLUMNS)
        return
    from egovctl.commands._complaint_views import complaint_table

    console.print(complaint_table(rows))
