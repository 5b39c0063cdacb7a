"""`egovctl export open311`: GeoReport v2 files checked against the spec's field lists."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Cli
from tests.public.test_site import assert_no_personal_data, populate

# GeoReport v2 (wiki.open311.org/GeoReport_v2): the fields of each response.
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
DEFINITION_FIELDS = {"service_code", "attributes"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "lat",
    "long",
    "media_url",
}
# Optional request fields the spec allows; anything else would be an invented field.
OPTIONAL_REQUEST_FIELDS = {"address_id", "zipcode"}
DATETIME_FIELDS = ("requested_datetime", "updated_datetime", "expected_datetime")
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


@pytest.fixture
def exported(catalogue: Cli, tmp_path: Path) -> tuple[Cli, dict[str, str], Path]:
    regs = populate(catalogue)
    out = tmp_path / "open311"
    catalogue.ok("export", "open311", str(out))
    return catalogue, regs, out


def _json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def _xml(path: Path) -> ET.Element:
    raw = path.read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(raw)


def _children(element: ET.Element) -> dict[str, str]:
    return {child.tag: child.text or "" for child in element}


def _check_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() is not None, value
    assert value[-6] in "+-" and value[-3] == ":", value  # an explicit offset, e.g. +07:00
    return moment


def test_layout(exported) -> None:
    cli, regs, out = exported
    codes = sorted(p["code"] for p in cli.ok("procedure", "list", "--json").json())
    assert sorted(p.stem for p in (out / "services").glob("*.json")) == codes
    assert sorted(p.stem for p in (out / "services").glob("*.xml")) == codes
    assert sorted(p.stem for p in (out / "requests").glob("*.json")) == sorted(regs.values())
    assert sorted(p.stem for p in (out / "requests").glob("*.xml")) == sorted(regs.values())
    for name in ("services.json", "services.xml", "requests.json", "requests.xml"):
        assert (out / name).is_file()


def test_services_json_and_xml(exported) -> None:
    cli, _, out = exported
    services = _json(out / "services.json")
    assert isinstance(services, list) and len(services) == 20
    for svc in services:
        assert set(svc) == SERVICE_FIELDS
        assert svc["metadata"] is False and svc["type"] == "batch"
        assert all(
            isinstance(svc[k], str) and svc[k]
            for k in ("service_code", "service_name", "description", "keywords", "group")
        )
    ktp = next(s for s in services if s["service_code"] == "DUKCAPIL-KTP-EL")
    assert ktp["service_name"] == "Penerbitan KTP Elektronik"
    assert ktp["group"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert "KTP Elektronik" in ktp["keywords"].split(", ")
    root = _xml(out / "services.xml")
    assert root.tag == "services" and [c.tag for c in root] == ["service"] * 20
    for element, svc in zip(root, services, strict=True):
        fields = _children(element)
        assert set(fields) == SERVICE_FIELDS
        assert fields["metadata"] == "false" and fields["service_code"] == svc["service_code"]


def test_service_definitions(exported) -> None:
    _, _, out = exported
    for path in (out / "services").glob("*.json"):
        definition = _json(path)
        assert set(definition) == DEFINITION_FIELDS and definition["service_code"] == path.stem
        for order, attribute in enumerate(definition["attributes"], start=1):
            assert set(attribute) == ATTRIBUTE_FIELDS
            assert attribute["variable"] is False and attribute["required"] is False
            assert attribute["datatype"] in DATATYPES and attribute["order"] == order
            assert attribute["description"]
        root = _xml(path.with_suffix(".xml"))
        assert root.tag == "service_definition"
        assert root.findtext("service_code") == path.stem
        attributes = root.find("attributes")
        assert attributes is not None
        assert len(attributes.findall("attribute")) == len(definition["attributes"])
        for element in attributes:
            assert set(_children(element)) == ATTRIBUTE_FIELDS
            assert element.findtext("variable") == "false"
    ktp = _json(out / "services" / "DUKCAPIL-KTP-EL.json")
    texts = [a["description"] for a in ktp["attributes"]]
    assert "Kartu Keluarga (KK)" in texts
    assert any(t.startswith("KTP-el lama (jika ada)") for t in texts)


def test_requests_json_and_xml(exported) -> None:
    cli, regs, out = exported
    records = _json(out / "requests.json")
    assert isinstance(records, list) and len(records) == len(regs)
    by_id = {r["service_request_id"]: r for r in records}
    for record in records:
        assert REQUEST_FIELDS <= set(record) <= REQUEST_FIELDS | OPTIONAL_REQUEST_FIELDS
        assert record["status"] in ("open", "closed")
        for key in DATETIME_FIELDS:
            assert _check_datetime(record[key]).utcoffset() == timedelta(hours=7)
        for key in ("address", "lat", "long", "media_url"):
            assert record[key] is None
        show = cli.ok("request", "show", record["service_request_id"], "--json").json()
        assert record["service_code"] == show["procedure"]
        expected = _check_datetime(record["expected_datetime"])
        assert expected.date().isoformat() == show["due_date"]
        assert _check_datetime(record["requested_datetime"]) == datetime.fromisoformat(
            show["received_at"]
        )
        assert _check_datetime(record["updated_datetime"]) >= _check_datetime(
            record["requested_datetime"]
        )
    # Newest received first.
    received = [_check_datetime(r["requested_datetime"]) for r in records]
    assert received == sorted(received, reverse=True)

    expect = {
        "in_progress": ("open", "Sedang diproses"),
        "on_hold": ("open", "Ditunda, menunggu kelengkapan dari pemohon"),
        "ready": ("closed", "Selesai, dokumen siap diambil"),
        "delivered": ("closed", "Sudah diserahkan"),
        "rejected": ("closed", "Ditolak"),
    }
    for status, reg in regs.items():
        assert (by_id[reg]["status"], by_id[reg]["status_notes"]) == expect[status]
    ktp = by_id[regs["in_progress"]]
    assert ktp["service_name"] == "Penerbitan KTP Elektronik"
    assert ktp["agency_responsible"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert ktp["expected_datetime"] == "2026-12-02T16:00:00+07:00"
    assert ktp["requested_datetime"] == "2026-11-27T09:00:00+07:00"

    root = _xml(out / "requests.xml")
    assert root.tag == "service_requests" and len(root.findall("request")) == len(records)
    for element, record in zip(root, records, strict=True):
        fields = _children(element)
        assert set(fields) == set(record)
        assert fields["service_request_id"] == record["service_request_id"]
        assert fields["status"] == record["status"]
        assert fields["expected_datetime"] == record["expected_datetime"]
        assert fields["address"] == "" and fields["lat"] == ""


def test_single_request_files(exported) -> None:
    _, regs, out = exported
    listed = {r["service_request_id"]: r for r in _json(out / "requests.json")}
    for reg in regs.values():
        single = _json(out / "requests" / f"{reg}.json")
        assert single == [listed[reg]]  # the spec answers a single request as a list of one
        root = _xml(out / "requests" / f"{reg}.xml")
        assert root.tag == "service_requests"
        [element] = root.findall("request")
        assert element.findtext("service_request_id") == reg


def test_no_personal_data(exported) -> None:
    _, _, out = exported
    assert_no_personal_data(out)


def test_json_summary_and_timezone(catalogue: Cli, tmp_path: Path) -> None:
    populate(catalogue)
    config = tmp_path / "egovctl.toml"
    config.write_text('[office]\ntimezone = "Asia/Makassar"\n', encoding="utf-8")
    out = tmp_path / "o"
    data = catalogue.ok("--config", str(config), "export", "open311", str(out), "--json").json()
    assert data["services"] == 20 and data["requests"] == 5 and data["requests_listed"] == 5
    assert data["list_limit"] == 1000 and data["window_days"] == 90
    assert data["outdir"] == str(out.resolve())
    for record in _json(out / "requests.json"):
        for key in DATETIME_FIELDS:
            assert _check_datetime(record[key]).utcoffset() == timedelta(hours=8)


def test_list_is_capped_but_every_request_has_its_file(
    catalogue: Cli, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egovctl.config import load_config
    from egovctl.db import Database
    from egovctl.public import open311

    regs = populate(catalogue)
    monkeypatch.setattr(open311, "REQUESTS_LIST_LIMIT", 2)
    db = Database(db_url)
    try:
        result = open311.export_open311(
            db, "tester", load_config(cli_db=db_url, env={}), tmp_path / "o"
        )
    finally:
        db.dispose()
    assert result["requests"] == 5 and result["requests_listed"] == 2
    listed = _json(tmp_path / "o" / "requests.json")
    # The newest two by receipt: KTP-el (27 Nov) and KK (26 Nov).
    assert [r["service_request_id"] for r in listed] == [regs["in_progress"], regs["on_hold"]]
    assert len(_xml(tmp_path / "o" / "requests.xml")) == 2
    assert len(list((tmp_path / "o" / "requests").glob("*.json"))) == 5


def test_old_closed_requests_are_left_out(catalogue: Cli, db_url: str, tmp_path: Path) -> None:
    from egovctl.config import load_config
    from egovctl.db import Database
    from egovctl.public.open311 import export_open311

    reg = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KK",
        "--name",
        "Lama",
        "--nik",
        "1906031203850002",
        "--at",
        "2026-06-01T09:00",
        "--json",
    ).json()["reg_no"]
    catalogue.ok(
        "request", "cancel", reg, "--reason", "permintaan pemohon", "--at", "2026-06-02T09:00"
    )
    db = Database(db_url)
    config = load_config(cli_db=db_url, env={})
    try:
        export_open311(
            db,
            "t",
            config,
            tmp_path / "o",
            now=datetime(2026, 11, 28, tzinfo=ZoneInfo("Asia/Jakarta")),
        )
        assert _json(tmp_path / "o" / "requests.json") == []
        export_open311(
            db,
            "t",
            config,
            tmp_path / "o",
            now=datetime(2026, 7, 1, tzinfo=ZoneInfo("Asia/Jakarta")),
        )
        [record] = _json(tmp_path / "o" / "requests.json")
        assert record["status"] == "closed" and record["status_notes"] == "Dibatalkan"
    finally:
        db.dispose()


def test_replaces_previous_export_and_refuses_foreign_folder(exported, tmp_path: Path) -> None:
    cli, regs, out = exported
    (out / "requests" / "OLD-2020-000001.json").write_text("[]", encoding="utf-8")
    cli.ok("request", "deliver", regs["ready"])
    cli.ok("export", "open311", str(out))
    assert not (out / "requests" / "OLD-2020-000001.json").exists()
    assert (
        _json(out / "requests" / f"{regs['ready']}.json")[0]["status_notes"] == "Sudah diserahkan"
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".open311.")]

    foreign = tmp_path / "www"
    foreign.mkdir()
    (foreign / "index.php").write_text("<?php", encoding="utf-8")
    result = cli.fails("export", "open311", str(foreign))
    assert "was not made by egovctl" in result.stderr
    assert [p.name for p in foreign.iterdir()] == ["index.php"]

    site = tmp_path / "situs"
    cli.ok("publish", "site", str(site))
    assert "website" in cli.fails("export", "open311", str(site)).stderr
    assert (site / "index.html").is_file()


def test_service_notice_reads_as_a_sentence(exported) -> None:
    import re

    _, _, out = exported
    notices = [r["service_notice"] for r in _json(out / "requests.json")]
    assert notices
    sentence = re.compile(
        r"(Jangka waktu penyelesaian \d+ hari kerja|Selesai pada hari yang "
        r"sama); biaya (gratis|Rp[\d.]+)\."
    )
    assert all(sentence.fullmatch(n) for n in notices), notices
