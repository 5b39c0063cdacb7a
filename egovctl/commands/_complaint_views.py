"""Terminal views of complaints: the list (overdue in red) and one complaint."""

from __future__ import annotations

from typing import Any

from egovctl.complaints.vocabulary import ACTION_LABELS, CHANNEL_LABELS, STATUS_LABELS
from egovctl.i18n import _


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
            STATUS_LABELS.get(r["status"], r["status"]),
            CHANNEL_LABELS.get(r["channel"], r["channel"]),
            _("(anonymous)") if r["anonymous"] else (r["complainant"] or "-"),
            (r["received_at"] or "")[:16].replace("T", " "),
            r["respond_due"] + (_(" (late)") if r["respond_overdue"] else ""),
            r["assigned_to"] or "-",
            style=style,
        )
    if not rows:
        table.caption = _("no complaints")
    return table


def complaint_view(data: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    who = data["complainant"]
    rows = [
        (_("Number"), data["number"]),
        (_("Status"), STATUS_LABELS.get(data["status"], data["status"])),
        (_("Channel"), CHANNEL_LABELS.get(data["channel"], data["channel"])),
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
        (_("Received"), data["received_at"]),
        (
            _("Respond by"),
            data["respond_due"] + (_(" (late)") if data["respond_overdue"] else ""),
        ),
        (_("Assigned to"), data["assigned_to"] or "-"),
        (_("Responded"), data["responded_at"] or "-"),
        (_("Closed"), data["closed_at"] or "-"),
        (_("Outcome"), data["outcome"] or "-"),
    ]
    for key, value in rows:
        style = "red" if key == _("Respond by") and data["respond_overdue"] else ""
        head.add_row(key, Text(str(value), style=style))
    parts: list[Any] = [head, Text(""), Text(_("Text:"), style="bold"), Text(data["text"])]
    if data["response"]:
        parts += [Text(""), Text(_("Response:"), style="bold"), Text(data["response"])]
    history = Table(title=_("History"))
    for col in (_("When"), _("Step"), _("By"), _("Note")):
        history.add_column(col)
    for e in data["events"]:
        history.add_row(
            (e["at"] or "")[:16].replace("T", " "),
            ACTION_LABELS.get(e["action"], e["action"]),
            e["actor"],
            e["note"] or "",
        )
    parts += [Text(""), history]
    return Group(*parts)
