"""`egovctl audit ...`: who changed what, and proof that nobody rewrote it."""

from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json, styled
from egovctl.commands._state import state

app = noun_app("audit")


@app.command("log")
def log(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option(
        help="e.g. request:DISDUKCAPIL-2026-000042, or 'request' for all requests.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only this staff member.")] = None,
    action: Annotated[str | None, typer.Option(help="e.g. request.hold or 'request'.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date.")] = None,
    limit: Annotated[int, typer.Option(help="At most N records.")] = 100,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show audit records, newest first.

    Example: egovctl audit log --entity request:DISDUKCAPIL-2026-000042
    """
    from egovctl.audit import list_records
    from egovctl.timeutil import local_iso, parse_date

    st = state(ctx)
    rows = list_records(st.database(), entity=entity, actor=actor, action=action,
                        since=parse_date(since) if since else None,
                        until=parse_date(until) if until else None, limit=limit)
    for r in rows:
        r["at"] = local_iso(r["at"], st.timezone)
    if json_:
        emit_json([{k: r[k] for k in ("at", "actor", "action", "entity", "details")}
                   for r in rows])
        return
    from rich.table import Table

    table = Table(title=f"Audit log ({len(rows)})", title_justify="left")
    for col in ("#", "Waktu", "Petugas", "Tindakan", "Objek", "Rincian"):
        table.add_column(col)
    for r in rows:
        details = ", ".join(f"{k}={v}" for k, v in r["details"].items())
        table.add_row(str(r["id"]), r["at"][:19].replace("T", " "), r["actor"], r["action"],
                      r["entity"], details[:80])
    console.print(table)


@app.command("verify")
def verify(ctx: typer.Context,
           json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Verify the hash chain and that every request's state matches its history."""
    from egovctl.audit import verify_chain
    from egovctl.workflow import verify_requests

    st = state(ctx)
    db = st.database()
    records = verify_chain(db)
    requests = verify_requests(db, st.timezone)
    if json_:
        emit_json({"ok": True, "records": records, "requests": requests})
    else:
        console.print(styled(("ok", "green"),
                             f": {records} audit records and {requests} requests verify"))
