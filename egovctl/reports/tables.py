"""Reports as tables: the one description the terminal, CSV, Excel, HTML and PDF all use.

``tables(kind, data)`` turns the dict a ``reports`` function returns into ``TableSpec``s:
columns with a header (Bahasa Indonesia, for the files), the JSON key, and a kind that says how
to show the value (int, rate, days, date, text). The terminal speaks the language of the
terminal: each column and table also carries its terminal text (``say``, an English msgid
translated where it is shown), while the files keep the Indonesian labels. The terminal,
the spreadsheet and the printed report all draw from the same specs, so they cannot disagree
on a number. CSV keeps the JSON keys as headers (for scripts) and leaves out the totals row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from egovctl.formats import letter_date, say_date
from egovctl.i18n import N_, _, ngettext
from egovctl.requests.vocabulary import ACTION_LABELS, STATUS_LABELS

if TYPE_CHECKING:
    pass

SAMPLE_WORDS = {True: "memadai", False: "kurang"}
# The same on the terminal, in its language.
SAMPLE_SAY = {True: N_("enough"), False: N_("too few")}
TOTAL = "Jumlah"  # the label of a totals row in the files
# Officers report: the terminal's column head of each action (one short word).
ACTION_SAY = {
    "log": N_("Logged"),
    "advance": N_("Advanced"),
    "hold": N_("Held"),
    "resume": N_("Resumed"),
    "deliver": N_("Handed over"),
    "reject": N_("Rejected"),
    "cancel": N_("Cancelled"),
}
# The report titles on the terminal (TITLES are the files').
SAY_TITLES = {
    "summary": N_("Service performance summary"),
    "sla": N_("Completion time monitoring"),
    "officers": N_("Staff performance"),
    "ikm": N_("Community satisfaction index"),
    "complaints": N_("Complaints summary"),
}
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
    # The header on the terminal as an English msgid (translated where shown); None: the
    # short or the full header, as written.
    say: str | None = None
    # Values shown on the terminal through the catalogue: stored value -> English msgid.
    say_values: Mapping[Any, str] | None = None

    @property
    def said(self) -> str:
        """The header as the terminal shows it, in its language."""
        return _(self.say) if self.say else self.short or self.header

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
    # The terminal's title, note and totals-row labels, already in its language (None: the
    # title and note as written; the totals as they are).
    say_title: str | None = None
    say_note: str | None = None
    say_totals: Mapping[str, str] | None = None

    @property
    def said_title(self) -> str:
        """The title as the terminal shows it, in its language."""
        return self.say_title or self.title


def column(
    key: str,
    header: str,
    kind: str = "text",
    *,
    terminal: bool = True,
    short: str | None = None,
    say: str | None = None,
    say_values: Mapping[Any, str] | None = None,
) -> Column:
    return Column(key, header, kind, terminal, short, say, say_values)


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
        column("agency", "Instansi", say=N_("Agency")),
        column("procedure", "Kode layanan", say=N_("Procedure code")),
        column("procedure_name", "Layanan", terminal=False),
        column("received", "Diterima", "int", short="Masuk", say=N_("In")),
        column("finished", "Selesai", "int", say=N_("Done")),
        column("on_time", "Tepat waktu", "int", say=N_("On time")),
        column("late", "Terlambat", "int", short="Telat", say=N_("Late")),
        column("rejected", "Ditolak", "int", short="Tolak", say=N_("Rejected")),
        column("cancelled", "Dibatalkan", "int", short="Batal", say=N_("Cancelled")),
        column("overdue", "Lewat tempo", "alert", say=N_("Overdue")),
        column("median_days", "Median (hari kerja)", "days", say=N_("Median days")),
        column("on_time_rate", "Tepat waktu (%)", "rate", say=N_("% on time")),
    ]
    totals = {**data["totals"], "agency": TOTAL}
    specs = [
        TableSpec(
            "Rekap",
            "Rekapitulasi per layanan",
            cols,
            data["rows"],
            totals,
            note=f"Lewat tempo: keadaan per {letter_date(data['as_of'])}.",
            group="agency",
            say_title=_("Summary per procedure"),
            say_note=_("Overdue: as of {day}.").format(day=say_date(data["as_of"])),
            say_totals={"agency": _("Total")},
        )
    ]
    trend = data.get("trend")
    if trend:
        unit = "Tanggal" if trend["unit"] == "day" else "Bulan"
        by_day = trend["unit"] == "day"
        tcols = [
            column("label", unit, say=N_("Date") if by_day else N_("Month")),
            column("received", "Diterima", "int", say=N_("Received")),
            column("on_time", "Selesai tepat waktu", "int", say=N_("Finished on time")),
            column("late", "Selesai terlambat", "int", say=N_("Finished late")),
        ]
        ttotals = {
            "label": TOTAL,
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
                say_title=_("Trend per day") if by_day else _("Trend per month"),
                say_totals={"label": _("Total")},
            )
        )
    return specs


def _sla(data: Mapping[str, Any]) -> list[TableSpec]:
    within = data["due_within"]
    soon = ngettext(
        "≤ {n} working day", "≤ {n} working days", within if isinstance(within, int) else 0
    ).format(n=within)
    cols = [
        column("agency", "Instansi", say=N_("Agency")),
        column("procedure", "Kode layanan", say=N_("Procedure code")),
        column("procedure_name", "Layanan", say=N_("Name")),
        column("open", "Belum selesai", "int", say=N_("Open")),
        column("overdue", "Lewat tempo", "alert", say=N_("Overdue")),
        column("due_soon", f"Jatuh tempo ≤ {within} hari kerja", "int", short=soon),
    ]
    totals = {**data["totals"], "agency": TOTAL}
    lcols = [
        column("reg_no", "Nomor pendaftaran", say=N_("Registration no.")),
        column("agency", "Instansi", say=N_("Agency")),
        column("procedure", "Layanan", say=N_("Service")),
        column("status", "Status sekarang", "status", say=N_("Status")),
        column("received_date", "Diterima", "date", say=N_("Received")),
        column("due_date", "Jatuh tempo", "date", say=N_("Due")),
        column("days_overdue", "Terlambat (hari kerja)", "alert", say=N_("Days late")),
    ]
    acols = [
        column("agency", "Instansi", say=N_("Agency")),
        column("open", "Belum selesai", "int", say=N_("Open")),
        column("overdue", "Lewat tempo", "alert", say=N_("Overdue")),
        column("due_soon", "Segera jatuh tempo", "int", say=N_("Due soon")),
    ]
    say_totals = {"agency": _("Total")}
    return [
        TableSpec(
            "Per layanan",
            f"Keadaan per {letter_date(data['as_of'])}",
            cols,
            data["rows"],
            totals,
            group="agency",
            say_title=_("As of {day}").format(day=say_date(data["as_of"])),
            say_totals=say_totals,
        ),
        TableSpec(
            "Per instansi",
            "Per instansi",
            acols,
            data["by_agency"],
            {**data["totals"], "agency": TOTAL},
            csv=False,
            say_title=_("Per agency"),
            say_totals=say_totals,
        ),
        TableSpec(
            "Lewat tempo",
            "Permohonan lewat tempo",
            lcols,
            data["overdue"],
            None,
            csv=False,
            group="agency",
            say_title=_("Overdue requests"),
        ),
    ]


def _officers(data: Mapping[str, Any]) -> list[TableSpec]:
    from egovctl.requests.vocabulary import ACTIONS

    cols = [
        column("actor", "Petugas", say=N_("Staff member")),
        column("name", "Nama", say=N_("Name")),
        column("role", "Peran", say=N_("Role")),
        *(column(a, ACTION_LABELS[a], "int", say=ACTION_SAY[a]) for a in ACTIONS),
        column("total", "Jumlah tindakan", "int", say=N_("Total")),
        column("requests", "Permohonan", "int", say=N_("Requests")),
    ]
    totals = {**data["totals"], "actor": TOTAL, "requests": None}
    return [
        TableSpec(
            "Petugas",
            "Tindakan per petugas",
            cols,
            data["rows"],
            totals,
            stack=("name", "role"),
            say_title=_("Actions per staff member"),
            say_totals={"actor": _("Total")},
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


def say_cell(col: Column, value: Any) -> str:
    """A cell of ``col`` as the terminal shows it: a known value through the catalogue (an
    unsur's name, a performance band), any other in the terminal's number forms."""
    if col.say_values is not None and value in col.say_values:
        return _(col.say_values[value])
    return say_fmt(value, col.kind)


def say_fmt(value: Any, kind: str) -> str:
    """A value as the terminal shows it, in its language (``fmt`` is the files' form)."""
    from egovctl.formats import say_number
    from egovctl.requests.vocabulary import status_word

    if value is None or value == "":
        return "-" if kind != "text" else ""
    if kind in ("int", "alert"):
        return say_number(int(value))
    if kind == "rate":
        return say_number(value * 100, 1) + "%"
    if kind == "days":
        from egovctl.i18n import language

        text = f"{value:g}" if isinstance(value, int | float) else str(value)
        return text if language() == "en" else text.replace(".", ",")
    if kind == "decimal2":
        return say_number(float(value), 2)
    if kind == "decimal3":
        return say_number(float(value), 3)
    if kind == "status":
        return status_word(str(value))
    if kind == "sample":
        return _(SAMPLE_SAY[bool(value)])
    return fmt(value, kind)
