"""The words of a complaint's life, defined once: channels, statuses, actions, outcomes and
their Indonesian labels, and the status machine (docs/complaints.md).

No third-party imports, so the models and the command modules may use it at parse time.
"""

from __future__ import annotations

from typing import Literal, get_args

from egovctl.i18n import N_, _

ComplaintStatus = Literal["received", "in_progress", "responded", "closed"]
ComplaintChannel = Literal["langsung", "telepon", "surat", "email", "sp4n-lapor", "media-sosial"]
ComplaintAction = Literal["record", "assign", "note", "respond", "close"]
Outcome = Literal["resolved", "unfounded", "referred"]

STATUSES: tuple[ComplaintStatus, ...] = get_args(ComplaintStatus)
CHANNELS: tuple[ComplaintChannel, ...] = get_args(ComplaintChannel)
ACTIONS: tuple[ComplaintAction, ...] = get_args(ComplaintAction)
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
# Not yet answered: these can become overdue.
UNANSWERED: frozenset[str] = frozenset({"received", "in_progress"})

# action -> (statuses it may start from, status it leads to; None = unchanged)
TRANSITIONS: dict[ComplaintAction, tuple[tuple[ComplaintStatus, ...], ComplaintStatus | None]] = {
    "assign": (("received", "in_progress"), "in_progress"),
    "note": (STATUSES, None),
    "respond": (("received", "in_progress"), "responded"),
    "close": (("responded",), "closed"),
}

# The role permission each action needs (staff/access.py's MATRIX).
PERMISSIONS: dict[ComplaintAction, str] = {
    "record": "complaint.record",
    "assign": "complaint.assign",
    "note": "complaint.note",
    "respond": "complaint.respond",
    "close": "complaint.close",
}

# Where a text's length stops: a complaint letter fits easily, a pasted file does not.
TEXT_LIMIT = 5000
DEFAULT_RESPOND_DAYS = 14

STATUS_LABELS: dict[str, str] = {
    "received": "diterima",
    "in_progress": "ditangani",
    "responded": "ditanggapi",
    "closed": "selesai",
}
# The words of the terminal, in its language (English msgids translated by the catalogue).
# A complaint "in progress" is being handled ("ditangani"), not processed like a request.
STATUS_WORDS: dict[str, str] = {
    "received": N_("received"),
    "in_progress": N_("being handled"),
    "responded": N_("responded to"),
    "closed": N_("closed"),
}
CHANNEL_LABELS: dict[str, str] = {
    "langsung": "Langsung (loket)",
    "telepon": "Telepon",
    "surat": "Surat",
    "email": "Surel",
    "sp4n-lapor": "SP4N-LAPOR!",
    "media-sosial": "Media sosial",
}
OUTCOME_LABELS: dict[str, str] = {
    "resolved": "Selesai ditindaklanjuti",
    "unfounded": "Tidak terbukti",
    "referred": "Dilimpahkan",
}
ACTION_LABELS: dict[str, str] = {
    "record": "Diterima",
    "assign": "Ditugaskan",
    "note": "Catatan",
    "respond": "Ditanggapi",
    "close": "Ditutup",
}


CHANNEL_WORDS: dict[str, str] = {
    "langsung": N_("In person (counter)"),
    "telepon": N_("Phone"),
    "surat": N_("Letter"),
    "email": N_("E-mail"),
    "media-sosial": N_("Social media"),
}
OUTCOME_WORDS: dict[str, str] = {
    "resolved": N_("Resolved"),
    "unfounded": N_("Unfounded"),
    "referred": N_("Referred"),
}
ACTION_WORDS: dict[str, str] = {
    "record": N_("Received"),
    "assign": N_("Assigned"),
    "note": N_("Note"),
    "respond": N_("Responded"),
    "close": N_("Closed"),
}


def _word(words: dict[str, str], value: str) -> str:
    return _(words[value]) if value in words else value


def status_word(status: str) -> str:
    """A complaint's status as the terminal says it (``ditangani`` / ``being handled``)."""
    return _word(STATUS_WORDS, status)


def channel_word(channel: str) -> str:
    """How a complaint came in, as the terminal says it (SP4N-LAPOR! is a name)."""
    return _word(CHANNEL_WORDS, channel) if channel != "sp4n-lapor" else CHANNEL_LABELS[channel]


def outcome_word(outcome: str) -> str:
    """How a complaint ended, as the terminal says it."""
    return _word(OUTCOME_WORDS, outcome)


def action_word(action: str) -> str:
    """A step of a complaint's history, as the terminal says it."""
    return _word(ACTION_WORDS, action)


def is_action(value: str) -> bool:
    return value in ACTIONS
