"""YAML text → plain values plus a field-path → (line, column) map, from libyaml's events.

Generic: nothing here knows what the documents mean. Field paths are written the way people
name fields (``items[2].size``, ``owner.name``); every value and every mapping key gets the
1-based position where it was written, so a later check can point at it.

PyYAML's composer + constructor lose positions, so values are built here in one Python pass
over libyaml's event parser. The event parser is iterative, so a hostile nesting depth cannot
crash the process the way the recursive C composer can; aliases are counted so that a "billion
laughs" file stops early instead of filling memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml
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

from egovctl.formats import say_number
from egovctl.i18n import _

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: same events, only slower
    _Loader = yaml.SafeLoader

__all__ = ["MAX_DEPTH", "MAX_VALUES_PER_DOCUMENT", "RawDocument", "brief", "build_documents"]

# Configuration-like documents are a few levels deep; anything far deeper is a damaged or
# hostile file, and bounding it keeps the builder's stack small.
MAX_DEPTH = 64
# Aliases can make a small file expand exponentially ("billion laughs"); a real document has
# a few hundred values, so this bound only stops abuse.
MAX_VALUES_PER_DOCUMENT = 200_000

Position = tuple[int, int]  # 1-based (line, column)
# Longest text a message quotes: a runaway value (a pasted file, a generator gone wrong) must
# not be echoed back in full.
BRIEF = 60
# Called with (field path, position, message) for each problem found while building.
Report = Callable[[str, Position, str], None]

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
class RawDocument:
    """One document of a YAML stream: its value and where each part of it was written."""

    index: int  # 0-based position of the document in its file
    value: Any
    positions: dict[str, Position]
    key_positions: dict[str, Position]
    raw: dict[str, str]  # path → source text of values YAML read as non-text
    problems: list[tuple[str, Position, str]]  # (field path, position, message)
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
        self.key_pos: Position = (0, 0)
        self.merges: list[tuple[Any, Position]] | None = None
        self.anchor = anchor
        self.weight = weight


def brief(text: str, limit: int = BRIEF) -> str:
    """``repr(text)``, cut short with its length when it is longer than ``limit``."""
    if len(text) <= limit:
        return repr(text)
    return _("{text} ({n} characters)").format(
        text=repr(text[: limit - 3] + "..."), n=say_number(len(text))
    )


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
        return None, False, _("unsupported YAML tag {tag}; remove it").format(tag=repr(tag))
    if tag == _INT and not _PLAIN_INT.match(value):
        # YAML 1.1 reads 010 as 8, 0x10 as 16, 1:30 as 90: never what a person writing an
        # amount or a count means. Only plain decimal digits are numbers here.
        digits = value.replace("_", "").lstrip("+")
        if len(value) > BRIEF:  # longer is no amount or count, and slow to convert
            said = _(
                "{value} is not a plain number; write the digits without leading zeros, "
                "underscores or colons, e.g. {example}"
            ).format(value=brief(value), example="10000")
        else:
            said = _(
                "{value} is not a plain number (YAML would read it as {read_as}); write the "
                "digits without leading zeros, underscores or colons, e.g. {example}"
            ).format(
                value=brief(value),
                read_as=convert(yaml.ScalarNode(tag, value)),
                example=str(int(digits)) if digits.isdigit() else "10000",
            )
        return None, False, said
    try:
        return convert(yaml.ScalarNode(tag, value)), False, None
    except Exception:  # a tagged value such as `!!int abc` that cannot be converted
        return (
            None,
            False,
            _("{value} cannot be read as {type}; put it in quotes if it is meant as text").format(
                value=brief(value), type=tag.removeprefix(_TAG)
            ),
        )


def build_documents(text: str, line_base: int, first_index: int) -> Iterator[RawDocument]:
    """Yield each document of ``text`` built into plain values plus position maps.

    Raises yaml.YAMLError at a syntax error; the documents before it have been yielded.
    """
    loader = _Loader(text)
    try:
        get_event = loader.get_event
        index = first_index
        stack: list[_Frame] = []
        positions: dict[str, Position] = {}
        key_positions: dict[str, Position] = {}
        raw: dict[str, str] = {}
        problems: list[tuple[str, Position, str]] = []
        anchors: dict[str, tuple[Any, int]] = {}
        open_anchors: set[str] = set()
        root: Any = None
        weight = 0
        skipping = False

        def report(path: str, pos: Position, message: str) -> None:
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
                    problem = _("alias *{anchor} refers to the collection that contains it").format(
                        anchor=ev.anchor
                    )
                elif ev.anchor not in anchors:
                    value = None
                    problem = _("unknown alias *{anchor}; define &{anchor} before using it").format(
                        anchor=ev.anchor
                    )
                else:
                    value, size = anchors[ev.anchor]
                    weight += size
                    if weight > MAX_VALUES_PER_DOCUMENT:
                        report(
                            "",
                            pos,
                            _(
                                "the document expands to too many values through "
                                "aliases (*name); write it out plainly"
                            ),
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
                    report(frame.path, pos, _("a key must be a plain field name, not an alias"))
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
                    report(
                        where, pos, _("unsupported YAML tag {tag}; remove it").format(tag=repr(tag))
                    )
                if len(stack) >= MAX_DEPTH:
                    report(stack[-1].path, pos, _("the document is nested too deeply"))
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
                            _("a key must be a plain field name, not a list or mapping"),
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
                yield RawDocument(
                    index, root, positions, key_positions, raw, problems, not skipping
                )
                index += 1
                positions, key_positions, raw, problems = {}, {}, {}, []

            elif cls is StreamEndEvent:
                break
    finally:
        loader.dispose()


def _store(
    frame: _Frame,
    value: Any,
    pos: Position,
    positions: dict[str, Position],
    key_positions: dict[str, Position],
    report: Report,
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
            _("duplicate key {key} (first written at line {line}); keep only one").format(
                key=brief(key), line=first[0]
            ),
        )
    else:
        key_positions[path] = frame.key_pos
    container[key] = value
    positions[path] = pos
    return path


def _merge(frame: _Frame, positions: dict[str, Position], report: Report) -> None:
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
                    _(
                        "'<<' merges a mapping (or a list of mappings) into "
                        "this one; give it an alias of a mapping such as *defaults"
                    ),
                )
                continue
            for key, item in source.items():
                if key not in container:
                    container[key] = item
                    path = key if not frame.path else f"{frame.path}.{key}"
                    positions.setdefault(path, pos)
