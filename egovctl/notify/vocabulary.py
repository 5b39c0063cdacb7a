"""Words of notifications, defined once: consent channels, events, message statuses.

No dependencies, so the command modules may import it at parse time."""

from typing import Literal, get_args

ConsentChannel = Literal["wa", "sms", "email", "none"]
CONSENT_CHANNELS: tuple[str, ...] = get_args(ConsentChannel)
CHANNELS = ("wa", "sms", "email")  # the channels a message goes out on

Event = Literal["logged", "on_hold", "resumed", "due_changed", "ready", "delivered", "rejected"]
EVENTS: tuple[str, ...] = get_args(Event)

MessageStatus = Literal["pending", "sending", "sent", "failed"]
MESSAGE_STATUSES: tuple[str, ...] = get_args(MessageStatus)

# The request action (requests.vocabulary) that queues each event; "advance" queues
# ``ready`` only when it finishes the last step.
EVENT_OF_ACTION = {
    "log": "logged",
    "hold": "on_hold",
    "resume": "resumed",
    "deliver": "delivered",
    "reject": "rejected",
}
