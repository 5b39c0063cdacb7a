"""`egovctl survey ...`: record answers to the community satisfaction survey (SKM)."""

from pathlib import Path
from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json, styled
from egovctl.commands._params import at_value
from egovctl.commands._state import state
from egovctl.formats import say_date, say_number
from egovctl.i18n import N_, _, ngettext

app = noun_app("survey")
JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print the result as JSON."))]


@app.command(
    "record",
    help=N_(
        "Record one respondent's answers.\n\n"
        "Example: egovctl survey record --procedure DUKCAPIL-KTP-EL --scores 4,3,3,4,4,3,4,4,3"
    ),
)
def record(
    ctx: typer.Context,
    procedure: Annotated[
        str, typer.Option(help=N_("Procedure code the answer is about."), show_default=False)
    ],
    scores: Annotated[
        str,
        typer.Option(
            help=N_(
                "Nine scores 1-4 separated by commas, in the order U1..U9; - for one left blank."
            ),
            show_default=False,
        ),
    ],
    reg: Annotated[
        str | None,
        typer.Option("--reg", help=N_("Registration number of the request the answer is about.")),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help=N_("Day the answer was given (default today), e.g. 2026-11-27."),
            show_default=False,
            callback=at_value,
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    from egovctl.reports import survey
    from egovctl.timeutil import local_date, parse_at, parse_date

    st = state(ctx)
    scores_list = survey.parse_scores(scores)
    day = None
    if at is not None:
        # A day is what counts; a full time is accepted and read in the office's zone.
        day = (
            parse_date(at, "--at date")
            if len(at.strip()) <= 10
            else local_date(parse_at(at, st.timezone), st.timezone)
        )
    data = survey.record(
        st.database(), st.actor, procedure, scores_list, tz=st.timezone, reg_no=reg, day=day
    )
    if json_:
        emit_json(data)
        return
    if data["reg_no"]:
        text = _("answer {id} recorded for {procedure} on {date} (request {reg_no})")
    else:
        text = _("answer {id} recorded for {procedure} on {date}")
    before, _sep, after = text.partition("{procedure}")
    fields = {"id": data["id"], "date": say_date(data["date"]), "reg_no": data["reg_no"]}
    console.print(
        styled(before.format(**fields), (data["procedure"], "bold"), after.format(**fields))
    )


@app.command(
    "import",
    help=N_(
        "Import answers from a CSV file, all or nothing; bad rows are named by line.\n\n"
        "Example: egovctl survey import skm-2026-11.csv"
    ),
)
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help=N_("CSV file with header date,procedure,u1,...,u9."), show_default=False
        ),
    ],
    again: Annotated[
        bool,
        typer.Option(
            "--again", help=N_("Import a file that was imported before (adds its answers again).")
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    from egovctl.reports import survey

    st = state(ctx)
    data = survey.import_csv(st.database(), st.actor, file, tz=st.timezone, again=again)
    if json_:
        emit_json(data)
        return
    console.print(
        ngettext(
            "imported {n} answer ({first} to {last}) from {file}",
            "imported {n} answers ({first} to {last}) from {file}",
            data["imported"],
        ).format(
            n=say_number(data["imported"]),
            first=say_date(data["from"]),
            last=say_date(data["to"]),
            file=data["file"],
        )
    )
    for code, n in data["procedures"].items():
        console.print(f"  {code}: {say_number(n)}")
    if data["blank_answers"]:
        console.print(
            ngettext(
                "{n} score left blank: each unsur's NRR divides by the respondents who answered it",
                "{n} scores left blank: each unsur's NRR divides by the respondents "
                "who answered it",
                data["blank_answers"],
            ).format(n=say_number(data["blank_answers"]))
        )
