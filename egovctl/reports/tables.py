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
from egovctl.reports.ikm import UNSUR, UNSUR_NAMES
from egovctl.requests.vocabulary import ACTION_LABELS, STATUS_LABELS

if TYPE_CHECKING:
    pass

TITLES = {
    "summary": "Rekapitulasi Kinerja Pelayanan",
    "sla": "Pemantauan Jangka Waktu Penyelesaian",
    "officers": "Kinerja Petugas Pelayanan",
    "ikm": "Indeks Kepuasan Masyarakat",
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    # text, status, int, alert (an int shown red when > 0), rate (0-1), days (a median),
    # decimal2, decimal3, date
    kind: str = "text"
    terminal: bool = True  # shown on the terminal (long names are left to the files)
    short: str | None = None  # the header on the terminal, where columns are narrow

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "status")


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


def _c(
    key: str, header: str, kind: str = "text", *, terminal: bool = True, short: str | None = None
) -> Column:
    return Column(key, header, kind, terminal, short)


def tables(kind: str, data: Mapping[str, Any]) -> list[TableSpec]:
    return {"summary": _summary, "sla": _sla, "officers": _officers, "ikm": _ikm}[kind](data)


def _summary(data: Mapping[str, Any]) -> list[TableSpec]:
    cols = [
        _c("agency", "Instansi"),
        _c("procedure", "Kode layanan"),
        _c("procedure_name", "Layanan", terminal=False),
        _c("received", "Diterima", "int", short="Masuk"),
        _c("finished", "Selesai", "int"),
        _c("on_time", "Tepat waktu", "int"),
        _c("late", "Terlambat", "int", short="Telat"),
        _c("rejected", "Ditolak", "int", short="Tolak"),
        _c("cancelled", "Dibatalkan", "int", short="Batal"),
        _c("overdue", "Lewat tempo", "alert"),
        _c("median_days", "Median (hari kerja)", "days", short="Median hari"),
        _c("on_time_rate", "Tepat waktu (%)", "rate", short="% tepat"),
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
            _c("label", unit),
            _c("received", "Diterima", "int"),
            _c("on_time", "Selesai tepat waktu", "int"),
            _c("late", "Selesai terlambat", "int"),
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
        _c("agency", "Instansi"),
        _c("procedure", "Kode layanan"),
        _c("procedure_name", "Layanan"),
        _c("open", "Belum selesai", "int"),
        _c("overdue", "Lewat tempo", "alert"),
        _c(
            "due_soon",
            f"Jatuh tempo ≤ {data['due_within']} hari kerja",
            "int",
            short=f"≤ {data['due_within']} hari kerja",
        ),
    ]
    totals = {**data["totals"], "agency": "Jumlah"}
    lcols = [
        _c("reg_no", "Nomor pendaftaran", short="Nomor"),
        _c("agency", "Instansi"),
        _c("procedure", "Layanan"),
        _c("status", "Status sekarang", "status", short="Status"),
        _c("received_date", "Diterima", "date"),
        _c("due_date", "Jatuh tempo", "date"),
        _c("days_overdue", "Terlambat (hari kerja)", "alert", short="Telat (hari)"),
    ]
    acols = [
        _c("agency", "Instansi"),
        _c("open", "Belum selesai", "int"),
        _c("overdue", "Lewat tempo", "alert"),
        _c("due_soon", "Segera jatuh tempo", "int"),
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
        _c("actor", "Petugas"),
        _c("name", "Nama"),
        _c("role", "Peran"),
        *(_c(a, ACTION_LABELS[a], "int") for a in ACTIONS),
        _c("total", "Jumlah tindakan", "int", short="Jumlah"),
        _c("requests", "Permohonan", "int", short="Berkas"),
    ]
    totals = {**data["totals"], "actor": "Jumlah", "requests": None}
    return [
        TableSpec(
            "Petugas", "Tindakan per petugas", cols, data["rows"], totals, stack=("name", "role")
        )
    ]


def _ikm(data: Mapping[str, Any]) -> list[TableSpec]:
    unsur_rows = [
        {
            "unsur": u,
            "name": UNSUR_NAMES[u],
            "nrr": data["nrr"][u],
            "nrr_weighted": data["nrr_weighted"][u],
        }
        for u in UNSUR
    ]
    ucols = [
        _c("unsur", "Unsur"),
        _c("name", "Uraian"),
        _c("nrr", "NRR", "decimal2"),
        _c("nrr_weighted", "NRR tertimbang", "decimal3"),
    ]
    utotals = {
        "unsur": "IKM",
        "name": "Jumlah NRR tertimbang",
        "nrr_weighted": data["ikm_unconverted"],
    }
    level_cols = [
        _c("respondents", "Responden", "int"),
        _c("ikm", "IKM", "decimal2"),
        _c("grade", "Mutu"),
        _c("performance", "Kinerja"),
    ]
    pcols = [
        _c("agency", "Instansi"),
        _c("procedure", "Kode layanan"),
        _c("procedure_name", "Layanan"),
        *level_cols,
    ]
    acols = [_c("agency", "Instansi"), _c("agency_name", "Nama instansi"), *level_cols]
    overall = {k: data[k] for k in ("respondents", "ikm", "grade", "performance")}
    csv_rows = [
        {"level": "procedure", **r, **{u: r["nrr"][u] for u in UNSUR}} for r in data["by_procedure"]
    ]
    csv_rows += [
        {"level": "agency", **r, **{u: r["nrr"][u] for u in UNSUR}} for r in data["by_agency"]
    ]
    csv_rows.append({"level": "total", **overall, **{u: data["nrr"][u] for u in UNSUR}})
    csv_cols = [
        _c("level", "level"),
        _c("agency", "agency"),
        _c("procedure", "procedure"),
        _c("respondents", "respondents", "int"),
        *(_c(u, u, "decimal2") for u in UNSUR),
        _c("ikm", "ikm", "decimal2"),
        _c("grade", "grade"),
        _c("performance", "performance"),
    ]
    return [
        TableSpec("Per unsur", "Nilai per unsur pelayanan", ucols, unsur_rows, utotals, csv=False),
        TableSpec(
            "Per instansi",
            "IKM per instansi",
            acols,
            data["by_agency"],
            {**overall, "agency": "Jumlah"},
            csv=False,
        ),
        TableSpec(
            "Per layanan",
            "IKM per layanan",
            pcols,
            data["by_procedure"],
            {**overall, "agency": "Jumlah"},
            csv=False,
            group="agency",
        ),
        TableSpec("CSV", "IKM", csv_cols, csv_rows, None, extra={"csv_only": True}),
    ]


def csv_table(specs: Sequence[TableSpec]) -> TableSpec:
    return next(s for s in specs if s.csv)


def csv_text(specs: Sequence[TableSpec]) -> str:
    spec = csv_table(specs)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.key for c in spec.columns])
    for row in spec.rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in spec.columns])
    return buf.getvalue()


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
    return str(value)
