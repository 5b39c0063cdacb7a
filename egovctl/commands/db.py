"""`egovctl db ...`: upgrade, backup, restore and check the database."""

from pathlib import Path
from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json, styled
from egovctl.commands._state import state
from egovctl.formats import say_number
from egovctl.i18n import N_, _, ngettext

app = noun_app("db")
JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print JSON."))]
RESTORE_SHOWN = 10  # numbers named after a restore; --json names them all


@app.command(
    "upgrade", help=N_("Migrate the database to this version's schema, backing the file up first.")
)
def upgrade(ctx: typer.Context, json_: JsonOpt = False) -> None:
    from egovctl import db_admin

    st = state(ctx)
    result = db_admin.upgrade(st.database(check=False), st.actor, tz=st.timezone)
    if json_:
        emit_json(result)
    elif result["from"] == result["to"]:
        console.print(
            _("already at schema {revision}; nothing to do").format(revision=result["to"])
        )
    elif not result["from"]:
        console.print(_("upgraded from empty to {to}").format(to=result["to"]))
    elif result["backup"]:
        console.print(
            _("upgraded from {old} to {to}; backup in {backup}").format(
                old=result["from"], to=result["to"], backup=result["backup"]
            )
        )
    else:
        console.print(_("upgraded from {old} to {to}").format(old=result["from"], to=result["to"]))
    if not json_ and result.get("staff_without_password"):
        console.print(
            ngettext(
                "Staff members now have passwords. Until an admin has one, egovctl stays in "
                "single-user mode as before; set it first with 'egovctl --as ADMIN staff "
                "password'. From then on everyone must prove who they are, and a member "
                "without a password cannot act until an admin sets one with 'egovctl staff "
                "password USER' ({n} member has none yet).",
                "Staff members now have passwords. Until an admin has one, egovctl stays in "
                "single-user mode as before; set it first with 'egovctl --as ADMIN staff "
                "password'. From then on everyone must prove who they are, and a member "
                "without a password cannot act until an admin sets one with 'egovctl staff "
                "password USER' ({n} members have none yet).",
                result["staff_without_password"],
            ).format(n=result["staff_without_password"])
        )


@app.command(
    "backup",
    help=N_("Write a consistent copy of the database (safe while counters keep working)."),
)
def backup(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help=N_(
                "The backup file to write, or a directory (ending in /) to write a "
                "time-stamped file into."
            ),
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help=N_("Overwrite an existing file."))] = False,
    json_: JsonOpt = False,
) -> None:
    from egovctl import db_admin

    st = state(ctx)
    result = db_admin.backup(st.database(), st.actor, file, force=force, tz=st.timezone)
    if json_:
        emit_json(result)
    else:
        console.print(
            ngettext(
                "backup written to {file} ({size} byte)",
                "backup written to {file} ({size} bytes)",
                result["bytes"],
            ).format(file=result["file"], size=say_number(result["bytes"]))
        )


@app.command(
    "restore",
    help=N_(
        "Replace the database with a backup (the current one is backed up first).\n\n"
        "Registration numbers given since the backup are named and never given again."
    ),
)
def restore(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help=N_("A backup made by 'egovctl db backup'."), show_default=False)
    ],
    json_: JsonOpt = False,
) -> None:
    from egovctl import db_admin

    st = state(ctx)
    result = db_admin.restore(st.database(check=False), st.actor, file, tz=st.timezone)
    if json_:
        emit_json(result)
        return
    saved = result["previous"]
    if saved:
        console.print(
            _("restored {file}; the previous database was saved to {saved}").format(
                file=result["file"], saved=saved
            )
        )
    else:
        console.print(_("restored {file}").format(file=result["file"]))
    missing = result["numbers_not_in_backup"]
    if missing is None:
        typer.echo(
            "warning: "
            + _(
                "the replaced database could not be read, so the registration numbers it "
                "gave after this backup are unknown; check the latest receipts before logging "
                "new requests"
            ),
            err=True,
        )
    elif missing:
        shown = ", ".join(missing[:RESTORE_SHOWN])
        more = len(missing) - RESTORE_SHOWN
        if more > 0:
            line = ngettext(
                "{n} registration number given after this backup is not in it and will not "
                "be given again: {shown} and {more} more (--json lists them all)",
                "{n} registration numbers given after this backup are not in it and will not "
                "be given again: {shown} and {more} more (--json lists them all)",
                len(missing),
            )
        else:
            line = ngettext(
                "{n} registration number given after this backup is not in it and will not "
                "be given again: {shown}",
                "{n} registration numbers given after this backup are not in it and will not "
                "be given again: {shown}",
                len(missing),
            )
        console.print(line.format(n=say_number(len(missing)), shown=shown, more=say_number(more)))


# The checks `db check` runs, as the terminal names them (the JSON keeps the keys).
CHECK_NAMES = {
    "integrity": N_("integrity"),
    "foreign_keys": N_("foreign keys"),
    "audit": N_("audit chain"),
    "requests": N_("request histories"),
    "complaints": N_("complaint histories"),
}


@app.command("check", help=N_("Check integrity, foreign keys and the audit chain."))
def check(ctx: typer.Context, json_: JsonOpt = False) -> None:
    from egovctl import db_admin

    st = state(ctx)
    result = db_admin.check(st.database(), st.timezone)
    if json_:
        emit_json(result)
    else:
        names = {key: _(CHECK_NAMES.get(key, key)) for key in result["checks"]}
        width = max(14, *(len(n) + 1 for n in names.values()))
        for key, outcome in result["checks"].items():
            console.print(
                styled(
                    names[key].ljust(width) + " ",
                    (outcome, "green" if outcome == "ok" else "red"),
                )
            )
    if not result["ok"]:
        raise typer.Exit(1)


@app.command(
    "seed-demo",
    help=N_(
        "Add synthetic requests with their history (24 months), for demos and training.\n\n"
        "Example: egovctl db seed-demo --requests 10000 --seed 7"
    ),
)
def seed_demo(
    ctx: typer.Context,
    requests: Annotated[
        int, typer.Option("--requests", help=N_("How many requests to add."), show_default=False)
    ],
    seed: Annotated[
        int, typer.Option(help=N_("Random seed; the same seed gives the same data."))
    ] = 1,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Seed even a database that holds real requests."))
    ] = False,
    json_: JsonOpt = False,
) -> None:
    from egovctl.commands._output import LazyProgress
    from egovctl.demo import seed as demo

    st = state(ctx)
    bar = LazyProgress()
    try:
        result = demo.seed_demo(
            st.database(), st.actor, requests, seed, progress=bar, tz=st.timezone, force=force
        )
    finally:
        bar.close()
    if json_:
        emit_json(result)
        return
    from egovctl.formats import say_date
    from egovctl.requests.vocabulary import status_word

    statuses = ", ".join(
        f"{say_number(count)} {status_word(status)}" for status, count in result["statuses"].items()
    )
    console.print(
        ngettext(
            "added {n} request with {events} events, received {first} to {last}",
            "added {n} requests with {events} events, received {first} to {last}",
            result["requests"],
        ).format(
            n=say_number(result["requests"]),
            events=say_number(result["events"]),
            first=say_date(result["from"]) if result["from"] else "-",
            last=say_date(result["to"]) if result["to"] else "-",
        )
    )
    console.print(
        "  "
        + _("{statuses}; {overdue} overdue").format(
            statuses=statuses, overdue=say_number(result["overdue"])
        )
    )
    console.print(
        "  "
        + ", ".join(f"{agency} {say_number(count)}" for agency, count in result["agencies"].items())
    )
