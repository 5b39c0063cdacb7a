"""`egovctl report complaints`: the complaints received in a period and how they were
answered, and the tables, facts and charts every report format draws from.

The figures, for the complaints received in the period, read at the as-of day (the
period's last day, or today while it runs):

- ``received``: received on a day of the period;
- ``on_time`` / ``late``: responded to by the as-of day, on or before / after the
  response deadline (``respond_due``);
- ``open``: not responded to by the as-of day; ``overdue`` of those, past their deadline;
- by outcome: those closed by the as-of day, per outcome.

The recap for the notice board (``print complaint-recap``) uses the same figures: counts only,
never a name or a text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from egovctl.complaints.vocabulary import CHANNEL_LABELS, CHANNELS, OUTCOME_LABELS, OUTCOMES
from egovctl.i18n import N_, _

if TYPE_CHECKING:
    from egovctl.db import Database
    from egovctl.reports.periods import Period
    from egovctl.reports.tables import TableSpec

TITLE = "Rekapitulasi Pengaduan"
COUNTS = ("received", "on_time", "late", "open", "overdue")


def _blank() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


def complaints_report(
    db: Database,
    actor: str,
    period: Period,
    *,
    tz: str,
    agency: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    from sqlalchemy import select

    from egovctl.models import Complaint
    from egovctl.reports.query import as_day, reading, today_in

    C = Complaint.__table__.c
    as_of = period.as_of(today_in(tz, today))
    by_channel = {ch: _blank() for ch in CHANNELS}
    closed = dict.fromkeys(OUTCOMES, 0)
    with reading(db, actor, agency, None) as (session, scope):
        query = select(C.channel, C.respond_due, C.responded_date, C.closed_date, C.outcome).where(
            C.received_date >= period.start, C.received_date <= period.end
        )
        if scope.agency_id is not None:
            query = query.where(C.agency_id == scope.agency_id)
        for channel, due, responded, closed_on, outcome in session.execute(query):
            due = as_day(due)
            responded = as_day(responded) if responded is not None else None
            row = by_channel.setdefault(channel, _blank())
            row["received"] += 1
            if responded is not None and responded <= as_of:
                row["on_time" if responded <= due else "late"] += 1
            else:
                row["open"] += 1
                if due < as_of:
                    row["overdue"] += 1
            if closed_on is not None and as_day(closed_on) <= as_of and outcome in closed:
                closed[outcome] += 1
    totals: dict[str, Any] = {k: sum(r[k] for r in by_channel.values()) for k in COUNTS}
    answered = totals["on_time"] + totals["late"]
    totals["on_time_rate"] = totals["on_time"] / answered if answered else None
    totals["closed"] = sum(closed.values())
    return {
        "period": {"label": period.label, "from": period.start, "to": period.end},
        "as_of": as_of,
        "filters": scope.as_dict() | {"procedure": None},
        "totals": totals,
        "by_channel": [
            {"channel": ch, "channel_name": CHANNEL_LABELS.get(ch, ch), **counts}
            for ch, counts in by_channel.items()
        ],
        "by_outcome": [
            {"outcome": o, "outcome_name": OUTCOME_LABELS[o], "closed": n}
            for o, n in closed.items()
        ],
        "message": None if totals["received"] else _("no complaints received in the period"),
    }


def complaint_tables(data: Mapping[str, Any]) -> list[TableSpec]:
    from egovctl.complaints.vocabulary import CHANNEL_WORDS, OUTCOME_WORDS
    from egovctl.formats import letter_date, say_date
    from egovctl.reports.tables import TableSpec, column

    # The terminal says the channel and outcome in its language; the files keep the labels.
    channels = {CHANNEL_LABELS[ch]: word for ch, word in CHANNEL_WORDS.items()}
    outcomes = {OUTCOME_LABELS[o]: word for o, word in OUTCOME_WORDS.items()}
    cols = [
        column("channel_name", "Saluran", say=N_("Channel"), say_values=channels),
        column("received", "Diterima", "int", short="Masuk", say=N_("Received")),
        column("on_time", "Ditanggapi tepat waktu", "int", short="Tepat", say=N_("On time")),
        column("late", "Ditanggapi terlambat", "int", short="Telat", say=N_("Late")),
        column("open", "Belum ditanggapi", "int", short="Belum", say=N_("Unanswered")),
        column("overdue", "Lewat tenggat", "alert", short="Lewat", say=N_("Overdue")),
    ]
    ocols = [
        column("outcome_name", "Hasil", say=N_("Outcome"), say_values=outcomes),
        column("closed", "Pengaduan ditutup", "int", say=N_("Complaints closed")),
    ]
    totals = {**data["totals"], "channel_name": "Jumlah"}
    return [
        TableSpec(
            "Per saluran",
            "Pengaduan per saluran",
            cols,
            data["by_channel"],
            totals,
            note=f"Keadaan per {letter_date(data['as_of'])}.",
            say_title=_("Complaints per channel"),
            say_note=_("As of {day}.").format(day=say_date(data["as_of"])),
            say_totals={"channel_name": _("Total")},
        ),
        TableSpec(
            "Per hasil",
            "Pengaduan ditutup per hasil",
            ocols,
            data["by_outcome"],
            {"outcome_name": "Jumlah", "closed": data["totals"]["closed"]},
            csv=False,
            say_title=_("Complaints closed per outcome"),
            say_totals={"outcome_name": _("Total")},
        ),
    ]


def complaint_facts(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    from egovctl.formats import letter_date
    from egovctl.reports.tables import fmt

    t = data["totals"]
    return [
        ("Pengaduan diterima", fmt(t["received"], "int")),
        ("Ditanggapi tepat waktu", fmt(t["on_time"], "int")),
        ("Ditanggapi terlambat", fmt(t["late"], "int")),
        ("Tepat waktu", fmt(t["on_time_rate"], "rate")),
        (f"Belum ditanggapi per {letter_date(data['as_of'])}", fmt(t["open"], "int")),
    ]


def complaint_charts(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    from egovctl.reports import charts

    out: list[tuple[str, str]] = []
    rows = [r for r in data["by_channel"] if r["received"]]
    if rows:
        out.append(
            (
                "Pengaduan per saluran",
                charts.stacked_bars(
                    [r["channel_name"] for r in rows],
                    {
                        "Tepat waktu": [r["on_time"] for r in rows],
                        "Terlambat": [r["late"] for r in rows],
                        "Belum ditanggapi": [r["open"] for r in rows],
                    },
                    [charts.GREEN, charts.RED, charts.GREY],
                    xlabel="Pengaduan",
                ),
            )
        )
    outcomes = data["by_outcome"]
    if any(r["closed"] for r in outcomes):
        out.append(
            (
                "Pengaduan ditutup per hasil",
                charts.stacked_bars(
                    [r["outcome_name"] for r in outcomes],
                    {"Ditutup": [r["closed"] for r in outcomes]},
                    [charts.BLUE],
                    xlabel="Pengaduan",
                ),
            )
        )
    return out
