"""`egovctl request ...`: log citizens' applications and move them to delivery."""

from typing import TYPE_CHECKING, Annotated

import typer

from egovctl import completion
from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive, say
from egovctl.commands._params import AtOpt, Channel, Status, date_value
from egovctl.commands._state import AppState, state
from egovctl.i18n import N_, _
from egovctl.notify.vocabulary import ConsentChannel
from egovctl.requests.vocabulary import Action

if TYPE_CHECKING:
    from datetime import datetime

    from egovctl.requests.shapes import RequestDetail

app = noun_app("request")

JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print the request as JSON."))]
RegArg = Annotated[
    str,
    typer.Argument(
        help=N_("Registration number, e.g. DISDUKCAPIL-2026-000042."),
        show_default=False,
        autocompletion=completion.registration_numbers,
    ),
]
CSV_COLUMNS = [
    "reg_no",
    "procedure",
    "version",
    "agency",
    "status",
    "step",
    "steps",
    "applicant_name",
    "applicant_nik",
    "applicant_phone",
    "received_at",
    "due_date",
    "ready_at",
    "delivered_at",
    "overdue",
]


# What only the terminal views use; JSON leaves it out.
TERMINAL_ONLY = frozenset({"step_list", "working_days_left", "days_overdue", "today"})


def _emit_request(data: "RequestDetail") -> None:
    """A request as JSON, the same shape from log, show and every move (docs/requests.md)."""
    emit_json({key: value for key, value in data.items() if key not in TERMINAL_ONLY})


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty()


def _at(st: AppState, at: str | None) -> "datetime | None":
    if at is None:
        return None
    from egovctl.timeutil import parse_at

    return parse_at(at, st.timezone)


@app.command(
    "log",
    help=N_(
        "Log a citizen's application; prints its registration number and due date.\n\n"
        'Example: egovctl request log DUKCAPIL-KTP-EL --name "Siti Aminah" --nik 1906034507890001'
    ),
)
def log(
    ctx: typer.Context,
    procedure: Annotated[
        str | None,
        typer.Argument(
            help=N_("Procedure code."),
            metavar="PROCEDURE",
            show_default=False,
            autocompletion=completion.procedure_codes,
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help=N_("Applicant's name, as on the KTP."), show_default=False)
    ] = None,
    nik: Annotated[
        str | None, typer.Option(help=N_("Applicant's NIK (16 digits)."), show_default=False)
    ] = None,
    phone: Annotated[str | None, typer.Option(help=N_("Phone number (08... or +62...)."))] = None,
    address: Annotated[str | None, typer.Option(help=N_("Applicant's address."))] = None,
    channel: Annotated[Channel, typer.Option(help=N_("How the application came in."))] = "counter",
    note: Annotated[str | None, typer.Option(help=N_("A note kept with the request."))] = None,
    at: AtOpt = None,
    notify: Annotated[
        ConsentChannel,
        typer.Option(help=N_("How the applicant agrees to be told of each step (docs/notify.md).")),
    ] = "none",
    email: Annotated[
        str | None, typer.Option(help=N_("Applicant's e-mail address, for --notify email."))
    ] = None,
    json_: JsonOpt = False,
) -> None:
    from egovctl.notify.addresses import Consent
    from egovctl.requests.service import Applicant, log_request

    st = state(ctx)
    prompted = procedure is None or name is None or nik is None
    if prompted:
        procedure, name, nik, phone = _ask_missing(ctx, st, procedure, name, nik, phone)
    assert procedure is not None and name is not None and nik is not None
    applicant = Applicant.checked(name, nik, phone, address)
    consent = Consent.checked(notify, phone, email)
    shown: list[str] = []

    def confirm(warnings: list[str]) -> bool:
        shown.extend(warnings)
        _warn(warnings)
        return typer.confirm(_("Log it anyway?"), default=False, err=True)

    data = log_request(
        st.database(),
        st.actor,
        procedure,
        applicant,
        tz=st.timezone,
        channel=channel,
        note=note,
        at=_at(st, at),
        # Only a clerk at a terminal is asked (before anything is written); otherwise the
        # warnings come with the answer.
        confirm=confirm if _interactive() else None,
        consent=consent,
    )
    _warn([w for w in data.get("warnings", []) if w not in shown])
    if json_:
        _emit_request(data)
        return
    _said_logged(data)
    if prompted:
        _offer_receipt(st, data["reg_no"])


def _ask_missing(
    ctx: typer.Context,
    st: AppState,
    procedure: str | None,
    name: str | None,
    nik: str | None,
    phone: str | None,
) -> tuple[str, str, str, str | None]:
    """The procedure, name and NIK that were not given, asked for on a terminal
    (docs/desk.md#prompts); without one, the first missing is a usage error (exit 2)."""
    if not _interactive():
        from egovctl.cli import _click

        missing = "procedure" if procedure is None else "name" if name is None else "nik"
        param = next(p for p in ctx.command.params if p.name == missing)
        raise _click().exceptions.MissingParameter(ctx=ctx, param=param)
    from egovctl.catalogue.queries import list_procedures
    from egovctl.desk.prompts import Asker, complete_application

    procedures = [(p["code"], p["name"]) for p in list_procedures(st.database())]
    answer = complete_application(
        Asker(interactive=True),
        procedures,
        procedure=procedure.strip().upper() if procedure else None,
        name=name,
        nik=nik,
        phone=phone,
        ask_for_phone=phone is None,
    )
    return answer.procedure, answer.name, answer.nik, answer.phone


def _offer_receipt(st: AppState, reg_no: str) -> None:
    from egovctl.desk.prompts import Asker

    if not Asker(interactive=True).confirm(_("Print the receipt?"), default=True):
        return
    from egovctl.documents.printing import output_path, receipt, renderer

    doc = receipt(st.database(), st.actor, reg_no, tz=st.timezone)
    path = renderer(st.config).write(doc.template, doc.context, output_path(doc, None))
    say(_("receipt written to {path}").format(path=path))


def _said_logged(data: "RequestDetail") -> None:
    from egovctl.commands._views import sla_label
    from egovctl.formats import say_long_date

    reg_no = data["reg_no"]
    text = _("Request {reg_no} logged; due {due}.").format(
        reg_no=reg_no, due=say_long_date(data["due_date"])
    )
    before, _sep, after = text.partition(reg_no)
    say(before, (reg_no, "green"), after)
    say(
        _("{procedure} ({service_time})").format(
            procedure=data["procedure_name"], service_time=sla_label(data["sla_days"])
        )
    )
    if data.get("counted_from"):
        say(
            _("received after the cut-off: counted from {day}").format(
                day=say_long_date(data["counted_from"])
            )
        )
    _say_consent(data.get("notify"))


def _say_consent(consent: "dict[str, str | None] | None") -> None:
    if not consent or consent["channel"] == "none":
        return
    say(
        _("The applicant is told of each step by {channel} at {to}.").format(
            channel=CONSENT_WORDS.get(consent["channel"] or "", consent["channel"]),
            to=consent["to"],
        )
    )


CONSENT_WORDS = {"wa": "WhatsApp", "sms": "SMS", "email": "e-mail"}


@app.command(
    "notify",
    help=N_("Change how the applicant is told of each step: WhatsApp, SMS, e-mail or none."),
)
def notify(
    ctx: typer.Context,
    reg: RegArg,
    channel: Annotated[
        ConsentChannel, typer.Option(help=N_("wa, sms, email or none."), show_default=False)
    ],
    phone: Annotated[
        str | None,
        typer.Option(help=N_("Phone number for wa or sms (default: the request's).")),
    ] = None,
    email: Annotated[str | None, typer.Option(help=N_("E-mail address, for email."))] = None,
    json_: JsonOpt = False,
) -> None:
    from egovctl.notify.consent import set_consent

    st = state(ctx)
    data = set_consent(st.database(), st.actor, reg, channel, phone=phone, email=email)
    if json_:
        emit_json(data)
        return
    if data["channel"] == "none":
        say(_("{reg_no}: the applicant is no longer told.").format(reg_no=data["reg_no"]))
    else:
        _say_consent(data)


def _move(
    ctx: typer.Context,
    reg: str,
    action: Action,
    json_: bool,
    *,
    note: str | None = None,
    at: str | None = None,
    delivered_to: str | None = None,
) -> None:
    from egovctl.requests.service import transition

    st = state(ctx)
    data = transition(
        st.database(),
        st.actor,
        reg,
        action,
        tz=st.timezone,
        note=note,
        at=_at(st, at),
        delivered_to=delivered_to,
        began=st.began,
    )
    if json_:
        _emit_request(data)
        return
    from egovctl.formats import say_date
    from egovctl.requests.vocabulary import status_word

    status, due = status_word(data["status"]), say_date(data["due_date"])
    if data["status"] == "in_progress":
        say(
            _("{reg_no}: {status}, step {step}/{steps}: {step_name} (due {due})").format(
                reg_no=data["reg_no"],
                status=status,
                step=data["step"],
                steps=data["steps"],
                step_name=data["step_list"][data["step"] - 1]["name"],
                due=due,
            )
        )
    else:
        say(
            _("{reg_no}: {status} (due {due})").format(
                reg_no=data["reg_no"], status=status, due=due
            )
        )


@app.command(
    "advance",
    help=N_("Complete the current step; after the last step the request is ready for pickup."),
)
def advance(
    ctx: typer.Context,
    reg: RegArg,
    note: Annotated[str | None, typer.Option(help=N_("A note for the history."))] = None,
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _move(ctx, reg, "advance", json_, note=note, at=at)


@app.command(
    "hold",
    help=N_(
        "Put a request on hold while waiting on the applicant (the SLA clock stops: "
        "resuming moves the due date back by the working days it was on hold)."
    ),
)
def hold(
    ctx: typer.Context,
    reg: RegArg,
    reason: Annotated[
        str, typer.Option(help=N_("Why (e.g. a missing document)."), show_default=False)
    ],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _move(ctx, reg, "hold", json_, note=reason, at=at)


@app.command(
    "resume", help=N_("Resume a request on hold; its due date moves by the working days it waited.")
)
def resume(ctx: typer.Context, reg: RegArg, at: AtOpt = None, json_: JsonOpt = False) -> None:
    _move(ctx, reg, "resume", json_, at=at)


@app.command("deliver", help=N_("Hand over a finished document (ready → delivered)."))
def deliver(
    ctx: typer.Context,
    reg: RegArg,
    to: Annotated[str | None, typer.Option("--to", help=N_("Who collected it."))] = None,
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _move(ctx, reg, "deliver", json_, at=at, delivered_to=to)


@app.command("reject", help=N_("Reject a request, for instance when its requirements are not met."))
def reject(
    ctx: typer.Context,
    reg: RegArg,
    reason: Annotated[str, typer.Option(help=N_("Why it is rejected."), show_default=False)],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _move(ctx, reg, "reject", json_, note=reason, at=at)


@app.command("cancel", help=N_("Cancel a request, for instance when the applicant withdraws it."))
def cancel(
    ctx: typer.Context,
    reg: RegArg,
    reason: Annotated[str, typer.Option(help=N_("Why it is cancelled."), show_default=False)],
    at: AtOpt = None,
    json_: JsonOpt = False,
) -> None:
    _move(ctx, reg, "cancel", json_, note=reason, at=at)


@app.command("show", help=N_("Show a request's timeline: steps, history, due date."))
def show(ctx: typer.Context, reg: RegArg, json_: JsonOpt = False) -> None:
    from egovctl.requests.queries import show_request

    st = state(ctx)
    data = show_request(st.database(), reg, tz=st.timezone, actor=st.actor)
    if json_:
        _emit_request(data)
        return
    from egovctl.commands._views import request_timeline

    console.print(request_timeline(data))
    _say_consent(data.get("notify"))


@app.command(
    "list",
    help=N_(
        "List requests, oldest due first.\n\n"
        "Example: egovctl request list --due-within 0   (what is due today)"
    ),
)
def list_(
    ctx: typer.Context,
    status: Annotated[Status | None, typer.Option(help=N_("Only requests in this status."))] = None,
    procedure: Annotated[
        str | None,
        typer.Option(help=N_("Procedure code."), autocompletion=completion.procedure_codes),
    ] = None,
    agency: Annotated[
        str | None, typer.Option(help=N_("Agency code."), autocompletion=completion.agency_codes)
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=N_("Only overdue requests."))] = False,
    due_within: Annotated[
        int | None,
        typer.Option(
            "--due-within",
            help=N_("Open requests due within N working days (0: due today)."),
            min=0,
            max=1000,
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help=N_("Received on or after DATE."), callback=date_value)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help=N_("Received on or before DATE."), callback=date_value)
    ] = None,
    search: Annotated[
        str | None, typer.Option(help=N_("Registration number, name or NIK."))
    ] = None,
    limit: Annotated[int, typer.Option(help=N_("At most N requests."), min=1, max=1_000_000)] = 50,
    show_nik: Annotated[
        bool, typer.Option("--show-nik", help=N_("Full NIKs (admin or supervisor)."))
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
    csv_: Annotated[bool, typer.Option("--csv", help=N_("Print CSV."))] = False,
) -> None:
    from egovctl.requests.queries import RequestFilter, list_requests
    from egovctl.timeutil import parse_date

    exclusive(json=json_, csv=csv_)
    st = state(ctx)
    flt = RequestFilter(
        status=status,
        procedure=procedure,
        agency=agency,
        overdue=overdue,
        due_within=due_within,
        search=search,
        limit=limit,
        since=parse_date(since, N_("--since date")) if since else None,
        until=parse_date(until, N_("--until date")) if until else None,
    )
    rows = list_requests(st.database(), st.actor, flt, tz=st.timezone, show_nik=show_nik)
    if json_:
        emit_json(rows)
        return
    if csv_:
        flat = [{**r, **{f"applicant_{k}": v for k, v in r["applicant"].items()}} for r in rows]
        emit_csv(flat, CSV_COLUMNS)
        return
    import os
    import shutil

    from egovctl.commands._views import request_table

    color = False if "NO_COLOR" in os.environ else None  # None: colour on a terminal only
    for text in request_table(rows, shutil.get_terminal_size().columns, tz=st.timezone):
        typer.echo(text, color=color)
