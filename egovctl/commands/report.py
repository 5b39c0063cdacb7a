"""`egovctl report ...`: performance reports and the satisfaction index for heads of office."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json, exclusive
from egovctl.commands._state import AppState, state
from egovctl.i18n import N_, _

app = noun_app("report")

PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        help=N_("2026-11 (month), 2026-Q4, 2026-S2 or 2026; default this month."),
        show_default=False,
    ),
]
FromOpt = Annotated[
    str | None, typer.Option("--from", help=N_("First day, e.g. 2026-11-01."), show_default=False)
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help=N_("Last day (included)."), show_default=False)
]
AgencyOpt = Annotated[str | None, typer.Option(help=N_("Only this agency (code)."))]
ProcedureOpt = Annotated[str | None, typer.Option(help=N_("Only this procedure (code)."))]
JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print JSON."))]
CsvOpt = Annotated[bool, typer.Option("--csv", help=N_("Print CSV."))]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", help=N_("Write to FILE: .xlsx, .csv, .html or .pdf."), show_default=False
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help=N_("Overwrite an existing file."))]


class Breakdown(StrEnum):
    procedure = "procedure"
    agency = "agency"


def _period(st: AppState, period: str | None, date_from: str | None, date_to: str | None) -> Any:
    from egovctl.reports.periods import PeriodError, parse_period
    from egovctl.timeutil import today

    try:
        return parse_period(period, date_from, date_to, today=today(st.timezone))
    except PeriodError as exc:
        raise typer.BadParameter(exc.message, param_hint="'--period'") from None


def _emit(
    ctx: typer.Context,
    kind: str,
    data: dict[str, Any],
    period: Any,
    *,
    json_: bool,
    csv_: bool,
    output: Path | None,
    force: bool,
) -> None:
    if json_:
        emit_json(data)
        return
    if csv_:
        import sys

        from egovctl.reports.tables import csv_text, tables

        sys.stdout.write(csv_text(tables(kind, data)))
        return
    if output is not None:
        from egovctl.reports.files import write

        path = write(kind, data, output, period=period, config=state(ctx).config, force=force)
        console.print(_("report written to {path}").format(path=path))
        return
    from egovctl.commands._report_views import render

    render(console, kind, data, period)


def _run(
    ctx: typer.Context,
    kind: str,
    period: str | None,
    date_from: str | None,
    date_to: str | None,
    agency: str | None,
    procedure: str | None,
    json_: bool,
    csv_: bool,
    output: Path | None,
    force: bool,
    **extra: Any,
) -> None:
    exclusive(json=json_, csv=csv_, output=output is not None)
    st = state(ctx)
    span = _period(st, period, date_from, date_to)
    db = st.database()
    wants_trend = output is not None and output.suffix.lower() in (".html", ".pdf", ".xlsx")
    if kind == "summary":
        from egovctl.reports.summary import summary

        data = summary(
            db,
            st.actor,
            span,
            tz=st.timezone,
            agency=agency,
            procedure=procedure,
            with_trend=wants_trend,
        )
    elif kind == "sla":
        from egovctl.reports.sla import sla

        data = sla(db, st.actor, span, tz=st.timezone, agency=agency, procedure=procedure, **extra)
    elif kind == "officers":
        from egovctl.reports.officers import officers

        data = officers(db, st.actor, span, tz=st.timezone, agency=agency, procedure=procedure)
    elif kind == "complaints":
        from egovctl.complaints.report import complaints_report

        data = complaints_report(db, st.actor, span, tz=st.timezone, agency=agency)
    else:
        from egovctl.reports.ikm import weight_from_name
        from egovctl.reports.ikm_report import ikm

        survey = st.config.survey
        data = ikm(
            db,
            st.actor,
            span,
            agency=agency,
            procedure=procedure,
            weight=weight_from_name(survey.weight),
            population=survey.population,
            **extra,
        )
    _emit(ctx, kind, data, span, json_=json_, csv_=csv_, output=output, force=force)


@app.command(
    "summary",
    help=N_(
        "Requests received, finished on time and late, closed, overdue; median working days.\n\n"
        "Example: egovctl report summary --period 2026-11 -o rekap-2026-11.pdf"
    ),
)
def summary(
    ctx: typer.Context,
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    agency: AgencyOpt = None,
    procedure: ProcedureOpt = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    _run(ctx, "summary", period, date_from, date_to, agency, procedure, json_, csv_, output, force)


@app.command(
    "sla",
    help=N_(
        "Overdue and due-soon requests by agency and procedure, at the period's end (or now).\n\n"
        "Example: egovctl report sla --agency DISDUKCAPIL"
    ),
)
def sla(
    ctx: typer.Context,
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    agency: AgencyOpt = None,
    procedure: ProcedureOpt = None,
    due_within: Annotated[
        int,
        typer.Option(
            "--due-within", help=N_("Working days that count as due soon."), min=0, max=1000
        ),
    ] = 2,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    _run(
        ctx,
        "sla",
        period,
        date_from,
        date_to,
        agency,
        procedure,
        json_,
        csv_,
        output,
        force,
        due_within=due_within,
    )


@app.command("officers", help=N_("Work done per staff member: actions on requests in the period."))
def officers(
    ctx: typer.Context,
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    agency: AgencyOpt = None,
    procedure: ProcedureOpt = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    _run(ctx, "officers", period, date_from, date_to, agency, procedure, json_, csv_, output, force)


@app.command(
    "ikm",
    help=N_(
        "Community satisfaction index (PermenPANRB 14/2017): NRR per unsur, IKM, grade, "
        "and the minimum sample for the period's service users.\n\n"
        "Example: egovctl report ikm --period 2026-S2 --by procedure -o ikm-2026-s2.pdf"
    ),
)
def ikm(
    ctx: typer.Context,
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    agency: AgencyOpt = None,
    procedure: ProcedureOpt = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    by: Annotated[
        Breakdown | None,
        typer.Option(
            "--by",
            help=N_("Only this breakdown: per procedure or per agency (default both)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    _run(
        ctx,
        "ikm",
        period,
        date_from,
        date_to,
        agency,
        procedure,
        json_,
        csv_,
        output,
        force,
        by=by.value if by is not None else None,
    )


@app.command(
    "complaints",
    help=N_(
        "Complaints received, answered on time and late, still open; by channel and outcome.\n\n"
        "Example: egovctl report complaints --period 2026 -o pengaduan-2026.pdf"
    ),
)
def complaints(
    ctx: typer.Context,
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    agency: AgencyOpt = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    _run(ctx, "complaints", period, date_from, date_to, agency, None, json_, csv_, output, force)
