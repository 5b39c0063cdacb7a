"""The catalogue through the CLI: import, versions, list/show/export, retire, and bad input."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROCEDURES, Cli, egovctl_argv, table_counts

AGENCY = """\
kind: agency
code: DINAS-UJI
name: Dinas Uji Coba
"""
PROC = """\
---
code: UJI-SATU
name: Layanan Uji Satu
agency: DINAS-UJI
requirements:
  - Fotokopi KTP
  - {name: Pas foto 3x4, copies: 2}
steps:
  - {name: Penerimaan berkas, actor: Petugas loket, days: 0}
  - {name: Verifikasi, actor: Operator, days: 2}
sla_days: 2
fee: 0
product: Surat Uji
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_catalogue_imports_and_lists(catalogue: Cli) -> None:
    rows = catalogue.ok("procedure", "list", "--json").json()
    assert len(rows) >= 15
    assert {"code", "name", "agency", "version", "sla_days", "fee", "active"} <= set(rows[0])
    agencies = {r["agency"] for r in rows}
    assert {"DISDUKCAPIL", "DPMPTSP", "DINSOS", "DINKES"} <= agencies
    ktp = next(r for r in rows if r["code"] == "DUKCAPIL-KTP-EL")
    assert ktp["version"] == 1 and ktp["sla_days"] == 3 and ktp["fee"] == 0
    assert "DUKCAPIL-KTP-EL" in catalogue.ok("procedure", "list").stdout


def test_reimport_unchanged_is_a_no_op(catalogue: Cli) -> None:
    before = table_counts(catalogue.db_url)
    summary = catalogue.ok("procedure", "import", str(PROCEDURES), "--json").json()
    assert summary["procedures"]["created"] == 0
    assert summary["procedures"]["updated"] == 0
    assert summary["procedures"]["unchanged"] >= 15
    after = table_counts(catalogue.db_url)
    # Only the audit log grows (the import itself is recorded).
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }


def test_changed_definition_becomes_new_version(cli: Cli, tmp_path: Path) -> None:
    f = write(tmp_path / "a.yaml", AGENCY + PROC)
    first = cli.ok("procedure", "import", str(f), "--json").json()
    assert first["procedures"]["created"] == 1 and first["agencies"]["created"] == 1
    write(f, AGENCY + PROC.replace("sla_days: 2", "sla_days: 4"))
    second = cli.ok("procedure", "import", str(f), "--json").json()
    assert second["procedures"]["updated"] == 1
    shown = cli.ok("procedure", "show", "UJI-SATU", "--json").json()
    assert shown["version"] == 2 and shown["sla_days"] == 4
    old = cli.ok("procedure", "show", "UJI-SATU", "--version", "1", "--json").json()
    assert old["version"] == 1 and old["sla_days"] == 2
    err = cli.fails("procedure", "show", "UJI-SATU", "--version", "3").stderr
    assert "no version 3; its versions are 1 to 2" in err
    assert old["requirements"][1] == {
        "name": "Pas foto 3x4",
        "copies": 2,
        "optional": False,
        "note": None,
    }


def test_dry_run_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    f = write(tmp_path / "a.yaml", AGENCY + PROC)
    before = table_counts(cli.db_url)
    out = cli.ok("procedure", "import", "--dry-run", str(f), "--json").json()
    assert out["dry_run"] is True and out["procedures"]["created"] == 1
    assert table_counts(cli.db_url) == before


def test_export_imports_back_to_the_same_catalogue(catalogue: Cli, tmp_path: Path) -> None:
    exported = tmp_path / "export.yaml"
    catalogue.ok("procedure", "export", "-o", str(exported))
    summary = catalogue.ok("procedure", "import", str(exported), "--json").json()
    assert summary["procedures"]["updated"] == 0 and summary["agencies"]["updated"] == 0
    assert summary["procedures"]["unchanged"] >= 15
    # And into an empty database it recreates the same procedures.
    fresh = (
        Cli(catalogue.db_url.replace("egovctl.db", "fresh.db"))
        if catalogue.db_url.startswith("sqlite")
        else None
    )
    if fresh is not None:
        fresh.ok("procedure", "import", str(exported))
        a = catalogue.ok("procedure", "show", "DUKCAPIL-KTP-EL", "--json").json()
        b = fresh.ok("procedure", "show", "DUKCAPIL-KTP-EL", "--json").json()
        for key in ("version_created_at",):
            a.pop(key)
            b.pop(key)
        assert a == b


def test_export_selected_codes_to_stdout(catalogue: Cli) -> None:
    text = catalogue.ok("procedure", "export", "DUKCAPIL-KTP-EL").stdout
    assert "code: DUKCAPIL-KTP-EL" in text
    assert "kind: agency" in text and "code: DISDUKCAPIL" in text
    assert "DPMPTSP" not in text


def test_retire_hides_and_reactivate_restores(catalogue: Cli) -> None:
    catalogue.ok("procedure", "retire", "DUKCAPIL-KK")
    codes = [r["code"] for r in catalogue.ok("procedure", "list", "--json").json()]
    assert "DUKCAPIL-KK" not in codes
    all_rows = catalogue.ok("procedure", "list", "--all", "--json").json()
    assert next(r for r in all_rows if r["code"] == "DUKCAPIL-KK")["active"] is False
    again = catalogue.fails("procedure", "retire", "DUKCAPIL-KK")
    assert "already retired" in again.stderr
    catalogue.ok("procedure", "reactivate", "DUKCAPIL-KK")
    codes = [r["code"] for r in catalogue.ok("procedure", "list", "--json").json()]
    assert "DUKCAPIL-KK" in codes


def test_list_filters_and_csv(catalogue: Cli) -> None:
    rows = catalogue.ok("procedure", "list", "--agency", "DINSOS", "--json").json()
    assert rows and all(r["agency"] == "DINSOS" for r in rows)
    csv_text = catalogue.ok("procedure", "list", "--csv").stdout
    assert csv_text.splitlines()[0].startswith("code,name,agency,version")
    catalogue.fails("procedure", "list", "--json", "--csv", code=2)
    bad = catalogue.fails("procedure", "list", "--agency", "DISDUKCAPL")
    assert "did you mean 'DISDUKCAPIL'" in bad.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("procedure", "list", "--agency", "{code}"),
        ("agency", "show", "{code}"),
        ("print", "maklumat", "{code}"),
        ("print", "catalogue", "--agency", "{code}"),
        ("staff", "add", "budi", "--name", "Budi", "--role", "admin", "--agency", "{code}"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_unknown_agency_points_to_agency_list(catalogue: Cli, args: tuple[str, ...]) -> None:
    before = table_counts(catalogue.db_url)
    err = catalogue.fails(*[a.format(code="NOPE") for a in args]).stderr
    assert err.startswith("error: no agency with code 'NOPE'; see 'egovctl agency list'"), err
    assert "procedure list" not in err
    close = catalogue.fails(*[a.format(code="DINSOSS") for a in args]).stderr
    assert "did you mean 'DINSOS'? (see 'egovctl agency list')" in close
    assert table_counts(catalogue.db_url) == before


def test_unknown_procedure_points_to_procedure_list(catalogue: Cli) -> None:
    err = catalogue.fails("procedure", "show", "NOPE").stderr
    assert "see 'egovctl procedure list --all'" in err


def test_list_without_matches_names_the_filters(catalogue: Cli) -> None:
    out = catalogue.ok("procedure", "list", "--category", "Tidak Ada").stdout
    assert "No procedures match --category 'Tidak Ada'" in out
    assert "active procedures in the catalogue" in out
    assert "Categories: " in out and "Pencatatan Sipil" in out
    assert "Import some" not in out
    out = catalogue.ok(
        "procedure", "list", "--agency", "DINSOS", "--category", "pencatatan sipl"
    ).stdout
    assert "No procedures match --agency 'DINSOS' and --category 'pencatatan sipl'" in out
    assert "Did you mean --category 'Pencatatan Sipil'?" in out
    assert catalogue.ok("procedure", "list", "--category", "Tidak Ada", "--json").json() == []
    # A category whose only procedure is retired: say how to see it.
    catalogue.ok("procedure", "retire", "DUKCAPIL-KK")
    category = catalogue.ok("procedure", "show", "DUKCAPIL-KK", "--json").json()["category"]
    rows = catalogue.ok("procedure", "list", "--all", "--category", category, "--json").json()
    for row in rows:
        if row["active"]:
            catalogue.ok("procedure", "retire", row["code"])
    out = catalogue.ok("procedure", "list", "--category", category).stdout
    assert f"No procedures match --category '{category}'" in out
    assert "add --all" in out


def test_list_of_an_empty_catalogue_says_how_to_import(cli: Cli) -> None:
    out = cli.ok("procedure", "list").stdout
    assert "No procedures. Import some with: egovctl procedure import" in out
    out = cli.ok("procedure", "list", "--category", "X").stdout
    assert "Import some" in out


def test_show_human_and_unknown(catalogue: Cli) -> None:
    out = catalogue.ok("procedure", "show", "DUKCAPIL-KTP-EL").stdout
    assert "Requirements" in out and "Free" in out and "working days" in out
    assert "DUKCAPIL-KTP-EL" in out and "Penerbitan KTP Elektronik" in out
    err = catalogue.fails("procedure", "show", "DUKCAPIL-KTP").stderr
    assert "no procedure with code 'DUKCAPIL-KTP'" in err
    err = catalogue.fails("procedure", "show", "DUKCAPIL-KTP-EL", "--version", "9").stderr
    assert "no version 9; it has only version 1" in err
    assert "1 to 1" not in err


def test_agency_list_and_show(catalogue: Cli) -> None:
    rows = catalogue.ok("agency", "list", "--json").json()
    assert len(rows) >= 5
    dukcapil = catalogue.ok("agency", "show", "DISDUKCAPIL", "--json").json()
    assert dukcapil["head"]["nip"] and any(
        p["code"] == "DUKCAPIL-KTP-EL" for p in dukcapil["procedures"]
    )
    assert catalogue.fails("agency", "show", "NOPE").stderr.startswith("error: no agency")


def test_schema_is_json_schema(cli: Cli) -> None:
    schema = cli.ok("procedure", "schema", db=False).json()
    text = json.dumps(schema)
    assert "sla_days" in text and "requirements" in text and "steps" in text


# -- bad input: one clear error, exit 1, database unchanged ----------------------------------

BAD_CASES = {
    "yaml syntax": ("code: [UJI\nname: x\n", "syntax"),
    "unknown key": (AGENCY + PROC.replace("fee: 0", "fee: 0\nfees: 1"), "did you mean"),
    "wrong type": (AGENCY + PROC.replace("fee: 0", 'fee: "50.000"'), "fee"),
    "missing field": (AGENCY + PROC.replace("product: Surat Uji\n", ""), "product"),
    "bad code": (AGENCY + PROC.replace("code: UJI-SATU", "code: uji satu"), "code"),
    "negative": (AGENCY + PROC.replace("sla_days: 2", "sla_days: -1"), "sla_days"),
    "unknown agency": (
        PROC.replace("agency: DINAS-UJI", "agency: DINAS-ENTAH"),
        "unknown agency 'DINAS-ENTAH'",
    ),
    "duplicate": (AGENCY + PROC + PROC, "UJI-SATU"),
    "empty steps": (
        AGENCY
        + PROC.replace(
            "steps:\n  - {name: Penerimaan berkas, actor: Petugas loket, days: 0}\n"
            "  - {name: Verifikasi, actor: Operator, days: 2}\n",
            "steps: []\n",
        ),
        "steps",
    ),
    "empty file": ("", "empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_files_change_nothing(cli: Cli, tmp_path: Path, case: str) -> None:
    good = write(
        tmp_path / "good.yaml",
        AGENCY.replace("DINAS-UJI", "DINAS-BAIK")
        + PROC.replace("DINAS-UJI", "DINAS-BAIK").replace("UJI-SATU", "BAIK-SATU"),
    )
    text, expected = BAD_CASES[case]
    bad = write(tmp_path / "bad.yaml", text)
    before = table_counts(cli.db_url)
    result = cli.fails("procedure", "import", str(good), str(bad))
    assert "nothing was imported" in result.stderr
    assert re.search(r"bad\.yaml:\d+:\d+: ", result.stderr), result.stderr
    assert expected in result.stderr
    assert table_counts(cli.db_url) == before


def test_all_problems_reported_together(cli: Cli, tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", AGENCY + PROC.replace("sla_days: 2", "sla_days: -1"))
    b = write(
        tmp_path / "b.yaml", PROC.replace("UJI-SATU", "UJI-DUA").replace("fee: 0", "fee: gratis")
    )
    err = cli.fails("procedure", "import", str(a), str(b)).stderr
    assert "a.yaml:" in err and "b.yaml:" in err and "sla_days" in err and "fee" in err


def test_unknown_agency_reported_with_schema_errors(catalogue: Cli, tmp_path: Path) -> None:
    """Every problem in one run: the unknown agency is not held back by schema errors."""
    text = PROC.replace("agency: DINAS-UJI", "agency: DINSOSS").replace(
        "sla_days: 2", "sla_days: -1"
    ).replace("fee: 0", "fee: gratis") + PROC.replace("fee: 0", "fee: 0\nfees: 1")
    bad = write(tmp_path / "baru.yaml", text)
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("procedure", "import", "--dry-run", str(bad)).stderr
    assert "error: 6 problems in 1 file; nothing was imported" in err
    assert f"{bad}:4:9: agency: unknown agency 'DINSOSS'; did you mean 'DINSOS'?" in err
    assert f"{bad}:11:11: sla_days: must be 0 or more" in err
    assert f"{bad}:12:6: fee: expected a whole number" in err
    # The second document repeats the code (and has an error of its own) and names an agency
    # neither in the database nor in the import.
    assert f"{bad}:15:7: code: duplicate procedure code UJI-SATU" in err
    assert (
        f"{bad}:17:9: agency: unknown agency 'DINAS-UJI'; it is neither "
        "in the database nor defined in this import"
    ) in err
    assert f"{bad}:26:1: fees: unknown field 'fees'; did you mean 'fee'?" in err
    assert table_counts(catalogue.db_url) == before


def test_binary_missing_path_and_empty_dir(cli: Cli, tmp_path: Path) -> None:
    binary = tmp_path / "x.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage\x00")
    assert "x.yaml" in cli.fails("procedure", "import", str(binary)).stderr
    missing = cli.fails("procedure", "import", str(tmp_path / "nope.yaml")).stderr
    assert "nope.yaml" in missing and "not" in missing
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "empty" in cli.fails("procedure", "import", str(empty)).stderr


def test_installed_command_end_to_end(tmp_path: Path, db_url: str) -> None:
    """The installed console script, in a subprocess, the way a user runs it."""
    run = egovctl_argv("--db", db_url)
    done = subprocess.run(
        [*run, "procedure", "import", str(PROCEDURES)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "created" in done.stdout
    bad = subprocess.run(
        [*run, "procedure", "show", "NOPE"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 1 and bad.stderr.startswith("error: ")
    assert "Traceback" not in bad.stderr
    assert subprocess.run([*run, "--version"], capture_output=True, text=True).stdout.startswith(
        "egovctl "
    )


def test_yaml_number_forms_that_change_the_value_are_refused(cli: Cli, tmp_path: Path) -> None:
    """YAML 1.1 reads 010 as 8 and 0x10 as 16: a fee or a day count must be plain digits."""
    text = AGENCY + PROC.replace("sla_days: 2", "sla_days: 010").replace("fee: 0", "fee: 0x10")
    bad = write(tmp_path / "angka.yaml", text.replace("days: 2}", "days: 1_0}"))
    before = table_counts(cli.db_url)
    err = cli.fails("procedure", "import", str(bad)).stderr
    assert "sla_days: '010' is not a plain number (YAML would read it as 8)" in err
    assert "underscores or colons, e.g. 10\n" in err
    assert "fee: '0x10' is not a plain number (YAML would read it as 16)" in err
    assert "steps[1].days: '1_0' is not a plain number" in err
    assert table_counts(cli.db_url) == before
    cli.ok("procedure", "import", str(write(tmp_path / "baik.yaml", AGENCY + PROC)))


def test_agency_head_nip_is_checked_like_staff_nips(cli: Cli, tmp_path: Path) -> None:
    head = AGENCY + "head: {name: Budi, nip: '197012031996131002'}\n"
    err = cli.fails("procedure", "import", str(write(tmp_path / "a.yaml", head))).stderr
    assert "a.yaml:4:" in err and "head.nip: invalid NIP '197012031996131002'" in err
    assert "start month 13" in err
    cli.ok("procedure", "import", str(write(tmp_path / "b.yaml", head.replace("131", "031"))))


def test_a_pipe_is_not_read(cli: Cli, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipa.yaml"
    os.mkfifo(fifo)
    err = cli.fails("procedure", "import", str(fifo)).stderr
    assert "pipa.yaml: not a regular file" in err


def test_export_never_overwrites_without_force(catalogue: Cli, tmp_path: Path) -> None:
    target = write(tmp_path / "katalog.yaml", "lama\n")
    assert (
        "already exists; use --force"
        in catalogue.fails("procedure", "export", "DINSOS-SKTM", "-o", str(target)).stderr
    )
    assert target.read_text(encoding="utf-8") == "lama\n"
    catalogue.ok("procedure", "export", "DINSOS-SKTM", "-o", str(target), "--force")
    assert "code: DINSOS-SKTM" in target.read_text(encoding="utf-8")
    err = catalogue.fails("procedure", "export", "-o", str(tmp_path / "k.html"), code=2).stderr
    assert "does not end in .yaml" in err and not (tmp_path / "k.html").exists()


def test_control_characters_in_texts_are_reported(cli: Cli, tmp_path: Path) -> None:
    bad = AGENCY + PROC.replace("name: Layanan Uji Satu", 'name: "Layanan \\e[31mUji"')
    err = cli.fails("procedure", "import", str(write(tmp_path / "c.yaml", bad))).stderr
    assert "c.yaml:6:7: name: contains the control character U+001B" in err


@pytest.mark.parametrize("char", ["\\u202e", "\\u200b", "\\ufeff"])
def test_invisible_format_characters_in_texts_are_reported(
    cli: Cli, tmp_path: Path, db_url: str, char: str
) -> None:
    """Issue 13 item 14: a right-to-left override would print the name reversed."""
    before = table_counts(db_url)
    bad = AGENCY + PROC.replace("name: Layanan Uji Satu", f'name: "Layanan {char}Uji"')
    err = cli.fails("procedure", "import", str(write(tmp_path / "c.yaml", bad))).stderr
    code = char[2:].upper()
    assert f"c.yaml:6:7: name: contains the invisible formatting character U+{code}" in err
    assert table_counts(db_url) == before


# -- issue 13: a standard sheet that contradicts itself, texts too long to print --------------


def test_steps_longer_than_the_sla_are_a_warning_naming_the_line(cli: Cli, tmp_path: Path) -> None:
    """Steps of 0 + 10 working days under ``sla_days: 2``: imported, with a warning at the
    sla_days line naming both numbers, in the dry run, the import and its JSON."""
    f = write(tmp_path / "lama.yaml", AGENCY + PROC.replace("days: 2}", "days: 10}"))
    where = f"{f}:14:11: sla_days: "
    expected = f"{where}the steps take 10 working days in total, more than sla_days 2; "
    dry = cli.ok("procedure", "import", "--dry-run", str(f))
    assert f"warning: {expected}" in dry.stderr
    assert "Would import" in dry.stdout
    out = cli.ok("procedure", "import", "--json", str(f))
    assert f"warning: {expected}" in out.stderr
    summary = out.json()
    assert summary["procedures"]["created"] == 1
    assert len(summary["warnings"]) == 1 and summary["warnings"][0].startswith(expected)
    assert cli.ok("procedure", "show", "UJI-SATU", "--json").json()["sla_days"] == 2
    # Steps that fit their time give no warning.
    fits = cli.ok(
        "procedure", "import", "--json", str(write(tmp_path / "baik.yaml", AGENCY + PROC))
    )
    assert fits.json()["warnings"] == [] and "warning" not in fits.stderr


LONG_TEXTS = {
    "description": (
        PROC.replace("product: Surat Uji", "product: Surat Uji\ndescription: " + "x" * 100_000),
        "17:14: description: too long: 100,000 characters, at most 4,000 fit",
    ),
    "name": (
        PROC.replace("name: Layanan Uji Satu", "name: " + "Layanan " * 26),
        "6:7: name: too long: 207 characters, at most 200 fit",
    ),
    "legal basis item": (
        PROC.replace("product: Surat Uji", "product: Surat Uji\nlegal_basis:\n  - " + "U" * 501),
        "18:5: legal_basis[0]: too long: 501 characters, at most 500 fit",
    ),
    "requirement": (
        PROC.replace("  - Fotokopi KTP", "  - " + "K" * 201),
        "9:5: requirements[0].name: too long: 201 characters, at most 200 fit",
    ),
    "steps": (
        PROC.replace("steps:\n", "steps:\n" + "  - {name: Langkah}\n" * 49),
        "12:3: steps: too many items: 51, at most 50 fit",
    ),
}


@pytest.mark.parametrize("case", sorted(LONG_TEXTS))
def test_texts_longer_than_a_standard_sheet_holds_are_refused(
    cli: Cli, tmp_path: Path, case: str
) -> None:
    text, expected = LONG_TEXTS[case]
    bad = write(tmp_path / "panjang.yaml", AGENCY + text)
    before = table_counts(cli.db_url)
    err = cli.fails("procedure", "import", str(bad)).stderr
    assert "nothing was imported" in err
    assert f"{bad}:{expected} on the printed service standard" in err, err
    assert len(err) < 2000  # the text itself is not echoed
    assert table_counts(cli.db_url) == before


def test_schema_states_the_text_limits(cli: Cli) -> None:
    procedure = cli.ok("procedure", "schema", db=False).json()["$defs"]["ProcedureDoc"]
    props = procedure["properties"]
    assert '"maxLength": 4000' in json.dumps(props["description"])
    assert '"maxLength": 200' in json.dumps(props["name"])
    assert '"maxLength": 500' in json.dumps(props["legal_basis"])
    assert props["steps"]["maxItems"] == 50


RUNAWAY_VALUES = {
    "number with leading zeros": (
        PROC.replace("fee: 0", "fee: 0" + "0" * 5000),
        "15:6: fee: '0000",
        "(5,001 characters) is not a plain number",
    ),
    "code": (
        PROC.replace("code: UJI-SATU", "code: uji " + "x" * 100_000),
        "5:7: code: 'uji xxx",
        "(100,004 characters) is not a valid procedure code",
    ),
    "kind": (
        "kind: " + "p" * 100_000 + "\n",
        "1:7: kind: unknown kind 'ppp",
        "(100,000 characters)",
    ),
}


@pytest.mark.parametrize("case", sorted(RUNAWAY_VALUES))
def test_runaway_values_are_quoted_short(cli: Cli, tmp_path: Path, case: str) -> None:
    """A value far too long is named by its start and length, not echoed back in full."""
    text, start, end = RUNAWAY_VALUES[case]
    bad = write(tmp_path / "liar.yaml", text if case == "kind" else AGENCY + text)
    err = cli.fails("procedure", "import", str(bad)).stderr
    assert f"{bad}:{start}" in err and end in err, err
    assert len(err) < 500 + 2 * len(str(bad))
