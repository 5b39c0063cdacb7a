"""The Indonesian catalogue is complete and in use: every marked string has its translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from egovctl import i18n

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "egovctl" / "locale" / "id" / "LC_MESSAGES" / "egovctl.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _catalogue():  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        return read_po(handle, locale="id")


def _extracted() -> dict[str, list[str]]:
    """Every message marked in egovctl's code, as ``pybabel extract -F babel.cfg`` finds it."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "egovctl"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, []).append(f"egovctl/{filename}:{lineno}")
    return found


def test_every_marked_message_is_translated() -> None:
    catalogue = _catalogue()
    missing = {
        msgid: where
        for msgid, where in _extracted().items()
        if msgid and (msgid not in catalogue or not catalogue[msgid].string)
    }
    assert not missing, "messages without an Indonesian translation:\n" + "\n".join(
        f"  {where[0]}: {msgid!r}" for msgid, where in sorted(missing.items())
    )


def test_no_fuzzy_or_empty_entries() -> None:
    catalogue = _catalogue()
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    empty = [m.id for m in catalogue if m.id and not m.string]
    assert not fuzzy and not empty, (fuzzy, empty)


def test_placeholders_survive_translation() -> None:
    """A translation keeps every {placeholder} of its English message, or format() fails."""
    import re

    field = re.compile(r"\{[^{}]*\}")
    wrong = []
    for m in _catalogue():
        if not m.id or isinstance(m.id, tuple):
            continue
        if sorted(field.findall(m.id)) != sorted(field.findall(m.string)):
            wrong.append((m.id, m.string))
    assert not wrong, wrong


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """The .mo that egovctl loads was compiled from the current .po (the build does it)."""
    compiled = i18n.load("id")
    stale = [
        m.id
        for m in _catalogue()
        if m.id
        and (
            # Indonesian has one plural form: every count reads msgstr[0].
            [compiled.ngettext(m.id[0], m.id[1], 1)] != list(m.string)
            if isinstance(m.id, tuple)
            else compiled.gettext(m.id) != m.string
        )
    ]
    assert not stale, f"recompile with 'python hatch_build.py': {stale[:5]}"


@pytest.mark.parametrize(
    ("value", "expected"), [("id", "id"), ("EN", "en"), (" en ", "en")]
)  # fmt: skip
def test_language_codes(value: str, expected: str) -> None:
    assert i18n.parse_language(value, "test") == expected


def test_unknown_language_names_the_choices() -> None:
    with pytest.raises(ValueError, match="choose one of id, en"):
        i18n.parse_language("fr", "EGOVCTL_LANG")
