"""Reports on the terminal: rich tables drawn from the same specs as the files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from egovctl.commands._output import styled
from egovctl.report_output import TITLES, TableSpec, fmt, shown_tables, tables

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
    text = "" if total and value is None else fmt(value, col.kind)
    style = None
    if col.kind == "alert" and value:
        style = "bold red"
    elif col.kind == "rate":
        style = _rate_style(row)
    elif col.key == "grade" and value:
        style = GRADE_STYLES.get(value)
    return Text(text, style=style or "")


def _table(spec: TableSpec) -> Any:
    from rich.table import Table

    table = Table(title=spec.title, title_justify="left", caption=spec.note,
                  caption_justify="left")
    columns = [c for c in spec.columns if c.terminal]
    rows = [[_cell(col, row) for col in columns] for row in spec.rows]
    for i, col in enumerate(columns):
        # Codes and numbers never break; headers break between words only.
        header = col.short or col.header
        widest = max(len(w) for w in header.split())
        if col.key not in LONG_TEXT:
            widest = max([widest, *(r[i].cell_len for r in rows)])
        table.add_column(header, justify="right" if col.numeric else "left",
                         overflow="fold", min_width=widest)
    for cells in rows:
        table.add_row(*cells)
    if spec.totals is not None and spec.rows:
        table.add_section()
        table.add_row(*(_cell(col, spec.totals, total=True) for col in columns),
                      style="bold")
    return table


def render(console: Any, kind: str, data: Mapping[str, Any], period: Any) -> None:
    console.print(styled((TITLES[kind], "bold"), f" · {period.title()} "
                         f"({period.start.isoformat()} .. {period.end.isoformat()})"))
    filters = {k: v for k, v in (data.get("filters") or {}).items() if v}
    if filters:
        console.print(" · ".join(f"{k}: {v}" for k, v in filters.items()))
    if kind == "ikm":
        _ikm_head(console, data)
        if not data["respondents"]:
            return
    elif data.get("message"):
        console.print(data["message"], style="yellow")
        return
    specs = shown_tables(tables(kind, data))
    if kind == "sla":
        listed = specs[-1]
        specs = specs[:-1]
    for spec in specs:
        console.print(_table(spec))
    if kind == "sla":
        _overdue_list(console, listed)


def _ikm_head(console: Any, data: Mapping[str, Any]) -> None:
    if not data["respondents"]:
        console.print("no survey answers in the period", style="yellow")
        return
    style = GRADE_STYLES.get(data["grade"], "")
    console.print(styled(f"Responden {fmt(data['respondents'], 'int')} · IKM ",
                         (fmt(data["ikm"], "decimal2"), style), " · mutu ",
                         (data["grade"], style), f" ({data['performance']})"))
    if data.get("weakest"):
        from egovctl.ikm import UNSUR_NAMES

        console.print(f"unsur terendah: {data['weakest']} {UNSUR_NAMES[data['weakest']]}")


def _overdue_list(console: Any, spec: TableSpec, limit: int = 50) -> None:
    if not spec.rows:
        return
    shown = TableSpec(spec.name, f"{spec.title} ({len(spec.rows)})", spec.columns,
                      spec.rows[:limit], None,
                      note=(f"... dan {len(spec.rows) - limit} lagi; lihat --json atau -o"
                            if len(spec.rows) > limit else None))
    console.print(_table(shown))
