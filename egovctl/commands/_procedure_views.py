"""The terminal view of one procedure (``procedure show``), in the language of the terminal.

The printed service standard is Indonesian in its template; this panel is what a clerk reads
on screen, so its labels go through the catalogue (docs/language.md).
"""

from __future__ import annotations

from typing import Any

from egovctl.formats import say_fee
from egovctl.i18n import _, ngettext


def sla_words(days: int) -> str:
    """A service time in working days: "3 working days" / "3 hari kerja"; the same day for 0."""
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
    facts.add_row(_("Service time"), sla_words(data["sla_days"]))
    fee = say_fee(data["fee"])
    if data.get("fee_basis"):
        fee += f" ({data['fee_basis']})"
    facts.add_row(_("Fee"), fee)
    facts.add_row(_("Product"), data["product"])
    if data.get("service_hours"):
        facts.add_row(_("Service hours"), data["service_hours"])
    if data.get("complaints"):
        facts.add_row(_("Complaint handling"), data["complaints"])
    parts.append(facts)
    if data["requirements"]:
        parts.append(Text(_("Requirements"), style="bold underline"))
        for i, r in enumerate(data["requirements"], start=1):
            line = f"{i}. {r['name']}"
            if r["copies"] > 1:
                copies = ngettext("{n} copy", "{n} copies", r["copies"]).format(n=r["copies"])
                line += f" ({copies})"
            if r["optional"]:
                line += " [" + _("optional") + "]"
            if r.get("note"):
                line += f" — {r['note']}"
            parts.append(Text(line))
    steps = Table(title=_("Procedure steps"), title_justify="left", show_edge=False)
    steps.add_column("#", justify="right")
    steps.add_column(_("Step"))
    steps.add_column(_("Done by"))
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
