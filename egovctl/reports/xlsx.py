"""Reports as Excel workbooks (openpyxl): one sheet per table, typed cells, totals row.

Numbers are real numbers (counts as integers, rates as fractions shown as percentages,
dates as dates), so a head of office can sum and filter them; the header row is frozen and
filtered, the columns sized to their content.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from egovctl.reports.tables import TableSpec

FORMATS = {
    "int": "#,##0",
    "alert": "#,##0",
    "rate": "0.0%",
    "days": "0.0",
    "decimal2": "0.00",
    "decimal3": "0.000",
    "date": "yyyy-mm-dd",
}
HEADER_ROW = 4  # rows 1-2 hold the title and period, row 3 a warning or nothing
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if kind == "sample":
        from egovctl.reports.tables import SAMPLE_WORDS

        return SAMPLE_WORDS[bool(value)]
    return value


def workbook_bytes(
    title: str, subtitle: str, specs: Sequence[TableSpec], warning: str | None = None
) -> bytes:
    """The workbook; ``warning`` (e.g. too few respondents) stands under the period on
    every sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.subject = subtitle
    wb.properties.creator = "egovctl"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8E8E8")
    top = Border(top=Side(style="thin"), bottom=Side(style="double"))
    used: set[str] = set()
    for spec in specs:
        name = _sheet_name(spec.name, used)
        ws = wb.create_sheet(name)
        ws["A1"] = f"{title} – {spec.title}"
        ws["A1"].font = Font(bold=True, size=12)
        ws["A2"] = subtitle
        if warning:
            ws["A3"] = warning
            ws["A3"].font = Font(bold=True, color="C62828")
        widths = [min(len(c.header), 14) for c in spec.columns]
        for j, col in enumerate(spec.columns, start=1):
            cell = ws.cell(row=HEADER_ROW, column=j, value=col.header)
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(
                wrap_text=True, vertical="center", horizontal="center" if col.numeric else "left"
            )
        r = HEADER_ROW
        for row in spec.rows:
            r += 1
            for j, col in enumerate(spec.columns, start=1):
                value = _value(row.get(col.key), col.kind)
                cell = ws.cell(row=r, column=j, value=value)
                if col.kind in FORMATS:
                    cell.number_format = FORMATS[col.kind]
                widths[j - 1] = max(widths[j - 1], _width(value, col.kind))
        if spec.rows:
            ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(spec.columns))}{r}"
        if spec.totals is not None and spec.rows:
            r += 1
            for j, col in enumerate(spec.columns, start=1):
                value = _value(spec.totals.get(col.key), col.kind)
                cell = ws.cell(row=r, column=j, value=value)
                cell.font, cell.border = bold, top
                if col.kind in FORMATS:
                    cell.number_format = FORMATS[col.kind]
        elif not spec.rows:
            ws.cell(row=HEADER_ROW + 1, column=1, value="Tidak ada data pada periode ini.")
        if spec.note:
            ws.cell(row=r + 2, column=1, value=spec.note).font = Font(italic=True)
        for j, width in enumerate(widths, start=1):
            # Headers wrap, so a long header does not widen a column of small numbers much.
            ws.column_dimensions[get_column_letter(j)].width = min(max(width, 6) + 2, 60)
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _width(value: Any, kind: str) -> int:
    if value is None:
        return 1
    if kind == "date":
        return 10
    if kind == "rate":
        return 6
    if isinstance(value, int | float):
        return len(f"{value:,}")
    return len(str(value))


def _sheet_name(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", name)[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate
