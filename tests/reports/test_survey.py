"""The satisfaction survey: recording answers, importing CSV files all or nothing, the IKM."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli, table_counts, terminal

HEADER = "date,procedure,u1,u2,u3,u4,u5,u6,u7,u8,u9\n"
NIK = "1906034507890001"


def write_csv(tmp_path: Path, body: str, header: str = HEADER, name: str = "skm.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_record_and_report(catalogue: Cli) -> None:
    data = catalogue.ok(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KTP-EL",
        "--scores",
        "4,3,3,4,3,4,4,3,2",
        "--at",
        "2026-08-03",
        "--json",
    ).json()
    assert data["procedure"] == "DUKCAPIL-KTP-EL" and data["date"] == "2026-08-03"
    assert data["scores"] == {
        "U1": 4,
        "U2": 3,
        "U3": 3,
        "U4": 4,
        "U5": 3,
        "U6": 4,
        "U7": 4,
        "U8": 3,
        "U9": 2,
    }
    # Office time with its offset, like every other time egovctl prints.
    assert data["recorded_at"].endswith("+07:00"), data
    for scores in ("3,3,2,4,3,3,4,3,3", "4,4,3,4,4,4,4,3,3", "3,2,3,4,3,3,3,2,2"):
        catalogue.ok(
            "survey",
            "record",
            "--procedure",
            "DUKCAPIL-KTP-EL",
            "--scores",
            scores,
            "--at",
            "2026-08-04",
        )
    report = catalogue.ok("report", "ikm", "--period", "2026-08", "--json").json()
    # The same four answers as the hand-computed worksheet in test_ikm.py.
    assert report["respondents"] == 4
    assert report["nrr"] == {
        "U1": 3.5,
        "U2": 3.0,
        "U3": 2.75,
        "U4": 4.0,
        "U5": 3.25,
        "U6": 3.5,
        "U7": 3.75,
        "U8": 2.75,
        "U9": 2.5,
    }
    assert report["ikm"] == 80.56  # exact 1/9 weights: 116/36 × 25 = 80.555…
    assert report["weight"] == "1/9"
    assert (report["grade"], report["performance"]) == ("B", "Baik")
    assert [r["procedure"] for r in report["by_procedure"]] == ["DUKCAPIL-KTP-EL"]
    assert report["by_agency"][0]["agency"] == "DISDUKCAPIL"
    assert report["by_agency"][0]["ikm"] == 80.56
    human = catalogue.ok("report", "ikm", "--period", "2026-08").stdout
    assert "80.56" in human and "U9" in human
    log = catalogue.ok("audit", "log", "--json").json()
    assert [e["action"] for e in log].count("survey.record") == 4


def test_record_with_a_request(catalogue: Cli) -> None:
    reg = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KK",
        "--name",
        "Siti",
        "--nik",
        NIK,
        "--at",
        "2026-08-03T09:00",
        "--json",
    ).json()["reg_no"]
    data = catalogue.ok(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KK",
        "--scores",
        "4,4,4,4,4,4,4,4,4",
        "--reg",
        reg.lower(),
        "--at",
        "2026-08-05",
        "--json",
    ).json()
    assert data["reg_no"] == reg
    before = table_counts(catalogue.db_url)
    err = catalogue.fails(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KTP-EL",
        "--scores",
        "4,4,4,4,4,4,4,4,4",
        "--reg",
        reg,
    ).stderr
    assert f"request {reg} is for DUKCAPIL-KK, not DUKCAPIL-KTP-EL" in err
    err = catalogue.fails(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KK",
        "--scores",
        "4,4,4,4,4,4,4,4,4",
        "--reg",
        "DISDUKCAPIL-2026-999999",
    ).stderr
    assert "no request with registration number" in err
    err = catalogue.fails(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KK",
        "--scores",
        "4,4,4,4,4,4,4,4,4",
        "--reg",
        reg,
        "--at",
        "2026-08-01",
    ).stderr
    assert "before request" in err
    assert table_counts(catalogue.db_url) == before


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ("4,4,4,4,4,4,4,4", "got 8 scores"),
        ("4,4,4,4,4,4,4,4,4,4", "got 10 scores"),
        ("4,4,5,4,4,4,4,0,4", "out of range: U3=5, U8=0"),
        ("4,4,x,4,4,4,4,4,4", "nine whole numbers"),
    ],
)
def test_record_refuses_bad_scores(catalogue: Cli, scores: str, message: str) -> None:
    before = table_counts(catalogue.db_url)
    err = catalogue.fails(
        "survey", "record", "--procedure", "DUKCAPIL-KK", "--scores", scores
    ).stderr
    assert message in err
    assert table_counts(catalogue.db_url) == before


def test_record_refuses_future_day_and_unknown_procedure(catalogue: Cli) -> None:
    err = catalogue.fails(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KK",
        "--scores",
        "4,4,4,4,4,4,4,4,4",
        "--at",
        "2999-01-01",
    ).stderr
    assert "lies in the future" in err
    err = catalogue.fails(
        "survey", "record", "--procedure", "NOPE", "--scores", "4,4,4,4,4,4,4,4,4"
    ).stderr
    assert "no procedure with code 'NOPE'" in err


def test_import_good_file(catalogue: Cli, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "2026-08-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\n"
        "\n"
        "2026-08-04,dukcapil-kk,3,3,3,3,3,3,3,3,3\n"
        "2026-09-01,DINSOS-SKTM,2,3,4,1,2,3,4,1,2\n",
    )
    before = table_counts(catalogue.db_url)
    data = catalogue.ok("survey", "import", str(path), "--json").json()
    assert data["imported"] == 3
    assert data["procedures"] == {"DINSOS-SKTM": 1, "DUKCAPIL-KK": 2}
    assert (data["from"], data["to"]) == ("2026-08-03", "2026-09-01")
    after = table_counts(catalogue.db_url)
    assert after["survey_response"] == before["survey_response"] + 3
    assert after["audit_log"] == before["audit_log"] + 1  # one record for the whole file
    report = catalogue.ok("report", "ikm", "--period", "2026-08", "--json").json()
    assert report["respondents"] == 2 and report["nrr"]["U1"] == 3.5


def test_import_with_bad_rows_writes_nothing(catalogue: Cli, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "2026-08-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\n"  # line 2: good
        "2026-13-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\n"  # line 3: bad date
        "2026-08-03,NOPE,4,4,4,4,4,4,4,4,4\n"  # line 4: no procedure
        "2026-08-03,DUKCAPIL-KK,4,5,4,4,4,4,4,4,x\n"  # line 5: u2 and u9
        "2026-08-03,DUKCAPIL-KK,4,4,4\n"  # line 6: too short
        "2999-01-01,DUKCAPIL-KK,4,4,4,4,4,4,4,4,\n",
    )  # line 7: future, empty
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("survey", "import", str(path)).stderr
    assert "5 bad rows of 6; nothing was imported" in err
    assert "line 3: column date: '2026-13-03' is not a date" in err
    assert "line 4: column procedure: no procedure 'NOPE'" in err
    assert "line 5: column u2: 5 is out of range 1-4" in err
    assert "line 5: column u9: 'x' is not a score 1-4" in err
    assert "line 6: 5 columns, expected 11" in err
    assert "line 7: column date: 2999-01-01 lies in the future" in err
    assert "line 7: column u9" not in err  # a blank score is an unsur left unanswered
    assert "line 2" not in err
    assert table_counts(catalogue.db_url) == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("date,procedure,u1,u2,u3,u4,u5,u6,u7,u8\n", "column 11 should be 'u9', missing"),
        (
            "tanggal,procedure,u1,u2,u3,u4,u5,u6,u7,u8,u9\n",
            "column 1 should be 'date', found 'tanggal'",
        ),
        ("date;procedure;u1;u2;u3;u4;u5;u6;u7;u8;u9\n", "separated by ';'"),
        ("date,procedure,u1,u2,u3,u4,u5,u6,u7,u8,u9,note\n", "unexpected extra column 'note'"),
    ],
)
def test_import_checks_the_header(
    catalogue: Cli, tmp_path: Path, header: str, message: str
) -> None:
    path = write_csv(tmp_path, "2026-08-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\n", header=header)
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("survey", "import", str(path)).stderr
    assert "line 1: the header must be exactly date,procedure,u1" in err
    assert message in err
    assert table_counts(catalogue.db_url) == before


def test_import_accepts_a_spreadsheet_bom_and_case(catalogue: Cli, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffDate,Procedure,U1,U2,U3,U4,U5,U6,U7,U8,U9\r\n"
        "2026-08-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\r\n".encode()
    )
    assert catalogue.ok("survey", "import", str(path), "--json").json()["imported"] == 1


def test_import_empty_and_missing_files(catalogue: Cli, tmp_path: Path) -> None:
    assert (
        "has a header but no answers"
        in catalogue.fails("survey", "import", str(write_csv(tmp_path, ""))).stderr
    )
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert "is empty" in catalogue.fails("survey", "import", str(empty)).stderr
    assert "no file" in catalogue.fails("survey", "import", str(tmp_path / "nope.csv")).stderr


def test_survey_needs_permission(catalogue: Cli, tmp_path: Path) -> None:
    catalogue.ok("staff", "add", "admin1", "--name", "Admin", "--role", "admin")
    catalogue.ok("staff", "add", "loket1", "--name", "Loket", "--role", "counter", user="admin1")
    path = write_csv(tmp_path, "2026-08-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\n")
    before = table_counts(catalogue.db_url)
    assert (
        "may not record survey answers"
        in catalogue.fails("survey", "import", str(path), user="loket1").stderr
    )
    assert (
        "may not record survey answers"
        in catalogue.fails(
            "survey",
            "record",
            "--procedure",
            "DUKCAPIL-KK",
            "--scores",
            "4,4,4,4,4,4,4,4,4",
            user="loket1",
        ).stderr
    )
    assert table_counts(catalogue.db_url) == before
    catalogue.ok("survey", "import", str(path), user="admin1")
    # Reports: a counter clerk may not read them, a supervisor may.
    catalogue.ok("staff", "add", "kabid", "--name", "Kabid", "--role", "supervisor", user="admin1")
    assert (
        "may not read reports"
        in catalogue.fails("report", "ikm", "--period", "2026-08", user="loket1").stderr
    )
    assert (
        catalogue.ok("report", "ikm", "--period", "2026-08", "--json", user="kabid").json()[
            "respondents"
        ]
        == 1
    )


def test_ikm_empty_period_and_files(catalogue: Cli, tmp_path: Path) -> None:
    data = catalogue.ok("report", "ikm", "--period", "2026-S1", "--json").json()
    assert data["respondents"] == 0 and data["ikm"] is None and data["grade"] is None
    assert data["message"] == "no survey answers in the period"
    assert (
        "no survey answers in the period"
        in catalogue.ok("report", "ikm", "--period", "2026-S1").stdout
    )
    path = write_csv(
        tmp_path, "".join(f"2026-08-{d:02d},DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\n" for d in range(3, 8))
    )
    catalogue.ok("survey", "import", str(path))
    xlsx = tmp_path / "ikm.xlsx"
    catalogue.ok("report", "ikm", "--period", "2026-08", "-o", str(xlsx))
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Per unsur", "Per instansi", "Per layanan"]
    unsur = wb["Per unsur"]
    assert [c.value for c in unsur[5]][:3] == ["U1", "Persyaratan", 4]
    assert unsur.cell(14, 4).value == pytest.approx(4.0)  # the IKM row: Σ NRR tertimbang
    layanan = wb["Per layanan"]
    assert [c.value for c in layanan[4]][3:10] == [
        "Responden",
        "Populasi",
        "Sampel minimum",
        "Sampel",
        "IKM",
        "Mutu",
        "Kinerja",
    ]
    assert [c.value for c in layanan[5]][3:9] == [5, 0, 0, "memadai", 100, "A"]
    csv_lines = catalogue.ok("report", "ikm", "--period", "2026-08", "--csv").stdout.splitlines()
    assert csv_lines[0] == (
        "level,agency,procedure,respondents,U1,U2,U3,U4,U5,U6,U7,U8,U9,ikm,grade,performance,"
        "population,min_respondents,sample_ok"
    )
    assert csv_lines[-1].startswith("total,,,5,4.0,")
    assert csv_lines[-1].endswith(",100.0,A,Sangat Baik,0,0,true")
    from pypdf import PdfReader

    pdf = tmp_path / "ikm.pdf"
    catalogue.ok("report", "ikm", "--period", "2026-08", "-o", str(pdf))
    text = PdfReader(pdf).pages[0].extract_text()
    assert "INDEKS KEPUASAN MASYARAKAT" in text and "100,00" in text


@pytest.mark.parametrize("width", [80, 100, 120])
def test_ikm_per_service_fits_the_terminal(catalogue: Cli, tmp_path: Path, width: int) -> None:
    from tests.reports.test_figures import assert_all_visible

    codes = (
        "KEC-MANGGAR-SK-DOMISILI-USAHA",
        "DPMPTSP-IZIN-PRAKTIK-DOKTER",
        "DINSOS-REKOM-PBI-JK",
        "DINKES-PIRT",
    )
    path = write_csv(
        tmp_path,
        "".join(f"2026-08-0{d},{code},4,3,3,4,3,4,4,3,2\n" for d in range(3, 6) for code in codes),
    )
    catalogue.ok("survey", "import", str(path))
    data = catalogue.ok("report", "ikm", "--period", "2026-08", "--json").json()
    with terminal(width):
        out = catalogue.ok("report", "ikm", "--period", "2026-08").stdout
    assert_all_visible(out, "ikm", data, width)


def test_the_same_file_or_request_is_not_counted_twice(catalogue: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "2026-08-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\n")
    catalogue.ok("survey", "import", str(path))
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("survey", "import", str(path)).stderr
    assert "was imported before" in err and "--again" in err
    assert table_counts(catalogue.db_url) == before
    again = catalogue.ok("survey", "import", str(path), "--again", "--json").json()
    assert again["imported"] == 1
    reg = catalogue.ok(
        "request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", NIK, "--json"
    ).json()["reg_no"]
    catalogue.ok(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KK",
        "--reg",
        reg,
        "--scores",
        "4,4,4,4,4,4,4,4,4",
    )
    err = catalogue.fails(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KK",
        "--reg",
        reg,
        "--scores",
        "3,3,3,3,3,3,3,3,3",
    ).stderr
    assert f"request {reg} already has survey answers" in err


def test_scores_only_in_ascii_digits_and_dates_from_2000(catalogue: Cli, tmp_path: Path) -> None:
    before = table_counts(catalogue.db_url)
    err = catalogue.fails(
        "survey", "record", "--procedure", "DUKCAPIL-KK", "--scores", "\u0661,1,1,1,1,1,1,1,1"
    ).stderr
    assert "write nine whole numbers 1-4" in err
    path = write_csv(tmp_path, "1999-08-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,\uff14\n")
    err = catalogue.fails("survey", "import", str(path)).stderr
    assert "1999-08-03 is before 2000" in err and "is not a score" in err
    assert table_counts(catalogue.db_url) == before


def test_an_unreadable_day_is_a_usage_error(catalogue: Cli) -> None:
    err = catalogue.fails(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KK",
        "--scores",
        "4,4,4,4,4,4,4,4,4",
        "--at",
        "2026-02-30",
        code=2,
    ).stderr
    assert "Invalid value for '--at'" in err


# -- issue #21: weights, blanks, the minimum sample, per procedure and agency ---------------


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "egovctl.toml"
    path.write_text(body, encoding="utf-8")
    return path


WORKSHEET = ("4,3,3,4,3,4,4,3,2", "3,3,2,4,3,3,4,3,3", "4,4,3,4,4,4,4,3,3", "3,2,3,4,3,3,3,2,2")


def test_old_weight_from_the_config_reproduces_the_old_figures(
    catalogue: Cli, tmp_path: Path
) -> None:
    for scores in WORKSHEET:
        catalogue.ok(
            "survey",
            "record",
            "--procedure",
            "DUKCAPIL-KK",
            "--scores",
            scores,
            "--at",
            "2026-08-03",
        )
    exact = catalogue.ok("report", "ikm", "--period", "2026-08", "--json").json()
    assert (exact["ikm"], exact["weight"], exact["nrr_weighted"]["U1"]) == (80.56, "1/9", 0.389)
    config = write_config(tmp_path, '[survey]\nweight = "0.111"\n')
    args = ("--config", str(config), "report", "ikm", "--period", "2026-08")
    old = catalogue.ok(*args, "--json").json()
    assert (old["ikm"], old["weight"], old["ikm_unconverted"]) == (80.48, "0.111", 3.219)
    assert old["by_procedure"][0]["ikm"] == 80.48 and "weight" not in old["by_procedure"][0]
    assert "weight 0.111 (the old worksheet's weight)" in catalogue.ok(*args).stdout
    # In Indonesian, the terminal names the weight as the printed report does.
    assert "bobot 0,111 (bobot lembar kerja lama)" in catalogue.ok("--lang", "id", *args).stdout
    pdf = tmp_path / "ikm.pdf"
    catalogue.ok(*args, "-o", str(pdf))
    from pypdf import PdfReader

    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "80,48" in text and "0,111 (bobot lembar kerja lama)" in text
    shown = catalogue.ok("--config", str(config), "config", "show", "--json").json()
    assert shown["survey.weight"]["value"] == "0.111"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[survey]\nweight = "0.11"\n', "'survey.weight' must be \"1/9\""),
        ("[survey]\nweight = 0.5\n", "'survey.weight' must be \"1/9\""),
        ("[survey]\npopulation = 0\n", "'survey.population' must be a whole number"),
        ('[survey]\npopulation = "100"\n', "'survey.population' must be a whole number"),
        ('survey = "x"\n', "[survey] must be a table"),
    ],
)
def test_bad_survey_config_is_refused(
    catalogue: Cli, tmp_path: Path, body: str, message: str
) -> None:
    config = write_config(tmp_path, body)
    err = catalogue.fails("--config", str(config), "report", "ikm", "--period", "2026-08").stderr
    assert message in err


def test_an_unknown_survey_key_is_a_warning(catalogue: Cli, tmp_path: Path) -> None:
    config = write_config(tmp_path, '[survey]\nweigth = "0.111"\n')
    result = catalogue.ok("--config", str(config), "report", "ikm", "--period", "2026-08")
    assert "unknown key 'survey.weigth' ignored (did you mean 'survey.weight'?)" in result.stderr


def test_blank_scores_divide_by_those_who_answered(catalogue: Cli, tmp_path: Path) -> None:
    data = catalogue.ok(
        "survey",
        "record",
        "--procedure",
        "DUKCAPIL-KK",
        "--scores",
        "4,4,-,4,4,4,4,4,4",
        "--at",
        "2026-08-03",
        "--json",
    ).json()
    assert data["scores"]["U3"] is None and data["scores"]["U1"] == 4
    path = write_csv(
        tmp_path,
        "2026-08-04,DUKCAPIL-KK,3,3,,3,3,3,3,3,3\n2026-08-05,DUKCAPIL-KK,2,2,2,2,2,2,2,2,\n",
    )
    imported = catalogue.ok("survey", "import", str(path), "--json").json()
    assert imported["imported"] == 2 and imported["blank_answers"] == 2
    assert "2 scores left blank" in catalogue.ok("survey", "import", str(path), "--again").stdout
    report = catalogue.ok("report", "ikm", "--period", "2026-08", "--json").json()
    # Five answer sheets: the recorded one, and the file's two rows twice (--again).
    assert report["respondents"] == 5
    assert report["answered"]["U3"] == 2 and report["answered"]["U9"] == 3
    # U3: (2 + 2) / 2 answers; U9: (4 + 3 + 3) / 3 answers; the others (4 + 3 + 2 + 3 + 2) / 5
    assert report["nrr"]["U3"] == 2.0 and report["nrr"]["U9"] == 3.33 and report["nrr"]["U1"] == 2.8
    # IKM = (7 × 2.8 + 2 + 10/3) / 9 × 25 = 69.259… → 69.26
    assert report["ikm"] == 69.26 and report["grade"] == "C"
    every_blank = catalogue.fails(
        "survey", "record", "--procedure", "DUKCAPIL-KK", "--scores", "-,-,-,-,-,-,-,-,-"
    ).stderr
    assert "every score is blank" in every_blank
    bad = write_csv(tmp_path, "2026-08-04,DUKCAPIL-KK,,,,,,,,,\n", name="blank.csv")
    assert "line 2: every score is blank" in catalogue.fails("survey", "import", str(bad)).stderr


def log_requests(cli: Cli, procedure: str, n: int, first: int, day: str = "2026-08-03") -> None:
    """``n`` requests from different applicants (NIK serials ``first``, ``first + 1``, ...)."""
    for i in range(first, first + n):
        cli.ok(
            "request",
            "log",
            procedure,
            "--name",
            f"Pemohon {i}",
            "--nik",
            f"{NIK[:12]}{i:04d}",
            "--at",
            f"{day}T09:{i:02d}",
        )


def test_minimum_sample_caveat_everywhere(catalogue: Cli, tmp_path: Path) -> None:
    """Population = requests received in the period for the procedures surveyed; a result from
    fewer respondents than Krejcie & Morgan's minimum says so in every output."""
    log_requests(catalogue, "DUKCAPIL-KK", 5, first=1)
    log_requests(catalogue, "DUKCAPIL-KTP-EL", 2, first=10)
    log_requests(catalogue, "DINSOS-SKTM", 4, first=20)  # not surveyed: not in the population
    log_requests(catalogue, "DUKCAPIL-KK", 3, first=30, day="2026-07-01")  # another period
    rows = "".join(
        f"2026-08-0{d},{code},4,4,4,4,4,4,4,4,3\n"
        for code, days in (("DUKCAPIL-KK", (3, 4)), ("DUKCAPIL-KTP-EL", (3, 4)))
        for d in days
    )
    catalogue.ok("survey", "import", str(write_csv(tmp_path, rows)))
    args = ("report", "ikm", "--period", "2026-08")
    data = catalogue.ok(*args, "--json").json()
    assert (data["respondents"], data["population"], data["min_respondents"]) == (4, 7, 7)
    assert data["sample_ok"] is False and data["population_source"] == "requests"
    procs = {r["procedure"]: r for r in data["by_procedure"]}
    kk, ktp = procs["DUKCAPIL-KK"], procs["DUKCAPIL-KTP-EL"]
    assert (kk["respondents"], kk["population"], kk["min_respondents"], kk["sample_ok"]) == (
        2,
        5,
        5,
        False,
    )
    assert (ktp["population"], ktp["min_respondents"], ktp["sample_ok"]) == (2, 2, True)
    agency = data["by_agency"][0]
    assert (agency["agency"], agency["population"], agency["sample_ok"]) == (
        "DISDUKCAPIL",
        7,
        False,
    )
    caveat = "Jumlah responden 4 kurang dari sampel minimum 7 untuk populasi 7 permohonan"
    out = catalogue.ok("--lang", "id", *args).stdout  # the clerk's terminal, in Indonesian
    assert "populasi 7 permohonan pada periode ini · sampel minimum 7" in out
    assert caveat in " ".join(out.split())
    assert "kurang" in out and "memadai" in out
    csv_lines = catalogue.ok(*args, "--csv").stdout.splitlines()
    assert csv_lines[-1].endswith(",7,7,false")
    book = tmp_path / "ikm.xlsx"
    catalogue.ok(*args, "-o", str(book))
    from openpyxl import load_workbook

    wb = load_workbook(book)
    assert caveat in wb["Per unsur"]["A3"].value and wb["Per layanan"]["A3"].font.bold
    html = tmp_path / "ikm.html"
    catalogue.ok(*args, "-o", str(html))
    page = " ".join(html.read_text(encoding="utf-8").split())
    assert caveat in page and 'class="caveat"' in page
    pdf = tmp_path / "ikm.pdf"
    catalogue.ok(*args, "-o", str(pdf))
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert caveat in text and "Sampel minimum (Krejcie & Morgan)" in text
    # The office's own count of service users: only the overall index is checked.
    config = write_config(tmp_path, "[survey]\npopulation = 4\n")
    own = catalogue.ok("--config", str(config), *args, "--json").json()
    assert (own["population"], own["min_respondents"], own["sample_ok"]) == (4, 4, True)
    assert own["population_source"] == "config"
    assert own["by_procedure"][0]["population"] is None
    assert own["by_procedure"][0]["sample_ok"] is None
    assert "kurang dari sampel minimum" not in catalogue.ok("--config", str(config), *args).stdout


@pytest.mark.parametrize(
    ("by", "keys"),
    [
        (None, {"by_agency", "by_procedure"}),
        ("procedure", {"by_procedure"}),
        ("agency", {"by_agency"}),
    ],
)
def test_ikm_by_procedure_or_agency(
    catalogue: Cli, tmp_path: Path, by: str | None, keys: set[str]
) -> None:
    rows = "2026-08-03,DUKCAPIL-KK,4,4,4,4,4,4,4,4,4\n2026-08-03,DINSOS-SKTM,3,3,3,3,3,3,3,3,3\n"
    catalogue.ok("survey", "import", str(write_csv(tmp_path, rows)))
    flag = ["--by", by] if by else []
    data = catalogue.ok("report", "ikm", "--period", "2026-08", *flag, "--json").json()
    assert {k for k in data if k.startswith("by_")} == keys and data["by"] == by
    for key in keys:
        assert all({"respondents", "min_respondents", "sample_ok"} <= set(r) for r in data[key])
    out = catalogue.ok("report", "ikm", "--period", "2026-08", *flag).stdout
    assert ("IKM per procedure" in out) == ("by_procedure" in keys)
    assert ("IKM per agency" in out) == ("by_agency" in keys)
    levels = {
        line.split(",")[0]
        for line in catalogue.ok(
            "report", "ikm", "--period", "2026-08", *flag, "--csv"
        ).stdout.splitlines()[1:]
    }
    assert levels == {"total", *(k.removeprefix("by_") for k in keys)}
    book = tmp_path / "ikm.xlsx"
    catalogue.ok("report", "ikm", "--period", "2026-08", *flag, "-o", str(book))
    from openpyxl import load_workbook

    names = {"by_agency": "Per instansi", "by_procedure": "Per layanan"}
    assert load_workbook(book).sheetnames == ["Per unsur", *(names[k] for k in sorted(keys))]


def test_ikm_by_is_checked(catalogue: Cli) -> None:
    err = catalogue.fails("report", "ikm", "--by", "kecamatan", code=2).stderr
    assert "'kecamatan' is not one of" in err
