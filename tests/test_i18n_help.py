"""Every help text a clerk can ask for is in Bahasa Indonesia: each command's description and
each option's and argument's help has its translation, and no English sentence is left in any
``--help`` shown in Indonesian (docs/language.md)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import pytest

from egovctl import i18n
from egovctl.commands import NOUNS, load_noun
from tests.conftest import Cli


def _group(noun: str) -> Any:
    return load_noun(noun)  # a group, or the one command of login, logout, whoami


def _commands(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


def _texts(command: Any) -> Iterator[tuple[str, str]]:
    """(where, text) for the command's help and each of its parameters' help."""
    if command.help:
        yield "help", inspect.cleandoc(command.help).partition("\f")[0]
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            yield f"{param.name}", text


@pytest.mark.parametrize("noun", list(NOUNS))
def test_every_help_text_has_its_translation(noun: str) -> None:
    catalogue = i18n.load("id")
    missing = [
        f"{' '.join(path)} [{where}]: {text!r}"
        for path, command in _commands(_group(noun), (noun,))
        for where, text in _texts(command)
        if catalogue.gettext(text) is text and not _same_in_both(text)
    ]
    assert not missing, "help without an Indonesian translation:\n" + "\n".join(missing)


def _same_in_both(text: str) -> bool:
    """A help text that reads the same in both languages (a file format, a code)."""
    return re.fullmatch(r"[A-Z0-9 ,./|-]+", text) is not None


# English words that no Indonesian sentence uses; option names, metavars (TEXT, INTEGER),
# choices and the values in brackets are taken out before looking.
ENGLISH = re.compile(
    r"\b(the|and|of|to|with|for|is|are|this|that|from|by|or|not|an|in|on|be|it|its|as|when|"
    r"each|every|which|show|print|list|only|into|than|all|has|have|was|will|can|default|"
    r"required|usage|options|commands|arguments|file|date|write|e\.g)\b"
)


# A definition list's row: its term (a command, an option with its metavar, an argument)
# followed by two spaces or more; a paragraph's first word is followed by one.
_TERM = re.compile(r"^ {2}\S+(?:, \S+)*(?: \S+)? {2,}")


def _english_left(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if line.startswith(("Penggunaan:", "Usage:")):
            continue  # the command path and its metavars
        line = _TERM.sub("", line)
        line = re.sub(r"\[[^\]]*\]|\{[^}]*\}|<[^>]*>", "", line)  # [default: ..], {keys}, <path>
        line = re.sub(r"(?<![\w])--?[\w-]+", "", line)  # option names
        line = re.sub(r"\begovctl\b[\w -]*", "", line)  # a command line in an example
        line = re.sub(r"\b[A-Z][A-Z_]+\b", "", line)  # metavars: TEXT, INTEGER, FILE
        if ENGLISH.search(line):
            lines.append(line.strip())
    return lines


@pytest.mark.parametrize("noun", list(NOUNS))
def test_help_shown_in_indonesian_has_no_english_left(
    noun: str, catalogue: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EGOVCTL_LANG", raising=False)
    left = {}
    for path, _command in _commands(_group(noun), (noun,)):
        out = catalogue.ok(*path, "--help").stdout
        found = _english_left(out)
        if found:
            left[" ".join(path)] = found
    assert not left, left


@pytest.mark.parametrize("noun", list(NOUNS))
def test_help_in_english_on_request(noun: str, catalogue: Cli) -> None:
    group = _group(noun)
    out = catalogue.ok("--lang", "en", noun, "--help").stdout
    assert "Usage: egovctl" in out and ("Commands:" in out or NOUNS[noun].single)
    assert inspect.cleandoc(group.help).splitlines()[0].split(".")[0] in out
