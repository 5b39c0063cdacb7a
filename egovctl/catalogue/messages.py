"""What is wrong with a catalogue document, in the words of the administrator who wrote it.

Turns pydantic's validation errors on :mod:`egovctl.catalogue.schema` into one-line advice:
the value as it was written, what was expected, and how to fix it (a "did you mean" for a
misspelt or Indonesian field name, via :mod:`egovctl.suggest`).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from egovctl.catalogue.schema import (
    AGENCY_CODE_MAX,
    PROCEDURE_CODE_MAX,
    AgencyHead,
    ProcedureDoc,
    Requirement,
    Step,
)
from egovctl.catalogue.yaml_events import BRIEF, brief
from egovctl.suggest import closest

__all__ = ["describe_value", "format_loc", "model_at", "suggest_name", "validation_message"]

_MODELS_BY_FIELD: dict[str, type[BaseModel]] = {
    "steps": Step,
    "requirements": Requirement,
    "head": AgencyHead,
}
# Indonesian words an administrator may write instead of the field names.
_INDONESIAN_NAMES = {
    "kode": "code",
    "nama": "name",
    "instansi": "agency",
    "opd": "agency",
    "dinas": "agency",
    "perangkat_daerah": "agency",
    "kategori": "category",
    "jenis": "kind",
    "deskripsi": "description",
    "uraian": "description",
    "dasar_hukum": "legal_basis",
    "persyaratan": "requirements",
    "syarat": "requirements",
    "prosedur": "steps",
    "langkah": "steps",
    "alur": "steps",
    "mekanisme": "steps",
    "waktu": "sla_days",
    "jangka_waktu": "sla_days",
    "sla": "sla_days",
    "biaya": "fee",
    "tarif": "fee",
    "dasar_biaya": "fee_basis",
    "produk": "product",
    "pengaduan": "complaints",
    "jam_pelayanan": "service_hours",
    "jam_layanan": "service_hours",
    "waktu_pelayanan": "service_hours",
    "alamat": "address",
    "telepon": "phone",
    "telp": "phone",
    "kepala": "head",
    "jabatan": "title",
    "jumlah": "copies",
    "rangkap": "copies",
    "opsional": "optional",
    "keterangan": "note",
    "catatan": "note",
    "pelaksana": "actor",
    "hari": "days",
}
_MAPPING_EXAMPLES = {
    Step: "{name: ..., actor: ..., days: 1}",
    Requirement: "{name: ..., copies: 1}",
    AgencyHead: '{name: ..., nip: "...", title: ...}',
}


def format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":  # pydantic's marker for a mapping's key: the path names it
            continue
        else:
            out = f"{out}.{part}" if out else str(part)
    return out


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose fields ``loc`` (a mapping's location) holds."""
    for part in reversed(loc):
        if isinstance(part, str):
            return _MODELS_BY_FIELD.get(part, root)
    return root


def suggest_name(key: str, allowed: list[str]) -> str | None:
    lowered = key.strip().lower().replace(" ", "_").replace("-", "_")
    if lowered in allowed and lowered != key:
        return lowered
    translated = _INDONESIAN_NAMES.get(lowered)
    if translated in allowed:
        return translated
    return closest(lowered, allowed)


_TYPE_WORDS = {
    "int": "number",
    "float": "decimal number",
    "date": "date",
    "datetime": "date and time",
    "bytes": "binary data",
}


def describe_value(value: Any, raw: str | None) -> str:
    """How the administrator will recognise the value they wrote."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        written = f" (written {raw})" if raw and raw.lower() not in ("true", "false") else ""
        return f"the yes/no value {str(value).lower()}{written}"
    if isinstance(value, str):
        return f"the text {brief(value)}"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, list):
        return "a list"
    what = _TYPE_WORDS.get(type(value).__name__, type(value).__name__)
    if len(str(value)) > BRIEF:
        return f"a {what} of {len(str(value)):,} digits"
    if raw is not None and raw != str(value):
        return f"{raw} (which YAML reads as the {what} {value})"
    return f"the {what} {value}"


def _code_rules(max_len: int) -> str:
    return f"use capital letters, digits and '-', starting with a letter, 2 to {max_len} characters"


def validation_message(
    err: ErrorDetails, root: type[BaseModel], path: str, raw: dict[str, str]
) -> str:
    kind = err["type"]
    loc = err["loc"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    name = loc[-1] if loc else ""
    described = describe_value(value, raw.get(path))

    if value is None and kind.endswith("_type"):
        if isinstance(name, int):
            return "the list item is empty; write it or remove the '-' line"
        return "the value is empty; fill it in"
    if kind == "missing":
        model = model_at(root, loc[:-1])
        info = model.model_fields.get(str(name))
        hint = f" ({info.description.rstrip('.')})" if info and info.description else ""
        return f"required field is missing; add '{name}: ...'{hint}"
    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        allowed = list(model.model_fields)
        suggestion = suggest_name(str(name), allowed)
        if suggestion:
            return f"unknown field {brief(str(name))}; did you mean {suggestion!r}?"
        return f"unknown field {brief(str(name))}; the fields here are: {', '.join(allowed)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        text = f"expected a whole number, got {described}"
        if name == "fee":
            return text + "; write the amount in rupiah without separators, e.g. 50000"
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return text + "; remove the quotes"
        return text
    if kind == "bool_type":
        return f"expected true or false, got {described}"
    if kind == "string_type":
        if isinstance(value, (list, dict)):
            return f"expected text, got {described}"
        return f"expected text, got {described}; put the value in quotes"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        length = len(value.strip()) if isinstance(value, str) else 0
        return (
            f"too long: {length:,} characters, at most {ctx.get('max_length'):,} fit on the "
            "printed service standard; shorten it"
        )
    if kind == "too_long":
        count = ctx.get("actual_length") or (len(value) if isinstance(value, list) else 0)
        return (
            f"too many items: {count:,}, at most {ctx.get('max_length'):,} fit on the "
            "printed service standard; merge or remove some"
        )
    if kind == "string_pattern_mismatch":
        is_procedure_code = root is ProcedureDoc and name == "code"
        what = "procedure" if is_procedure_code else "agency"
        max_len = PROCEDURE_CODE_MAX if is_procedure_code else AGENCY_CODE_MAX
        text = f"{brief(str(value))} is not a valid {what} code: {_code_rules(max_len)}"
        fixed = re.sub(r"[\s_]+", "-", str(value).strip()).upper()
        if fixed != value and re.fullmatch(ctx.get("pattern", "$^"), fixed):
            text += f"; did you mean {fixed!r}?"
        return text
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more, got {described}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}, got {described}; check for extra digits"
    if kind == "list_type":
        return f"expected a list, got {described}; write each item on its own line after '- '"
    if kind == "too_short":
        if name == "steps":
            return "at least one step is required (sistem, mekanisme dan prosedur)"
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        nested = _MODELS_BY_FIELD.get(next((p for p in reversed(loc) if isinstance(p, str)), ""))
        example = _MAPPING_EXAMPLES.get(nested) if nested else None
        if nested is Requirement:
            return f"expected the document's name or a mapping {example}, got {described}"
        if example:
            return f"expected a mapping {example}, got {described}"
        return f"expected a mapping (key: value pairs), got {described}"
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}, got {described}"
    message = str(err.get("msg", "invalid value"))
    if kind == "value_error":  # our own checks (e.g. the NIP) already say it all
        message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]
