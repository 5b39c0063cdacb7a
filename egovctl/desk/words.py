"""The desk's action words, in both languages (docs/desk.md#words): each English word and its
Indonesian twin name the same action, whatever the language of the terminal."""

from __future__ import annotations

from typing import Literal

from egovctl.i18n import N_

DeskAction = Literal[
    "new", "advance", "hold", "resume", "deliver", "reject", "cancel", "print", "find", "due",
    "help", "quit",
]  # fmt: skip

# (English, Indonesian, what it does): the order `help` lists them in.
WORDS: tuple[tuple[DeskAction, str, str], ...] = (
    ("new", "baru", N_("log a new application (asks for the details), print its receipt")),
    ("advance", "maju", N_("complete the current step of the request shown")),
    ("hold", "tunda", N_("put it on hold, waiting on the applicant (asks for the reason)")),
    ("resume", "lanjut", N_("resume it after a hold")),
    ("deliver", "serahkan", N_("hand the finished document over")),
    ("reject", "tolak", N_("reject it (asks for the reason)")),
    ("cancel", "batal", N_("cancel it (asks for the reason)")),
    ("print", "cetak", N_("print its receipt again")),
    ("find", "cari", N_("find requests by name, NIK or registration number: find TEXT")),
    ("due", "jatuh-tempo", N_("the requests due today")),
    ("help", "bantuan", N_("this list")),
    ("quit", "keluar", N_("end the shift (so does the end of input, Ctrl-D)")),
)

ACTIONS: dict[str, DeskAction] = {
    word: action for action, indonesian, _help in WORDS for word in (action, indonesian)
}
# The moves on the request shown; the others act without one.
MOVES = frozenset({"advance", "hold", "resume", "deliver", "reject", "cancel"})
NEEDS_REASON = frozenset({"hold", "reject", "cancel"})
NEEDS_REQUEST = MOVES | {"print"}


def parse(line: str) -> tuple[DeskAction | None, str]:
    """The action a line starts with and the rest of it; (None, line) for anything else (a
    registration number typed or scanned)."""
    head, _sep, rest = line.strip().partition(" ")
    action = ACTIONS.get(head.casefold())
    if action is None:
        return None, line.strip()
    return action, rest.strip()
