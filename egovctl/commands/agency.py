"""`egovctl agency ...`: the agencies (OPD) of the catalogue."""

from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive
from egovctl.commands._state import state

app = noun_app("agency")


@app.command("list")
def list_(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """List the agencies and how many active procedures each has."""
    from egovctl.catalogue.queries import list_agencies

    exclusive(json=json_, csv=csv_)
    rows = list_agencies(state(ctx).database())
    if json_:
        emit_json(rows)
        return
    if csv_:
        emit_csv(rows, ["code", "name", "address", "phone", "procedures"])
        return
    from rich.table import Table

    table = Table(title=f"OPD ({len(rows)})", title_justify="left")
    table.add_column("Kode")
    table.add_column("Nama")
    table.add_column("Layanan", justify="right")
    table.add_column("Kepala")
    for r in rows:
        head = r["head"]
        table.add_row(r["code"], r["name"], str(r["procedures"]), head["name"] if head else "-")
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Agency code.", show_default=False)],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one agency with its head and procedures."""
    from egovctl.catalogue.queries import show_agency

    data = show_agency(state(ctx).database(), code)
    if json_:
        emit_json(data)
        return
    from rich.panel import Panel

    head = data["head"]
    nip = head.get("nip") if head else None
    lines = [
        data["code"],
        f"Alamat: {data['address'] or '-'}",
        f"Telepon: {data['phone'] or '-'}",
        f"Kepala: {head['name'] if head else '-'}" + (f" (NIP {nip})" if nip else ""),
        "",
        "Layanan:",
    ]
    for p in data["procedures"]:
        lines.append(f"  {p['code']}  {p['name']}" + ("" if p["active"] else " (dihentikan)"))
    console.print(Panel("\n".join(lines), title=data["name"], title_align="left"))
