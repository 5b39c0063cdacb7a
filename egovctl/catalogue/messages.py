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
from egovctl.formats import say_number
from egovctl.i18n import N_, _, ngettext
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
    "int": N_("number"),
    "float": N_("decimal number"),
    "date": N_("date"),
    "datetime": N_("date and time"),
    "bytes": N_("binary data"),
}


def describe_value(value: Any, raw: str | None) -> str:
    """How the administrator will recognise the value they wrote."""
    if value is None:
        return _("nothing (the value is empty)")
    if isinstance(value, bool):
        shown = str(value).lower()
        if raw and raw.lower() not in ("true", "false"):
            return _("the yes/no value {value} (written {raw})").format(value=shown, raw=raw)
        return _("the yes/no value {value}").format(value=shown)
    if isinstance(value, str):
        return _("the text {text}").format(text=brief(value))
    if isinstance(value, dict):
        return _("a mapping (key: value pairs)")
    if isinstance(value, list):
        return _("a list")
    name = type(value).__name__
    what = _(_TYPE_WORDS[name]) if name in _TYPE_WORDS else name
    if len(str(value)) > BRIEF:
        return _("a {what} of {n} digits").format(what=what, n=say_number(len(str(value))))
    if raw is not None and raw != str(value):
        return _("{raw} (which YAML reads as the {what} {value})").format(
            raw=raw, what=what, value=value
        )
    return _("the {what} {value}").format(what=what, value=value)


def _code_message(value: str, is_procedure_code: bool, max_len: int) -> str:
    if is_procedure_code:
        said = _(
            "{value} is not a valid procedure code: use capital letters, digits and '-', "
            "starting with a letter, 2 to {max_len} characters"
        )
    else:
        said = _(
            "{value} is not a valid agency code: use capital letters, digits and '-', "
            "starting with a letter, 2 to {max_len} characters"
        )
    return said.format(value=value, max_len=max_len)


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
            return _("the list item is empty; write it or remove the '-' line")
        return _("the value is empty; fill it in")
    if kind == "missing":
        model = model_at(root, loc[:-1])
        info = model.model_fields.get(str(name))
        if info and info.description:
            return _("required field is missing; add '{name}: ...' ({hint})").format(
                name=name, hint=info.description.rstrip(".")
            )
        return _("required field is missing; add '{name}: ...'").format(name=name)
    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        allowed = list(model.model_fields)
        suggestion = suggest_name(str(name), allowed)
        if suggestion:
            return _("unknown field {name}; did you mean {suggestion}?").format(
                name=brief(str(name)), suggestion=repr(suggestion)
            )
        return _("unknown field {name}; the fields here are: {fields}").format(
            name=brief(str(name)), fields=", ".join(allowed)
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if name == "fee":
            return _(
                "expected a whole number, got {value}; write the amount in rupiah without "
                "separators, e.g. 50000"
            ).format(value=described)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return _("expected a whole number, got {value}; remove the quotes").format(
                value=described
            )
        return _("expected a whole number, got {value}").format(value=described)
    if kind == "bool_type":
        return _("expected true or false, got {value}").format(value=described)
    if kind == "string_type":
        if isinstance(value, (list, dict)):
            return _("expected text, got {value}").format(value=described)
        return _("expected text, got {value}; put the value in quotes").format(value=described)
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        length = len(value.strip()) if isinstance(value, str) else 0
        return _(
            "too long: {length} characters, at most {max} fit on the printed service "
            "standard; shorten it"
        ).format(length=say_number(length), max=say_number(ctx.get("max_length") or 0))
    if kind == "too_long":
        count = ctx.get("actual_length") or (len(value) if isinstance(value, list) else 0)
        return _(
            "too many items: {count}, at most {max} fit on the printed service standard; "
            "merge or remove some"
        ).format(count=say_number(count), max=say_number(ctx.get("max_length") or 0))
    if kind == "string_pattern_mismatch":
        is_procedure_code = root is ProcedureDoc and name == "code"
        max_len = PROCEDURE_CODE_MAX if is_procedure_code else AGENCY_CODE_MAX
        text = _code_message(brief(str(value)), is_procedure_code, max_len)
        fixed = re.sub(r"[\s_]+", "-", str(value).strip()).upper()
        if fixed != value and re.fullmatch(ctx.get("pattern", "$^"), fixed):
            text = _("{problem}; did you mean {fixed}?").format(problem=text, fixed=repr(fixed))
        return text
    if kind == "greater_than_equal":
        return _("must be {min} or more, got {value}").format(min=ctx.get("ge"), value=described)
    if kind == "less_than_equal":
        return _("must be at most {max}, got {value}; check for extra digits").format(
            max=ctx.get("le"), value=described
        )
    if kind == "list_type":
        return _("expected a list, got {value}; write each item on its own line after '- '").format(
            value=described
        )
    if kind == "too_short":
        if name == "steps":
            return _("at least one step is required (sistem, mekanisme dan prosedur)")
        wanted = ctx.get("min_length") or 1
        return ngettext("needs at least {n} item", "needs at least {n} items", wanted).format(
            n=wanted
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        nested = _MODELS_BY_FIELD.get(next((p for p in reversed(loc) if isinstance(p, str)), ""))
        example = _MAPPING_EXAMPLES.get(nested) if nested else None
        if nested is Requirement:
            return _("expected the document's name or a mapping {example}, got {value}").format(
                example=example, value=described
            )
        if example:
            return _("expected a mapping {example}, got {value}").format(
                example=example, value=described
            )
        return _("expected a mapping (key: value pairs), got {value}").format(value=described)
    if kind == "literal_error":
        return _("expected {expected}, got {value}").format(
            expected=ctx.get("expected"), value=described
        )
    message = str(err.get("msg", _("invalid value")))
    if kind == "value_error":  # our own checks (e.g. the NIP) already say it all
        message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]
