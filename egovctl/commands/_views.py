"""Rich renderings shared by commands (panels and labels), kept out of the domain code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egovctl.formats import say_date, say_fee, say_long_date
from egovctl.i18n import _, ngettext
from egovctl.requests.vocabulary import (
    CLOSED_STATUSES,
    DONE_STATUSES,
    OPEN_STATUSES,
    channel_word,
    event_word,
    status_word,
)

if TYPE_CHECKING:
    from egovctl.requests.shapes import RequestDetail, RequestRow
    from egovctl.requests.vocabulary import Status


def sla_label(days: int) -> str:
    """A service time in working days as the terminal says it ("3 hari kerja" / "3 working
    days"; the same day for 0, as the printed documents say it)."""
    if days == 0:
        return _("the same day")
    return ngettext("{n} working day", "{n} working days", days).format(n=days)


def _step_days(days: int) -> str:
    # Under the "Working days" head: the number, or the same day as the standard sheet says.
    return _("the same day") if days == 0 else str(days)


def procedure_panel(data: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    agency = data.get("agency_detail") or {}
    head = Text()
    head.append(f"{data['code']}  ", style="bold")
    head.append(_("version {version}").format(version=data["version"]))
    if data["version"] != data["latest_version"]:
        head.append(
            " " + _("(latest: {version})").format(version=data["latest_version"]), style="yellow"
        )
    if not data["active"]:
        head.append("  " + _("RETIRED"), style="bold red")
    parts.append(head)
    parts.append(
        Text(
            f"{agency.get('name', data['agency'])}"
            + (f" · {data['category']}" if data.get("category") else "")
        )
    )
    if data.get("description"):
        parts.append(Text(data["description"], style="italic"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row(_("Service time"), sla_label(data["sla_days"]))
    fee = say_fee(data["fee"])
    if data.get("fee_basis"):
        fee += f" ({data['fee_basis']})"
    facts.add_row(_("Fee"), fee)
    facts.add_row(_("Product"), data["product"])
    if data.get("service_hours"):
        facts.add_row(_("Service hours"), data["service_hours"])
    if data.get("complaints"):
        facts.add_row(_("Complaints"), data["complaints"])
    parts.append(facts)
    if data["requirements"]:
        parts.append(Text(_("Requirements"), style="bold underline"))
        for i, r in enumerate(data["requirements"], start=1):
            line = f"{i}. {r['name']}"
            if r["copies"] > 1:
                line += " " + ngettext("({n} copy)", "({n} copies)", r["copies"]).format(
                    n=r["copies"]
                )
            if r["optional"]:
                line += " " + _("[optional]")
            if r.get("note"):
                line += f" — {r['note']}"
            parts.append(Text(line))
    steps = Table(title=_("Procedure"), title_justify="left", show_edge=False)
    steps.add_column("#", justify="right")
    steps.add_column(_("Step"))
    steps.add_column(_("Performed by"))
    steps.add_column(_("Working days"), justify="right")
    for i, s in enumerate(data["steps"], start=1):
        steps.add_row(
            str(i),
            s["name"],
            s.get("actor") or "-",
            "-" if s.get("days") is None else _step_days(s["days"]),
        )
    parts.append(steps)
    if data["legal_basis"]:
        parts.append(Text(_("Legal basis"), style="bold underline"))
        for item in data["legal_basis"]:
            parts.append(Text(f"• {item}"))
    return Panel(Group(*parts), title=data["name"], title_align="left")


STATUS_STYLES: dict[Status, str] = {
    "in_progress": "cyan",
    "on_hold": "yellow",
    "ready": "green",
    "delivered": "dim",
    "rejected": "red",
    "cancelled": "dim",
}


def _when(iso: str | None) -> str:
    if not iso:
        return "-"
    return iso[:16].replace("T", " ")


def request_timeline(data: RequestDetail) -> Any:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    status = data["status"]
    head = Text()
    head.append(f"{data['reg_no']}  ", style="bold")
    head.append(status_word(status), style=STATUS_STYLES[status])
    if data["overdue"]:
        head.append("  " + _("OVERDUE"), style="bold red")
    a = data["applicant"]
    lines = [
        head,
        Text(
            f"{data['procedure_name']} ({data['procedure']} v{data['version']}) · {data['agency']}"
        ),
        Text(
            _("Applicant: {name} · NIK {nik}").format(name=a["name"], nik=a["nik"])
            + (f" · {a['phone']}" if a.get("phone") else "")
        ),
    ]
    if a.get("address"):
        lines.append(Text(_("Address: {address}").format(address=a["address"])))
    lines.append(
        Text(
            _("Received: {when} ({channel})").format(
                when=_when(data["received_at"]), channel=channel_word(data["channel"])
            )
        )
    )
    if data.get("counted_from"):
        lines.append(
            Text(
                _("Counted from: {day} (received after the cut-off)").format(
                    day=say_long_date(data["counted_from"])
                )
            )
        )
    due = Text(_("Due: {day}").format(day=say_long_date(data["due_date"])))
    if "working_days_left" in data:
        left = data["working_days_left"]
        if left:
            note = ngettext("({n} working day left)", "({n} working days left)", left).format(
                n=left
            )
        elif data["due_date"] == data.get("today"):
            note = _("(today)")
        else:  # due on a day the office has since closed: no working day is left
            note = _("(no working day left)")
        due.append("  " + note, style="yellow" if left <= 1 else "green")
    elif "days_overdue" in data:
        late = data["days_overdue"]
        due.append(
            "  "
            + ngettext("({n} working day overdue)", "({n} working days overdue)", late).format(
                n=late
            ),
            style="bold red",
        )
    lines.append(due)
    on_hold_since = data.get("on_hold_since")
    if on_hold_since:
        lines.append(
            Text(
                _("On hold since {day}").format(day=say_date(on_hold_since)),
                style="yellow",
            )
        )
    if data.get("service_hours"):
        lines.append(
            Text(_("Service hours: {hours}").format(hours="; ".join(data["service_hours"])))
        )
    steps = Table(title=_("Steps"), title_justify="left", show_edge=False)
    steps.add_column("")
    steps.add_column("#", justify="right")
    steps.add_column(_("Step"))
    steps.add_column(_("Performed by"))
    for s in data["step_list"]:
        pos = s["position"]
        done = pos < data["step"] or status in DONE_STATUSES
        current = pos == data["step"] and status in OPEN_STATUSES
        mark = "✔" if done else ("▶" if current else " ")
        style = "bold" if current else ("dim" if done else None)
        steps.add_row(mark, str(pos), s["name"], s.get("actor") or "-", style=style)
    events = Table(title=_("History"), title_justify="left", show_edge=False)
    events.add_column(_("When"))
    events.add_column(_("Action"))
    events.add_column(_("Staff"))
    events.add_column(_("Note"))
    for e in data.get("events", []):
        events.add_row(_when(e["at"]), event_word(e["action"]), e["actor"], e.get("note") or "")
    return Panel(
        Group(*lines, Text(""), steps, Text(""), events), title=_("Request"), title_align="left"
    )


def request_table(rows: list[RequestRow], width: int = 200, *, tz: str) -> list[str]:
    """The counter's request list as lines of text, coloured by urgency on a terminal.

    Drawn by hand rather than with a Rich table: the list is the command staff run most,
    and Rich's import and cell-by-cell layout cost about 60 ms of every run for 50 rows.
    Columns drop out on narrow terminals (80 columns keep number, applicant, status, due
    date); the applicant column takes what is left and folds long names.
    """
    from datetime import date
    from textwrap import wrap

    import typer

    from egovctl.timeutil import today as office_today

    today = office_today(tz)
    roomy, wide = width >= 100, width >= 120
    header = (
        [_("Number"), _("Applicant")]
        + (["NIK"] if roomy else [])
        + ([_("Service"), _("Step")] if wide else [])
        + [_("Status"), _("Due")]
    )
    body: list[list[str]] = []
    styles: list[dict[str, Any]] = []
    for r in rows:
        due = date.fromisoformat(r["due_date"])
        if r["overdue"]:
            styles.append({"fg": "red"})
        elif r["status"] in OPEN_STATUSES and (due - today).days <= 1:
            styles.append({"fg": "yellow"})
        elif r["status"] in CLOSED_STATUSES:
            styles.append({"dim": True})
        else:
            styles.append({})
        cells = [r["reg_no"], r["applicant"]["name"]]
        if roomy:
            cells.append(r["applicant"]["nik"])
        if wide:
            cells += [r["procedure"], f"{r['step']}/{r['steps']}"]
        cells += [status_word(r["status"]), r["due_date"] + (" !" if r["overdue"] else "")]
        body.append(cells)
    widths = [max([cell_width(c) for c in col]) for col in zip(header, *body, strict=True)]
    # The applicant column gets whatever the others leave, at least 10 columns.
    others = sum(w for i, w in enumerate(widths) if i != 1) + 2 * (len(widths) - 1)
    widths[1] = max(10, min(widths[1], width - others))
    right = {4} if wide else set()  # the step column (wide implies roomy: NIK is column 2)

    def line(cells: list[str]) -> list[str]:
        wrapped = [
            wrap(c, widths[i], break_long_words=True) or [""] if i == 1 else [c]
            for i, c in enumerate(cells)
        ]
        out = []
        for k in range(max(map(len, wrapped))):
            parts = []
            for i, lines in enumerate(wrapped):
                text = lines[k] if k < len(lines) else ""
                pad = " " * (widths[i] - cell_width(text))
                parts.append(pad + text if i in right else text + pad)
            out.append("  ".join(parts).rstrip())
        return out

    out = [typer.style(_("Requests ({n})").format(n=len(rows)), italic=True)]
    out += [typer.style(text, bold=True) for text in line(header)]
    out.append("  ".join("─" * w for w in widths))
    for cells, style in zip(body, styles, strict=True):
        out += [typer.style(text, **style) if style else text for text in line(cells)]
    if not rows:
        out.append(_("No matching requests."))
    return out


def cell_width(text: str) -> int:
    """Columns a string takes on a terminal (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(ch) else 2 if east_asian_width(ch) in "WF" else 1 for ch in text)
