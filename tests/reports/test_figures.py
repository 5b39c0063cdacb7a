"""Reports on a hand-built month (August 2026) whose every figure is known in advance.

August 2026: Saturday 1st; Monday 17th (Hari Kemerdekaan) and Tuesday 25th (Maulid Nabi)
are national holidays. Three test procedures, each a single step (one ``advance`` makes a
request ready):

- UJI-CEPAT (agency UJI, sla 2 working days), UJI-LAMA (UJI, sla 5), UJI2-IZIN (UJI2, sla 3).

Request   received        due        what happens                      counts in August
A1        Mon 08-03       08-05      ready 08-04                       on time, 1 day
A2        Mon 08-03       08-05      ready 08-05                       on time, 2 days
A3        Thu 08-13       08-18      ready 08-19                       late, 3 days (17th off)
A4        Sat 08-01 00:30 08-05      ready 08-10                       late, 5 days (from Mon)
A5        Thu 07-30       08-03      ready 08-03                       on time, 2 days; not
                                                                       received in August
A6        Mon 08-24       08-27      open                              overdue at 08-31
A7        Thu 08-27       08-31      open                              due on the last day:
                                                                       not overdue, due soon
A8        Mon 08-10       08-12      rejected 08-11                    rejected
A9        Wed 08-12       08-14      cancelled 08-12                   cancelled
A10       Thu 08-20       08-24      on hold since 08-21 (before due)  overdue at 08-31: on
                                                                       hold, its due date
                                                                       moves on resume only
A11       Tue 08-04       08-06      on hold since 08-10 (after due)   overdue
A12       Wed 07-01       07-03      open                              overdue; not received
A13       Tue 08-18       08-20      ready 09-02                       overdue at 08-31
A14       Wed 08-19       08-21      cancelled 09-01                   overdue at 08-31
B1        Mon 08-03       08-10      ready 08-07                       on time, 4 days
B2        Wed 08-05       08-18      hold 08-06, resume 08-11 (+3),    on time, 7 days (holds
                                     ready 08-14                       are not subtracted)
B3        Fri 08-28       09-04      open                              not due yet
C1        Mon 08-03       08-06      ready 08-06                       on time, 3 days

UJI-CEPAT: received 12, finished 5 (on time 3, late 2), rejected 1, cancelled 1, overdue 6,
median of 1,2,2,3,5 = 2. UJI-LAMA: received 3, finished 2 (on time 2), median of 4,7 = 5.5.
UJI2-IZIN: received 1, finished 1, median 3. Totals: received 16, finished 8, on time 6,
late 2, median of 1,2,2,3,3,4,5,7 = 3, on-time rate 0.75.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PG_BASE, Cli, _pg_admin, _pg_url, table_counts, terminal

CATALOGUE = """\
kind: agency
code: UJI
name: Dinas Uji Coba
---
kind: agency
code: UJI2
name: Badan Uji Kedua
---
code: UJI-CEPAT
name: Layanan Cepat
agency: UJI
steps: [{name: Proses dan penyerahan, days: 2}]
sla_days: 2
fee: 0
product: Surat Cepat
---
code: UJI-LAMA
name: Rekomendasi Pendaftaran Peserta Penerima Bantuan Iuran Jaminan Kesehatan Daerah
agency: UJI
steps: [{name: Proses, days: 5}]
sla_days: 5
fee: 10000
product: Surat Lama
---
code: UJI2-IZIN
name: Izin Uji
agency: UJI2
steps: [{name: Proses, days: 3}]
sla_days: 3
fee: 0
product: Izin
"""
NIK = "1906034507890001"
LOKET, OPERATOR = "loket1", "operator1"

# name -> (procedure, received at, [(action, at, extra args)])
MONTH: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "A1": ("UJI-CEPAT", "2026-08-03T09:00", [("advance", "2026-08-04T10:00")]),
    "A2": ("UJI-CEPAT", "2026-08-03T09:10", [("advance", "2026-08-05T10:00")]),
    "A3": ("UJI-CEPAT", "2026-08-13T09:00", [("advance", "2026-08-19T10:00")]),
    "A4": ("UJI-CEPAT", "2026-08-01T00:30", [("advance", "2026-08-10T10:00")]),
    "A5": ("UJI-CEPAT", "2026-07-30T09:00", [("advance", "2026-08-03T10:00")]),
    "A6": ("UJI-CEPAT", "2026-08-24T09:00", []),
    "A7": ("UJI-CEPAT", "2026-08-27T09:00", []),
    "A8": ("UJI-CEPAT", "2026-08-10T09:00", [("reject", "2026-08-11T10:00")]),
    "A9": ("UJI-CEPAT", "2026-08-12T09:00", [("cancel", "2026-08-12T11:00")]),
    "A10": ("UJI-CEPAT", "2026-08-20T09:00", [("hold", "2026-08-21T10:00")]),
    "A11": ("UJI-CEPAT", "2026-08-04T09:00", [("hold", "2026-08-10T10:00")]),
    "A12": ("UJI-CEPAT", "2026-07-01T09:00", []),
    "A13": ("UJI-CEPAT", "2026-08-18T09:00", [("advance", "2026-09-02T10:00")]),
    "A14": ("UJI-CEPAT", "2026-08-19T09:00", [("cancel", "2026-09-01T10:00")]),
    "B1": ("UJI-LAMA", "2026-08-03T09:00", [("advance", "2026-08-07T10:00")]),
    "B2": (
        "UJI-LAMA",
        "2026-08-05T09:00",
        [
            ("hold", "2026-08-06T10:00"),
            ("resume", "2026-08-11T10:00"),
            ("advance", "2026-08-14T10:00"),
        ],
    ),
    "B3": ("UJI-LAMA", "2026-08-28T09:00", []),
    "C1": ("UJI2-IZIN", "2026-08-03T09:00", [("advance", "2026-08-06T10:00")]),
}
REASONS = {
    "reject": ["--reason", "syarat tidak lengkap"],
    "cancel": ["--reason", "dibatalkan pemohon"],
    "hold": ["--reason", "menunggu berkas"],
}


def build_month(cli: Cli, tmp: Path) -> dict[str, str]:
    yaml = tmp / "uji.yaml"
    yaml.write_text(CATALOGUE, encoding="utf-8")
    cli.ok("procedure", "import", str(yaml))
    regs = {}
    for name, (proc, at, _moves) in MONTH.items():
        regs[name] = cli.ok(
            "request",
            "log",
            proc,
            "--name",
            f"Pemohon {name}",
            "--nik",
            NIK,
            "--at",
            at,
            "--json",
            user=LOKET,
        ).json()["reg_no"]
    for name, (_proc, _at, moves) in MONTH.items():
        for action, at in moves:
            cli.ok(
                "request", action, regs[name], "--at", at, *REASONS.get(action, []), user=OPERATOR
            )
    return regs


@pytest.fixture(scope="module")
def month(
    template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Cli, dict[str, str]]]:
    """The month above, built once; the report tests only read it."""
    tmp = tmp_path_factory.mktemp("month")
    if PG_BASE:
        name = f"egovctl_month_{uuid.uuid4().hex[:10]}"
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
        url = _pg_url(name)
    else:
        shutil.copyfile(template_db, tmp / "month.db")
        url = f"sqlite:///{tmp / 'month.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(tmp))
        mp.setenv("XDG_CONFIG_HOME", str(tmp / ".config"))
        mp.chdir(tmp)
        for var in ("EGOVCTL_DB", "EGOVCTL_CONFIG", "EGOVCTL_USER"):
            mp.delenv(var, raising=False)
        cli = Cli(url)
        regs = build_month(cli, tmp)
    yield cli, regs
    if PG_BASE:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rows_by_procedure(data: dict) -> dict[str, dict]:
    return {r["procedure"]: r for r in data["rows"]}


# -- summary -------------------------------------------------------------------------------


def test_summary_of_the_month(month) -> None:
    cli, _ = month
    data = cli.ok("report", "summary", "--period", "2026-08", "--json").json()
    assert data["period"] == {"from": "2026-08-01", "to": "2026-08-31"}
    assert data["as_of"] == "2026-08-31"
    rows = rows_by_procedure(data)
    assert list(rows) == ["UJI-CEPAT", "UJI-LAMA", "UJI2-IZIN"]
    cepat = rows["UJI-CEPAT"]
    assert {
        k: cepat[k]
        for k in (
            "agency",
            "received",
            "finished",
            "on_time",
            "late",
            "rejected",
            "cancelled",
            "overdue",
            "median_days",
        )
    } == {
        "agency": "UJI",
        "received": 12,
        "finished": 5,
        "on_time": 3,
        "late": 2,
        "rejected": 1,
        "cancelled": 1,
        "overdue": 6,
        "median_days": 2,
    }
    assert cepat["on_time_rate"] == 0.6
    lama = rows["UJI-LAMA"]
    assert (
        lama["received"],
        lama["finished"],
        lama["on_time"],
        lama["late"],
        lama["overdue"],
        lama["median_days"],
    ) == (3, 2, 2, 0, 0, 5.5)
    izin = rows["UJI2-IZIN"]
    assert (
        izin["agency"],
        izin["received"],
        izin["finished"],
        izin["median_days"],
        izin["on_time_rate"],
    ) == ("UJI2", 1, 1, 3, 1.0)
    assert data["totals"] == {
        "received": 16,
        "finished": 8,
        "on_time": 6,
        "late": 2,
        "rejected": 1,
        "cancelled": 1,
        "overdue": 6,
        "median_days": 3,
        "on_time_rate": 0.75,
        "on_time_rate_low": data["totals"]["on_time_rate_low"],
    }


def test_one_request_is_not_ranked_above_many(month) -> None:
    cli, _ = month
    rows = rows_by_procedure(cli.ok("report", "summary", "--period", "2026-08", "--json").json())
    # UJI2-IZIN: 1 of 1 on time (100 %), UJI-LAMA 2 of 2; the Wilson low bound orders them
    # by evidence, and a single request stays far below 100 %.
    assert rows["UJI2-IZIN"]["on_time_rate_low"] < rows["UJI-LAMA"]["on_time_rate_low"] < 0.9
    assert rows["UJI2-IZIN"]["on_time_rate_low"] == pytest.approx(0.2065, abs=1e-4)


def test_summary_filters_and_other_periods(month) -> None:
    cli, _ = month
    uji2 = cli.ok("report", "summary", "--period", "2026-08", "--agency", "UJI2", "--json").json()
    assert [r["procedure"] for r in uji2["rows"]] == ["UJI2-IZIN"]
    assert uji2["totals"]["received"] == 1
    lama = cli.ok(
        "report",
        "summary",
        "--from",
        "2026-08-01",
        "--to",
        "2026-08-31",
        "--procedure",
        "uji-lama",
        "--json",
    ).json()
    assert [r["procedure"] for r in lama["rows"]] == ["UJI-LAMA"]
    # July: A5 and A12 received; A12 still open and overdue at the end of July.
    july = rows_by_procedure(cli.ok("report", "summary", "--period", "2026-07", "--json").json())
    assert july["UJI-CEPAT"]["received"] == 2 and july["UJI-CEPAT"]["finished"] == 0
    assert july["UJI-CEPAT"]["overdue"] == 1 and july["UJI-CEPAT"]["median_days"] is None
    assert july["UJI-CEPAT"]["on_time_rate"] is None
    # Read at 08-14 instead: A4 was ready on 08-10, B2's hold moved its due date to 08-18.
    half = rows_by_procedure(
        cli.ok("report", "summary", "--from", "2026-08-01", "--to", "2026-08-14", "--json").json()
    )
    assert half["UJI-CEPAT"]["overdue"] == 2  # A11 (on hold, past due) and A12
    # The third quarter adds July and September (A13 ready 09-02, A14 cancelled 09-01).
    q3 = cli.ok("report", "summary", "--period", "2026-Q3", "--json").json()
    assert (
        q3["totals"]["received"],
        q3["totals"]["finished"],
        q3["totals"]["late"],
        q3["totals"]["cancelled"],
    ) == (18, 9, 3, 2)


def test_empty_period_says_so(month) -> None:
    cli, _ = month
    data = cli.ok("report", "summary", "--period", "2026-03", "--json").json()
    assert data["rows"] == [] and data["message"] == "no requests in the period"
    assert data["totals"]["received"] == 0 and data["totals"]["median_days"] is None
    assert data["totals"]["on_time_rate"] is None
    out = cli.ok("report", "summary", "--period", "2026-03").stdout
    assert "no requests in the period" in out


def test_summary_terminal_and_csv(month) -> None:
    cli, _ = month
    out = cli.ok("report", "summary", "--period", "2026-08").stdout
    assert "UJI-CEPAT" in out and "Total" in out and "75.0%" in out, out
    csv_text = cli.ok("report", "summary", "--period", "2026-08", "--csv").stdout
    lines = csv_text.splitlines()
    assert lines[0].startswith("agency,procedure,procedure_name,received,finished,on_time")
    assert lines[1].startswith("UJI,UJI-CEPAT,Layanan Cepat,12,5,3,2,1,1,6,2,0.6")
    assert len(lines) == 4


# -- the terminal at 80, 100 and 120 columns ---------------------------------------------------


def hyphen_pieces(code: str) -> set[str]:
    """The ways a code may appear when it wraps after a hyphen."""
    parts = code.split("-")
    return {
        "-".join(parts[i:j]) + ("-" if j < len(parts) else "")
        for i in range(len(parts))
        for j in range(i + 1, len(parts) + 1)
    }


def assert_all_visible(out: str, kind: str, data: dict, width: int) -> None:
    """Every column, whole numbers and whole words, and no line wider than the terminal."""
    from rich.cells import cell_len

    from egovctl.reports.tables import say_cell, shown_tables, tables

    assert max(cell_len(line) for line in out.splitlines()) <= width, out
    # The terminal's words: its titles, headers and numbers in the language it speaks.
    specs = [s for s in shown_tables(tables(kind, data)) if s.rows and s.said_title in out]
    starts = []
    for spec in specs:  # each table is checked against its own part of the output
        starts.append(out.index(spec.said_title, starts[-1] if starts else 0))
    for spec, start, end in zip(specs, starts, [*starts[1:], len(out)], strict=True):
        tokens = set(out[start:end].split())
        for col in (c for c in spec.columns if c.terminal):
            # A folded column (agency headings, names under usernames) keeps its values.
            folded = col.key in (getattr(spec, "group", None), *getattr(spec, "stack", ()))
            for word in col.said.split():
                assert folded or word in tokens, f"{kind} at {width}: {col.said!r}\n{out}"
            for row in spec.rows[:50]:
                text = say_cell(col, row.get(col.key))
                if col.kind not in ("text", "status"):
                    assert text in tokens, f"{kind} at {width}: {col.key}={text}\n{out}"
                elif col.key == "procedure":
                    assert text in tokens or hyphen_pieces(text) & tokens, (text, out)
                else:
                    missing = [w for w in text.split() if w not in tokens]
                    assert not missing, f"{kind} at {width}: broken {missing}\n{out}"


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("kind", ["summary", "sla", "officers"])
def test_terminal_tables_keep_every_column(month, kind: str, width: int) -> None:
    cli, _ = month
    data = cli.ok("report", kind, "--period", "2026-08", "--json").json()
    with terminal(width):
        out = cli.ok("report", kind, "--period", "2026-08").stdout
    assert_all_visible(out, kind, data, width)
    assert "Total" in out


def test_piped_output_fits_80_columns(month) -> None:
    """Run as a user does, piped: Rich falls back to 80 columns."""
    import subprocess

    from rich.cells import cell_len

    from tests.conftest import egovctl_argv

    cli, _ = month
    # In Indonesian, as the clerk reads it (the suite runs in English).
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "EGOVCTL_LANG")}
    out = subprocess.run(
        egovctl_argv("--db", cli.db_url, "report", "summary", "--period", "2026-08"),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert max(cell_len(line) for line in out.splitlines()) <= 80, out
    for header in ("Tolak", "Batal", "Lewat", "Median", "tepat", "75,0%"):
        assert header in out.split(), out


def test_long_codes_wrap_after_a_hyphen() -> None:
    import io

    from rich.console import Console

    from egovctl.commands._report_views import render
    from egovctl.reports.periods import parse_period

    codes = [
        "KEC-MANGGAR-SK-DOMISILI-USAHA",
        "DPMPTSP-IZIN-PRAKTIK-DOKTER",
        "KEC-MANGGAR-REKOM-KERAMAIAN",
    ]
    big = {
        "received": 12345,
        "finished": 11987,
        "on_time": 10234,
        "late": 1753,
        "rejected": 234,
        "cancelled": 199,
        "overdue": 87,
        "median_days": 12.5,
        "on_time_rate": 1.0,
    }
    rows = [
        {
            "agency": code.rsplit("-", 3)[0],
            "procedure": code,
            "procedure_name": "Penerbitan Surat",
            **big,
        }
        for code in codes
    ]
    data = {"rows": rows, "totals": big, "as_of": "2026-08-31"}
    for width in (80, 100, 120):
        console = Console(width=width, file=io.StringIO(), record=True)
        render(
            console, "summary", data, parse_period("2026-08", None, None, today=date(2026, 9, 1))
        )
        out = console.export_text()
        assert_all_visible(out, "summary", data, width)
        if width >= 100:
            assert all(code in out.split() for code in codes), out


# -- sla -----------------------------------------------------------------------------------


def test_sla_at_the_end_of_the_month(month) -> None:
    cli, regs = month
    data = cli.ok("report", "sla", "--period", "2026-08", "--json").json()
    assert data["as_of"] == "2026-08-31" and data["due_soon_until"] == "2026-09-02"
    rows = rows_by_procedure(data)
    assert {k: rows["UJI-CEPAT"][k] for k in ("open", "overdue", "due_soon")} == {
        "open": 7,
        "overdue": 6,
        "due_soon": 1,
    }
    assert {k: rows["UJI-LAMA"][k] for k in ("open", "overdue", "due_soon")} == {
        "open": 1,
        "overdue": 0,
        "due_soon": 0,
    }
    assert data["totals"] == {"open": 8, "overdue": 6, "due_soon": 1}
    assert data["by_agency"] == [{"agency": "UJI", "open": 8, "overdue": 6, "due_soon": 1}]
    listed = [(r["reg_no"], r["due_date"], r["days_overdue"]) for r in data["overdue"]]
    assert listed == [
        (regs["A12"], "2026-07-03", listed[0][2]),
        (regs["A11"], "2026-08-06", 15),  # on hold since 08-10, still late
        (regs["A13"], "2026-08-20", 6),
        (regs["A14"], "2026-08-21", 5),
        (regs["A10"], "2026-08-24", 4),  # on hold since 08-21; 25th off
        (regs["A6"], "2026-08-27", 2),
    ]
    out = cli.ok("report", "sla", "--period", "2026-08").stdout
    assert regs["A6"] in out and "Overdue requests" in out


def test_sla_now_matches_request_list_overdue(month) -> None:
    cli, regs = month
    # The current month: the as-of day is today, and the overdue set is the live one.
    data = cli.ok("report", "sla", "--json").json()
    live = {
        r["reg_no"]
        for r in cli.ok("request", "list", "--overdue", "--limit", "1000", "--json").json()
    }
    assert {r["reg_no"] for r in data["overdue"]} == live
    assert regs["A6"] in live and regs["A10"] in live  # A10: on hold, past its due date


# -- officers ------------------------------------------------------------------------------


def test_officers(month) -> None:
    cli, _ = month
    data = cli.ok("report", "officers", "--period", "2026-08", "--json").json()
    rows = {r["actor"]: r for r in data["rows"]}
    assert rows[LOKET]["log"] == 16 and rows[LOKET]["total"] == 16
    op = rows[OPERATOR]
    assert (op["advance"], op["reject"], op["cancel"], op["hold"], op["resume"], op["total"]) == (
        8,
        1,
        1,
        3,
        1,
        14,
    )
    assert op["requests"] == 12  # distinct requests touched
    assert data["totals"]["total"] == 30
    uji2 = cli.ok("report", "officers", "--period", "2026-08", "--agency", "UJI2", "--json").json()
    assert {r["actor"]: r["total"] for r in uji2["rows"]} == {LOKET: 1, OPERATOR: 1}
    empty = cli.ok("report", "officers", "--period", "2026-03", "--json").json()
    assert empty["rows"] == [] and empty["message"] == "no work recorded in the period"


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "there is no month 13"),
        (["--period", "2026-Q5"], "there is no quarter 5"),
        (["--from", "2026-08-31", "--to", "2026-08-01"], "is after --to"),
        (["--period", "2026-08", "--from", "2026-08-01"], "either --period or --from/--to"),
    ],
)
def test_bad_periods_are_usage_errors(month, args: list[str], message: str) -> None:
    cli, _ = month
    result = cli.fails("report", "summary", *args, code=2)
    assert message in result.stderr


def test_unknown_filters_and_output(month, tmp_path: Path) -> None:
    cli, _ = month
    assert "no agency with code 'NOPE'" in cli.fails("report", "summary", "--agency", "NOPE").stderr
    err = cli.fails("report", "summary", "--agency", "UJI2", "--procedure", "UJI-LAMA").stderr
    assert "belongs to UJI, not UJI2" in err
    assert (
        "use .csv, .xlsx, .html, .pdf"
        in cli.fails("report", "summary", "-o", str(tmp_path / "r.doc")).stderr
    )
    cli.fails("report", "summary", "--json", "--csv", code=2)


# -- files -----------------------------------------------------------------------------------


def test_xlsx_export_reads_back(month, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    cli, _ = month
    out = tmp_path / "rekap.xlsx"
    cli.ok("report", "summary", "--period", "2026-08", "-o", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == ["Rekap", "Tren"]
    ws = wb["Rekap"]
    assert ws.freeze_panes == "A5"
    header = [c.value for c in ws[4]]
    assert header[:4] == ["Instansi", "Kode layanan", "Layanan", "Diterima"]
    first = [c.value for c in ws[5]]
    assert first[:10] == ["UJI", "UJI-CEPAT", "Layanan Cepat", 12, 5, 3, 2, 1, 1, 6]
    assert isinstance(first[3], int) and first[11] == 0.6
    assert ws.cell(5, 12).number_format == "0.0%"
    totals = [c.value for c in ws[8]]
    assert totals[0] == "Jumlah" and totals[3:11] == [16, 8, 6, 2, 1, 1, 6, 3]
    assert ws.cell(8, 1).font.bold
    trend = wb["Tren"]
    days = [r[0].value for r in trend.iter_rows(min_row=5, max_row=35)]
    assert days[0] == "2026-08-01" and days[-1] == "2026-08-31"
    assert sum(r[1].value for r in trend.iter_rows(min_row=5, max_row=35)) == 16
    # Refused without --force, replaced with it.
    assert (
        "already exists"
        in cli.fails("report", "summary", "--period", "2026-08", "-o", str(out)).stderr
    )
    cli.ok("report", "sla", "--period", "2026-08", "-o", str(out), "--force")
    assert load_workbook(out).sheetnames == ["Per layanan", "Per instansi", "Lewat tempo"]
    sla_list = load_workbook(out)["Lewat tempo"]
    import datetime as dt

    assert sla_list.cell(5, 6).value == dt.datetime(2026, 7, 3)  # a real date cell


def test_sla_dates_are_iso_everywhere(month, tmp_path: Path) -> None:
    """Dates in the SLA report read YYYY-MM-DD like everything else (issue #13)."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    cli, regs = month
    args = ("report", "sla", "--period", "2026-08")
    out = cli.ok(*args).stdout
    assert "2026-07-03" in out and "2026-08-27" in out
    assert "03-07-2026" not in out and "27-08-2026" not in out
    csv_text = cli.ok(*args, "--csv").stdout
    assert not re.search(r"\b\d{2}-\d{2}-\d{4}\b", csv_text)
    book = tmp_path / "sla.xlsx"
    cli.ok(*args, "-o", str(book))
    listed = load_workbook(book)["Lewat tempo"]
    assert listed.cell(5, 5).number_format == "yyyy-mm-dd"
    assert listed.cell(5, 6).number_format == "yyyy-mm-dd"
    pdf = tmp_path / "sla.pdf"
    cli.ok(*args, "-o", str(pdf))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "2026-07-03" in text and regs["A12"] in text
    assert not re.search(r"\b\d{2}-\d{2}-\d{4}\b", text)


def test_csv_file_export(month, tmp_path: Path) -> None:
    cli, _ = month
    out = tmp_path / "rekap.csv"
    cli.ok("report", "summary", "--period", "2026-08", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text == cli.ok("report", "summary", "--period", "2026-08", "--csv").stdout


def test_pdf_and_html_reports(month, tmp_path: Path) -> None:
    from pypdf import PdfReader

    cli, _ = month
    pdf = tmp_path / "rekap.pdf"
    cli.ok("report", "summary", "--period", "2026-08", "-o", str(pdf))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "REKAPITULASI KINERJA PELAYANAN" in text
    assert "Agustus 2026" in text and "UJI-CEPAT" in text and "75,0%" in text
    html = tmp_path / "rekap.html"
    cli.ok("report", "summary", "--period", "2026-08", "-o", str(html))
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "Tren harian" in page


def test_commands_do_not_change_the_database(month) -> None:
    cli, _ = month
    before = table_counts(cli.db_url)
    for kind in ("summary", "sla", "officers", "ikm"):
        cli.ok("report", kind, "--period", "2026-08", "--json")
    assert table_counts(cli.db_url) == before


def test_report_modules_are_not_imported_for_help() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from egovctl.cli import app; "
        "heavy = [m for m in ('matplotlib', 'openpyxl', 'sqlalchemy', "
        "'egovctl.reports.query', 'egovctl.reports.summary') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ}, check=True
    ).stdout
    assert out.strip() == "[]"


# -- arithmetic ------------------------------------------------------------------------------


def test_fast_elapsed_days_match_the_calendar() -> None:
    from datetime import date, timedelta

    from egovctl.reports.summary import ElapsedDays
    from egovctl.requests.workdays import WorkCalendar

    calendar = WorkCalendar(
        {date(2026, 8, 20): "HUT Kabupaten"}, {date(2026, 8, 22): "Pelayanan Sabtu"}
    )
    start = date(2026, 7, 25)
    elapsed = ElapsedDays(calendar, start)
    days = [start + timedelta(days=i) for i in range(60)]
    for received in days:
        for ready in days:
            if ready >= received:
                assert elapsed(received, ready) == calendar.elapsed_working_days(received, ready), (
                    received,
                    ready,
                )


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ({}, None),
        ({3: 1}, 3),
        ({1: 1, 2: 2, 3: 1, 5: 1}, 2),
        ({4: 1, 7: 1}, 5.5),
        ({1: 1, 2: 2, 3: 2, 4: 1, 5: 1, 7: 1}, 3),
        ({0: 10, 9: 1}, 0),
    ],
)
def test_weighted_median(histogram: dict, median) -> None:
    from egovctl.reports.summary import weighted_median

    assert weighted_median(histogram) == median


def test_report_due_within_has_a_range(cli: Cli) -> None:
    err = cli.fails("report", "sla", "--due-within", "999999999999", code=2).stderr
    assert "Invalid value for '--due-within'" in err and "unexpected" not in err


def test_report_sheets_keep_codes_whole_and_wide_tables_on_landscape(month, tmp_path: Path) -> None:
    from pypdf import PdfReader

    cli, _ = month
    html = tmp_path / "rekap.html"
    cli.ok("report", "summary", "--period", "2026-08", "-o", str(html))
    page = html.read_text(encoding="utf-8")
    assert '<td class="code">UJI-CEPAT</td>' in page
    assert "td.code { white-space: nowrap; }" in page
    pdf = tmp_path / "sla.pdf"
    cli.ok("report", "sla", "--period", "2026-08", "-o", str(pdf))
    box = PdfReader(pdf).pages[0].mediabox
    assert box.width > box.height  # the overdue list has 7 columns: A4 landscape
