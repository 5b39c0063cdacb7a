"""Catalogue files → validated documents, with every problem located at FILE:LINE:COLUMN.

The pure layer under ``egovctl procedure import``: it finds the files, reads them with
:mod:`.yaml_positions`, validates each document against :mod:`egovctl.catalogue.schema` and
reports *all* problems of all files at once (:mod:`.messages` words them, :mod:`.checks`
adds the checks across documents). Nothing here touches the database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from egovctl.catalogue.checks import check_agencies, check_duplicates
from egovctl.catalogue.messages import (
    describe_value,
    format_loc,
    model_at,
    suggest_name,
    validation_message,
)
from egovctl.catalogue.schema import (
    AGENCY_CODE_PATTERN,
    DOCUMENT_MODELS,
    PROCEDURE_CODE_PATTERN,
    AgencyDoc,
    ProcedureDoc,
)
from egovctl.catalogue.yaml_events import brief
from egovctl.catalogue.yaml_positions import (
    Position,
    Problem,
    RawDocument,
    decode_text,
    lookup,
    parse_documents,
)
from egovctl.i18n import _

__all__ = ["DocRef", "SourceDoc", "agencies_defined", "collect_files", "load_catalogue"]

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class SourceDoc:
    """A validated document and where each of its fields was written."""

    path: Path
    index: int  # 0-based position of the document within its file
    kind: str  # "agency" or "procedure"
    doc: AgencyDoc | ProcedureDoc
    # Field path ("steps[2].days", "head.nip", "" for the document) → (line, column) of its
    # value, 1-based.
    positions: dict[str, Position]
    # Field path → position of the key naming it; unknown keys are reported there.
    key_positions: dict[str, Position] = field(default_factory=dict, repr=False)

    def where(self, field_path: str) -> Position:
        """(line, column) of ``field_path``; falls back to the nearest parent that was written,
        and finally to the start of the document."""
        return lookup(self.positions, field_path)

    def problem(self, field_path: str, message: str) -> Problem:
        """A Problem located at ``field_path``, e.g. for an agency code the database lacks."""
        line, column = self.where(field_path)
        return Problem(str(self.path), line, column, field_path, message)

    @property
    def code(self) -> str:
        return self.doc.code


# --------------------------------------------------------------------------------------------
# Finding files


def collect_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files to read: files as given, directories searched recursively for ``*.yaml`` and
    ``*.yml`` (sorted, hidden directories such as ``.git`` skipped).

    A file reached twice (given and also inside a given directory) is listed once. A path that
    does not exist, or a directory without any YAML file, is left out here;
    :func:`load_catalogue` reports it as a Problem together with everything else.
    """
    return _collect(paths)[0]


def _collect(paths: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()

    def add(file: Path) -> None:
        key = os.path.normcase(os.path.realpath(file))
        if key not in seen:
            seen.add(key)
            files.append(file)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.extend(
                    Path(root, name)
                    for name in names
                    if name.lower().endswith(YAML_SUFFIXES) and not name.startswith(".")
                )
            if not found:
                problems.append(
                    Problem(str(given), 0, 0, "", "no .yaml or .yml files in this directory")
                )
            for file in sorted(found, key=lambda p: p.parts):
                if file.is_file():  # a FIFO or device named *.yaml would block the read
                    add(file)
        elif path.is_file():
            add(path)
        elif path.exists():
            problems.append(
                Problem(
                    str(given),
                    0,
                    0,
                    "",
                    _("not a regular file (a pipe or device?); give a YAML file or a directory"),
                )
            )
        else:
            problems.append(Problem(str(given), 0, 0, "", _("no such file or directory")))
    return files, problems


# --------------------------------------------------------------------------------------------
# Validating documents


@dataclass
class DocRef:
    """What cross-document checks need from one document, valid or not.

    A document with a schema error elsewhere still names its code and agency; checking those
    too means an unknown agency or a code used twice is reported in the same run as the schema
    errors, instead of only after they are fixed.
    """

    path: str
    kind: str
    code: str | None  # None: missing or itself invalid (already reported)
    agency: str | None  # procedures only; None as for code
    positions: dict[str, Position]
    source: SourceDoc | None  # None when the document has problems of its own

    def problem(self, field_path: str, message: str) -> Problem:
        line, column = lookup(self.positions, field_path)
        return Problem(self.path, line, column, field_path, message)


_CODE_RULES = {
    "agency": re.compile(AGENCY_CODE_PATTERN),
    "procedure": re.compile(PROCEDURE_CODE_PATTERN),
}
_AGENCY_CODE = _CODE_RULES["agency"]


def _usable_code(value: Any, rule: re.Pattern[str]) -> str | None:
    """``value`` as the model would read it when it is a valid code, else None (the schema
    check reports it, and guessing what was meant would only add noise)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if rule.match(value) else None


def _ref(raw: RawDocument, shown: str, kind: str, source: SourceDoc | None) -> DocRef:
    if source is not None:
        doc = source.doc
        agency = doc.agency if isinstance(doc, ProcedureDoc) else None
        return DocRef(shown, kind, doc.code, agency, raw.positions, source)
    data = raw.value
    code = _usable_code(data.get("code"), _CODE_RULES[kind])
    agency = _usable_code(data.get("agency"), _AGENCY_CODE) if kind == "procedure" else None
    return DocRef(shown, kind, code, agency, raw.positions, None)


def _validate(raw: RawDocument, path: Path, shown: str, problems: list[Problem]) -> DocRef | None:
    """Validate one document, reporting its problems; None when it is too broken to name a
    kind (then nothing about it can be checked against other documents)."""
    for field_path, (line, column), message in raw.problems:
        problems.append(Problem(shown, line, column, field_path, message))
    positions = raw.positions
    data = raw.value
    if not isinstance(data, dict):
        line, column = positions.get("", (1, 1))
        got = describe_value(data, None)
        problems.append(
            Problem(
                shown,
                line,
                column,
                "",
                _(
                    "a document must be a mapping of fields (kind, code, name, ...), got {value}"
                ).format(value=got),
            )
        )
        return None

    if not raw.complete:
        return None  # already reported; the rest of the document was not read

    kind = data.get("kind", "procedure")
    model = DOCUMENT_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        line, column = lookup(positions, "kind")
        if kind is None:
            text = _(
                "the kind is empty; a document is either 'procedure' (the default) or 'agency'"
            )
        else:
            shown_kind = brief(kind) if isinstance(kind, str) else describe_value(kind, None)
            suggestion = suggest_name(str(kind), list(DOCUMENT_MODELS))
            if suggestion:
                text = _(
                    "unknown kind {kind}; did you mean {suggestion}? a document is either "
                    "'procedure' (the default) or 'agency'"
                ).format(kind=shown_kind, suggestion=repr(suggestion))
            else:
                text = _(
                    "unknown kind {kind}; a document is either 'procedure' (the default) or "
                    "'agency'"
                ).format(kind=shown_kind)
        problems.append(Problem(shown, line, column, "kind", text))
        return None

    try:
        doc = model.model_validate(data)
    except ValidationError as err:
        _report_validation(err, model, raw, shown, problems)
        return _ref(raw, shown, kind, None)
    except RecursionError:
        line, column = positions.get("", (1, 1))
        problems.append(Problem(shown, line, column, "", _("the document is nested too deeply")))
        return None
    if raw.problems:
        return _ref(raw, shown, kind, None)
    source = SourceDoc(path, raw.index, kind, doc, positions, raw.key_positions)
    return _ref(raw, shown, kind, source)


def _report_validation(
    err: ValidationError,
    model: type[BaseModel],
    raw: RawDocument,
    shown: str,
    problems: list[Problem],
) -> None:
    errors = err.errors(include_url=False)
    # Paths the builder already reported (duplicate keys, bad tags): pydantic's view of the
    # same spot would only repeat the problem in other words.
    reported = [p for p, _, _ in raw.problems if p]
    # An unknown key that is a misspelling of a missing field is one mistake, not two.
    renamed: set[str] = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            loc = e["loc"]
            suggestion = suggest_name(str(loc[-1]), list(model_at(model, loc[:-1]).model_fields))
            if suggestion:
                renamed.add(format_loc((*loc[:-1], suggestion)))
    for e in errors:
        loc = e["loc"]
        path = format_loc(loc)
        if e["type"] == "missing" and path in renamed:
            continue
        if any(path == p or path.startswith((p + ".", p + "[")) for p in reported):
            continue
        if e["type"] == "extra_forbidden":
            line, column = raw.key_positions.get(path) or lookup(raw.positions, path)
        else:
            line, column = lookup(raw.positions, path)
        problems.append(
            Problem(shown, line, column, path, validation_message(e, model, path, raw.raw))
        )


def agencies_defined(docs: Sequence[SourceDoc]) -> dict[str, SourceDoc]:
    """Agency code → the document defining it, for checking procedures' ``agency`` fields."""
    return {d.doc.code: d for d in docs if d.kind == "agency"}


def _read_file(path: Path, problems: list[Problem]) -> list[DocRef]:
    shown = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        problems.append(Problem(shown, 0, 0, "", _("is a directory, not a file")))
        return []
    except OSError as err:
        reason = err.strerror or str(err)
        problems.append(
            Problem(
                shown, 0, 0, "", _("cannot read the file: {reason}").format(reason=reason.lower())
            )
        )
        return []
    if not data.strip():
        problems.append(
            Problem(
                shown,
                1,
                1,
                "",
                _(
                    "the file is empty; a catalogue file holds one or more "
                    "documents (kind: agency or kind: procedure)"
                ),
            )
        )
        return []
    text = decode_text(data, shown, problems)
    if text is None:
        return []
    before = len(problems)
    raw_docs = parse_documents(text, shown, problems)
    if not raw_docs and len(problems) == before:
        problems.append(
            Problem(shown, 1, 1, "", _("the file has no documents, only comments or blank lines"))
        )
    refs = []
    for raw in raw_docs:
        ref = _validate(raw, path, shown, problems)
        if ref is not None:
            refs.append(ref)
    return refs


def load_catalogue(
    paths: Sequence[str | Path], *, known_agencies: Collection[str] | None = None
) -> tuple[list[SourceDoc], list[Problem]]:
    """Read and validate every document under ``paths``.

    Returns the valid documents and every problem found, in file order then position order.
    Never raises for bad input: a missing file, broken YAML, a wrong type or a code defined
    twice in the import are all Problems. The caller imports only when there are none.

    With ``known_agencies`` (the agency codes already in the database), every procedure's
    ``agency`` must be one of them or be defined in the import. Codes and agency references
    are checked in documents with schema errors too, wherever the field itself is valid, so
    one run reports everything.
    """
    files, problems = _collect(paths)
    refs: list[DocRef] = []
    by_file: dict[str, list[Problem]] = {}
    for path in files:
        file_problems = by_file.setdefault(str(path), [])
        try:
            refs.extend(_read_file(path, file_problems))
        except Exception as err:  # noqa: BLE001 - last resort: the import must report, not crash
            file_problems.append(
                Problem(
                    str(path),
                    0,
                    0,
                    "",
                    _("internal error while reading this file ({error}); please report it").format(
                        error=f"{type(err).__name__}: {err}"
                    ),
                )
            )
    cross = check_duplicates(refs)
    if known_agencies is not None:
        cross += check_agencies(refs, known_agencies)
    for problem in cross:
        by_file[problem.path].append(problem)
    for file_problems in by_file.values():
        file_problems.sort(key=lambda p: (p.line, p.column))
        problems.extend(file_problems)
    docs = [r.source for r in refs if r.source is not None]
    return docs, problems
