"""The IKM report as tables and as the words above them: the per-unsur worksheet, the index
per agency and per procedure with each one's sample check, the flat CSV table, the facts of
the printed report and the minimum-sample caveat (terminal, xlsx, HTML and PDF alike)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from egovctl.reports.ikm import UNSUR, UNSUR_NAMES
from egovctl.reports.tables import TableSpec, column, fmt

WEIGHT_WORDS = {
    "1/9": "1/9 (setiap unsur sama)",
    "0.111": "0,111 (bobot lembar kerja lama)",
}
LEVEL_KEYS = ("respondents", "population", "min_respondents", "sample_ok")


def weight_text(data: Mapping[str, Any]) -> str:
    return WEIGHT_WORDS[data["weight"]]


def population_text(data: Mapping[str, Any]) -> str:
    """The population and where it came from, e.g. '1.000 permohonan pada periode ini'."""
    if data.get("population_source") == "config":
        return f"{fmt(data['population'], 'int')} (ditetapkan kantor)"
    return f"{fmt(data['population'], 'int')} permohonan pada periode ini"


def sample_caveat(data: Mapping[str, Any]) -> str | None:
    """The warning a result from too few respondents carries, None when the sample is met."""
    if not data["respondents"] or data.get("sample_ok") is not False:
        return None
    return (
        f"Jumlah responden {fmt(data['respondents'], 'int')} kurang dari sampel minimum "
        f"{fmt(data['min_respondents'], 'int')} untuk populasi {population_text(data)} "
        "(Krejcie & Morgan): hasil IKM ini belum mewakili penerima layanan."
    )


def group_caveat(rows: list[Mapping[str, Any]]) -> str | None:
    short = sum(1 for r in rows if r.get("sample_ok") is False)
    if not short:
        return None
    return (
        f"{short} dari {len(rows)} baris bertanda 'kurang': responden di bawah sampel "
        "minimum (Krejcie & Morgan) untuk permohonan yang diterima pada periode ini."
    )


def ikm_tables(data: Mapping[str, Any]) -> list[TableSpec]:
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
        column("unsur", "Unsur"),
        column("name", "Uraian"),
        column("nrr", "NRR", "decimal2"),
        column("nrr_weighted", "NRR tertimbang", "decimal3"),
    ]
    utotals = {
        "unsur": "IKM",
        "name": "Jumlah NRR tertimbang",
        "nrr_weighted": data["ikm_unconverted"],
    }
    unsur_note = f"Bobot tiap unsur {weight_text(data)}."
    level_cols = [
        column("respondents", "Responden", "int"),
        column("population", "Populasi", "int", terminal=False),
        column("min_respondents", "Sampel minimum", "int", short="Min."),
        column("sample_ok", "Sampel", "sample"),
        column("ikm", "IKM", "decimal2"),
        column("grade", "Mutu"),
        column("performance", "Kinerja"),
    ]
    pcols = [
        column("agency", "Instansi"),
        column("procedure", "Kode layanan"),
        column("procedure_name", "Layanan"),
        *level_cols,
    ]
    acols = [column("agency", "Instansi"), column("agency_name", "Nama instansi"), *level_cols]
    overall = {k: data[k] for k in ("ikm", "grade", "performance", *LEVEL_KEYS)}
    by_agency = data.get("by_agency")
    by_procedure = data.get("by_procedure")
    csv_rows: list[dict[str, Any]] = []
    for level, rows in (("procedure", by_procedure), ("agency", by_agency)):
        csv_rows += [{"level": level, **r, **{u: r["nrr"][u] for u in UNSUR}} for r in rows or []]
    csv_rows.append({"level": "total", **overall, **{u: data["nrr"][u] for u in UNSUR}})
    csv_cols = [
        column("level", "level"),
        column("agency", "agency"),
        column("procedure", "procedure"),
        column("respondents", "respondents", "int"),
        *(column(u, u, "decimal2") for u in UNSUR),
        column("ikm", "ikm", "decimal2"),
        column("grade", "grade"),
        column("performance", "performance"),
        column("population", "population", "int"),
        column("min_respondents", "min_respondents", "int"),
        column("sample_ok", "sample_ok"),
    ]
    specs = [
        TableSpec(
            "Per unsur",
            "Nilai per unsur pelayanan",
            ucols,
            unsur_rows,
            utotals,
            note=unsur_note,
            csv=False,
        )
    ]
    if by_agency is not None:
        specs.append(
            TableSpec(
                "Per instansi",
                "IKM per instansi",
                acols,
                by_agency,
                {**overall, "agency": "Jumlah"},
                note=group_caveat(by_agency),
                csv=False,
            )
        )
    if by_procedure is not None:
        specs.append(
            TableSpec(
                "Per layanan",
                "IKM per layanan",
                pcols,
                by_procedure,
                {**overall, "agency": "Jumlah"},
                note=group_caveat(by_procedure),
                csv=False,
                group="agency",
            )
        )
    specs.append(TableSpec("CSV", "IKM", csv_cols, csv_rows, None, extra={"csv_only": True}))
    return specs


def ikm_facts(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The figures printed above the tables of the IKM report."""
    unconverted = data["ikm_unconverted"]
    facts = [
        ("Jumlah responden", fmt(data["respondents"], "int")),
        ("Populasi (penerima layanan)", population_text(data)),
        ("Sampel minimum (Krejcie & Morgan)", fmt(data["min_respondents"], "int")),
        ("Bobot tiap unsur", weight_text(data)),
        ("IKM (skala 1-4)", "-" if unconverted is None else f"{unconverted:.4f}".replace(".", ",")),
        ("Nilai IKM (konversi × 25)", fmt(data["ikm"], "decimal2")),
        ("Mutu pelayanan", data["grade"] or "-"),
        ("Kinerja unit pelayanan", data["performance"] or "-"),
    ]
    if data.get("weakest"):
        w = data["weakest"]
        facts.append(("Unsur terendah", f"{w} {UNSUR_NAMES[w]}"))
    return facts
