"""Reports on the terminal: rich tables drawn from the same specs as the files."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from egovctl.commands._output import styled
from egovctl.i18n import N_, _, ngettext
from egovctl.reports.tables import (
    SAY_TITLES,
    TableSpec,
    say_cell,
    say_fmt,
    shown_tables,
    tables,
)

# The report's empty-period message on the terminal (the JSON keeps its own "message").
EMPTY = {
    "summary": N_("no requests in the period"),
    "officers": N_("no work recorded in the period"),
    "ikm": N_("no survey answers in the period"),
}
# The filters line above the tables: "agency: DINSOS · procedure: ..."
FILTER_WORDS = {"agency": N_("agency: {value}"), "procedure": N_("procedure: {value}")}


def cell_len(text: str) -> int:
    """Terminal cells a text takes (wide characters count twice)."""
    from rich.cells import cell_len as measure

    return measure(text)


GRADE_STYLES = {"A": "bold green", "B": "green", "C": "yellow", "D": "bold red"}
LONG_TEXT = {"procedure_name", "name", "agency_name"}  # may wrap on a narrow terminal
FEW = 5  # fewer finished requests than this: the rate is shown dim, it says little


def _rate_style(row: Mapping[str, Any]) -> str | None:
    value = row.get("on_time_rate")
    if value is None:
        return None
    if (row.get("finished") or 0) < FEW:
        return "dim"
    return "green" if value >= 0.9 else "yellow" if value >= 0.75 else "red"


def _cell(col: Any, row: Mapping[str, Any], *, total: bool = False) -> Any:
    from rich.text import Text

    value = row.get(col.key)
    text = "" if total and value is None else say_cell(col, value)
    style = None
    if col.kind == "alert" and value:
        style = "bold red"
    elif col.kind == "rate":
        style = _rate_style(row)
    elif col.key == "grade" and value:
        style = GRADE_STYLES.get(value)
    elif col.kind == "sample" and value is False:
        style = "bold yellow"
    return Text(text, style=style or "")


# Narrow terminals: the first layout whose columns all fit is used. Numbers, codes and
# dates never break; long names wrap between words. Failing that, the table loses its
# borders, then the agency column becomes heading rows (and names stack under usernames),
# then procedure codes wrap after a hyphen.
COMFORT = 20  # a long-text column narrower than this wraps into tall rows
HYPHEN_WRAP = {"procedure"}  # codes that may wrap after a hyphen ('reg_no' never does)
COMPACT_BOX: Any = None


@dataclass(frozen=True)
class _Layout:
    bordered: bool
    gap: int = 2  # spaces between columns when not bordered
    fold: bool = False
    wrap_codes: bool = False
    comfortable: bool = True


LAYOUTS = (
    _Layout(True),
    _Layout(False),
    _Layout(False, fold=True),
    _Layout(False, gap=1, fold=True),
    _Layout(False, gap=1, fold=True, wrap_codes=True),
    _Layout(False, gap=1, fold=True, wrap_codes=True, comfortable=False),
)


@dataclass
class _Col:
    key: str
    header: str
    numeric: bool
    long: bool  # wraps between words
    cells: list[Any]  # rich Text, one per row (None: a group heading row)
    total: Any = None


def _width(text: Any) -> int:
    return max((cell_len(line) for line in str(text).split("\n")), default=0)


def _longest_word(text: Any) -> int:
    return max((cell_len(w) for w in str(text).split()), default=0)


def _wrap_code(text: str, width: int) -> str:
    """'KEC-MANGGAR-SK-DOMISILI-USAHA' in lines of at most ``width``, broken after hyphens."""
    parts = re.findall(r"[^-]+-?|-", text)
    lines: list[str] = []
    for part in parts:
        if lines and cell_len(lines[-1]) + cell_len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(lines)


def _columns(spec: TableSpec, fold: bool) -> tuple[list[_Col], list[Any]]:
    """The terminal's columns and the row order (a group value marks a heading row)."""
    from rich.text import Text

    columns = [c for c in spec.columns if c.terminal]
    group = spec.group if fold and spec.group in {c.key for c in columns} else None
    stack = [k for k in spec.stack if fold and k in {c.key for c in columns}]
    shown = [c for c in columns if c.key != group and c.key not in stack]
    rows: list[Any] = list(spec.rows)
    if group:
        order: dict[Any, list[Any]] = {}
        for row in spec.rows:
            order.setdefault(row.get(group), []).append(row)
        rows = [item for value, members in order.items() for item in (value, *members)]
    totals = spec.totals if spec.totals is not None and spec.rows else None
    out = []
    for i, col in enumerate(shown):
        cells: list[Any] = []
        for row in rows:
            if not isinstance(row, Mapping):  # a group heading
                cells.append(Text(str(row or "-"), style="bold") if i == 0 else Text(""))
                continue
            cell = _cell(col, row)
            if i == 0 and stack:
                under = " · ".join(say_fmt(row.get(k), "text") for k in stack if row.get(k))
                cell = Text.assemble(cell, ("\n" + under, "dim")) if under else cell
            cells.append(cell)
        total = None
        if totals is not None:
            said = (spec.say_totals or {}).get(col.key)
            total = Text(said) if said is not None else _cell(col, totals, total=True)
            if i == 0 and not total.plain:
                words = spec.say_totals or {}
                label = (words.get(group) or totals.get(group)) if group else None
                total = Text(str(label or ""))
        long = col.key in LONG_TEXT or (i == 0 and bool(stack))
        out.append(_Col(col.key, col.said, col.numeric, long, cells, total))
    return out, rows


def _plan(
    cols: list[_Col], layout: _Layout, width: int, *, force: bool = False
) -> list[int] | None:
    """Column widths for this layout, or None when it cannot fit in ``width`` (with
    ``force``, the narrowest widths whatever the terminal)."""
    n = len(cols)
    overhead = 3 * n + 1 if layout.bordered else layout.gap * (n - 1)
    texts = [[*c.cells, *([c.total] if c.total is not None else [])] for c in cols]
    fixed: list[int | None] = []
    floors: list[int] = []
    naturals: list[int] = []
    for c, cells in zip(cols, texts, strict=True):
        words = max([_longest_word(c.header), *(_longest_word(t.plain) for t in cells)])
        natural = max([words, *(_width(t.plain) for t in cells)])
        naturals.append(natural)
        if c.long:
            fixed.append(None)
            floors.append(max(words, min(natural, COMFORT)) if layout.comfortable else words)
        else:
            fixed.append(natural)
            floors.append(natural)
    wrap = [i for i, c in enumerate(cols) if layout.wrap_codes and c.key in HYPHEN_WRAP]
    if wrap:
        budget = width - overhead - sum(f for i, f in enumerate(floors) if i not in wrap)
        for i in wrap:
            pieces = [p for t in texts[i] for p in re.findall(r"[^-]+-?", t.plain)]
            floor = max([_longest_word(cols[i].header), *(cell_len(p) for p in pieces)])
            floors[i] = fixed[i] = max(floor, min(naturals[i], budget // len(wrap)))
    if force:
        return floors
    if sum(floors) + overhead > width:
        return None
    # What is left goes to the long-text columns, up to what they need on one line.
    widths = list(floors)
    spare = width - overhead - sum(floors)
    flexible = [i for i in range(n) if fixed[i] is None]
    while spare > 0 and flexible:
        share = max(1, spare // len(flexible))
        for i in list(flexible):
            add = min(share, naturals[i] - widths[i], spare)
            widths[i] += add
            spare -= add
            if widths[i] >= naturals[i]:
                flexible.remove(i)
    # Then headers that were broken between words go back on one line, where they fit.
    for i, c in enumerate(cols):
        add = cell_len(c.header) - widths[i]
        if fixed[i] is not None and 0 < add <= spare:
            widths[i] += add
            spare -= add
    return widths


def _table(spec: TableSpec, width: int = 200) -> Any:
    from rich.table import Table
    from rich.text import Text

    for layout in LAYOUTS:
        cols, rows = _columns(spec, layout.fold)
        widths = _plan(cols, layout, width)
        if widths is not None:
            break
    if widths is None:  # below about 75 columns: the narrowest layout, cropped on the right
        widths = _plan(cols, layout, width, force=True) or []
    title = spec.said_title
    note = spec.say_note if spec.say_title else spec.note
    if layout.bordered:
        table = Table(title=title, title_justify="left", caption=note, caption_justify="left")
    else:
        table = Table(
            title=title,
            title_justify="left",
            caption=note,
            caption_justify="left",
            box=compact_box(),
            show_edge=False,
            padding=(0, layout.gap - 1, 0, 0),
            pad_edge=False,
        )
    for col, w in zip(cols, widths, strict=True):
        header = (
            "\n".join(textwrap.wrap(col.header, w, break_long_words=False))
            if cell_len(col.header) > w
            else col.header
        )
        table.add_column(
            header,
            justify="right" if col.numeric else "left",
            width=w,
            no_wrap=not col.long,
            overflow="fold",
        )
    wrapped = [layout.wrap_codes and c.key in HYPHEN_WRAP for c in cols]

    def fit(cell: Any, w: int, wrap: bool) -> Any:
        if wrap and cell.plain and _width(cell.plain) > w:
            return Text(_wrap_code(cell.plain, w), style=cell.style)
        return cell

    for r in range(len(rows)):
        table.add_row(
            *(fit(c.cells[r], w, wr) for c, w, wr in zip(cols, widths, wrapped, strict=True))
        )
    if cols and cols[0].total is not None:
        table.add_section()
        table.add_row(
            *(fit(c.total, w, wr) for c, w, wr in zip(cols, widths, wrapped, strict=True)),
            style="bold",
        )
    return table


def compact_box() -> Any:
    """No vertical lines; a rule under the header and above the totals."""
    global COMPACT_BOX
    if COMPACT_BOX is None:
        from rich.box import Box

        COMPACT_BOX = Box("    \n    \n ── \n    \n ── \n ── \n    \n    \n")
    return COMPACT_BOX


def render(console: Any, kind: str, data: Mapping[str, Any], period: Any) -> None:
    console.print(
        styled(
            (_(SAY_TITLES[kind]), "bold"),
            f" · {period.say_title()} ({period.start.isoformat()} .. {period.end.isoformat()})",
        )
    )
    filters = {k: v for k, v in (data.get("filters") or {}).items() if v}
    if filters:
        console.print(
            " · ".join(
                _(FILTER_WORDS[k]).format(value=v) if k in FILTER_WORDS else f"{k}: {v}"
                for k, v in filters.items()
            )
        )
    if kind == "ikm":
        _ikm_head(console, data)
        if not data["respondents"]:
            return
    elif data.get("message"):
        console.print(_empty(kind, data), style="yellow")
        return
    specs = shown_tables(tables(kind, data))
    if kind == "sla":
        listed = specs[-1]
        specs = specs[:-1]
    for spec in specs:
        console.print(_table(spec, console.width))
    if kind == "sla":
        _overdue_list(console, listed)
    if kind == "summary":
        _notifications(console, data.get("notifications") or {})


def _notifications(console: Any, counts: Mapping[str, Mapping[str, int]]) -> None:
    """One line per channel that had messages in the period (docs/notify.md)."""
    from egovctl.i18n import _

    names = {"wa": "WhatsApp", "sms": "SMS", "email": _("e-mail")}
    for channel, c in counts.items():
        if any(c.values()):
            console.print(
                _("Messages by {channel}: {sent} sent, {failed} failed, {pending} pending").format(
                    channel=names.get(channel, channel), **c
                )
            )


def _empty(kind: str, data: Mapping[str, Any]) -> str:
    """Why a report has no tables, in the language of the terminal."""
    if kind in EMPTY:
        return _(EMPTY[kind])
    if kind == "sla":
        from egovctl.formats import say_date

        return _("no open requests on {day}").format(day=say_date(data["as_of"]))
    return str(data["message"])  # the complaints report says it in the terminal's language


def _ikm_head(console: Any, data: Mapping[str, Any]) -> None:
    if not data["respondents"]:
        console.print(_(EMPTY["ikm"]), style="yellow")
        return
    from egovctl.reports.ikm_tables import (
        performance_say,
        population_say,
        sample_caveat_say,
        unsur_say,
        weight_say,
    )

    style = GRADE_STYLES.get(data["grade"], "")
    text = _("Respondents {n} · IKM {ikm} · grade {grade} ({performance})")
    # The IKM and the grade are coloured: the sentence is cut around them after translation.
    head, rest = text.split("{ikm}", 1)
    middle, tail = rest.split("{grade}", 1)
    fields = {
        "n": say_fmt(data["respondents"], "int"),
        "performance": performance_say(data["performance"]),
    }
    console.print(
        styled(
            head.format(**fields),
            (say_fmt(data["ikm"], "decimal2"), style),
            middle.format(**fields),
            (data["grade"], style),
            tail.format(**fields),
        )
    )
    console.print(
        _(
            "population {population} · minimum sample {min} (Krejcie & Morgan) · weight {weight}"
        ).format(
            population=population_say(data),
            min=say_fmt(data["min_respondents"], "int"),
            weight=weight_say(data),
        )
    )
    caveat = sample_caveat_say(data)
    if caveat:
        console.print(_("note: {caveat}").format(caveat=caveat), style="bold yellow")
    if data.get("weakest"):
        console.print(
            _("lowest unsur: {unsur} {name}").format(
                unsur=data["weakest"], name=unsur_say(data["weakest"])
            )
        )


def _overdue_list(console: Any, spec: TableSpec, limit: int = 50) -> None:
    if not spec.rows:
        return
    more = len(spec.rows) - limit
    shown = TableSpec(
        spec.name,
        f"{spec.title} ({len(spec.rows)})",
        spec.columns,
        spec.rows[:limit],
        None,
        group=spec.group,
        say_title=f"{spec.said_title} ({say_fmt(len(spec.rows), 'int')})",
        say_note=(
            ngettext(
                "... and {n} more; see --json or -o", "... and {n} more; see --json or -o", more
            ).format(n=say_fmt(more, "int"))
            if more > 0
            else None
        ),
    )
    console.print(_table(shown, console.width))
