"""Reading YAML files with every value's FILE:LINE:COLUMN, and problems located there.

Generic: nothing here knows what the documents mean. :func:`decode_text` and
:func:`parse_documents` turn a file's bytes into :class:`RawDocument` values (built by
:mod:`.yaml_events`) and report what stops a file from being read (encoding, control
characters, syntax) as :class:`Problem` values, written for the person who has to fix the
file. After a syntax error the documents after it are still read, so one run reports as much
as possible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from egovctl.catalogue.yaml_events import Position, RawDocument, build_documents
from egovctl.i18n import N_, _

__all__ = ["Position", "Problem", "RawDocument", "decode_text", "lookup", "parse_documents"]


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


def _parent_path(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def lookup(positions: dict[str, Position], path: str) -> Position:
    """Where ``path`` was written; falls back to the nearest parent that was written, and
    finally to the start of the document."""
    while True:
        found = positions.get(path)
        if found is not None:
            return found
        if not path:
            return (1, 1)
        path = _parent_path(path)


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(shown, 1, 1, "", _("the file is UTF-16 text; save it as UTF-8")))
        return None
    if b"\x00" in data:
        problems.append(
            Problem(shown, 1, 1, "", _("this is a binary file, not YAML text; check the path"))
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
                _(
                    "the file is not UTF-8 text (byte {byte} cannot be read); "
                    "save it with UTF-8 encoding"
                ).format(byte=f"0x{data[err.start]:02x}"),
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
    char = f"U+{ord(first.group()):04X}"
    if count > 1:
        said = _(
            "control character {char} is not allowed in YAML ({count} such characters in this "
            "file); remove it (it often comes from copying text out of another program)"
        ).format(char=char, count=count)
    else:
        said = _(
            "control character {char} is not allowed in YAML; remove it (it often comes from "
            "copying text out of another program)"
        ).format(char=char)
    problems.append(Problem(shown, line, column, "", said))
    return _BAD_CHAR.sub("\ufffd", text)


# --------------------------------------------------------------------------------------------
# Parsing a file (with recovery after a syntax error)

# PyYAML's own words (English, as libyaml reports them) -> what to do about it. A brace is
# written {open} / {close}, so that a translation cannot take it for a placeholder.
_SYNTAX_HINTS = {
    "mapping values are not allowed": N_(
        "a value contains ': ' and needs quotes, or this line is indented further than it should be"
    ),
    "tab character": N_("indent with spaces, not tabs"),
    "found character that cannot start any token": N_(
        "a tab or a special character starts a "
        "value; indent with spaces and quote values starting with @, ` or %"
    ),
    "could not find expected ':'": N_("a line is missing its ':' or is indented wrongly"),
    "did not find expected key": N_("check the indentation of this line against the line above"),
    "did not find expected '-' indicator": N_("check the indentation of this list item"),
    "did not find expected ',' or ']'": N_("a '[' list is not closed with ']'"),
    "did not find expected ',' or '}'": N_(
        "a {open} mapping is not closed with {close}, or a value in it contains ',' and needs "
        "quotes"
    ),
    "while parsing a flow": N_(
        "a '[' list or {open} mapping is not closed, or a value in it "
        "contains ',', '[' or {open} and needs quotes"
    ),
    "found undefined alias": N_("define the &anchor before using the *alias"),
    "found unexpected end of stream": N_("a quote or bracket is not closed"),
    "found unknown escape character": N_(
        'inside "double quotes" a backslash starts an escape; use single quotes or write \\\\'
    ),
}


def _syntax_message(err: yaml.MarkedYAMLError, line_base: int) -> str:
    problem = (err.problem or "invalid YAML").strip()  # PyYAML's words stay as they are
    if err.context:
        context = err.context.strip()
        mark = err.context_mark
        if mark is not None and (err.problem_mark is None or mark.line != err.problem_mark.line):
            context = _("{context} (line {line})").format(
                context=context, line=mark.line + line_base + 1
            )
        problem = f"{problem}, {context}"
    for needle, hint in _SYNTAX_HINTS.items():
        if needle in problem:
            return _("YAML syntax error: {problem}; {hint}").format(
                problem=problem, hint=_(hint).format(open="'{'", close="'}'")
            )
    return _("YAML syntax error: {problem}").format(problem=problem)


def _parse_text(text: str, shown: str, problems: list[Problem]) -> list[RawDocument]:
    """All documents that could be parsed, reporting syntax errors.

    The whole text is parsed in one go. After a syntax error, the rest is parsed one document
    at a time, split at its ``---`` lines, so every later document is still checked and a file
    with many broken documents costs no more than one without. Splitting is exact: YAML
    forbids a line starting with ``---`` inside any scalar.
    """
    docs: list[RawDocument] = []
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
    docs: list[RawDocument],
    problems: list[Problem],
) -> tuple[int, int] | None:
    """Parse ``text`` (starting at 0-based line ``line_base`` of the file) into ``docs``;
    report a syntax error and return its (0-based file line, 1-based column), or None."""
    try:
        docs.extend(build_documents(text, line_base, first_index))
        return None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line if mark else 0) + line_base
        column = (mark.column if mark else 0) + 1
        problems.append(Problem(shown, line + 1, column, "", _syntax_message(err, line_base)))
        return line, column
    except yaml.YAMLError as err:  # reader errors and the like carry no mark
        detail = " ".join(str(err).split())
        problems.append(
            Problem(
                shown, line_base + 1, 1, "", _("cannot read YAML: {detail}").format(detail=detail)
            )
        )
        return line_base, 2


def decode_text(data: bytes, shown: str, problems: list[Problem]) -> str | None:
    """A file's bytes as text, or None when they are not UTF-8 text (reported in
    ``problems``; ``shown`` is the file name problems carry). Characters YAML forbids are
    reported and blanked out, so the rest of the file can still be read."""
    text = _decode(data, shown, problems)
    if text is None:
        return None
    return _check_characters(text, shown, problems)


def parse_documents(text: str, shown: str, problems: list[Problem]) -> list[RawDocument]:
    """Every document of ``text`` that could be read, syntax errors reported in ``problems``.
    Empty documents (a trailing ``---``, a file of comments) are left out."""
    docs = _parse_text(text, shown, problems)
    return [r for r in docs if not (r.value is None and not r.problems)]
