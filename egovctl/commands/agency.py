"""`egovctl agency ...`: the agencies (OPD) of the catalogue."""

from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive
from egovctl.commands._state import state
from egovctl.i18n import N_, _

app = noun_app("agency")


@app.command("list", help=N_("List the agencies and how many active procedures each has."))
def list_(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
    csv_: Annotated[bool, typer.Option("--csv", help=N_("Print CSV."))] = False,
) -> None:
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

    table = Table(title=_("Agencies ({count})").format(count=len(rows)), title_justify="left")
    table.add_column(_("Code"))
    table.add_column(_("Name"))
    table.add_column(_("Procedures"), justify="right")
    table.add_column(_("Head"))
    for r in rows:
        head = r["head"]
        table.add_row(r["code"], r["name"], str(r["procedures"]), head["name"] if head else "-")
    console.print(table)


@app.command("show", help=N_("Show one agency with its head and procedures."))
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=N_("Agency code."), show_default=False)],
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
) -> None:
    from egovctl.catalogue.queries import show_agency

    data = show_agency(state(ctx).database(), code)
    if json_:
        emit_json(data)
        return
    from rich.panel import Panel

    head = data["head"]
    nip = head.get("nip") if head else None
    head_name = head["name"] if head else "-"
    lines = [
        data["code"],
        _("Address: {address}").format(address=data["address"] or "-"),
        _("Phone: {phone}").format(phone=data["phone"] or "-"),
        (
            _("Head: {name} (NIP {nip})").format(name=head_name, nip=nip)
            if nip
            else _("Head: {name}").format(name=head_name)
        ),
    ]
    if data["hours"]:
        from egovctl.catalogue.hours import ServiceHours

        lines += ["", _("Service hours:")]
        lines += [f"  {line}" for line in ServiceHours.parse(data["hours"]).say_lines()]
    lines += ["", _("Procedures:")]
    for p in data["procedures"]:
        name = p["name"] if p["active"] else _("{name} (retired)").format(name=p["name"])
        lines.append(f"  {p['code']}  {name}")
    console.print(Panel("\n".join(lines), title=data["name"], title_align="left"))
