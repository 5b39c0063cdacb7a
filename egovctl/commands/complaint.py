"""`egovctl complaint ...`: the complaints register (pengaduan), docs/complaints.md."""

from typing import Annotated, Any

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive, say
from egovctl.commands._params import AtOpt
from egovctl.commands._state import AppState, state
from egovctl.complaints.vocabulary import CHANNELS, OUTCOMES, ComplaintAction
from egovctl.i18n import _

app = noun_app("complaint")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the complaint as JSON.")]
NumberArg = Annotated[
    str,
    typer.Argument(help="Complaint number, e.g. ADU-DISDUKCAPIL-2026-000001.", show_default=False),
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
    from egovctl.complaints.vocabulary import STATUS_LABELS

    say(
        (data["number"], "green"),
        ": " + STATUS_LABELS.get(data["status"], data["status"]),
        _(" (respond by {day})").format(day=data["respond_due"]),
    )


@app.command("record")
def record(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Option(help="The complaint, as the complainant put it.", show_default=False)
    ],
    channel: Annotated[
        str, typer.Option(help=f"How it came in: {', '.join(CHANNELS)}.", show_default=False)
    ],
    name: Annotated[str | None, typer.Option(help="The complainant's name.")] = None,
    contact: Annotated[str | None, typer.Option(help="Phone or e-mail to answer to.")] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help="Keep no name and no contact.")
    ] = False,
    reg: Annotated[str | None, typer.Option("--reg", help="The request it is about.")] = None,
    procedure: Annotated[str | None, typer.Option(help="The procedure it is about.")] = None,
    agency: Annotated[str | None, typer.Option(help="The agency it is about.")] = None,
    lapor_id: Annotated[
        str | None, typer.Option("--lapor-id", help="The SP4N-LAPOR! ticket id.")
    ] = None,
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Record a complaint; prints its number and the date its response is due.

    Example: egovctl complaint record --channel langsung --name "Budi" --agency DISDUKCAPIL
    --text "Antrean terlalu lama"
    """
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


@app.command("assign")
def assign(
    ctx: typer.Context,
    number: NumberArg,
    to: Annotated[str, typer.Option("--to", help="Staff member who handles it.")],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Assign a complaint to a staff member (received → in progress)."""
    _act(ctx, number, "assign", json_, to=to, at=at)


@app.command("note")
def note(
    ctx: typer.Context,
    number: NumberArg,
    text: Annotated[str, typer.Option(help="The note (internal).", show_default=False)],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Add an internal note, e.g. a correction: the complaint's text itself never changes."""
    _act(ctx, number, "note", json_, text=text, at=at)


@app.command("respond")
def respond(
    ctx: typer.Context,
    number: NumberArg,
    text: Annotated[str, typer.Option(help="The answer to the complainant.", show_default=False)],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Record the office's response to the complainant (→ responded)."""
    _act(ctx, number, "respond", json_, text=text, at=at)


@app.command("close")
def close(
    ctx: typer.Context,
    number: NumberArg,
    outcome: Annotated[
        str, typer.Option(help=f"How it ended: {', '.join(OUTCOMES)}.", show_default=False)
    ],
    note: Annotated[str | None, typer.Option("--note", help="A closing note.")] = None,
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Close a responded complaint with its outcome."""
    _act(ctx, number, "close", json_, outcome=outcome, text=note, at=at)


@app.command("show")
def show(ctx: typer.Context, number: NumberArg, json_: JsonOpt = False) -> None:
    """Show a complaint: its text, complainant, deadline, response and history."""
    from egovctl.complaints.queries import show_complaint

    st = state(ctx)
    data = show_complaint(st.database(), st.actor, number, tz=st.timezone)
    if json_:
        emit_json(data)
        return
    from egovctl.commands._complaint_views import complaint_view

    console.print(complaint_view(data))


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only complaints in this status.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those unanswered after their deadline.")
    ] = False,
    agency: Annotated[str | None, typer.Option(help="Agency code.")] = None,
    limit: Annotated[int, typer.Option(help="At most N complaints.", min=1, max=1_000_000)] = 100,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """List complaints, the earliest response deadline first (overdue ones in red)."""
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
