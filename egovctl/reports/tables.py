"""Reports as tables: the one description the terminal, CSV, Excel, HTML and PDF all use.

``tables(kind, data)`` turns the dict a ``reports`` function returns into ``TableSpec``s:
columns with a header (Bahasa Indonesia, for people), the JSON key, and a kind that says how
to show the value (int, rate, days, date, text). The terminal, the spreadsheet and the printed
report all draw from the same specs, so they cannot disagree on a number. CSV keeps the JSON
keys as headers (for scripts) and leaves out the totals row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from egovctl.formats import letter_date
from egovctl.requests.vocabulary import ACTION_LABELS, STATUS_LABELS

if TYPE_CHECKING:
    pass

SAMPLE_WORDS = {True: "memadai", False: "kurang"}
TITLES = {
    "summary": "Rekapitulasi Kinerja Pelayanan",
    "sla": "Pemantauan Jangka Waktu Penyelesaian",
    "officers": "Kinerja Petugas Pelayanan",
    "ikm": "Indeks Kepuasan Masyarakat",
    "complaints": "Rekapitulasi Pengaduan",
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    # text, status, int, alert (an int shown red when > 0), rate (0-1), days (a median),
    # decimal2, decimal3, date, sample (True/False: the respondents reach the minimum sample)
    kind: str = "text"
    terminal: bool = True  # shown on the terminal (long names are left to the files)
    short: str | None = None  # the header on the terminal, where columns are narrow

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "status", "sample")


@dataclass
class TableSpec:
    name: str  # sheet name, at most 31 characters
    title: str
    columns: list[Column]
    rows: Sequence[Mapping[str, Any]]
    totals: Mapping[str, Any] | None = None
    note: str | None = None
    csv: bool = True  # the table that --csv prints
    document: bool = True  # shown in HTML/PDF (a long daily series is left to the chart)
    # On a narrow terminal: the column whose values become heading rows (agency above its
    # procedures), and the columns stacked under the first one (a name under a username).
    group: str | None = None
    stack: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def column(
    key: str, header: str, kind: str = "text", *, terminal: bool = True, short: str | None = None
) -> Column:
    return Column(key, header, kind, terminal, short)


def tables(kind: str, data: Mapping[str, Any]) -> list[TableSpec]:
    if kind == "ikm":
        from egovctl.reports.ikm_tables import ikm_tables

        return ikm_tables(data)
    if kind == "complaints":
        from egovctl.complaints.report import complaint_tables

        return complaint_tables(data)
    return {"summary": _summary, "sla": _sla, "officers": _officers}[kind](data)


def _summary(data: Mapping[str, Any]) -> list[TableSpec]:
    cols = [
        column("agency", "Instansi"),
        column("procedure", "Kode layanan"),
        column("procedure_name", "Layanan", terminal=False),
        column("received", "Diterima", "int", short="Masuk"),
        column("finished", "Selesai", "int"),
        column("on_time", "Tepat waktu", "int"),
        column("late", "Terlambat", "int", short="Telat"),
        column("rejected", "Ditolak", "int", short="Tolak"),
        column("cancelled", "Dibatalkan", "int", short="Batal"),
        column("overdue", "Lewat tempo", "alert"),
        column("median_days", "Median (hari kerja)", "days", short="Median hari"),
        column("on_time_rate", "Tepat waktu (%)", "rate", short="% tepat"),
    ]
    totals = {**data["totals"], "agency": "Jumlah"}
    specs = [
        TableSpec(
            "Rekap",
            "Rekapitulasi per layanan",
            cols,
            data["rows"],
            totals,
            note=f"Lewat tempo: keadaan per {letter_date(data['as_of'])}.",
            group="agency",
        )
    ]
    trend = data.get("trend")
    if trend:
        unit = "Tanggal" if trend["unit"] == "day" else "Bulan"
        tcols = [
            column("label", unit),
            column("received", "Diterima", "int"),
            column("on_time", "Selesai tepat waktu", "int"),
            column("late", "Selesai terlambat", "int"),
        ]
        ttotals = {
            "label": "Jumlah",
            **{k: sum(p[k] for p in trend["points"]) for k in ("received", "on_time", "late")},
        }
        specs.append(
            TableSpec(
                "Tren",
                f"Tren per {unit.lower()}",
                tcols,
                trend["points"],
                ttotals,
                csv=False,
                document=trend["unit"] != "day",
            )
        )
    return specs


def _sla(data: Mapping[str, Any]) -> list[TableSpec]:
    cols = [
        column("agency", "Instansi"),
        column("procedure", "Kode layanan"),
        column("procedure_name", "Layanan"),
        column("open", "Belum selesai", "int"),
        column("overdue", "Lewat tempo", "alert"),
        column(
            "due_soon",
            f"Jatuh tempo ≤ {data['due_within']} hari kerja",
            "int",
            short=f"≤ {data['due_within']} hari kerja",
        ),
    ]
    totals = {**data["totals"], "agency": "Jumlah"}
    lcols = [
        column("reg_no", "Nomor pendaftaran", short="Nomor"),
        column("agency", "Instansi"),
        column("procedure", "Layanan"),
        column("status", "Status sekarang", "status", short="Status"),
        column("received_date", "Diterima", "date"),
        column("due_date", "Jatuh tempo", "date"),
        column("days_overdue", "Terlambat (hari kerja)", "alert", short="Telat (hari)"),
    ]
    acols = [
        column("agency", "Instansi"),
        column("open", "Belum selesai", "int"),
        column("overdue", "Lewat tempo", "alert"),
        column("due_soon", "Segera jatuh tempo", "int"),
    ]
    return [
        TableSpec(
            "Per layanan",
            f"Keadaan per {letter_date(data['as_of'])}",
            cols,
            data["rows"],
            totals,
            group="agency",
        ),
        TableSpec(
            "Per instansi",
            "Per instansi",
            acols,
            data["by_agency"],
            {**data["totals"], "agency": "Jumlah"},
            csv=False,
        ),
        TableSpec(
            "Lewat tempo",
            "Permohonan lewat tempo",
            lcols,
            data["overdue"],
            None,
            csv=False,
            group="agency",
        ),
    ]


def _officers(data: Mapping[str, Any]) -> list[TableSpec]:
    from egovctl.requests.vocabulary import ACTIONS

    cols = [
        column("actor", "Petugas"),
        column("name", "Nama"),
        column("role", "Peran"),
        *(column(a, ACTION_LABELS[a], "int") for a in ACTIONS),
        column("total", "Jumlah tindakan", "int", short="Jumlah"),
        column("requests", "Permohonan", "int", short="Berkas"),
    ]
    totals = {**data["totals"], "actor": "Jumlah", "requests": None}
    return [
        TableSpec(
            "Petugas", "Tindakan per petugas", cols, data["rows"], totals, stack=("name", "role")
        )
    ]


def csv_table(specs: Sequence[TableSpec]) -> TableSpec:
    return next(s for s in specs if s.csv)


def csv_text(specs: Sequence[TableSpec]) -> str:
    spec = csv_table(specs)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.key for c in spec.columns])
    for row in spec.rows:
        writer.writerow([_csv_value(row.get(c.key)) for c in spec.columns])
    return buf.getvalue()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as in JSON
    return value


def shown_tables(specs: Sequence[TableSpec]) -> list[TableSpec]:
    """The tables people read (the CSV-only flat table is left out)."""
    return [s for s in specs if not s.extra.get("csv_only")]


# -- text formatting (Indonesian conventions: 1.234 and 87,5) ---------------------------------


def fmt(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "-" if kind != "text" else ""
    if kind in ("int", "alert"):
        return f"{int(value):,}".replace(",", ".")
    if kind == "rate":
        return f"{value * 100:.1f}".replace(".", ",") + "%"
    if kind == "days":
        return (f"{value:g}" if isinstance(value, int | float) else str(value)).replace(".", ",")
    if kind == "decimal2":
        return f"{value:.2f}".replace(".", ",")
    if kind == "decimal3":
        return f"{value:.3f}".replace(".", ",")
    if kind == "date":
        # YYYY-MM-DD, as in JSON, CSV and every other table (issue #13).
        d = date.fromisoformat(value) if isinstance(value, str) else value
        return d.isoformat()
    if kind == "status":
        return STATUS_LABELS.get(value, str(value))
    if kind == "sample":
        return SAMPLE_WORDS[bool(value)]
    return str(value)
