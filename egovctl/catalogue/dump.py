"""The catalogue out as YAML: what ``egovctl procedure export`` writes.

:func:`dump_catalogue` writes documents the way a person would (keys in schema order, ``kind``
first, defaults left out, steps on one line each), so that :func:`~egovctl.catalogue.load.
load_catalogue` reads them back to equal canonical documents and an exported catalogue
imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel

from egovctl.catalogue.queries import agency_dict, get_agency, get_procedure, procedure_dict
from egovctl.catalogue.schema import AgencyDoc, ProcedureDoc

if TYPE_CHECKING:
    from egovctl.db import Database

try:
    _Dumper: type = yaml.CSafeDumper  # about 7x faster than the pure-Python emitter
except AttributeError:  # PyYAML built without libyaml: the same output, only slower
    _Dumper = yaml.SafeDumper

__all__ = ["dump_catalogue", "export_catalogue"]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"


class _FlowMapping(dict):  # type: ignore[type-arg]
    """A mapping written on one line: ``{name: ..., actor: ..., days: 1}``."""


class _CatalogueDumper(_Dumper):  # type: ignore[misc, valid-type]
    """Block style, keys in schema order, multi-line text as ``|`` blocks, no line wrapping."""


def _represent_str(dumper: Any, value: str) -> yaml.ScalarNode:
    # The emitter falls back to quoting when a block scalar cannot hold the text exactly.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(_STR, value, style=style)


def _represent_flow(dumper: Any, value: _FlowMapping) -> yaml.MappingNode:
    return dumper.represent_mapping(_MAP, value.items(), flow_style=True)


def _represent_dict(dumper: Any, value: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping(_MAP, value.items(), flow_style=False)


_CatalogueDumper.add_representer(str, _represent_str)
_CatalogueDumper.add_representer(_FlowMapping, _represent_flow)
_CatalogueDumper.add_representer(dict, _represent_dict)


def _writable(doc: dict[str, Any]) -> dict[str, Any]:
    """A canonical document shaped for people: defaults and empty lists left out."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if value is None or value == []:
            continue
        if key == "requirements":
            value = [
                r["name"]
                if set(r) <= {"name", "copies", "optional"}
                and r.get("copies", 1) == 1
                and not r.get("optional", False)
                else _FlowMapping(
                    (k, v)
                    for k, v in r.items()
                    if not (k == "copies" and v == 1) and not (k == "optional" and v is False)
                )
                for r in value
            ]
        elif key == "steps":
            value = [_FlowMapping(step) for step in value]
        elif key == "head":
            value = _FlowMapping(value)
        out[key] = value
    return out


def dump_catalogue(agencies: list[dict[str, Any]], procedures: list[dict[str, Any]]) -> str:
    """YAML text holding the agencies then the procedures, one document each.

    Each dict is validated (a ValidationError is a caller's bug) and written in canonical key
    order with ``kind`` first, so :func:`load_catalogue` reads it back to equal canonical
    documents. Requirements with only a name are written as plain text, steps and the agency
    head as one-line mappings.
    """
    docs: list[dict[str, Any]] = []
    for agency in agencies:
        data = agency.canonical() if isinstance(agency, BaseModel) else {"kind": "agency", **agency}
        docs.append(_writable(AgencyDoc.model_validate(data).canonical()))
    for procedure in procedures:
        data = procedure.canonical() if isinstance(procedure, BaseModel) else procedure
        docs.append(_writable(ProcedureDoc.model_validate(data).canonical()))
    return yaml.dump_all(
        docs,
        Dumper=_CatalogueDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # never fold long text: a wrapped plain scalar is hard to edit
        indent=2,
    )


YAML_FIELDS = (
    "code",
    "name",
    "agency",
    "category",
    "description",
    "legal_basis",
    "requirements",
    "steps",
    "sla_days",
    "fee",
    "fee_basis",
    "product",
    "complaints",
    "service_hours",
)


def export_catalogue(db: Database, codes: Sequence[str] = ()) -> str:
    """YAML of the procedures (all active and retired ones when no codes) and their agencies."""
    from sqlmodel import col, select

    from egovctl.models import Procedure

    with db.read() as session:
        if codes:
            procs = [get_procedure(session, c) for c in codes]
        else:
            procs = list(session.exec(select(Procedure).order_by(col(Procedure.code))))
        docs = [procedure_dict(session, p) for p in procs]
        agency_codes = sorted({d["agency"] for d in docs})
        agencies = [_strip(agency_dict(get_agency(session, c))) for c in agency_codes]
    procedures = [_strip({k: v for k, v in d.items() if k in YAML_FIELDS}) for d in docs]
    return dump_catalogue(agencies, procedures)


def _strip(value: Any) -> Any:
    """Drop empty optional fields so the YAML reads like a hand-written file."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value
