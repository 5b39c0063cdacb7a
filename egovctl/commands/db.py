"""`egovctl db ...`: upgrade, backup, restore and check the database."""

from pathlib import Path
from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json, styled
from egovctl.commands._state import state

app = noun_app("db")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RESTORE_SHOWN = 10  # numbers named after a restore; --json names them all


@app.command("upgrade")
def upgrade(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Migrate the database to this version's schema, backing the file up first."""
    from egovctl import db_admin

    st = state(ctx)
    result = db_admin.upgrade(st.database(check=False), st.actor, tz=st.timezone)
    if json_:
        emit_json(result)
    elif result["from"] == result["to"]:
        console.print(f"already at schema {result['to']}; nothing to do")
    else:
        console.print(
            f"upgraded from {result['from'] or 'empty'} to {result['to']}"
            + (f"; backup in {result['backup']}" if result["backup"] else "")
        )
    if not json_ and result.get("staff_without_password"):
        from egovctl.i18n import _

        console.print(
            _(
                "Staff members now have passwords. Until an admin has one, egovctl stays in "
                "single-user mode as before; set it first with 'egovctl --as ADMIN staff "
                "password'. From then on everyone must prove who they are, and a member "
                "without a password cannot act until an admin sets one with 'egovctl staff "
                "password USER' ({n} members have none yet)."
            ).format(n=result["staff_without_password"])
        )


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help="The backup file to write, or a directory (ending in /) to write a "
            "time-stamped file into.",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Write a consistent copy of the database (safe while counters keep working)."""
    from egovctl import db_admin

    st = state(ctx)
    result = db_admin.backup(st.database(), st.actor, file, force=force, tz=st.timezone)
    if json_:
        emit_json(result)
    else:
        console.print(f"backup written to {result['file']} ({result['bytes']:,} bytes)")


@app.command("restore")
def restore(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="A backup made by 'egovctl db backup'.", show_default=False)
    ],
    json_: JsonOpt = False,
) -> None:
    """Replace the database with a backup (the current one is backed up first).

    Registration numbers given since the backup are named and never given again.
    """
    from egovctl import db_admin

    st = state(ctx)
    result = db_admin.restore(st.database(check=False), st.actor, file, tz=st.timezone)
    if json_:
        emit_json(result)
        return
    saved = result["previous"]
    console.print(
        f"restored {result['file']}"
        + (f"; the previous database was saved to {saved}" if saved else "")
    )
    missing = result["numbers_not_in_backup"]
    if missing is None:
        typer.echo(
            "warning: the replaced database could not be read, so the registration numbers it "
            "gave after this backup are unknown; check the latest receipts before logging "
            "new requests",
            err=True,
        )
    elif missing:
        shown = ", ".join(missing[:RESTORE_SHOWN])
        more = len(missing) - RESTORE_SHOWN
        console.print(
            f"{len(missing):,} registration number(s) given after this backup are not in it "
            f"and will not be given again: {shown}"
            + (f" and {more:,} more (--json lists them all)" if more > 0 else "")
        )


@app.command("check")
def check(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Check integrity, foreign keys and the audit chain."""
    from egovctl import db_admin

    st = state(ctx)
    result = db_admin.check(st.database(), st.timezone)
    if json_:
        emit_json(result)
    else:
        for name, outcome in result["checks"].items():
            console.print(styled(f"{name:<14} ", (outcome, "green" if outcome == "ok" else "red")))
    if not result["ok"]:
        raise typer.Exit(1)


@app.command("seed-demo")
def seed_demo(
    ctx: typer.Context,
    requests: Annotated[
        int, typer.Option("--requests", help="How many requests to add.", show_default=False)
    ],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Seed even a database that holds real requests.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Add synthetic requests with their history (24 months), for demos and training.

    Example: egovctl db seed-demo --requests 10000 --seed 7
    """
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
    statuses = ", ".join(f"{count:,} {status}" for status, count in result["statuses"].items())
    console.print(
        f"added {result['requests']:,} requests with {result['events']:,} events, "
        f"received {result['from']} to {result['to']}"
    )
    console.print(f"  {statuses}; {result['overdue']:,} overdue")
    console.print(
        "  " + ", ".join(f"{agency} {count:,}" for agency, count in result["agencies"].items())
    )
