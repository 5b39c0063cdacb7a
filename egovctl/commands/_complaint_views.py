"""Terminal views of complaints: the list (overdue in red) and one complaint."""

from __future__ import annotations

from typing import Any

from egovctl.complaints.vocabulary import action_word, channel_word, outcome_word, status_word
from egovctl.formats import DEFAULT_TIMEZONE, say_date, say_datetime, say_long_date
from egovctl.i18n import _


def _late(day: str, overdue: bool) -> str:
    return _("{day} (late)").format(day=day) if overdue else day


def complaint_table(rows: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    table = Table(title=_("Complaints"), show_lines=False)
    for head in (
        _("Number"),
        _("Status"),
        _("Channel"),
        _("Complainant"),
        _("Received"),
        _("Respond by"),
        _("Assigned to"),
    ):
        table.add_column(head)
    for r in rows:
        style = (
            "red" if r["respond_overdue"] and r["status"] in ("received", "in_progress") else None
        )
        table.add_row(
            r["number"],
            status_word(r["status"]),
            channel_word(r["channel"]),
            _("(anonymous)") if r["anonymous"] else (r["complainant"] or "-"),
            say_date(r["received_at"]) if r["received_at"] else "",
            _late(say_date(r["respond_due"]), r["respond_overdue"]),
            r["assigned_to"] or "-",
            style=style,
        )
    if not rows:
        table.caption = _("no complaints")
    return table


def complaint_view(data: dict[str, Any], tz: str = DEFAULT_TIMEZONE) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    def when(value: str | None) -> str:
        return say_datetime(value, tz) if value else "-"

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    who = data["complainant"]
    respond_by = _("Respond by")
    rows = [
        (_("Number"), data["number"]),
        (_("Status"), status_word(data["status"])),
        (_("Channel"), channel_word(data["channel"])),
        (_("Agency"), data["agency"]),
        (_("Request"), data["reg_no"] or "-"),
        (_("Procedure"), data["procedure"] or "-"),
        (_("SP4N-LAPOR! id"), data["lapor_id"] or "-"),
        (
            _("Complainant"),
            _("(anonymous)")
            if who["anonymous"]
            else " / ".join(x for x in (who["name"], who["contact"]) if x) or "-",
        ),
        (_("Received"), when(data["received_at"])),
        (respond_by, _late(say_long_date(data["respond_due"]), data["respond_overdue"])),
        (_("Assigned to"), data["assigned_to"] or "-"),
        (_("Responded"), when(data["responded_at"])),
        (_("Closed"), when(data["closed_at"])),
        (_("Outcome"), outcome_word(data["outcome"]) if data["outcome"] else "-"),
    ]
    for key, value in rows:
        style = "red" if key == respond_by and data["respond_overdue"] else ""
        head.add_row(key, Text(str(value), style=style))
    parts: list[Any] = [head, Text(""), Text(_("Text:"), style="bold"), Text(data["text"])]
    if data["response"]:
        parts += [Text(""), Text(_("Response:"), style="bold"), Text(data["response"])]
    history = Table(title=_("History"))
    for col in (_("When"), _("Step"), _("By"), _("Note")):
        history.add_column(col)
    for e in data["events"]:
        history.add_row(
            when(e["at"]),
            action_word(e["action"]),
            e["actor"],
            e["note"] or "",
        )
    parts += [Text(""), history]
    return Group(*parts)
