"""The catalogue and the requests in Open311 GeoReport v2 form, as static files (docs/public.md).

Any static web server serving OUTDIR answers the read-only GET calls of the spec::

    services.json  services.xml                     GET Service List
    services/<service_code>.json  .xml              GET Service Definition
    requests.json  requests.xml                     GET Service Requests
    requests/<service_request_id>.json  .xml        GET Service Request

``service_code`` is the procedure code and ``service_request_id`` the registration number.
Only active procedures are services. Every service has ``metadata: false`` and ``type:
batch`` (requests are logged at the counter, not through this API); its definition lists
the requirements (persyaratan) as informational attributes (``variable: false``: shown to
the citizen, no input asked), which is why no client *needs* to fetch it.

Requests: the same ones the status page shows (``egovctl.public.snapshot.public_requests``):
every request in progress, on hold or ready for pickup, and those delivered, rejected or cancelled
in the last 90 days, each with its own file. ``requests.json``/``.xml`` list the 1000 most
recently received of them, newest first, as Open311 servers answer a query without
parameters (the spec's default window is 90 days; 1000 is the usual page size). Status is
``open`` while in progress or on hold and ``closed`` once the office is done (ready for
pickup, delivered, rejected, cancelled); ``status_notes`` says which, in Indonesian.
``expected_datetime`` is the due date at the end of the office day (16:00) in the office's
timezone; all dates are ISO 8601 with the office's offset.

No personal data: no name, NIK, phone or address is read from the database; ``address``,
``lat``, ``long`` and ``media_url`` are null (empty elements in XML), and ``description``
is a neutral text built from the procedure, never the counter's note.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from egovctl.i18n import _

if TYPE_CHECKING:
    from egovctl.config import Config
    from egovctl.db import Database
    from egovctl.public.snapshot import PublicRequest

Progress = Callable[[str, int, int], None]

REQUESTS_LIST_LIMIT = 1000


class Open311Summary(TypedDict):
    """What ``export open311`` wrote, as its ``--json`` prints it."""

    outdir: str
    generated_at: str
    services: int
    requests: int  # each has its own file
    requests_listed: int  # in requests.json
    list_limit: int
    window_days: int


SERVICE_FIELDS = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)
ATTRIBUTE_FIELDS = (
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
)
REQUEST_FIELDS = (
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
)


def export_open311(
    db: Database,
    actor: str,
    config: Config,
    outdir: Path | str,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Open311Summary:
    """Write the Open311 files into ``outdir`` (replacing a previous export atomically)."""
    from egovctl.public.outdir import check_target, replace_dir
    from egovctl.public.snapshot import PUBLIC_WINDOW_DAYS, public_snapshot

    tick = progress or (lambda _phase, _done, _total: None)
    tz = config.timezone
    target = check_target(outdir, "open311")
    now, agencies, procedures, requests = public_snapshot(
        db, actor, tz, now, with_requests=True, verb="export"
    )
    agency_names = {a["code"]: a["name"] for a in agencies}
    services = [service(p, agency_names[p["agency"]]) for p in procedures]
    records = [service_request(r, tz) for r in requests]

    def build(out: Path) -> None:
        total = len(services) + len(records)
        done = 0
        _write_json(out / "services.json", services)
        _write_xml(out / "services.xml", _list_xml("services", "service", services))
        (out / "services").mkdir()
        for proc, svc in zip(procedures, services, strict=True):
            definition = service_definition(proc)
            _write_json(out / "services" / f"{svc['service_code']}.json", definition)
            _write_xml(out / "services" / f"{svc['service_code']}.xml", _definition_xml(definition))
            done += 1
            tick(_("writing"), done, total)
        listed = records[:REQUESTS_LIST_LIMIT]
        _write_json(out / "requests.json", listed)
        _write_xml(out / "requests.xml", _list_xml("service_requests", "request", listed))
        (out / "requests").mkdir()
        for record in records:
            name = record["service_request_id"]
            _write_json(out / "requests" / f"{name}.json", [record])
            _write_xml(
                out / "requests" / f"{name}.xml", _list_xml("service_requests", "request", [record])
            )
            done += 1
            if done % 200 == 0 or done == total:
                tick(_("writing"), done, total)

    replace_dir(target, "open311", build, now)
    return {
        "outdir": str(target),
        "generated_at": now.isoformat(timespec="seconds"),
        "services": len(services),
        "requests": len(records),
        "requests_listed": min(len(records), REQUESTS_LIST_LIMIT),
        "list_limit": REQUESTS_LIST_LIMIT,
        "window_days": PUBLIC_WINDOW_DAYS,
    }


# -- the objects ---------------------------------------------------------------------------


def service(proc: dict[str, Any], agency_name: str) -> dict[str, Any]:
    """One entry of services.json."""
    keywords = [proc.get("category"), proc.get("product"), proc["agency"]]
    return {
        "service_code": proc["code"],
        "service_name": proc["name"],
        "description": " ".join((proc.get("description") or proc["name"]).split()),
        "metadata": False,
        "type": "batch",
        "keywords": ", ".join(k.replace(",", " ").strip() for k in keywords if k),
        "group": agency_name,
    }


def service_definition(proc: dict[str, Any]) -> dict[str, Any]:
    """services/<code>.json: the requirements as informational (non-variable) attributes."""
    attributes = []
    for order, item in enumerate(proc["requirements"], start=1):
        attributes.append(
            {
                "variable": False,
                "code": f"PERSYARATAN_{order}",
                "datatype": "string",
                "required": False,
                "datatype_description": None,
                "order": order,
                "description": requirement_text(item),
            }
        )
    return {"service_code": proc["code"], "attributes": attributes}


def requirement_text(item: dict[str, Any]) -> str:
    text = item["name"]
    if (item.get("copies") or 1) > 1:
        text += f" ({item['copies']} lembar)"
    if item.get("optional"):
        text += " (jika ada)"
    if item.get("note"):
        text += f" – {item['note']}"
    return text


def service_request(req: PublicRequest, tz: str) -> dict[str, Any]:
    """One request in the spec's field order, built only from non-personal fields."""
    from egovctl.formats import rupiah
    from egovctl.public.snapshot import due_moment, status_label
    from egovctl.timeutil import local_iso

    fee = "gratis" if req["fee"] == 0 else rupiah(req["fee"])
    sla = (
        "selesai pada hari yang sama"
        if req["sla_days"] == 0
        else f"jangka waktu penyelesaian {req['sla_days']} hari kerja"
    )
    return {
        "service_request_id": req["reg_no"],
        "status": "open" if req["status"] in ("in_progress", "on_hold") else "closed",
        "status_notes": status_label(req["status"]),
        "service_name": req["procedure_name"],
        "service_code": req["procedure"],
        "description": f"Permohonan layanan {req['procedure_name']}",
        "agency_responsible": req["agency_name"],
        "service_notice": f"{sla[:1].upper()}{sla[1:]}; biaya {fee}.",
        "requested_datetime": local_iso(req["received_at"], tz),
        "updated_datetime": local_iso(req["updated_at"], tz),
        "expected_datetime": due_moment(req["due_date"], tz).isoformat(timespec="seconds"),
        "address": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


# -- encodings -------------------------------------------------------------------------------


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: Any, data: dict[str, Any]) -> None:
    from xml.etree import ElementTree as ET

    for key, value in data.items():
        ET.SubElement(parent, key).text = _text(value)


def _list_xml(root_tag: str, item_tag: str, items: list[dict[str, Any]]) -> Any:
    from xml.etree import ElementTree as ET

    root = ET.Element(root_tag)
    for item in items:
        _fill(ET.SubElement(root, item_tag), item)
    return root


def _definition_xml(definition: dict[str, Any]) -> Any:
    from xml.etree import ElementTree as ET

    root = ET.Element("service_definition")
    ET.SubElement(root, "service_code").text = definition["service_code"]
    attributes = ET.SubElement(root, "attributes")
    for attribute in definition["attributes"]:
        _fill(ET.SubElement(attributes, "attribute"), attribute)
    return root


def _write_xml(path: Path, root: Any) -> None:
    from xml.etree import ElementTree as ET

    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
