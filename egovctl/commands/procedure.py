"""`egovctl procedure ...`: the catalogue of service procedures (standar pelayanan)."""

from pathlib import Path
from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import (
    LazyProgress,
    console,
    emit_csv,
    emit_json,
    err_console,
    exclusive,
)
from egovctl.commands._state import state
from egovctl.formats import say_fee
from egovctl.i18n import N_, _, ngettext

app = noun_app("procedure")

JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print JSON."))]
CsvOpt = Annotated[bool, typer.Option("--csv", help=N_("Print CSV."))]
LIST_COLUMNS = ["code", "name", "agency", "version", "sla_days", "fee", "active", "category"]


@app.command(
    "import",
    help=N_(
        "Import procedures and agencies from YAML (all or nothing).\n\n"
        "Example: egovctl procedure import procedures/"
    ),
)
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help=N_("YAML files or directories."), show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Validate and report, write nothing."))
    ] = False,
    json_: JsonOpt = False,
) -> None:
    from egovctl.catalogue.store import import_catalogue

    st = state(ctx)
    bar = LazyProgress()
    try:
        summary = import_catalogue(
            st.database(), st.actor, [str(p) for p in paths], dry_run=dry_run, progress=bar
        )
    finally:
        bar.close()
    for warning in summary.said_warnings:
        typer.echo("warning: " + warning, err=True)
    if json_:
        emit_json(summary.as_dict())
        return
    n = summary.files
    if dry_run:
        head = ngettext("Would import from {n} file:", "Would import from {n} files:", n)
    else:
        head = ngettext("Imported from {n} file:", "Imported from {n} files:", n)
    console.print(head.format(n=n))
    for label, kind in ((_("agencies"), summary.agencies), (_("procedures"), summary.procedures)):
        c = kind.counts()
        counts = _("{created} created, {updated} updated, {unchanged} unchanged").format(
            created=c["created"], updated=c["updated"], unchanged=c["unchanged"]
        )
        console.print(f"  {label:<11} {counts}")
    if dry_run:
        console.print(_("dry run: nothing was written"), style="yellow")


@app.command("list", help=N_("List the procedures of the catalogue."))
def list_(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help=N_("Only this agency's procedures."))] = None,
    category: Annotated[str | None, typer.Option(help=N_("Only this category."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=N_("Include retired procedures."))] = False,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
) -> None:
    from egovctl.catalogue.queries import list_procedures

    exclusive(json=json_, csv=csv_)
    rows = list_procedures(
        state(ctx).database(), agency=agency, category=category, include_retired=all_
    )
    if json_:
        emit_json(rows)
        return
    if csv_:
        emit_csv(rows, LIST_COLUMNS)
        return
    if not rows:
        _explain_empty(ctx, agency, category, all_)
        return
    from rich.table import Table

    table = Table(
        title=_("Service catalogue ({count})").format(count=len(rows)), title_justify="left"
    )
    wide = console.width >= 110
    # Codes never wrap or shrink: a clerk copies them into the next command.
    table.add_column(_("Code"), no_wrap=True, min_width=max(len(r["code"]) for r in rows))
    table.add_column(_("Service"), ratio=1)
    if wide:
        table.add_column(_("Agency"), no_wrap=True)
        table.add_column(_("Version"), justify="right")
    table.add_column(_("Time"), justify="right", no_wrap=True)
    table.add_column(_("Fee"), justify="right", no_wrap=True)
    for r in rows:
        style = None if r["active"] else "dim"
        name = r["name"] if r["active"] else _("{name} (retired)").format(name=r["name"])
        cells = [r["code"], name]
        if wide:
            cells += [r["agency"], str(r["version"])]
        days = ngettext("{n} day", "{n} days", r["sla_days"]).format(n=r["sla_days"])
        cells += [days, say_fee(r["fee"])]
        table.add_row(*cells, style=style)
    console.print(table)


def _explain_empty(
    ctx: typer.Context, agency: str | None, category: str | None, all_: bool
) -> None:
    """Why the listing is empty: no catalogue yet, the filters, or only retired procedures."""
    from egovctl.catalogue.queries import catalogue_overview

    seen = catalogue_overview(state(ctx).database())
    total = seen["active"] + seen["retired"]
    if total == 0:
        console.print(
            _("No procedures. Import some with: {command}").format(
                command="egovctl procedure import procedures/"
            )
        )
        return
    filters = [
        f"--{name} {value!r}"
        for name, value in (("agency", agency), ("category", category))
        if value
    ]
    if filters:
        if all_:
            counted = ngettext(
                "{n} procedure in the catalogue", "{n} procedures in the catalogue", total
            ).format(n=total)
        else:
            counted = ngettext(
                "{n} active procedure in the catalogue",
                "{n} active procedures in the catalogue",
                seen["active"],
            ).format(n=seen["active"])
        console.print(
            _("No procedures match {filters} ({counted}).").format(
                filters=_(" and ").join(filters), counted=counted
            )
        )
    else:
        console.print(_("No active procedures; {n} retired.").format(n=seen["retired"]))
    categories = seen["categories"]
    if category and categories:
        from egovctl.suggest import closest

        # The filter ignores case, so the suggestion does too.
        close = closest(category, categories)
        if close:
            console.print(_("Did you mean {option}?").format(option=f"--category {close!r}"))
        elif len(categories) <= 20:
            console.print(_("Categories: {names}").format(names=", ".join(categories)))
    if not all_ and seen["retired"]:
        console.print(_("Retired procedures are hidden; add --all to include them."))


@app.command("show", help=N_("Show one procedure: requirements, steps, time, fee, legal basis."))
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=N_("Procedure code."), show_default=False)],
    version: Annotated[int | None, typer.Option(min=1, help=N_("An older version."))] = None,
    json_: JsonOpt = False,
) -> None:
    from egovctl.catalogue.queries import show_procedure

    data = show_procedure(state(ctx).database(), code, version)
    if json_:
        data.pop("agency_detail")
        emit_json(data)
        return
    from egovctl.commands._views import procedure_panel

    console.print(procedure_panel(dict(data)))


@app.command("export", help=N_("Export procedures and their agencies as YAML that imports back."))
def export(
    ctx: typer.Context,
    codes: Annotated[
        list[str] | None,
        typer.Argument(help=N_("Procedure codes (default: all)."), show_default=False),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help=N_("Write to this YAML file."))
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Overwrite an existing file."))] = False,
) -> None:
    from egovctl.catalogue.dump import export_catalogue

    if output is not None and output.suffix.lower() not in (".yaml", ".yml"):
        raise typer.BadParameter(
            _("{path} does not end in .yaml or .yml; the export is YAML").format(path=output),
            param_hint="'-o'",
        )
    text = export_catalogue(state(ctx).database(), codes or [])
    if output is None:
        typer.echo(text, nl=False)
        return
    from egovctl.fileio import write_text_atomic

    write_text_atomic(output, text, force=force)
    err_console.print(_("written {path}").format(path=output))


def _set_active(ctx: typer.Context, code: str, active: bool, json_: bool) -> None:
    from egovctl.catalogue.store import set_active

    st = state(ctx)
    result = set_active(st.database(), st.actor, code, active)
    if json_:
        emit_json(result)
    else:
        if active:
            said = _("{code} reactivated")
        else:
            said = _("{code} retired: it takes no new requests")
        console.print(said.format(code=result["code"]))


@app.command("retire", help=N_("Stop new requests for a procedure (nothing is deleted)."))
def retire(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=N_("Procedure code."), show_default=False)],
    json_: JsonOpt = False,
) -> None:
    _set_active(ctx, code, False, json_)


@app.command("reactivate", help=N_("Accept new requests for a retired procedure again."))
def reactivate(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=N_("Procedure code."), show_default=False)],
    json_: JsonOpt = False,
) -> None:
    _set_active(ctx, code, True, json_)


@app.command("schema", help=N_("Print the JSON Schema of a catalogue document (for editors)."))
def schema() -> None:
    from egovctl.catalogue.schema import catalogue_json_schema

    emit_json(catalogue_json_schema())
