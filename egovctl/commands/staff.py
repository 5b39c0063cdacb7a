"""`egovctl staff ...`: staff members, their roles and passwords."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive
from egovctl.commands._state import state
from egovctl.i18n import N_, _

app = noun_app("staff")
JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print JSON."))]
UserArg = Annotated[str, typer.Argument(help=N_("Username."), show_default=False)]


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

    tz = state(ctx).timezone
    return {
        **data,
        "created_at": local_iso(data.get("created_at"), tz),
        "locked_until": local_iso(data.get("locked_until"), tz),
    }


def _print(ctx: typer.Context, data: Mapping[str, Any], json_: bool, message: str) -> None:
    if json_:
        emit_json(_local(ctx, data))
    else:
        console.print(message)


@app.command(
    "add",
    help=N_(
        "Add a staff member (the first one must be an admin) with their first password, "
        "asked on a terminal or read from EGOVCTL_NEW_PASSWORD.\n\n"
        'Example: egovctl staff add budi --name "Budi Santoso" --role counter --agency '
        "DISDUKCAPIL"
    ),
)
def add(
    ctx: typer.Context,
    username: UserArg,
    name: Annotated[str, typer.Option(help=N_("Full name."), show_default=False)],
    role: Annotated[Role, typer.Option(help=N_("What the member may do."), show_default=False)],
    nip: Annotated[str | None, typer.Option(help=N_("NIP (18 digits)."))] = None,
    agency: Annotated[str | None, typer.Option(help=N_("Bind to one agency's requests."))] = None,
    json_: JsonOpt = False,
) -> None:
    from egovctl.commands._password import read_password
    from egovctl.staff.access import username_key
    from egovctl.staff.members import add_staff

    st = state(ctx)
    db, actor = st.database(), st.actor
    password = read_password(
        "EGOVCTL_NEW_PASSWORD",
        _("First password for {user}").format(user=username_key(username)),
        confirm=True,
    )
    data = add_staff(
        db, actor, username, name, role.value, nip=nip, agency=agency, password=password
    )
    if password is None:
        typer.echo(
            "warning: "
            + _(
                "{user} has no password: once anyone has one, {user} cannot act until an "
                "admin sets it with 'egovctl staff password {user}'"
            ).format(user=data["username"]),
            err=True,
        )
    _print(
        ctx,
        data,
        json_,
        _("added {user} ({role})").format(user=data["username"], role=data["role"]),
    )


@app.command("list", help=N_("List staff members."))
def list_(
    ctx: typer.Context,
    json_: JsonOpt = False,
    csv_: Annotated[bool, typer.Option("--csv", help=N_("Print CSV."))] = False,
) -> None:
    from egovctl.staff.members import list_staff

    exclusive(json=json_, csv=csv_)
    rows = list_staff(state(ctx).database())
    if json_:
        emit_json([_local(ctx, r) for r in rows])
        return
    if csv_:
        emit_csv(rows, ["username", "name", "role", "nip", "agency", "active", "password_set"])
        return
    from rich.table import Table

    table = Table(title=_("Staff ({n})").format(n=len(rows)), title_justify="left")
    for col in (_("Username"), _("Name"), _("Role"), "NIP", _("Agency"), _("Active")):
        table.add_column(col)
    table.add_column(_("Password"))
    for r in rows:
        table.add_row(
            r["username"],
            r["name"],
            r["role"],
            r["nip"] or "-",
            r["agency"] or "-",
            _("yes") if r["active"] else _("no"),
            _password_word(r),
            style=None if r["active"] else "dim",
        )
    if not rows:
        table.caption = _("No staff yet: single-user mode (every command is allowed).")
    console.print(table)


def _password_word(row: Mapping[str, Any]) -> str:
    if row.get("locked_until"):
        return _("locked")
    return _("set") if row["password_set"] else _("none")


@app.command("show", help=N_("Show one staff member."))
def show(ctx: typer.Context, username: UserArg, json_: JsonOpt = False) -> None:
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
        (_("Username"), data["username"]),
        (_("Name"), data["name"]),
        (_("Role"), data["role"]),
        ("NIP", data["nip"] or "-"),
        (_("Agency"), data["agency"] or "-"),
        (_("Active"), _("yes") if data["active"] else _("no")),
        (_("Added"), (data["created_at"] or "-")[:16].replace("T", " ")),
        (_("Password"), _password_word(data)),
    ):
        facts.add_row(label, value)
    console.print(facts)


@app.command(
    "disable", help=N_("Disable a member: they can no longer act, and their login sessions end.")
)
def disable(ctx: typer.Context, username: UserArg, json_: JsonOpt = False) -> None:
    from egovctl.staff.members import set_active

    st = state(ctx)
    data = set_active(st.database(), st.actor, username, False)
    _print(ctx, data, json_, _("{user} disabled").format(user=data["username"]))


@app.command("enable", help=N_("Enable a disabled member again."))
def enable(ctx: typer.Context, username: UserArg, json_: JsonOpt = False) -> None:
    from egovctl.staff.members import set_active

    st = state(ctx)
    data = set_active(st.database(), st.actor, username, True)
    _print(ctx, data, json_, _("{user} enabled").format(user=data["username"]))


@app.command("role", help=N_("Change a member's role."))
def role(
    ctx: typer.Context,
    username: UserArg,
    new_role: Annotated[
        Role, typer.Argument(metavar="ROLE", help=N_("The new role."), show_default=False)
    ],
    json_: JsonOpt = False,
) -> None:
    from egovctl.staff.members import set_role

    st = state(ctx)
    data = set_role(st.database(), st.actor, username, new_role.value)
    _print(
        ctx,
        data,
        json_,
        _("{user} is now {role}").format(user=data["username"], role=data["role"]),
    )


@app.command(
    "password",
    help=N_(
        "Change your own password, or (an admin) set another member's, which also lifts a "
        "lock and ends their sessions. The new password is asked on a terminal or read from "
        "EGOVCTL_NEW_PASSWORD."
    ),
)
def password(
    ctx: typer.Context,
    username: Annotated[
        str | None,
        typer.Argument(help=N_("Whose password (default: your own)."), show_default=False),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    from egovctl.commands._password import require_password
    from egovctl.staff.access import username_key
    from egovctl.staff.members import set_password
    from egovctl.staff.sessions import os_user

    st = state(ctx)
    db, actor = st.database(), st.actor
    whose = username_key(username if username is not None else actor)
    current = None
    if whose == username_key(actor) and st.identity.how == "session":
        # A session proves who sat down, not who is at an unattended PC now.
        current = require_password(
            "EGOVCTL_PASSWORD", _("Current password for {user}").format(user=whose)
        )
    new = require_password(
        "EGOVCTL_NEW_PASSWORD",
        _("New password for {user}").format(user=whose),
        confirm=True,
    )
    data = set_password(
        db, actor, username, new, current=current, os_name=os_user(), tz=st.timezone
    )
    _print(ctx, data, json_, _("password of {user} changed").format(user=data["username"]))
