"""`egovctl print ...`: receipts and notice-board documents as PDF or HTML."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json, say
from egovctl.commands._state import AppState, state
from egovctl.i18n import N_, _

if TYPE_CHECKING:
    from egovctl.documents.printing import Document

app = noun_app("print")

OutOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help=N_("Output file, .pdf or .html (default: a PDF here, named for it)."),
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help=N_("Overwrite an existing file."))]
AgencyOpt = Annotated[str | None, typer.Option(help=N_("Only this agency."))]

# A choice, so Click rejects a typo as a usage error (exit 2) that lists the sizes
# (docs/output-and-errors.md).
Paper = Literal["a5", "80mm"]

# Where a template comes from, as the terminal says it (the JSON keeps the keys).
SOURCE_WORDS = {"bundled": N_("bundled"), "kantor": N_("office")}


def _write(st: AppState, doc: "Document", output: Path | None, force: bool) -> None:
    from egovctl.documents.printing import output_path, renderer

    rend = renderer(st.config)
    path = rend.write(doc.template, doc.context, output_path(doc, output), force=force)
    for warning in rend.layout_warnings:
        typer.echo("warning: " + warning, err=True)
    # A plain line: Rich would wrap a long path and cost ~30 ms.
    say(_("written {path}").format(path=path))


@app.command(
    "receipt",
    help=N_("Print the receipt (bukti pendaftaran) with a QR code of the registration number."),
)
def receipt(
    ctx: typer.Context,
    reg: Annotated[str, typer.Argument(help=N_("Registration number."), show_default=False)],
    paper: Annotated[
        Paper,
        typer.Option(help=N_("a5, or 80mm for thermal counter printers."), case_sensitive=False),
    ] = "a5",
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from egovctl.documents.printing import receipt as build

    st = state(ctx)
    _write(st, build(st.database(), st.actor, reg, tz=st.timezone, paper=paper), output, force)


@app.command("standard", help=N_("Print a procedure's service standard (standar pelayanan) sheet."))
def standard(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=N_("Procedure code."), show_default=False)],
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from egovctl.documents.printing import standard as build

    st = state(ctx)
    _write(st, build(st.database(), st.actor, code), output, force)


@app.command(
    "catalogue", help=N_("Print a booklet of all service standards with a table of contents.")
)
def catalogue(
    ctx: typer.Context, agency: AgencyOpt = None, output: OutOpt = None, force: ForceOpt = False
) -> None:
    from egovctl.documents.printing import catalogue as build

    st = state(ctx)
    _write(st, build(st.database(), st.actor, agency), output, force)


@app.command(
    "maklumat", help=N_("Print the service pledge (maklumat pelayanan) signed by the agency head.")
)
def maklumat(
    ctx: typer.Context,
    agency: Annotated[str, typer.Argument(help=N_("Agency code."), show_default=False)],
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from egovctl.documents.printing import maklumat as build
    from egovctl.timeutil import today

    st = state(ctx)
    _write(st, build(st.database(), st.actor, agency, day=today(st.timezone)), output, force)


@app.command(
    "announcement",
    help=N_(
        "Print an announcement (pengumuman) written in Markdown.\n\n"
        "Example: egovctl print announcement pidato.md --signer DISDUKCAPIL --number 800/12/2026"
    ),
)
def announcement(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help=N_("The announcement in Markdown; pictures beside it: ![keterangan](foto.png)."),
            show_default=False,
        ),
    ],
    title: Annotated[
        str | None, typer.Option(help=N_("Title (default: the # heading the file starts with)."))
    ] = None,
    signer: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "An agency code (its head signs, on its letterhead), a staff username, "
                "or 'Name|Title|NIP'."
            )
        ),
    ] = None,
    number: Annotated[str | None, typer.Option(help=N_("Letter number (nomor surat)."))] = None,
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from egovctl.documents.announcement import announcement as build
    from egovctl.timeutil import today

    st = state(ctx)
    doc = build(
        st.database(),
        st.actor,
        file,
        title=title,
        signer=signer,
        number=number,
        day=today(st.timezone),
    )
    _write(st, doc, output, force)


@app.command("ready-list", help=N_("Print the list of documents ready for pickup (NIK masked)."))
def ready_list(
    ctx: typer.Context, agency: AgencyOpt = None, output: OutOpt = None, force: ForceOpt = False
) -> None:
    from egovctl.documents.printing import ready_list as build
    from egovctl.timeutil import now_utc

    st = state(ctx)
    _write(st, build(st.database(), st.actor, agency, tz=st.timezone, now=now_utc()), output, force)


@app.command(
    "templates",
    help=N_("List every template and whether the bundled or the office's own copy is used."),
)
def templates(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
) -> None:
    from egovctl.documents.printing import renderer

    rows = [
        {"name": t.name, "source": t.source, "path": str(t.path)}
        for t in renderer(state(ctx).config).list_templates()
    ]
    if json_:
        emit_json(rows)
        return
    from rich.table import Table

    table = Table(title=_("Templates"), title_justify="left")
    table.add_column(_("Name"))
    table.add_column(_("Source"))
    table.add_column(_("Path"), style="dim")
    for r in rows:
        table.add_row(
            r["name"],
            _(SOURCE_WORDS.get(r["source"], r["source"])),
            r["path"],
            style="bold" if r["source"] != "bundled" else None,
        )
    console.print(table)


@app.command(
    "complaint-receipt",
    help=N_("Print the complaint receipt (tanda terima pengaduan, A5) with the response deadline."),
)
def complaint_receipt(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help=N_("Complaint number."), show_default=False)],
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from egovctl.documents.complaints import complaint_receipt as build

    st = state(ctx)
    _write(st, build(st.database(), st.actor, number, tz=st.timezone), output, force)


@app.command(
    "complaint-recap",
    help=N_("Print the notice-board recap of a period's complaints (counts only, no names)."),
)
def complaint_recap(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help=N_("2026-11, 2026-Q4, 2026-S2 or 2026; default this month."),
            show_default=False,
        ),
    ] = None,
    agency: AgencyOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from egovctl.documents.complaints import complaint_recap as build
    from egovctl.reports.periods import PeriodError, parse_period
    from egovctl.timeutil import today

    st = state(ctx)
    try:
        span = parse_period(period, None, None, today=today(st.timezone))
    except PeriodError as exc:
        raise typer.BadParameter(exc.message, param_hint="--period") from None
    _write(st, build(st.database(), st.actor, span, tz=st.timezone, agency=agency), output, force)
