"""Catalogue YAML files → validated documents, with every problem located at FILE:LINE:COLUMN.

This is the pure layer under ``egovctl procedure import``: it finds the files, parses them,
validates each document against :mod:`egovctl.catalogue.schema` and reports *all* problems of
all files at once, each with the place to fix and what to do, written for an administrator.
It also writes catalogue YAML (:func:`dump_catalogue`) that reads back to the same documents.

Speed matters (a catalogue may hold thousands of procedures), so parsing uses libyaml's event
parser and builds values and a field-path → position map in one Python pass, instead of
PyYAML's composer + constructor which lose positions. The event parser is iterative, so a
hostile nesting depth cannot crash the process the way the recursive C composer can.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from egovctl.catalogue.schema import (
    AGENCY_CODE_MAX,
    AGENCY_CODE_PATTERN,
    DOCUMENT_MODELS,
    PROCEDURE_CODE_MAX,
    PROCEDURE_CODE_PATTERN,
    AgencyDoc,
    AgencyHead,
    ProcedureDoc,
    Requirement,
    Step,
)
from egovctl.suggest import closest

try:
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper  # about 7x faster than the pure-Python emitter
except AttributeError:  # PyYAML built without libyaml: same events and output, only slower
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

__all__ = [
    "Problem",
    "SourceDoc",
    "agencies_defined",
    "collect_files",
    "dump_catalogue",
    "load_catalogue",
]

YAML_SUFFIXES = (".yaml", ".yml")
# A real document is three levels deep (procedure → steps → step); anything far deeper is a
# damaged or hostile file, and bounding it keeps the builder's stack small.
MAX_DEPTH = 64
# Aliases can make a small file expand exponentially ("billion laughs"); a real document has
# a few hundred values, so this bound only stops abuse.
MAX_VALUES_PER_DOCUMENT = 200_000


# --------------------------------------------------------------------------------------------
# Public data types


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at a place the administrator can jump to.

    ``line`` and ``column`` are 1-based; ``line == 0`` means the problem concerns the path as a
    whole (it does not exist, cannot be read) and then no position is shown.
    """

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line > 0 else self.path
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


@dataclass
class SourceDoc:
    """A validated document and where each of its fields was written."""

    path: Path
    index: int  # 0-based position of the document within its file
    kind: str  # "agency" or "procedure"
    doc: AgencyDoc | ProcedureDoc
    # Field path ("steps[2].days", "head.nip", "" for the document) → (line, column) of its
    # value, 1-based.
    positions: dict[str, tuple[int, int]]
    # Field path → position of the key naming it; unknown keys are reported there.
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    def where(self, field_path: str) -> tuple[int, int]:
        """(line, column) of ``field_path``; falls back to the nearest parent that was written,
        and finally to the start of the document."""
        return _lookup(self.positions, field_path)

    def problem(self, field_path: str, message: str) -> Problem:
        """A Problem located at ``field_path``, e.g. for an agency code the database lacks."""
        line, column = self.where(field_path)
        return Problem(str(self.path), line, column, field_path, message)

    @property
    def code(self) -> str:
        return self.doc.code


def _parent_path(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def _lookup(positions: dict[str, tuple[int, int]], path: str) -> tuple[int, int]:
    while True:
        found = positions.get(path)
        if found is not None:
            return found
        if not path:
            return (1, 1)
        path = _parent_path(path)


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
                    "not a regular file (a pipe or device?); give a YAML file or a directory",
                )
            )
        else:
            problems.append(Problem(str(given), 0, 0, "", "no such file or directory"))
    return files, problems


# --------------------------------------------------------------------------------------------
# Reading text

_BAD_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# libyaml counts these as line breaks; positions computed here must agree with its marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_DOCUMENT_MARKER = re.compile(r"^---(?=[ \t]|$)", re.MULTILINE)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, counting breaks the way libyaml does."""
    line = 1
    start = 0
    for m in _LINE_BREAK.finditer(text, 0, offset):
        line += 1
        start = m.end()
    return line, offset - start + 1


def _decode(data: bytes, shown: str, problems: list[Problem]) -> str | None:
    if not data.strip():
        problems.append(
            Problem(
                shown,
                1,
                1,
                "",
                "the file is empty; a catalogue file holds one or more "
                "documents (kind: agency or kind: procedure)",
            )
        )
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(shown, 1, 1, "", "the file is UTF-16 text; save it as UTF-8"))
        return None
    if b"\x00" in data:
        problems.append(
            Problem(shown, 1, 1, "", "this is a binary file, not YAML text; check the path")
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        good = data[: err.start].decode("utf-8-sig", errors="replace")
        line, column = _line_col(good, len(good))
        problems.append(
            Problem(
                shown,
                line,
                column,
                "",
                f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} cannot be read); "
                "save it with UTF-8 encoding",
            )
        )
        return None


def _check_characters(text: str, shown: str, problems: list[Problem]) -> str:
    """Report characters YAML forbids (control characters) and blank them out so the rest of
    the file can still be checked: one bad character should not hide every other problem."""
    first = _BAD_CHAR.search(text)
    if first is None:
        return text
    count = sum(1 for _ in _BAD_CHAR.finditer(text))
    line, column = _line_col(text, first.start())
    more = f" ({count} such characters in this file)" if count > 1 else ""
    problems.append(
        Problem(
            shown,
            line,
            column,
            "",
            f"control character U+{ord(first.group()):04X} is not allowed in YAML{more}; "
            "remove it (it often comes from copying text out of another program)",
        )
    )
    return _BAD_CHAR.sub("\ufffd", text)


# --------------------------------------------------------------------------------------------
# Building values with positions from libyaml events

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _BINARY, _MAP, _SEQ = (_TAG + t for t in ("timestamp", "binary", "map", "seq"))
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONVERTERS = {
    _INT: _CONSTRUCTOR.construct_yaml_int,
    _FLOAT: _CONSTRUCTOR.construct_yaml_float,
    _BOOL: _CONSTRUCTOR.construct_yaml_bool,
    _NULL: _CONSTRUCTOR.construct_yaml_null,
    _TIMESTAMP: _CONSTRUCTOR.construct_yaml_timestamp,
    _BINARY: _CONSTRUCTOR.construct_yaml_binary,
}
_RESOLVED = frozenset(_CONVERTERS) - {_BINARY}
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")


# Path given to the contents of dropped entries; it cannot collide with a real field path.
_DROPPED = "\x00dropped"


class _BadKey:
    """Placeholder for a key that is not plain text; its entry is reported and dropped."""


_BAD_KEY = _BadKey()


@dataclass
class _RawDoc:
    index: int
    value: Any
    positions: dict[str, tuple[int, int]]
    key_positions: dict[str, tuple[int, int]]
    raw: dict[str, str]  # path → source text of values YAML read as non-text
    problems: list[tuple[str, tuple[int, int], str]]  # (field path, position, message)
    complete: bool = True  # False when building stopped early (too deep, too large)


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("is_map", "container", "path", "key", "key_pos", "merges", "anchor", "weight")

    def __init__(
        self, is_map: bool, container: Any, path: str, anchor: str | None, weight: int
    ) -> None:
        self.is_map = is_map
        self.container = container
        self.path = path
        self.key: Any = None  # pending key of a mapping entry (None: expecting a key)
        self.key_pos: tuple[int, int] = (0, 0)
        self.merges: list[tuple[Any, tuple[int, int]]] | None = None
        self.anchor = anchor
        self.weight = weight


def _scalar_value(ev: ScalarEvent) -> tuple[Any, bool, str | None]:
    """(value, is_text, problem) of a scalar, resolving plain scalars like PyYAML's SafeLoader."""
    value = ev.value
    tag = ev.tag
    if tag is None:
        if not ev.implicit[0]:  # quoted or block scalar: always text
            return value, True, None
        for candidate, regexp in _RESOLVERS.get(value[:1], ()):
            if regexp.match(value):
                tag = candidate
                break
        if tag not in _RESOLVED:
            return value, True, None
    elif tag == "!" or tag == _STR:
        return value, True, None
    convert = _CONVERTERS.get(tag)
    if convert is None:
        return None, False, f"unsupported YAML tag {tag!r}; remove it"
    if tag == _INT and not _PLAIN_INT.match(value):
        # YAML 1.1 reads 010 as 8, 0x10 as 16, 1:30 as 90: never what a fee or a number of
        # days means. Only plain decimal digits are numbers here.
        digits = value.replace("_", "").lstrip("+")
        example = str(int(digits)) if digits.isdigit() else "10000"
        return (
            None,
            False,
            (
                f"{value!r} is not a plain number (YAML would read it as "
                f"{convert(yaml.ScalarNode(tag, value))}); write the digits "
                f"without leading zeros, underscores or colons, e.g. {example}"
            ),
        )
    try:
        return convert(yaml.ScalarNode(tag, value)), False, None
    except Exception:  # a tagged value such as `!!int abc` that cannot be converted
        return (
            None,
            False,
            (
                f"{value!r} cannot be read as {tag.removeprefix(_TAG)}; put it "
                "in quotes if it is meant as text"
            ),
        )


def _build_documents(text: str, line_base: int, first_index: int) -> Iterator[_RawDoc]:
    """Yield each document of ``text`` built into plain values plus position maps.

    Raises yaml.YAMLError at a syntax error; the documents before it have been yielded.
    """
    loader = _Loader(text)
    try:
        get_event = loader.get_event
        index = first_index
        stack: list[_Frame] = []
        positions: dict[str, tuple[int, int]] = {}
        key_positions: dict[str, tuple[int, int]] = {}
        raw: dict[str, str] = {}
        problems: list[tuple[str, tuple[int, int], str]] = []
        anchors: dict[str, tuple[Any, int]] = {}
        open_anchors: set[str] = set()
        root: Any = None
        weight = 0
        skipping = False

        def report(path: str, pos: tuple[int, int], message: str) -> None:
            problems.append((path, pos, message))

        while True:
            ev = get_event()
            if ev is None:
                break
            cls = ev.__class__
            if skipping and cls is not DocumentEndEvent and cls is not StreamEndEvent:
                continue

            if cls is ScalarEvent:
                mark = ev.start_mark
                pos = (mark.line + line_base + 1, mark.column + 1)
                weight += 1
                frame = stack[-1] if stack else None
                if frame is not None and frame.is_map and frame.key is None:
                    # A key. Keys are field names, so the source text is used whatever YAML
                    # would make of it (`yes:` stays "yes", not True).
                    text = ev.value
                    frame.key = (
                        "<<" if text == "<<" and ev.implicit[0] and ev.tag is None else text
                    )  # "<<" alone is a merge key, resolved when the mapping ends
                    frame.key_pos = pos
                    if ev.anchor is not None:
                        anchors[ev.anchor] = (text, 1)
                    continue
                text = ev.value
                if ev.tag is None and (not ev.implicit[0] or text[:1] not in _RESOLVERS):
                    value, is_text, problem = text, True, None  # the common case: plain text
                else:
                    value, is_text, problem = _scalar_value(ev)
                if ev.anchor is not None:
                    anchors[ev.anchor] = (value, 1)
                if frame is None:  # a document that is a single scalar
                    root = value
                    positions[""] = pos
                    if problem:
                        report("", pos, problem)
                    continue
                path = _store(frame, value, pos, positions, key_positions, report)
                if path is not None:
                    if not is_text:
                        raw[path] = text
                    if problem:
                        report(path, pos, problem)

            elif cls is AliasEvent:
                mark = ev.start_mark
                pos = (mark.line + line_base + 1, mark.column + 1)
                weight += 1
                problem = None
                if ev.anchor in open_anchors:
                    value = None
                    problem = f"alias *{ev.anchor} refers to the collection that contains it"
                elif ev.anchor not in anchors:
                    value = None
                    problem = f"unknown alias *{ev.anchor}; define &{ev.anchor} before using it"
                else:
                    value, size = anchors[ev.anchor]
                    weight += size
                    if weight > MAX_VALUES_PER_DOCUMENT:
                        report(
                            "",
                            pos,
                            "the document expands to too many values through "
                            "aliases (*name); write it out plainly",
                        )
                        skipping = True
                        continue
                if not stack:
                    root = value
                    positions[""] = pos
                    if problem:
                        report("", pos, problem)
                    continue
                frame = stack[-1]
                if frame.is_map and frame.key is None:
                    frame.key = _BAD_KEY
                    frame.key_pos = pos
                    report(frame.path, pos, "a key must be a plain field name, not an alias")
                    continue
                path = _store(frame, value, pos, positions, key_positions, report)
                if problem:
                    report(path if path is not None else frame.path, pos, problem)

            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                mark = ev.start_mark
                pos = (mark.line + line_base + 1, mark.column + 1)
                weight += 1
                is_map = cls is MappingStartEvent
                container: Any = {} if is_map else []
                tag = ev.tag
                if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ):
                    where = stack[-1].path if stack else ""
                    report(where, pos, f"unsupported YAML tag {tag!r}; remove it")
                if len(stack) >= MAX_DEPTH:
                    report(stack[-1].path, pos, "the document is nested too deeply")
                    skipping = True
                    continue
                if stack:
                    parent = stack[-1]
                    if parent.is_map and parent.key is None:
                        # A list or mapping used as a key: build it aside, then drop the entry.
                        parent.key = _BAD_KEY
                        parent.key_pos = pos
                        report(
                            parent.path,
                            pos,
                            "a key must be a plain field name, not a list or mapping",
                        )
                        path = _DROPPED
                    else:
                        path = _store(parent, container, pos, positions, key_positions, report)
                        if path is None:
                            path = _DROPPED
                else:
                    root = container
                    path = ""
                    positions[""] = pos
                if ev.anchor is not None:
                    open_anchors.add(ev.anchor)
                stack.append(_Frame(is_map, container, path, ev.anchor, weight))

            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                if frame.merges:
                    _merge(frame, positions, report)
                if frame.anchor is not None:
                    open_anchors.discard(frame.anchor)
                    anchors[frame.anchor] = (frame.container, weight - frame.weight + 1)

            elif cls is DocumentStartEvent:
                stack.clear()
                anchors.clear()
                open_anchors.clear()
                root = None
                weight = 0
                skipping = False

            elif cls is DocumentEndEvent:
                yield _RawDoc(index, root, positions, key_positions, raw, problems, not skipping)
                index += 1
                positions, key_positions, raw, problems = {}, {}, {}, []

            elif cls is StreamEndEvent:
                break
    finally:
        loader.dispose()


def _store(
    frame: _Frame,
    value: Any,
    pos: tuple[int, int],
    positions: dict[str, tuple[int, int]],
    key_positions: dict[str, tuple[int, int]],
    report: Any,
) -> str | None:
    """Put ``value`` into the collection being built; return its field path (None: dropped)."""
    if not frame.is_map:
        path = f"{frame.path}[{len(frame.container)}]"
        frame.container.append(value)
        positions[path] = pos
        return path
    key = frame.key
    frame.key = None
    if key is _BAD_KEY:
        return None
    if key == "<<":
        if frame.merges is None:
            frame.merges = []
        frame.merges.append((value, frame.key_pos))
        return None
    path = key if not frame.path else f"{frame.path}.{key}"
    container = frame.container
    if key in container:
        first = key_positions[path]
        report(
            path,
            frame.key_pos,
            f"duplicate key {key!r} (first written at line {first[0]}); keep only one",
        )
    else:
        key_positions[path] = frame.key_pos
    container[key] = value
    positions[path] = pos
    return path


def _merge(frame: _Frame, positions: dict[str, tuple[int, int]], report: Any) -> None:
    """Apply YAML merge keys (``<<: *defaults``): explicit keys win over merged ones."""
    container = frame.container
    assert frame.merges is not None
    for value, pos in frame.merges:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if source is None:
                continue  # an empty '<<:' or an unknown alias, which is reported already
            if not isinstance(source, dict):
                report(
                    frame.path,
                    pos,
                    "'<<' merges a mapping (or a list of mappings) into "
                    "this one; give it an alias of a mapping such as *defaults",
                )
                continue
            for key, item in source.items():
                if key not in container:
                    container[key] = item
                    path = key if not frame.path else f"{frame.path}.{key}"
                    positions.setdefault(path, pos)


# --------------------------------------------------------------------------------------------
# Parsing a file (with recovery after a syntax error)

_SYNTAX_HINTS = {
    "mapping values are not allowed": "a value contains ': ' and needs quotes, or this line "
    "is indented further than it should be",
    "tab character": "indent with spaces, not tabs",
    "found character that cannot start any token": "a tab or a special character starts a "
    "value; indent with spaces and quote values starting with @, ` or %",
    "could not find expected ':'": "a line is missing its ':' or is indented wrongly",
    "did not find expected key": "check the indentation of this line against the line above",
    "did not find expected '-' indicator": "check the indentation of this list item",
    "did not find expected ',' or ']'": "a '[' list is not closed with ']'",
    "did not find expected ',' or '}'": "a '{' mapping is not closed with '}', or a value "
    "in it contains ',' and needs quotes",
    "while parsing a flow": "a '[' list or '{' mapping is not closed, or a value in it "
    "contains ',', '[' or '{' and needs quotes",
    "found undefined alias": "define the &anchor before using the *alias",
    "found unexpected end of stream": "a quote or bracket is not closed",
    "found unknown escape character": 'inside "double quotes" a backslash starts an escape; '
    "use single quotes or write \\\\",
}


def _syntax_message(err: yaml.MarkedYAMLError, line_base: int) -> str:
    problem = (err.problem or "invalid YAML").strip()
    text = f"YAML syntax error: {problem}"
    if err.context:
        context = err.context.strip()
        mark = err.context_mark
        if mark is not None and (err.problem_mark is None or mark.line != err.problem_mark.line):
            context += f" (line {mark.line + line_base + 1})"
        text += f", {context}"
    for needle, hint in _SYNTAX_HINTS.items():
        if needle in text:
            return f"{text}; {hint}"
    return text


def _parse_text(text: str, shown: str, problems: list[Problem]) -> list[_RawDoc]:
    """All documents that could be parsed, reporting syntax errors.

    The whole text is parsed in one go. After a syntax error, the rest is parsed one document
    at a time, split at its ``---`` lines, so every later document is still checked and a file
    with many broken documents costs no more than one without. Splitting is exact: YAML
    forbids a line starting with ``---`` inside any scalar.
    """
    docs: list[_RawDoc] = []
    error = _parse_chunk(text, 0, 0, shown, docs, problems)
    if error is None:
        return docs
    error_line, error_column = error
    next_index = len(docs) + 1  # the broken document keeps its number
    line = 0
    pos = 0
    for marker in _DOCUMENT_MARKER.finditer(text):
        line += _count_breaks(text, pos, marker.start())
        pos = marker.start()
        # Documents up to the broken one were read already. An error found at the very start
        # of a '---' line belongs to the document before it (an unclosed bracket or quote),
        # so the document starting there is still read.
        if line < error_line or (line == error_line and error_column > 1):
            continue
        end = _DOCUMENT_MARKER.search(text, marker.end())
        segment = text[pos : end.start() if end else len(text)]
        before = len(docs)
        _parse_chunk(segment, line, next_index, shown, docs, problems)
        next_index = docs[-1].index + 1 if len(docs) > before else next_index + 1
    return docs


def _count_breaks(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _LINE_BREAK.finditer(text, start, end))


def _parse_chunk(
    text: str,
    line_base: int,
    first_index: int,
    shown: str,
    docs: list[_RawDoc],
    problems: list[Problem],
) -> tuple[int, int] | None:
    """Parse ``text`` (starting at 0-based line ``line_base`` of the file) into ``docs``;
    report a syntax error and return its (0-based file line, 1-based column), or None."""
    try:
        docs.extend(_build_documents(text, line_base, first_index))
        return None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line if mark else 0) + line_base
        column = (mark.column if mark else 0) + 1
        problems.append(Problem(shown, line + 1, column, "", _syntax_message(err, line_base)))
        return line, column
    except yaml.YAMLError as err:  # reader errors and the like carry no mark
        detail = " ".join(str(err).split())
        problems.append(Problem(shown, line_base + 1, 1, "", f"cannot read YAML: {detail}"))
        return line_base, 2


# --------------------------------------------------------------------------------------------
# Translating validation errors into advice

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


def _format_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out = f"{out}.{part}" if out else str(part)
    return out


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose fields ``loc`` (a mapping's location) holds."""
    for part in reversed(loc):
        if isinstance(part, str):
            return _MODELS_BY_FIELD.get(part, root)
    return root


def _suggest(key: str, allowed: list[str]) -> str | None:
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


def _describe(value: Any, raw: str | None) -> str:
    """How the administrator will recognise the value they wrote."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        written = f" (written {raw})" if raw and raw.lower() not in ("true", "false") else ""
        return f"the yes/no value {str(value).lower()}{written}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the text {shown!r}"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, list):
        return "a list"
    what = _TYPE_WORDS.get(type(value).__name__, type(value).__name__)
    if raw is not None and raw != str(value):
        return f"{raw} (which YAML reads as the {what} {value})"
    return f"the {what} {value}"


def _code_rules(max_len: int) -> str:
    return f"use capital letters, digits and '-', starting with a letter, 2 to {max_len} characters"


def _message(err: dict[str, Any], root: type[BaseModel], path: str, raw: dict[str, str]) -> str:
    kind = err["type"]
    loc = err["loc"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    name = loc[-1] if loc else ""
    described = _describe(value, raw.get(path))

    if value is None and kind.endswith("_type"):
        if isinstance(name, int):
            return "the list item is empty; write it or remove the '-' line"
        return "the value is empty; fill it in"
    if kind == "missing":
        model = _model_at(root, loc[:-1])
        info = model.model_fields.get(str(name))
        hint = f" ({info.description.rstrip('.')})" if info and info.description else ""
        return f"required field is missing; add '{name}: ...'{hint}"
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = list(model.model_fields)
        suggestion = _suggest(str(name), allowed)
        if suggestion:
            return f"unknown field {name!r}; did you mean {suggestion!r}?"
        return f"unknown field {name!r}; the fields here are: {', '.join(allowed)}"
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
    if kind == "string_pattern_mismatch":
        is_procedure_code = root is ProcedureDoc and name == "code"
        what = "procedure" if is_procedure_code else "agency"
        max_len = PROCEDURE_CODE_MAX if is_procedure_code else AGENCY_CODE_MAX
        text = f"{value!r} is not a valid {what} code: {_code_rules(max_len)}"
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
        model = _MODELS_BY_FIELD.get(next((p for p in reversed(loc) if isinstance(p, str)), ""))
        example = _MAPPING_EXAMPLES.get(model) if model else None
        if model is Requirement:
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


# --------------------------------------------------------------------------------------------
# Validating documents


@dataclass
class _Ref:
    """What cross-document checks need from one document, valid or not.

    A document with a schema error elsewhere still names its code and agency; checking those
    too means an unknown agency or a code used twice is reported in the same run as the schema
    errors, instead of only after they are fixed.
    """

    path: str
    kind: str
    code: str | None  # None: missing or itself invalid (already reported)
    agency: str | None  # procedures only; None as for code
    positions: dict[str, tuple[int, int]]
    source: SourceDoc | None  # None when the document has problems of its own

    def problem(self, field_path: str, message: str) -> Problem:
        line, column = _lookup(self.positions, field_path)
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


def _ref(raw: _RawDoc, shown: str, kind: str, source: SourceDoc | None) -> _Ref:
    if source is not None:
        doc = source.doc
        agency = doc.agency if isinstance(doc, ProcedureDoc) else None
        return _Ref(shown, kind, doc.code, agency, raw.positions, source)
    data = raw.value
    code = _usable_code(data.get("code"), _CODE_RULES[kind])
    agency = _usable_code(data.get("agency"), _AGENCY_CODE) if kind == "procedure" else None
    return _Ref(shown, kind, code, agency, raw.positions, None)


def _validate(raw: _RawDoc, path: Path, shown: str, problems: list[Problem]) -> _Ref | None:
    """Validate one document, reporting its problems; None when it is too broken to name a
    kind (then nothing about it can be checked against other documents)."""
    for field_path, (line, column), message in raw.problems:
        problems.append(Problem(shown, line, column, field_path, message))
    positions = raw.positions
    data = raw.value
    if not isinstance(data, dict):
        line, column = positions.get("", (1, 1))
        got = _describe(data, None)
        problems.append(
            Problem(
                shown,
                line,
                column,
                "",
                f"a document must be a mapping of fields (kind, code, name, ...), got {got}",
            )
        )
        return None

    if not raw.complete:
        return None  # already reported; the rest of the document was not read

    kind = data.get("kind", "procedure")
    model = DOCUMENT_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        line, column = _lookup(positions, "kind")
        rule = "a document is either 'procedure' (the default) or 'agency'"
        if kind is None:
            text = f"the kind is empty; {rule}"
        else:
            shown_kind = repr(kind) if isinstance(kind, str) else _describe(kind, None)
            suggestion = _suggest(str(kind), list(DOCUMENT_MODELS))
            hint = f"did you mean {suggestion!r}? " if suggestion else ""
            text = f"unknown kind {shown_kind}; {hint}{rule}"
        problems.append(Problem(shown, line, column, "kind", text))
        return None

    try:
        doc = model.model_validate(data)
    except ValidationError as err:
        _report_validation(err, model, raw, shown, problems)
        return _ref(raw, shown, kind, None)
    except RecursionError:
        line, column = positions.get("", (1, 1))
        problems.append(Problem(shown, line, column, "", "the document is nested too deeply"))
        return None
    if raw.problems:
        return _ref(raw, shown, kind, None)
    source = SourceDoc(path, raw.index, kind, doc, positions, raw.key_positions)
    return _ref(raw, shown, kind, source)


def _report_validation(
    err: ValidationError, model: type[BaseModel], raw: _RawDoc, shown: str, problems: list[Problem]
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
            suggestion = _suggest(str(loc[-1]), list(_model_at(model, loc[:-1]).model_fields))
            if suggestion:
                renamed.add(_format_path((*loc[:-1], suggestion)))
    for e in errors:
        loc = e["loc"]
        path = _format_path(loc)
        if e["type"] == "missing" and path in renamed:
            continue
        if any(path == p or path.startswith((p + ".", p + "[")) for p in reported):
            continue
        if e["type"] == "extra_forbidden":
            line, column = raw.key_positions.get(path) or _lookup(raw.positions, path)
        else:
            line, column = _lookup(raw.positions, path)
        problems.append(Problem(shown, line, column, path, _message(e, model, path, raw.raw)))


def agencies_defined(docs: Sequence[SourceDoc]) -> dict[str, SourceDoc]:
    """Agency code → the document defining it, for checking procedures' ``agency`` fields."""
    return {d.doc.code: d for d in docs if d.kind == "agency"}


def _read_file(path: Path, problems: list[Problem]) -> list[_Ref]:
    shown = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        problems.append(Problem(shown, 0, 0, "", "is a directory, not a file"))
        return []
    except OSError as err:
        reason = err.strerror or str(err)
        problems.append(Problem(shown, 0, 0, "", f"cannot read the file: {reason.lower()}"))
        return []
    text = _decode(data, shown, problems)
    if text is None:
        return []
    text = _check_characters(text, shown, problems)
    before = len(problems)
    raw_docs = _parse_text(text, shown, problems)
    # Empty documents (a trailing '---', a file of comments) carry nothing to import.
    raw_docs = [r for r in raw_docs if not (r.value is None and not r.problems)]
    if not raw_docs and len(problems) == before:
        problems.append(
            Problem(shown, 1, 1, "", "the file has no documents, only comments or blank lines")
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
    refs: list[_Ref] = []
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
                    f"internal error while reading this file "
                    f"({type(err).__name__}: {err}); please report it",
                )
            )
    cross = _check_duplicates(refs)
    if known_agencies is not None:
        cross += _check_agencies(refs, known_agencies)
    for problem in cross:
        by_file[problem.path].append(problem)
    for file_problems in by_file.values():
        file_problems.sort(key=lambda p: (p.line, p.column))
        problems.extend(file_problems)
    docs = [r.source for r in refs if r.source is not None]
    return docs, problems


def _check_duplicates(refs: list[_Ref]) -> list[Problem]:
    """A code defined twice in the import; the later definition is dropped (and reported)."""
    problems = []
    first: dict[tuple[str, str], _Ref] = {}
    for r in refs:
        if r.code is None:
            continue
        key = (r.kind, r.code)
        seen = first.get(key)
        if seen is None:
            first[key] = r
            continue
        line = _lookup(seen.positions, "code")[0]
        problems.append(
            r.problem(
                "code",
                f"duplicate {r.kind} code {r.code}, first defined at "
                f"{seen.path}:{line}; give one of them another code or remove it",
            )
        )
        r.source = None
    return problems


def _check_agencies(refs: list[_Ref], known: Collection[str]) -> list[Problem]:
    """Procedures naming an agency that is neither in the database nor in the import."""
    # An agency document with a mistake elsewhere still defines its code: reporting its
    # procedures as well would send the administrator after the wrong problem.
    available = set(known)
    available.update(r.code for r in refs if r.kind == "agency" and r.code is not None)
    choices = sorted(available)
    tips: dict[str, str] = {}
    problems = []
    for r in refs:
        if r.kind != "procedure" or r.agency is None or r.agency in available:
            continue
        tip = tips.get(r.agency)
        if tip is None:
            close = closest(r.agency, choices)
            if close:
                tip = f"did you mean {close!r}?"
            elif choices:
                tip = (
                    "it is neither in the database nor defined in this import; see "
                    "'egovctl agency list', or add a 'kind: agency' document for it"
                )
            else:
                tip = "no agencies exist yet; add a 'kind: agency' document for it"
            tips[r.agency] = tip
        problems.append(r.problem("agency", f"unknown agency {r.agency!r}; {tip}"))
    return problems


# --------------------------------------------------------------------------------------------
# Writing catalogue YAML


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
