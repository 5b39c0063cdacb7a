"""The history of demo requests: day by day over the last 24 months up to ``now``, each
request planned from log to delivery (or refusal, withdrawal, a hold, a backlog) and cut at
``now``, so that its stored state is what replaying its events gives.

Made for volume: days are indexes into the list of working days and times are seconds after
local midnight, turned into stored text through tables made once; the rows come out flat,
in batches (see ``load.Batch``).
"""

from __future__ import annotations

import bisect
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from egovctl.demo.load import EVENT_WIDTH, REQUEST_WIDTH, Batch, Packed, pack_batches
from egovctl.demo.population import Person, Residents, cumulative
from egovctl.errors import InvalidInput

if TYPE_CHECKING:
    from egovctl.demo.plan import Proc, Setup

#: What a history made, in plain values (they cross the pipe from a helper process): the
#: last number used per (agency id, year), counts, and the first and last day of receipt.
Outcome = TypedDict(
    "Outcome",
    {
        "counters": dict[tuple[int, int], int],
        "statuses": dict[str, int],
        "events": int,
        "overdue": int,
        "from": str,
        "to": str,
    },
)

#: Requests per executemany (with about six times as many events).
BATCH = 20_000
#: Office hours as seconds after local midnight: files are logged 08:00-14:00, later events
#: of a day follow within minutes, so the last one ends well before 16:00.
OPENS = 8 * 3600
LOG_SPAN = 6 * 3600
WORK_SPAN = 4 * 3600

# fmt: off
# How popular each bundled procedure is; any other procedure gets weight 1.
_POPULARITY = {
    "DUKCAPIL-KK": 20.0, "DUKCAPIL-KTP-EL": 18.0, "DUKCAPIL-AKTA-LAHIR": 12.0,
    "DUKCAPIL-KIA": 7.0, "DUKCAPIL-PINDAH": 6.0, "DUKCAPIL-AKTA-MATI": 3.0,
    "DUKCAPIL-AKTA-KAWIN": 2.0, "DINSOS-SKTM": 5.0, "DINSOS-DTSEN": 4.0,
    "DINSOS-REKOM-PBI-JK": 3.0, "DPMPTSP-NIB": 5.0, "DPMPTSP-REKLAME": 1.0,
    "DPMPTSP-PBG": 1.0, "DPMPTSP-IZIN-PRAKTIK-DOKTER": 0.3, "DPMPTSP-IZIN-PRAKTIK-BIDAN": 0.3,
    "DINKES-PIRT": 1.0, "DINKES-SLHS": 0.5, "KEC-MANGGAR-SK-DOMISILI-USAHA": 3.0,
    "KEC-MANGGAR-SK-AHLI-WARIS": 1.5, "KEC-MANGGAR-REKOM-KERAMAIAN": 1.0,
}
# Monday to Sunday: Monday brings the weekend's queue, Friday has short hours.
_WEEKDAY_LOAD = (1.25, 1.05, 1.0, 1.0, 0.8, 0.5, 0.5)
_LOG_NOTES = ("Berkas diantar oleh keluarga pemohon", "Permohonan prioritas (lansia)",
              "Pemohon penyandang disabilitas, dilayani di loket prioritas",
              "Berkas diterima melalui layanan jemput bola")
_HOLD_REASONS = ("Menunggu kelengkapan berkas: fotokopi Kartu Keluarga",
                 "Surat pengantar RT/RW belum dilampirkan",
                 "Pemohon diminta melengkapi surat keterangan dari desa",
                 "Data pada formulir tidak sesuai dengan KK, menunggu perbaikan",
                 "Menunggu tanda tangan saksi", "Pas foto belum sesuai ketentuan")
_REJECT_REASONS = ("Persyaratan tidak lengkap dan tidak dilengkapi",
                   "Data tidak sesuai dengan database kependudukan",
                   "Pemohon tidak memenuhi syarat layanan",
                   "Dokumen pendukung tidak sah")
_CANCEL_REASONS = ("Permohonan ditarik oleh pemohon", "Pemohon mengajukan ulang secara daring",
                   "Permohonan ganda")
_ABANDONED_REASON = "Berkas tidak dilengkapi dalam batas waktu, permohonan ditutup"
_UNCOLLECTED_REASON = "Dokumen tidak diambil pemohon lebih dari tiga bulan"
# Fates, as cumulative shares: rejected, withdrawn, stuck in the backlog; the rest finish.
_P_REJECT, _P_WITHDRAW, _P_STUCK = 0.025, 0.040, 0.044
_P_HOLD, _P_ABANDON = 0.07, 0.12
_P_LATE = 0.10
_P_UNCOLLECTED, _P_CANCEL_READY = 0.010, 0.014
# fmt: on


class History:
    """Makes the requests, day by day from 24 months ago up to ``now``, oldest first.

    Days are indexes into the list of working days and times are seconds after local
    midnight; both become stored text through tables made once. Request ids and
    registration numbers follow on from what the database holds.
    """

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.rng = random.Random(setup.seed)
        self.procs = setup.procs
        self.days = setup.days
        self.day_text = [d.isoformat() for d in setup.days]
        self.counters = dict(setup.counters)
        self.counters_used: dict[tuple[int, int], int] = {}
        self.next_id = setup.first_id
        self.statuses: Counter[str] = Counter()
        self.events = 0
        self.overdue = 0
        self.first_day = self.last_day = ""
        self.proc_cum = cumulative([_POPULARITY.get(p.code, 1.0) for p in self.procs])
        self.residents = Residents(self.rng)
        self.actors = {
            p.agency: tuple(f"{p.agency.lower()}{i}" for i in (1, 2, 3)) for p in self.procs
        }
        # An instant is stored as UTC text (as SQLAlchemy writes it on SQLite; PostgreSQL
        # reads it as timestamptz thanks to the offset). Per working day: where its local
        # midnight falls in the UTC day, and the texts of that UTC date and the next.
        suffix = ".000000+00:00" if setup.pg else ".000000"
        self.clock = [
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(86400)
        ]
        self.utc_days = []
        for midnight in setup.midnights:
            first = datetime.fromtimestamp(midnight - midnight % 86400, UTC).date()
            self.utc_days.append(
                (
                    midnight % 86400,
                    f"{first.isoformat()} ",
                    f"{(first + timedelta(days=1)).isoformat()} ",
                )
            )

    def stamp(self, index: int, secs: int) -> str:
        """The stored text of ``secs`` after local midnight of working day ``index``."""
        offset, first, second = self.utc_days[index]
        secs += offset
        return first + self.clock[secs] if secs < 86400 else second + self.clock[secs - 86400]

    def day_counts(self, n: int) -> list[tuple[int, int]]:
        """(working-day index, requests received) for each day of the history: growing over
        the two years, busiest on Mondays, quieter on Fridays, a rush in July (school
        enrolment needs birth certificates and family cards)."""
        s = self.setup
        last = s.today_index
        if s.cut_secs < OPENS + 1800:
            last -= 1  # today's counters have hardly opened
        days = self.days[: last + 1]
        if not days:
            from egovctl.i18n import _

            raise InvalidInput(_("the calendar has no working day in the last 24 months"))
        span = max(1, (days[-1] - days[0]).days)
        weights = []
        for d in days:
            w = (1.0 + 0.35 * (d - days[0]).days / span) * _WEEKDAY_LOAD[d.weekday()]
            weights.append(w * 1.3 if d.month == 7 else w)
        total = sum(weights)
        exact = [n * w / total for w in weights]
        counts = [int(x) for x in exact]
        # Largest remainders, so the counts add up to exactly n.
        for i in sorted(range(len(days)), key=lambda i: counts[i] - exact[i])[: n - sum(counts)]:
            counts[i] += 1
        busy = [(i, c) for i, c in enumerate(counts) if c]
        self.first_day, self.last_day = self.day_text[busy[0][0]], self.day_text[busy[-1][0]]
        return busy

    # -- requests -------------------------------------------------------------------------------

    def batches(self, n: int) -> Iterator[Batch]:
        """Requests and their events, about BATCH requests at a time, flat (see ``Batch``)."""
        rnd = self.rng.random
        person = self.residents.person
        population = max(20, n * 2 // 5)  # residents come back: ~2.5 requests each
        today, cut = self.setup.today_index, self.setup.cut_secs
        requests: list[Any] = []
        events: list[Any] = []
        for index, count in self.day_counts(n):
            span = LOG_SPAN if index < today else max(1, min(LOG_SPAN, cut - OPENS))
            for secs in sorted(OPENS + int(rnd() * span) for _ in range(count)):
                proc = self.procs[bisect.bisect_left(self.proc_cum, rnd())]
                self.request(proc, index, secs, person(int(rnd() * population)), requests, events)
            if len(requests) >= BATCH * REQUEST_WIDTH:
                self.tally(requests, len(events) // EVENT_WIDTH)
                yield requests, events
                requests, events = [], []
        if requests:
            self.tally(requests, len(events) // EVENT_WIDTH)
            yield requests, events

    def packed(self, n: int) -> Iterator[Packed]:
        """The batches as the writer takes them."""
        return pack_batches(self.batches(n), self.setup.pg)

    def plan(self, proc: Proc, r: int) -> list[tuple[int, str, str | None]]:
        """What happens to a request received on working day ``r``: (day, action, note),
        in order, also beyond today (the caller cuts the history at ``now``)."""
        rnd = self.rng.random
        k, sla = proc.n_steps, proc.sla_days
        if rnd() < _P_LATE:
            took = sla + 1 + int(rnd() ** 2 * max(3, sla))
        else:
            took = sla // 3 + int(rnd() * (sla - sla // 3 + 1))
        fate = rnd()
        at_step = 1 if rnd() < 0.6 else 1 + int(rnd() * k)  # most problems show at step 1
        hold_before, hold_days, abandoned = 0, 0, False
        if rnd() < _P_HOLD:
            hold_before = 1 if rnd() < 0.5 else 1 + int(rnd() * k)
            hold_days = 0 if rnd() < 0.1 else 1 + int(rnd() ** 2 * 8)
            abandoned = rnd() < _P_ABANDON
        note = _LOG_NOTES[int(rnd() * len(_LOG_NOTES))] if rnd() < 0.03 else None
        out: list[tuple[int, str, str | None]] = [(r, "log", note)]
        day, shift = r, 0
        for j in range(1, k + 1):
            if j == hold_before:  # waiting on the applicant before step j can go on
                out.append((day, "hold", _HOLD_REASONS[int(rnd() * len(_HOLD_REASONS))]))
                if abandoned:
                    out.append((day + 20 + int(rnd() * 20), "cancel", _ABANDONED_REASON))
                    return out
                shift += hold_days
                out.append((day + hold_days, "resume", None))
            day = r + shift + took * j // k
            if j == at_step and fate < _P_STUCK:
                if fate < _P_REJECT:
                    out.append((day, "reject", _REJECT_REASONS[int(rnd() * len(_REJECT_REASONS))]))
                elif fate < _P_WITHDRAW:
                    out.append((day, "cancel", _CANCEL_REASONS[int(rnd() * len(_CANCEL_REASONS))]))
                # else forgotten in the backlog: overdue until someone notices
                return out
            out.append((day, "advance", None))
        u = rnd()
        if u < _P_UNCOLLECTED:
            return out
        if u < _P_CANCEL_READY:
            out.append((day + 60 + int(rnd() * 60), "cancel", _UNCOLLECTED_REASON))
            return out
        wait = 0 if rnd() < 0.35 else 1 + int(rnd() ** 2 * 15)
        out.append((day + wait, "deliver", None))
        return out

    def request(
        self,
        proc: Proc,
        r: int,
        log_secs: int,
        who: Person,
        requests: list[Any],
        events: list[Any],
    ) -> None:
        """Plan one request, cut its history at ``now`` and add its rows: the stored state is
        what replaying the events gives, as ``workflow`` would have written it."""
        rnd = self.rng.random
        today, cut = self.setup.today_index, self.setup.cut_secs
        day_text, utc_days, clock = self.day_text, self.utc_days, self.clock
        extend = events.extend
        rid = self.next_id
        self.next_id += 1
        actors = self.actors[proc.agency]
        status, step, pushed = "in_progress", 1, 0
        hold_started: str | None = None
        hold_day = 0  # the working day the open hold began
        ready_at = ready_date = delivered_at = delivered_to = closed_at = closed_date = None
        history = self.plan(proc, r)
        prev, secs, seq, at, received_at = r, log_secs, 0, "", ""
        for day, action, note in history:
            if seq:
                secs = (
                    secs + 60 + int(rnd() * 600) if day == prev else OPENS + int(rnd() * WORK_SPAN)
                )
            if day > today or (day == today and secs > cut):
                break
            prev = day
            seq += 1
            offset, first, second = utc_days[day]  # self.stamp(day, secs), inlined: hot
            at = (
                first + clock[secs + offset]
                if secs + offset < 86400
                else second + clock[secs + offset - 86400]
            )
            if action == "advance":
                if step >= proc.n_steps:
                    status, ready_at, ready_date = "ready", at, day_text[day]
                else:
                    step += 1
            elif action == "hold":
                status, hold_day, hold_started = "on_hold", day, day_text[day]
            elif action == "resume":
                # The working days after the day the hold began, up to the day it ended.
                status, hold_started, pushed = "in_progress", None, pushed + day - hold_day
            elif action == "deliver":
                status, delivered_at = "delivered", at
                if rnd() < 0.2:
                    delivered_to = self.residents.someone()
                    note = f"diserahkan kepada {delivered_to}"
            elif action != "log":
                status = "rejected" if action == "reject" else "cancelled"
                closed_at, closed_date, hold_started = at, day_text[day], None
            extend((rid, seq, at, action, actors[int(rnd() * 3)], note))
            if seq == 1:
                received_at = at

        year = self.days[r].year
        key = (proc.agency_id, year)
        number = self.counters[key] = self.counters_used[key] = self.counters.get(key, 0) + 1
        u = rnd()
        channel = (
            "counter" if u < 0.72 else "online" if u < 0.94 else "phone" if u < 0.97 else "mail"
        )
        requests.extend(
            (
                rid,
                f"{proc.agency}-{year}-{number:06d}",
                proc.agency_id,
                proc.procedure_id,
                proc.version_id,
                status,
                step,
                *who,
                channel,
                history[0][2],
                received_at,
                day_text[r],
                day_text[r + proc.sla_days + pushed],
                hold_started,
                ready_at,
                ready_date,
                delivered_at,
                delivered_to,
                closed_at,
                closed_date,
                at,
            )
        )

    def tally(self, requests: list[Any], events: int) -> None:
        today = self.setup.today.isoformat()
        statuses, dues = requests[5::REQUEST_WIDTH], requests[16::REQUEST_WIDTH]
        self.statuses.update(statuses)
        self.events += events
        # Overdue as workdays.is_overdue has it (docs/requests.md): open and past due, also on hold
        # (a hold's push is added to the due date only on resume).
        self.overdue += sum(
            1
            for status, due in zip(statuses, dues, strict=True)
            if due < today and status in ("in_progress", "on_hold")
        )

    def outcome(self) -> Outcome:
        """What was made."""
        return {
            "counters": dict(self.counters_used),
            "statuses": dict(self.statuses),
            "events": self.events,
            "overdue": self.overdue,
            "from": self.first_day,
            "to": self.last_day,
        }
