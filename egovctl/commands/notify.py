"""`egovctl notify ...`: send the applicants' messages, list them, or send WhatsApp by hand."""

from typing import TYPE_CHECKING, Annotated

import typer

from egovctl.commands import noun_app
from egovctl.commands._output import console, emit_json, say
from egovctl.commands._state import AppState, state
from egovctl.i18n import N_, _, ngettext
from egovctl.notify.vocabulary import MessageStatus

if TYPE_CHECKING:
    from egovctl.notify.render import MessageTexts

app = noun_app("notify")
JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print JSON."))]


def _texts(st: AppState) -> "MessageTexts":
    from egovctl.notify.render import MessageTexts

    cfg = st.config
    return MessageTexts(cfg.templates.value, cfg.office.as_dict(), cfg.timezone, cfg.notify)


@app.command(
    "send",
    help=N_("Send the messages that are due (WhatsApp, SMS, e-mail); safe from cron every minute."),
)
def send(
    ctx: typer.Context,
    limit: Annotated[
        int | None, typer.Option(help=N_("At most N messages."), min=1, max=1_000_000)
    ] = None,
    json_: JsonOpt = False,
) -> None:
    from egovctl.commands._output import LazyProgress
    from egovctl.notify.sender import SendSettings, send_due

    st = state(ctx)
    cfg = st.config
    settings = SendSettings(cfg.notify, cfg.templates.value, cfg.office.as_dict(), cfg.timezone)
    bar = LazyProgress()
    try:
        summary = send_due(st.database(), st.actor, settings, limit=limit, progress=bar)
    finally:
        bar.close()
    if json_:
        emit_json(summary)
        return
    say(
        _("{sent} sent, {retried} to retry, {failed} failed, {held} held back").format(
            sent=summary["sent"],
            retried=summary["retried"],
            failed=summary["failed"],
            held=summary["held"],
        )
    )
    for line in summary["errors"]:
        typer.echo(f"warning: {line}", err=True)


STATUS_WORDS = {
    "pending": N_("pending"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
}


@app.command("list", help=N_("List the applicants' messages, newest first."))
def list_(
    ctx: typer.Context,
    status: Annotated[
        MessageStatus | None, typer.Option(help=N_("Only messages in this status."))
    ] = None,
    reg: Annotated[
        str | None, typer.Option("--reg", help=N_("Only the messages of this request."))
    ] = None,
    limit: Annotated[int, typer.Option(help=N_("At most N messages."), min=1)] = 50,
    json_: JsonOpt = False,
) -> None:
    from egovctl.notify.queries import list_messages

    st = state(ctx)
    rows = list_messages(
        st.database(),
        st.actor,
        tz=st.timezone,
        status=status,
        reg_no=reg,
        limit=limit,
        texts=_texts(st),
    )
    if json_:
        emit_json(rows)
        return
    if not rows:
        say(_("No messages."))
        return
    from rich.table import Table

    table = Table()
    for head in (_("Id"), _("Reg. no."), _("Event"), _("To"), _("Status"), _("Error")):
        table.add_column(head)
    for r in rows:
        status_text = _(STATUS_WORDS.get(r["status"], r["status"]))
        table.add_row(
            str(r["id"]),
            r["reg_no"],
            r["event"],
            f"{r['channel']} {r['to']}",
            f"{status_text} ({r['attempts']})",
            r["error"] or "",
        )
    console.print(table)


@app.command(
    "links",
    help=N_(
        "WhatsApp messages as numbered click-to-chat links, for an office with no gateway; "
        "marks sent the ones the clerk says were sent."
    ),
)
def links(
    ctx: typer.Context,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help=N_("Write the page to FILE.html."))
    ] = None,
    sent: Annotated[
        str | None,
        typer.Option(
            "--sent",
            help=N_(
                "Mark these sent without asking: numbers of the list such as 1-3,5, or all. "
                "Example: --sent 1-3,5"
            ),
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help=N_("Mark them all sent without asking (--sent all)."))
    ] = False,
    limit: Annotated[int, typer.Option(help=N_("At most N messages."), min=1)] = 200,
    force: Annotated[bool, typer.Option("--force", help=N_("Overwrite the file."))] = False,
    json_: JsonOpt = False,
) -> None:
    import sys

    from egovctl.notify.queries import mark_sent, pending_links
    from egovctl.notify.selection import parse_sent

    if yes and sent is not None:
        raise typer.BadParameter(_("give --sent or --yes, not both"), param_hint="--sent")
    if yes:
        sent = "all"
    st = state(ctx)
    texts = _texts(st)
    items = pending_links(st.database(), st.actor, texts, tz=st.timezone, limit=limit)
    # A mistyped --sent stops before anything is written: no page, nothing marked.
    chosen = parse_sent(sent, len(items)) if sent is not None and items else None
    if output:
        from egovctl.timeutil import now_local

        texts.renderer.write(
            "notify/links.html.j2",
            {"messages": items, "printed": now_local(st.timezone)},
            output,
            force=force,
        )
    if json_ and sent is None:
        emit_json(items)
        return
    if not items:
        if json_:
            emit_json({"marked_sent": 0, "messages": []})
            return
        say(_("No WhatsApp messages are waiting."))
        return
    if output:
        say(
            ngettext(
                "{n} message written to {file}; open each link to send it.",
                "{n} messages written to {file}; open each link to send it.",
                len(items),
            ).format(n=len(items), file=output)
        )
    elif not json_:
        for item in items:
            say(f"{item['n']}. ", (item["reg_no"], "cyan"), f" {item['to']}")
            typer.echo(f"   {item['link']}")
    if chosen is None:
        if not sys.stdin.isatty():
            say(
                _(
                    "Not marked as sent: answer at a terminal, or give --sent with the numbers "
                    "sent (e.g. --sent 1-3,5, or --sent all)."
                )
            )
            return
        chosen = _ask_which_sent(len(items))
    picked = [item for item in items if item["n"] in chosen]
    if not picked:
        if json_:
            emit_json({"marked_sent": 0, "messages": []})
            return
        say(_("Nothing marked; they stay pending."))
        return
    marked = mark_sent(st.database(), st.actor, picked, listed=items)
    if json_:
        emit_json({"marked_sent": marked, "messages": picked})
        return
    say(ngettext("{n} message marked sent.", "{n} messages marked sent.", marked).format(n=marked))
    rest = len(items) - len(picked)
    if rest:
        say(
            ngettext("{n} message stays pending.", "{n} messages stay pending.", rest).format(
                n=rest
            )
        )


def _ask_which_sent(count: int) -> list[int]:
    """Ask at the terminal until the answer can be read (a mistake is named, then asked again)."""
    from egovctl.errors import InvalidInput
    from egovctl.notify.selection import parse_sent

    if count == 1:
        question = _("Was it sent? Answer all or none")
    else:
        question = _("Which were sent? Answer all, none, or numbers such as 1-3,5")
    while True:
        answer = str(typer.prompt(question, err=True))
        try:
            return parse_sent(answer, count)
        except InvalidInput as exc:
            typer.echo(exc.message, err=True)
