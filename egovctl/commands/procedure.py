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
from egovctl.formats import fee_label

app = noun_app("procedure")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
LIST_COLUMNS = ["code", "name", "agency", "version", "sla_days", "fee", "active", "category"]


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="YAML files or directories.", show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report, write nothing.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Import procedures and agencies from YAML (all or nothing).

    Example: egovctl procedure import procedures/
    """
    from egovctl.catalogue.store import import_catalogue

    st = state(ctx)
    bar = LazyProgress()
    try:
        summary = import_catalogue(
            st.database(), st.actor, [str(p) for p in paths], dry_run=dry_run, progress=bar
        )
    finally:
        bar.close()
    for warning in summary.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if json_:
        emit_json(summary.as_dict())
        return
    head = "Would import" if dry_run else "Imported"
    console.print(f"{head} from {summary.files} file(s):")
    for label, kind in (("agencies", summary.agencies), ("procedures", summary.procedures)):
        c = kind.counts()
        console.print(
            f"  {label:<11} {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged"
        )
    if dry_run:
        console.print("dry run: nothing was written", style="yellow")


@app.command("list")
def list_(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Only this agency's procedures.")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include retired procedures.")] = False,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """List the procedures of the catalogue."""
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

    table = Table(title=f"Katalog layanan ({len(rows)})", title_justify="left")
    wide = console.width >= 110
    # Codes never wrap or shrink: a clerk copies them into the next command.
    table.add_column("Kode", no_wrap=True, min_width=max(len(r["code"]) for r in rows))
    table.add_column("Layanan", ratio=1)
    if wide:
        table.add_column("OPD", no_wrap=True)
        table.add_column("Versi", justify="right")
    table.add_column("Waktu", justify="right", no_wrap=True)
    table.add_column("Biaya", justify="right", no_wrap=True)
    for r in rows:
        style = None if r["active"] else "dim"
        name = r["name"] + ("" if r["active"] else " (dihentikan)")
        cells = [r["code"], name]
        if wide:
            cells += [r["agency"], str(r["version"])]
        cells += [f"{r['sla_days']} hari", fee_label(r["fee"])]
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
        console.print("No procedures. Import some with: egovctl procedure import procedures/")
        return
    filters = [
        f"--{name} {value!r}"
        for name, value in (("agency", agency), ("category", category))
        if value
    ]
    if filters:
        counted = f"{total} procedures" if all_ else f"{seen['active']} active procedures"
        console.print(f"No procedures match {' and '.join(filters)} ({counted} in the catalogue).")
    else:
        console.print(f"No active procedures; {seen['retired']} retired.")
    categories = seen["categories"]
    if category and categories:
        from egovctl.suggest import closest

        # The filter ignores case, so the suggestion does too.
        close = closest(category, categories)
        if close:
            console.print(f"Did you mean --category {close!r}?")
        elif len(categories) <= 20:
            console.print(f"Categories: {', '.join(categories)}")
    if not all_ and seen["retired"]:
        console.print("Retired procedures are hidden; add --all to include them.")


@app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Procedure code.", show_default=False)],
    version: Annotated[int | None, typer.Option(min=1, help="An older version.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Show one procedure: requirements, steps, time, fee, legal basis."""
    from egovctl.catalogue.queries import show_procedure

    data = show_procedure(state(ctx).database(), code, version)
    if json_:
        data.pop("agency_detail")
        emit_json(data)
        return
    from egovctl.commands._views import procedure_panel

    console.print(procedure_panel(dict(data)))


@app.command("export")
def export(
    ctx: typer.Context,
    codes: Annotated[
        list[str] | None, typer.Argument(help="Procedure codes (default: all).", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this YAML file.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Export procedures and their agencies as YAML that imports back."""
    from egovctl.catalogue.dump import export_catalogue

    if output is not None and output.suffix.lower() not in (".yaml", ".yml"):
        raise typer.BadParameter(
            f"{output} does not end in .yaml or .yml; the export is YAML", param_hint="'-o'"
        )
    text = export_catalogue(state(ctx).database(), codes or [])
    if output is None:
        typer.echo(text, nl=False)
        return
    from egovctl.fileio import write_text_atomic

    write_text_atomic(output, text, force=force)
    err_console.print(f"written {output}")


def _set_active(ctx: typer.Context, code: str, active: bool, json_: bool) -> None:
    from egovctl.catalogue.store import set_active

    st = state(ctx)
    result = set_active(st.database(), st.actor, code, active)
    if json_:
        emit_json(result)
    else:
        word = "reactivated" if active else "retired: it takes no new requests"
        console.print(f"{result['code']} {word}")


@app.command("retire")
def retire(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Procedure code.", show_default=False)],
    json_: JsonOpt = False,
) -> None:
    """Stop new requests for a procedure (nothing is deleted)."""
    _set_active(ctx, code, False, json_)


@app.command("reactivate")
def reactivate(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Procedure code.", show_default=False)],
    json_: JsonOpt = False,
) -> None:
    """Accept new requests for a retired procedure again."""
    _set_active(ctx, code, True, json_)


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of a catalogue document (for editors)."""
    from egovctl.catalogue.schema import catalogue_json_schema

    emit_json(catalogue_json_schema())
