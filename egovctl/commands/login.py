"""`egovctl login`, `logout`, `whoami`: proving who is at the keyboard for a shift
(docs/staff-and-audit.md#who-is-acting)."""

from typing import Annotated

import typer

from egovctl.commands._output import console, emit_json
from egovctl.commands._state import state
from egovctl.i18n import N_, _

JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print JSON."))]


def _single(name: str) -> typer.Typer:
    from egovctl.commands import NOUNS

    return typer.Typer(help=NOUNS[name].help, rich_markup_mode=None, add_completion=False)


login_app = _single("login")
logout_app = _single("logout")
whoami_app = _single("whoami")


@login_app.command(
    "login",
    help=N_(
        "Log in for this shift: prove who you are once.\n\n"
        "The password is asked (or read from EGOVCTL_PASSWORD); later commands act as this "
        "member for [staff] session_hours (default 9), or until logout."
    ),
)
def login(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help=N_("Username."), show_default=False)],
    json_: JsonOpt = False,
) -> None:
    from egovctl.commands._password import require_password
    from egovctl.config import user_data_dir
    from egovctl.formats import say_datetime
    from egovctl.staff import sessions
    from egovctl.staff.access import username_key
    from egovctl.timeutil import local_iso

    st = state(ctx)
    password = require_password(
        "EGOVCTL_PASSWORD", _("Password for {user}").format(user=username_key(username))
    )
    data = sessions.login(
        st.database(),
        username,
        password,
        data_dir=user_data_dir(),
        hours=st.config.staff.session_hours,
        os_name=sessions.os_user(),
        tz=st.timezone,
    )
    if json_:
        emit_json({**data, "expires_at": local_iso(data["expires_at"], st.timezone)})
        return
    console.print(
        _("Logged in as {user} until {until}.").format(
            user=data["username"], until=say_datetime(data["expires_at"], st.timezone)
        )
    )


@logout_app.command("logout", help=N_("End your login session on this computer."))
def logout(ctx: typer.Context, json_: JsonOpt = False) -> None:
    from egovctl.config import user_data_dir
    from egovctl.staff import sessions

    st = state(ctx)
    data = sessions.logout(st.database(), data_dir=user_data_dir())
    if json_:
        emit_json(data)
    elif data["username"] is None:
        console.print(_("No login session to end."))
    else:
        console.print(_("Logged out {user}.").format(user=data["username"]))


@whoami_app.command("whoami", help=N_("Name the staff member acting now, and how they proved it."))
def whoami(ctx: typer.Context, json_: JsonOpt = False) -> None:
    from egovctl.formats import say_datetime
    from egovctl.staff import sessions
    from egovctl.timeutil import local_iso

    st = state(ctx)
    data = sessions.whoami(st.database(), st.identity)
    if json_:
        emit_json(
            {**data, "session_expires_at": local_iso(data["session_expires_at"], st.timezone)}
        )
        return
    user = data["username"]
    who = (
        _("{user} ({name}, {role})").format(user=user, name=data["name"], role=data["role"])
        if data["member"]
        else user
    )
    how = data["proved_by"]
    if how == "session":
        text = _("{who}, logged in until {until}.").format(
            who=who, until=say_datetime(data["session_expires_at"], st.timezone)
        )
    elif how == "password":
        text = _("{who}, proved by password.").format(who=who)
    elif how == "single-user":
        text = _("{who}; single-user mode: nobody has a password yet.").format(who=who)
    else:
        text = _(
            "{who}, not proved: reads as a non-member, changes refused; log in with "
            "'egovctl login USER'."
        ).format(who=who)
    console.print(text)
