"""The documents of the procedure catalogue (docs/catalogue.md) as pydantic models.

A catalogue file holds ``agency`` and ``procedure`` documents. These models are the single
definition of what a valid document is: ``catalogue.load`` validates parsed YAML against them,
``canonical()`` gives the normalised form that is hashed for change detection and exported, and
``catalogue_json_schema()`` derives the JSON Schema that editors use to check files as they are
typed. Nothing here touches the database, files or the terminal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
)

AGENCY_CODE_PATTERN = r"^[A-Z][A-Z0-9-]{1,29}$"
PROCEDURE_CODE_PATTERN = r"^[A-Z][A-Z0-9-]{1,39}$"
AGENCY_CODE_MAX = 30
PROCEDURE_CODE_MAX = 40

# Upper bounds keep values inside what the database columns (64-bit integers) and common sense
# hold, so a typo such as an extra row of zeros is caught here rather than by the database.
MAX_FEE = 1_000_000_000_000  # Rp1 triliun
MAX_DAYS = 3650
MAX_COPIES = 1000

# The longest texts a printed service standard (standar pelayanan) can hold: every field ends
# up on that sheet, and a 20 MB description would make printing take minutes and gigabytes.
# Generous for real catalogues (the bundled one stays under a tenth of each), tight enough
# that a pasted document or a runaway generator is refused with the field's line.
MAX_NAME = 200  # names, titles, category, actor, phone: a line or two on the sheet
MAX_ITEM = 500  # one item of a list (legal basis, a note), product, address, fee basis, hours
MAX_TEXT = 4000  # description, complaints handling: about half a printed page
MAX_ITEMS = 50  # legal basis, requirements and steps: a list that still fits a sheet or two


def _blank_to_none(value: Any) -> Any:
    # An optional field written as "" or "  " means "not given", the same as leaving it out.
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _checked_nip(value: str | None) -> str | None:
    # The same check as `staff add --nip`: it is printed under every service standard.
    from egovctl.errors import InvalidInput
    from egovctl.identity import validate_nip

    if value is None:
        return None
    try:
        return validate_nip(value)
    except InvalidInput as exc:
        raise ValueError(str(exc)) from None


# Strict types: YAML already gives real integers and booleans, so a quoted "3", a "50.000"
# written with a thousands separator or a yes/no where a number belongs is an author's mistake
# to report, not something to coerce silently.
def _printable(value: str) -> str:
    # A "\e[31m" or "\0" written as a YAML escape would reach terminals and printed sheets;
    # an invisible format character (U+202E) would print the text reversed.
    import unicodedata

    for char in value:
        if char in "\n\t":
            continue
        kind = unicodedata.category(char)
        if kind in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            from egovctl.i18n import _

            if kind == "Cc":
                said = _("contains the control character {char}; remove it")
            else:
                said = _("contains the invisible formatting character {char}; remove it")
            raise ValueError(said.format(char=f"U+{ord(char):04X}"))
    return value


Name = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME),
    AfterValidator(_printable),
]
Item = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ITEM),
    AfterValidator(_printable),
]
LongText = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(_printable),
]
OptionalName = Annotated[Name | None, BeforeValidator(_blank_to_none)]
OptionalItem = Annotated[Item | None, BeforeValidator(_blank_to_none)]
OptionalLongText = Annotated[LongText | None, BeforeValidator(_blank_to_none)]
Days = Annotated[StrictInt, Field(ge=0, le=MAX_DAYS)]
AgencyCode = Annotated[
    StrictStr, StringConstraints(strip_whitespace=True, pattern=AGENCY_CODE_PATTERN)
]
ProcedureCode = Annotated[
    StrictStr, StringConstraints(strip_whitespace=True, pattern=PROCEDURE_CODE_PATTERN)
]


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def canonical(self) -> dict[str, Any]:
        """A plain dict in schema key order, ``None`` fields left out, nested models expanded.

        Two definitions that mean the same thing (a requirement written as text or as a
        mapping with default values, surrounding spaces, an empty optional field) have equal
        canonical forms, so they hash the same.
        """
        return self.model_dump(exclude_none=True)


class AgencyHead(_Document):
    """The head of an agency, printed under the service standard (kepala perangkat daerah)."""

    name: Name = Field(title="Name", description="Nama kepala perangkat daerah.")
    nip: Annotated[OptionalName, AfterValidator(_checked_nip)] = Field(
        None,
        title="NIP",
        description="Nomor induk pegawai (18 digits); write it in quotes so YAML keeps it as text.",
    )
    title: OptionalName = Field(None, title="Title", description="Jabatan, e.g. Kepala Dinas.")


def _checked_hours(value: dict[str, str]) -> dict[str, str]:
    # Normalised (consecutive days with the same hours joined, 08.00 written 08:00), so two
    # ways of writing the same hours hash the same.
    from egovctl.catalogue.hours import ServiceHours

    return ServiceHours.parse(value).canonical()


def _hours_key(key: str) -> str:
    from egovctl.catalogue.hours import BREAK, CUTOFF, day_numbers

    if key not in (BREAK, CUTOFF):
        day_numbers(key)
    return key


def _hours_value(value: str) -> str:
    # A range ("08:00-15:30") or, for the cut-off, a time; which one the key needs is
    # checked with the whole mapping.
    from egovctl.catalogue.hours import parse_span, parse_time

    if "-" in value:
        parse_span(value)
    else:
        parse_time(value)
    return value


Hours = Annotated[
    dict[
        Annotated[StrictStr, StringConstraints(max_length=20), AfterValidator(_hours_key)],
        Annotated[Name, AfterValidator(_hours_value)],
    ],
    AfterValidator(_checked_hours),
]


class AgencyDoc(_Document):
    """An agency (perangkat daerah) that provides services."""

    kind: Literal["agency"] = Field(title="Kind", description="Always `agency` for an agency.")
    code: AgencyCode = Field(
        title="Agency code",
        description="Capital letters, digits and '-', starting with a letter, 2 to 30 "
        "characters, e.g. DISDUKCAPIL.",
    )
    name: Name = Field(title="Name", description="Nama perangkat daerah.")
    address: OptionalItem = Field(None, title="Address", description="Alamat kantor.")
    phone: OptionalName = Field(
        None, title="Phone", description='Nomor telepon, in quotes, e.g. "(0719) 21000".'
    )
    head: AgencyHead | None = Field(
        None,
        title="Head",
        description="Kepala perangkat daerah: {name, nip, title}.",
    )
    hours: Hours | None = Field(
        None,
        title="Service hours",
        description="Jam layanan: weekday ranges to hours, a break and a cut-off, e.g. "
        '{mon-thu: "08:00-15:30", fri: "08:00-16:00", break: "12:00-13:00", cutoff: "14:00"}. '
        "An application received after the cut-off counts from the next working day.",
    )


class Requirement(_Document):
    """One document the applicant must bring (persyaratan)."""

    name: Name = Field(title="Name", description="Nama dokumen persyaratan.")
    copies: Annotated[StrictInt, Field(ge=1, le=MAX_COPIES)] = Field(
        1, title="Copies", description="Jumlah rangkap (number of copies), at least 1."
    )
    optional: StrictBool = Field(
        False, title="Optional", description="true when the document is not mandatory."
    )
    note: OptionalItem = Field(None, title="Note", description="Keterangan.")


def _requirement_from_text(value: Any) -> Any:
    # The short form of a requirement is just its name; it means the defaults for the rest.
    if isinstance(value, str):
        return {"name": value}
    return value


class Step(_Document):
    """One step of the procedure (sistem, mekanisme dan prosedur)."""

    name: Name = Field(title="Name", description="Uraian langkah.")
    actor: OptionalName = Field(None, title="Actor", description="Pelaksana, e.g. Petugas loket.")
    days: Days | None = Field(
        None, title="Days", description="Waktu langkah ini dalam hari kerja (working days)."
    )


class ProcedureDoc(_Document):
    """A public-service procedure and its service standard (standar pelayanan)."""

    kind: Literal["procedure"] = Field(
        "procedure", title="Kind", description="`procedure` (the default when absent)."
    )
    code: ProcedureCode = Field(
        title="Procedure code",
        description="Capital letters, digits and '-', starting with a letter, 2 to 40 "
        "characters, unique, e.g. DUKCAPIL-KTP-EL.",
    )
    name: Name = Field(title="Name", description="Nama pelayanan.")
    agency: AgencyCode = Field(
        title="Agency",
        description="Code of the agency (perangkat daerah) that provides the service.",
    )
    category: OptionalName = Field(None, title="Category", description="Kelompok pelayanan.")
    description: OptionalLongText = Field(
        None, title="Description", description="Uraian pelayanan, free text."
    )
    legal_basis: list[Item] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        title="Legal basis",
        description="Dasar hukum: the regulations, one per item.",
    )
    requirements: list[Annotated[Requirement, BeforeValidator(_requirement_from_text)]] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        title="Requirements",
        description="Persyaratan: each item is the document's name, or a mapping "
        "{name, copies, optional, note}.",
    )
    steps: list[Step] = Field(
        min_length=1,
        max_length=MAX_ITEMS,
        title="Steps",
        description="Sistem, mekanisme dan prosedur: the ordered steps, at least one, "
        "each {name, actor, days}.",
    )
    sla_days: Days = Field(
        title="SLA (working days)",
        description="Jangka waktu penyelesaian, in working days.",
    )
    fee: Annotated[StrictInt, Field(ge=0, le=MAX_FEE)] = Field(
        title="Fee (rupiah)",
        description="Biaya/tarif in rupiah, a whole number without separators; 0 means free.",
    )
    fee_basis: OptionalItem = Field(None, title="Fee basis", description="Dasar hukum biaya/tarif.")
    product: Item = Field(title="Product", description="Produk pelayanan.")
    complaints: OptionalLongText = Field(
        None,
        title="Complaints",
        description="Penanganan pengaduan, saran dan masukan.",
    )
    service_hours: OptionalItem = Field(
        None, title="Service hours", description="Waktu pelayanan, e.g. Senin-Jumat 08.00-15.00."
    )


Document = AgencyDoc | ProcedureDoc
DOCUMENT_MODELS: dict[str, type[AgencyDoc] | type[ProcedureDoc]] = {
    "agency": AgencyDoc,
    "procedure": ProcedureDoc,
}


def content_hash(doc: AgencyDoc | ProcedureDoc | Mapping[str, Any]) -> str:
    """SHA-256 (hex) of a document's canonical form, for telling a changed definition apart.

    Accepts a model or an already canonical dict. Keys are sorted and the JSON compact, so the
    hash does not depend on key order or formatting.
    """
    data = doc.canonical() if isinstance(doc, BaseModel) else dict(doc)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def catalogue_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one catalogue document, agency or procedure.

    ``kind: agency`` selects the agency schema; anything else, including no ``kind``, is a
    procedure. Point yaml-language-server at it with a first line
    ``# yaml-language-server: $schema=catalogue.schema.json``.
    """
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema(
        [(AgencyDoc, "validation"), (ProcedureDoc, "validation")],
        ref_template="#/$defs/{model}",
    )
    defs = top["$defs"]
    # Validation turns a plain string into a Requirement before the model sees it, so the
    # generated schema only knows the mapping form; editors must accept both.
    requirements = defs["ProcedureDoc"]["properties"]["requirements"]
    requirements["items"] = {
        "anyOf": [
            {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_NAME,
                "description": "Nama dokumen persyaratan.",
            },
            {"$ref": "#/$defs/Requirement"},
        ]
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:egovctl:catalogue-document",
        "title": "egovctl catalogue document",
        "description": "One document of a procedure catalogue file: an agency (kind: agency) "
        "or a procedure (standar pelayanan; kind: procedure, the default).",
        "type": "object",
        "if": {"properties": {"kind": {"const": "agency"}}, "required": ["kind"]},
        "then": {"$ref": "#/$defs/AgencyDoc"},
        "else": {"$ref": "#/$defs/ProcedureDoc"},
        "$defs": defs,
    }
