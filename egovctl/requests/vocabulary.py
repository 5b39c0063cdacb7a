"""The words of a request's life, defined once: statuses, channels, actions and their labels.

Every module that names a status, a channel or an action takes it from here: the tables
(``models/request.py``), the status machine, the command-line choices, the terminal views,
the reports and the printed documents. Importing this module costs nothing (no third-party
imports), so the command modules may use it at parse time.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, cast, get_args

from egovctl.i18n import N_, Said, _

Status = Literal["in_progress", "on_hold", "ready", "delivered", "rejected", "cancelled"]
Channel = Literal["counter", "online", "phone", "mail"]
Action = Literal["log", "advance", "hold", "resume", "deliver", "reject", "cancel"]

STATUSES: tuple[Status, ...] = get_args(Status)
OPEN_STATUSES: frozenset[Status] = frozenset({"in_progress", "on_hold"})
# Finished work whose document was made (ready, delivered) and requests at their end.
DONE_STATUSES: frozenset[Status] = frozenset({"ready", "delivered"})
CLOSED_STATUSES: frozenset[Status] = frozenset({"delivered", "rejected", "cancelled"})
CHANNELS: tuple[Channel, ...] = get_args(Channel)
ACTIONS: tuple[Action, ...] = get_args(Action)


def is_status(value: str) -> TypeGuard[Status]:
    return value in STATUSES


def is_action(value: str) -> TypeGuard[Action]:
    return value in ACTIONS


def as_status(value: str) -> Status:
    """A status read from the database, as the type the vocabulary's tables are keyed by."""
    if not is_status(value):
        raise ValueError(f"unknown request status {value!r}")
    return value


def as_channel(value: str) -> Channel:
    """A channel read from the database, as the type ``CHANNEL_LABELS`` is keyed by."""
    if value not in CHANNELS:
        raise ValueError(f"unknown request channel {value!r}")
    return cast(Channel, value)


# An event that is not a move: a calendar change moved the request's due date. It changes
# neither status nor step, and no one applies it by hand.
DUE_CHANGED = "due_changed"

# action -> (statuses it may start from, status it leads to; None = decided by the steps)
TRANSITIONS: dict[Action, tuple[tuple[Status, ...], Status | None]] = {
    "advance": (("in_progress",), None),
    "hold": (("in_progress",), "on_hold"),
    "resume": (("on_hold",), "in_progress"),
    "deliver": (("ready",), "delivered"),
    "reject": (("in_progress", "on_hold"), "rejected"),
    "cancel": (("in_progress", "on_hold", "ready"), "cancelled"),
}

# The moves that must say why (--reason), kept in the history.
REASON_ACTIONS: frozenset[Action] = frozenset({"hold", "reject", "cancel"})

# Indonesian labels: what staff and citizens read in tables, reports and on paper.
STATUS_LABELS: dict[Status, str] = {
    "in_progress": "diproses",
    "on_hold": "ditunda",
    "ready": "siap diambil",
    "delivered": "diserahkan",
    "rejected": "ditolak",
    "cancelled": "dibatalkan",
}
CHANNEL_LABELS: dict[Channel, str] = {
    "counter": "di loket",
    "online": "daring",
    "phone": "lewat telepon",
    "mail": "lewat pos",
}
# Column heads of the officers report (one short verb each).
ACTION_LABELS: dict[Action, str] = {
    "log": "Daftar",
    "advance": "Proses",
    "hold": "Tunda",
    "resume": "Lanjut",
    "deliver": "Serah",
    "reject": "Tolak",
    "cancel": "Batal",
}
# The status and channel in the terminal, in its language (English msgids translated by the
# catalogue: "on hold" reads "ditunda"); messages use them ("cannot advance R: it is on hold").
STATUS_WORDS: dict[Status, str] = {
    "in_progress": N_("in progress"),
    "on_hold": N_("on hold"),
    "ready": N_("ready for pickup"),
    "delivered": N_("delivered"),
    "rejected": N_("rejected"),
    "cancelled": N_("cancelled"),
}
# The events of a request's history as the terminal says them (``request show``).
EVENT_WORDS: dict[str, str] = {
    "log": N_("logged"),
    "advance": N_("advanced"),
    "hold": N_("put on hold"),
    "resume": N_("resumed"),
    "deliver": N_("delivered"),
    "reject": N_("rejected"),
    "cancel": N_("cancelled"),
    DUE_CHANGED: N_("due date moved"),
}
CHANNEL_WORDS: dict[Channel, str] = {
    "counter": N_("at the counter"),
    "online": N_("online"),
    "phone": N_("by phone"),
    "mail": N_("by post"),
}


def status_word(status: str) -> str:
    """A request's status as the terminal says it (``ditunda`` / ``on hold``)."""
    return Said(STATUS_WORDS[status]) if is_status(status) else status


def channel_word(channel: str) -> str:
    """A request's channel as the terminal says it (``di loket`` / ``at the counter``)."""
    return _(CHANNEL_WORDS[cast(Channel, channel)]) if channel in CHANNELS else channel


def event_word(action: str) -> str:
    """An event of a request's history as the terminal says it (``ditunda`` / ``put on hold``)."""
    return _(EVENT_WORDS[action]) if action in EVENT_WORDS else action
