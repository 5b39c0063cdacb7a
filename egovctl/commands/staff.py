"""`egovctl staff ...`: staff members and their roles."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive
from egovctl.commands._state import state

app = noun_app("staff")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
UserArg = Annotated[str, typer.Argument(help="Username.", show_default=False)]


class Role(StrEnum):
    """The roles of egovctl.models.staff.ROLES, spelled out here so that Click checks the
    value (a usage error, exit 2) without loading the models for every command."""

    admin = "admin"
    supervisor = "supervisor"
    counter = "counter"
    clerk = "clerk"


def _local(ctx: typer.Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Times in the office's timezone, with its offset, as the other commands print them."""
    from egovctl.timeutil import local_iso

    return {**data, "created_at": local_iso(data.get("created_at"), state(ctx).timezone)}


def _print(ctx: typer.Context, data: Mapping[str, Any], json_: bool, message: str) -> None:
    if json_:
        emit_json(_local(ctx, data))
    else:
        console.print(message)


@app.command("add")
def add(
    ctx: typer.Context,
    username: UserArg,
    name: Annotated[str, typer.Option(help="Full name.", show_default=False)],
    role: Annotated[Role, typer.Option(help="What the member may do.", show_default=False)],
    nip: Annotated[str | None, typer.Option(help="NIP (18 digits).")] = None,
    agency: Annotated[str | None, typer.Option(help="Bind to one agency's requests.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Add a staff member (the first one must be an admin).

    Example: egovctl staff add budi --name "Budi Santoso" --role counter --agency DISDUKCAPIL
    """
    from egovctl.staff.members import add_staff

    st = state(ctx)
    data = add_staff(st.database(), st.actor, username, name, role.value, nip=nip, agency=agency)
    _print(ctx, data, json_, f"added {data['username']} ({data['role']})")


@app.command("list")
def list_(
    ctx: typer.Context,
    json_: JsonOpt = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """List staff members."""
    from egovctl.staff.members import list_staff

    exclusive(json=json_, csv=csv_)
    rows = list_staff(state(ctx).database())
    if json_:
        emit_json([_local(ctx, r) for r in rows])
        return
    if csv_:
        emit_csv(rows, ["username", "name", "role", "nip", "agency", "active"])
        return
    from rich.table import Table

    table = Table(title=f"Staff ({len(rows)})", title_justify="left")
    for col in ("Username", "Nama", "Peran", "NIP", "OPD", "Aktif"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["username"],
            r["name"],
            r["role"],
            r["nip"] or "-",
            r["agency"] or "-",
            "ya" if r["active"] else "tidak",
            style=None if r["active"] else "dim",
        )
    if not rows:
        table.caption = "No staff yet: single-user mode (every command is allowed)."
    console.print(table)


@app.command("show")
def show(ctx: typer.Context, username: UserArg, json_: JsonOpt = False) -> None:
    """Show one staff member."""
    from egovctl.staff.members import show_staff

    data = _local(ctx, show_staff(state(ctx).database(), username))
    if json_:
        emit_json(data)
        return
    from rich.table import Table

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for label, value in (
        ("Username", data["username"]),
        ("Nama", data["name"]),
        ("Peran", data["role"]),
        ("NIP", data["nip"] or "-"),
        ("OPD", data["agency"] or "-"),
        ("Aktif", "ya" if data["active"] else "tidak"),
        ("Ditambahkan", (data["created_at"] or "-")[:16].replace("T", " ")),
    ):
        facts.add_row(label, value)
    console.print(facts)


@app.command("disable")
def disable(ctx: typer.Context, username: UserArg, json_: JsonOpt = False) -> None:
    """Disable a member: they can no longer change anything."""
    from egovctl.staff.members import set_active

    st = state(ctx)
    data = set_active(st.database(), st.actor, username, False)
    _print(ctx, data, json_, f"{username} disabled")


@app.command("enable")
def enable(ctx: typer.Context, username: UserArg, json_: JsonOpt = False) -> None:
    """Enable a disabled member again."""
    from egovctl.staff.members import set_active

    st = state(ctx)
    data = set_active(st.database(), st.actor, username, True)
    _print(ctx, data, json_, f"{username} enabled")


@app.command("role")
def role(
    ctx: typer.Context,
    username: UserArg,
    new_role: Annotated[
        Role, typer.Argument(metavar="ROLE", help="The new role.", show_default=False)
    ],
    json_: JsonOpt = False,
) -> None:
    """Change a member's role."""
    from egovctl.staff.members import set_role

    st = state(ctx)
    data = set_role(st.database(), st.actor, username, new_role.value)
    _print(ctx, data, json_, f"{username} is now {data['role']}")
