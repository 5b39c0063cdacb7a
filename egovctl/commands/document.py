"""`egovctl document ...`: the register of printed PDFs (docs/signing.md)."""

from typing import Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_csv, emit_json, exclusive
from egovctl.commands._state import state
from egovctl.i18n import N_, _

app = noun_app("document")

COLUMNS = ["id", "kind", "subject", "agency", "created_at", "created_by", "signer", "sha256"]


@app.command("list", help=N_("List the registered documents, newest first."))
def list_(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option(
            help=N_("Only this kind (receipt, standard, maklumat, ...)."), show_default=False
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help=N_("At most this many."), show_default=False)
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
    csv_: Annotated[bool, typer.Option("--csv", help=N_("Print CSV."))] = False,
) -> None:
    from egovctl.documents.register import list_documents

    exclusive(json=json_, csv=csv_)
    st = state(ctx)
    rows = list_documents(st.database(), kind, limit, tz=st.timezone)
    if json_:
        emit_json(rows)
        return
    if csv_:
        emit_csv(rows, COLUMNS)
        return
    from rich.table import Table

    from egovctl.formats import say_datetime

    table = Table(title=_("Documents ({count})").format(count=len(rows)), title_justify="left")
    for head in (_("ID"), _("Kind"), _("Subject"), _("Printed"), _("By"), _("Signer")):
        table.add_column(head)
    for r in rows:
        table.add_row(
            r["id"],
            r["kind"],
            r["subject"] or "-",
            say_datetime(r["created_at"], st.timezone),
            r["created_by"],
            r["signer"] or "-",
        )
    console.print(table)


@app.command("show", help=N_("Show one registered document: what it is, its hash, its signer."))
def show(
    ctx: typer.Context,
    doc_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help=N_("Document id (under the QR code)."), show_default=False
        ),
    ],
    json_: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
) -> None:
    from egovctl.documents.register import get_document

    st = state(ctx)
    doc = get_document(st.database(), doc_id, tz=st.timezone)
    if json_:
        emit_json(doc)
        return
    from rich.table import Table

    from egovctl.formats import say_datetime

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    rows = [
        (_("ID"), doc["id"]),
        (_("Kind"), doc["kind"]),
        (_("Subject"), doc["subject"] or "-"),
        (_("Agency"), doc["agency"] or "-"),
        (_("Printed"), say_datetime(doc["created_at"], st.timezone)),
        (_("By"), doc["created_by"]),
        (_("Signer"), doc["signer"] or _("not signed")),
    ]
    if doc["signed_at"]:
        rows.append((_("Signed"), say_datetime(doc["signed_at"], st.timezone)))
        rows.append((_("Timestamp"), _("yes") if doc["timestamped"] else _("no")))
    rows.append(("SHA-256", doc["sha256"]))
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
