"""Reports written to files: CSV, Excel, and HTML or PDF through ``templates/report.html.j2``.

The tables come from ``tables.py``; this module adds what only a document has: the facts
above the tables, the charts and the message for an empty period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput
from egovctl.formats import letter_date
from egovctl.i18n import _
from egovctl.reports.ikm_tables import sample_caveat
from egovctl.reports.tables import (
    SAMPLE_WORDS,
    TITLES,
    TableSpec,
    csv_text,
    fmt,
    shown_tables,
    tables,
)
from egovctl.requests.vocabulary import ACTION_LABELS
from egovctl.timeutil import now_local

if TYPE_CHECKING:
    from egovctl.config import Config
    from egovctl.reports.periods import Period

OUTPUT_SUFFIXES = (".csv", ".xlsx", ".html", ".pdf")


def write(
    kind: str,
    data: Mapping[str, Any],
    output: Path,
    *,
    period: Period,
    config: Config,
    force: bool = False,
) -> Path:
    """Write a report to ``output`` as CSV, XLSX, HTML or PDF (by its extension)."""
    from egovctl.fileio import write_bytes_atomic, write_text_atomic

    suffix = output.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        if str(output) == ".":  # Path("") is "."
            raise InvalidInput(_("-o is empty; give a file name such as laporan.xlsx"))
        allowed = ", ".join(OUTPUT_SUFFIXES)
        if output.suffix:
            raise InvalidInput(
                _("cannot write {output}: extension '{suffix}'; use {allowed}").format(
                    output=output, suffix=output.suffix, allowed=allowed
                )
            )
        raise InvalidInput(
            _("cannot write {output}: no extension; use {allowed}").format(
                output=output, allowed=allowed
            )
        )
    if output.exists() and not force:
        raise InvalidInput(
            _("{output} already exists; use --force to overwrite it").format(output=output)
        )
    specs = tables(kind, data)
    title = TITLES[kind]
    if suffix == ".csv":
        return write_text_atomic(output, csv_text(specs), force=force)
    if suffix == ".xlsx":
        from egovctl.reports.xlsx import workbook_bytes

        subtitle = f"Periode: {period.title()} ({period.start} s.d. {period.end})"
        return write_bytes_atomic(
            output,
            workbook_bytes(title, subtitle, shown_tables(specs), _caveat(kind, data)),
            force=force,
        )
    from egovctl.documents.render import Renderer

    renderer = Renderer(
        config.templates.value, office=config.office.as_dict(), timezone=config.timezone
    )
    context = document_context(kind, data, specs, period, tz=config.timezone)
    return renderer.write("report.html.j2", context, output, force=force)


def document_context(
    kind: str, data: Mapping[str, Any], specs: Sequence[TableSpec], period: Period, *, tz: str
) -> dict[str, Any]:
    """What ``templates/report.html.j2`` needs: plain strings, already formatted."""
    from markupsafe import Markup

    shown = [s for s in shown_tables(specs) if s.document]
    context_tables = []
    for spec in shown:
        context_tables.append(
            {
                "title": spec.title,
                "columns": [
                    {
                        "header": c.header,
                        "numeric": c.numeric,
                        # a value printed in red: too few respondents
                        "warn": SAMPLE_WORDS[False] if c.kind == "sample" else None,
                    }
                    for c in spec.columns
                ],
                "rows": [[fmt(r.get(c.key), c.kind) for c in spec.columns] for r in spec.rows],
                "totals": (
                    [
                        fmt(spec.totals.get(c.key), c.kind)
                        if spec.totals.get(c.key) is not None
                        else ""
                        for c in spec.columns
                    ]
                    if spec.totals is not None and spec.rows
                    else None
                ),
                "note": spec.note,
                "empty": "Tidak ada data pada periode ini." if not spec.rows else None,
            }
        )
    charts = [{"title": t, "svg": Markup(svg)} for t, svg in _charts(kind, data)]
    facts = _facts(kind, data)
    return {
        "kind": kind,
        "report_title": TITLES[kind],
        "period_title": period.title(),
        "period": {"from": period.start, "to": period.end},
        "filters": {k: v for k, v in (data.get("filters") or {}).items() if v},
        "facts": facts,
        "tables": context_tables,
        "charts": charts,
        "landscape": any(len(s.columns) > 6 for s in shown),
        "message": _message(kind, data),
        "caveat": _caveat(kind, data),
        "generated_at": now_local(tz),
    }


def _caveat(kind: str, data: Mapping[str, Any]) -> str | None:
    return sample_caveat(data) if kind == "ikm" else None


def _message(kind: str, data: Mapping[str, Any]) -> str | None:
    if kind == "ikm" and not data["respondents"]:
        return "Tidak ada jawaban survei pada periode ini."
    if data.get("message"):
        return {
            "complaints": "Tidak ada pengaduan pada periode ini.",
            "summary": "Tidak ada permohonan pada periode ini.",
            "sla": "Tidak ada permohonan yang belum selesai.",
            "officers": "Tidak ada tindakan petugas yang tercatat pada periode ini.",
        }.get(kind)
    return None


def _facts(kind: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    if kind == "summary":
        t = data["totals"]
        return [
            ("Permohonan diterima", fmt(t["received"], "int")),
            ("Selesai", fmt(t["finished"], "int")),
            ("Tepat waktu", fmt(t["on_time_rate"], "rate")),
            ("Median waktu penyelesaian", f"{fmt(t['median_days'], 'days')} hari kerja"),
            (f"Lewat tempo per {letter_date(data['as_of'])}", fmt(t["overdue"], "int")),
        ]
    if kind == "sla":
        t = data["totals"]
        return [
            ("Keadaan per", letter_date(data["as_of"])),
            ("Belum selesai", fmt(t["open"], "int")),
            ("Lewat tempo", fmt(t["overdue"], "int")),
            (f"Jatuh tempo s.d. {letter_date(data['due_soon_until'])}", fmt(t["due_soon"], "int")),
        ]
    if kind == "officers":
        t = data["totals"]
        return [("Petugas", fmt(len(data["rows"]), "int")), ("Tindakan", fmt(t["total"], "int"))]
    if kind == "complaints":
        from egovctl.complaints.report import complaint_facts

        return complaint_facts(data)
    from egovctl.reports.ikm_tables import ikm_facts

    return ikm_facts(data)


def _charts(kind: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    from egovctl.reports import charts

    out: list[tuple[str, str]] = []
    if kind == "summary":
        done = [r for r in data["rows"] if r["finished"]]
        # Worst first by the Wilson lower bound, so one lucky request does not lead.
        done.sort(key=lambda r: (r["on_time_rate_low"], r["procedure"]))
        done = done[:25]
        if done:
            out.append(
                (
                    "Selesai tepat waktu dan terlambat per layanan",
                    charts.stacked_bars(
                        [r["procedure"] for r in done],
                        {
                            "Tepat waktu": [r["on_time"] for r in done],
                            "Terlambat": [r["late"] for r in done],
                        },
                        [charts.GREEN, charts.RED],
                        xlabel="Permohonan selesai",
                    ),
                )
            )
        trend = data.get("trend")
        if trend and any(p["received"] or p["on_time"] or p["late"] for p in trend["points"]):
            unit = "harian" if trend["unit"] == "day" else "bulanan"
            out.append(
                (f"Tren {unit}: diterima dan selesai", charts.trend(trend["points"], trend["unit"]))
            )
    elif kind == "sla":
        rows = [r for r in data["rows"] if r["overdue"] or r["due_soon"]][:25]
        if rows:
            out.append(
                (
                    "Lewat tempo dan segera jatuh tempo per layanan",
                    charts.stacked_bars(
                        [r["procedure"] for r in rows],
                        {
                            "Lewat tempo": [r["overdue"] for r in rows],
                            "Segera jatuh tempo": [r["due_soon"] for r in rows],
                        },
                        [charts.RED, charts.AMBER],
                        xlabel="Permohonan",
                    ),
                )
            )
    elif kind == "officers":
        from egovctl.requests.vocabulary import ACTIONS

        rows = data["rows"][:25]
        if rows:
            palette = [
                charts.BLUE,
                charts.GREEN,
                charts.AMBER,
                "#6a1b9a",
                "#00838f",
                charts.RED,
                charts.GREY,
            ]
            out.append(
                (
                    "Tindakan per petugas",
                    charts.stacked_bars(
                        [r["actor"] for r in rows],
                        {ACTION_LABELS[a]: [r[a] for r in rows] for a in ACTIONS},
                        palette,
                        xlabel="Tindakan",
                    ),
                )
            )
    elif kind == "complaints":
        from egovctl.complaints.report import complaint_charts

        out += complaint_charts(data)
    elif kind == "ikm" and data["respondents"]:
        out.append(
            (
                "Nilai rata-rata (NRR) per unsur",
                charts.nrr_bars(data["nrr"], data.get("weakest"), data["weight"]),
            )
        )
    return out
