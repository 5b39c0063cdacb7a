"""The IKM report as tables and as the words above them: the per-unsur worksheet, the index
per agency and per procedure with each one's sample check, the flat CSV table, the facts of
the printed report and the minimum-sample caveat (terminal, xlsx, HTML and PDF alike)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from egovctl.i18n import N_, _, ngettext
from egovctl.reports.ikm import UNSUR, UNSUR_NAMES
from egovctl.reports.tables import TOTAL, TableSpec, column, fmt, say_fmt

WEIGHT_WORDS = {
    "1/9": "1/9 (setiap unsur sama)",
    "0.111": "0,111 (bobot lembar kerja lama)",
}
# The terminal's words (English msgids; the files keep the Indonesian ones above and in
# reports.ikm): weights, unsur names (PermenPANRB 14/2017) and performance bands.
WEIGHT_SAY = {
    "1/9": N_("1/9 (every unsur the same)"),
    "0.111": N_("0.111 (the old worksheet's weight)"),
}
UNSUR_SAY = {
    "Persyaratan": N_("Requirements"),
    "Sistem, mekanisme, dan prosedur": N_("Systems, mechanisms and procedures"),
    "Waktu penyelesaian": N_("Completion time"),
    "Biaya/tarif": N_("Cost/tariff"),
    "Produk spesifikasi jenis pelayanan": N_("Product specification of the service type"),
    "Kompetensi pelaksana": N_("Competence of the staff"),
    "Perilaku pelaksana": N_("Conduct of the staff"),
    "Sarana dan prasarana": N_("Facilities and infrastructure"),
    "Penanganan pengaduan, saran dan masukan": N_(
        "Handling of complaints, suggestions and feedback"
    ),
}
PERFORMANCE_SAY = {
    "Sangat Baik": N_("Very good"),
    "Baik": N_("Good"),
    "Kurang Baik": N_("Poor"),
    "Tidak Baik": N_("Bad"),
}
LEVEL_KEYS = ("respondents", "population", "min_respondents", "sample_ok")


def weight_text(data: Mapping[str, Any]) -> str:
    return WEIGHT_WORDS[data["weight"]]


def weight_say(data: Mapping[str, Any]) -> str:
    return _(WEIGHT_SAY[data["weight"]])


def unsur_say(unsur: str) -> str:
    """An unsur's name on the terminal."""
    return _(UNSUR_SAY[UNSUR_NAMES[unsur]])


def performance_say(value: str | None) -> str:
    return _(PERFORMANCE_SAY[value]) if value in PERFORMANCE_SAY else (value or "-")


def population_say(data: Mapping[str, Any]) -> str:
    """``population_text`` on the terminal, in its language."""
    n = say_fmt(data["population"], "int")
    if data.get("population_source") == "config":
        return _("{n} (set by the office)").format(n=n)
    return ngettext(
        "{n} request in the period", "{n} requests in the period", data["population"] or 0
    ).format(n=n)


def sample_caveat_say(data: Mapping[str, Any]) -> str | None:
    """``sample_caveat`` on the terminal, in its language."""
    if not data["respondents"] or data.get("sample_ok") is not False:
        return None
    return _(
        "{n} respondents are fewer than the minimum sample of {min} for a population of "
        "{population} (Krejcie & Morgan): this IKM does not yet represent the service users."
    ).format(
        n=say_fmt(data["respondents"], "int"),
        min=say_fmt(data["min_respondents"], "int"),
        population=population_say(data),
    )


def group_caveat_say(rows: list[Mapping[str, Any]]) -> str | None:
    short = sum(1 for r in rows if r.get("sample_ok") is False)
    if not short:
        return None
    return ngettext(
        "{short} of {n} rows is marked 'too few': respondents below the minimum sample "
        "(Krejcie & Morgan) for the requests received in the period.",
        "{short} of {n} rows are marked 'too few': respondents below the minimum sample "
        "(Krejcie & Morgan) for the requests received in the period.",
        short,
    ).format(short=short, n=len(rows))


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
        column("unsur", "Unsur", say=N_("Unsur")),
        column("name", "Uraian", say=N_("Description"), say_values=UNSUR_SAY),
        column("nrr", "NRR", "decimal2"),
        column("nrr_weighted", "NRR tertimbang", "decimal3", say=N_("Weighted NRR")),
    ]
    utotals = {
        "unsur": "IKM",
        "name": "Jumlah NRR tertimbang",
        "nrr_weighted": data["ikm_unconverted"],
    }
    unsur_note = f"Bobot tiap unsur {weight_text(data)}."
    level_cols = [
        column("respondents", "Responden", "int", say=N_("Respondents")),
        column("population", "Populasi", "int", terminal=False),
        column("min_respondents", "Sampel minimum", "int", say=N_("Min.")),
        column("sample_ok", "Sampel", "sample", say=N_("Sample")),
        column("ikm", "IKM", "decimal2"),
        column("grade", "Mutu", say=N_("Grade")),
        column("performance", "Kinerja", say=N_("Performance"), say_values=PERFORMANCE_SAY),
    ]
    pcols = [
        column("agency", "Instansi", say=N_("Agency")),
        column("procedure", "Kode layanan", say=N_("Procedure code")),
        column("procedure_name", "Layanan", say=N_("Name")),
        *level_cols,
    ]
    acols = [
        column("agency", "Instansi", say=N_("Agency")),
        column("agency_name", "Nama instansi", say=N_("Name")),
        *level_cols,
    ]
    say_totals = {"agency": _("Total")}
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
            say_title=_("Score per service unsur"),
            say_note=_("Weight of each unsur: {weight}.").format(weight=weight_say(data)),
            say_totals={"name": _("Sum of weighted NRR")},
        )
    ]
    if by_agency is not None:
        specs.append(
            TableSpec(
                "Per instansi",
                "IKM per instansi",
                acols,
                by_agency,
                {**overall, "agency": TOTAL},
                note=group_caveat(by_agency),
                csv=False,
                say_title=_("IKM per agency"),
                say_note=group_caveat_say(by_agency),
                say_totals=say_totals,
            )
        )
    if by_procedure is not None:
        specs.append(
            TableSpec(
                "Per layanan",
                "IKM per layanan",
                pcols,
                by_procedure,
                {**overall, "agency": TOTAL},
                note=group_caveat(by_procedure),
                csv=False,
                group="agency",
                say_title=_("IKM per procedure"),
                say_note=group_caveat_say(by_procedure),
                say_totals=say_totals,
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
