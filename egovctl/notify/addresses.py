"""Where a message goes: phone numbers in +62 form (``identity.normalize_phone``) and
e-mail addresses checked for the shape a mail server accepts (docs/notify.md#consent)."""

from __future__ import annotations

import re

from egovctl.errors import InvalidInput
from egovctl.i18n import _

# Deliberately plain: one @, a dotted domain, no spaces or angle brackets. Anything stricter
# refuses real addresses; anything looser lets a typo reach the SMTP server.
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


def normalize_email(value: str) -> str:
    """An e-mail address, trimmed, with its domain in lower case; refused when malformed."""
    from egovctl.identity import shorten

    text = value.strip()
    if len(text) > 254 or not _EMAIL.fullmatch(text) or ".." in text:
        raise InvalidInput(
            _("invalid e-mail address {address}; type it as nama@contoh.go.id").format(
                address=repr(shorten(text))
            )
        )
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def consent_address(channel: str, phone: str | None, email: str | None) -> str | None:
    """The address a consent on ``channel`` sends to, checked: a phone number for ``wa``
    and ``sms`` (the applicant's), an e-mail address for ``email``, none for ``none``."""
    from egovctl.identity import normalize_phone

    if channel in ("wa", "sms"):
        if not phone:
            raise InvalidInput(
                _("--notify {channel} needs the applicant's phone number: give --phone").format(
                    channel=channel
                )
            )
        return normalize_phone(phone)
    if channel == "email":
        if not email:
            raise InvalidInput(_("--notify email needs the address: give --email"))
        return normalize_email(email)
    return None


def mask_address(address: str) -> str:
    """A phone or e-mail address as staff without the contact permission see it:
    ``+62812****7890``, ``s***@contoh.go.id``."""
    if "@" in address:
        local, _at, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(address) <= 8:
        return address[:3] + "*" * (len(address) - 3)
    return address[:6] + "*" * (len(address) - 10) + address[-4:]


class Consent:
    """The applicant's choice: a channel (wa, sms, email, none) and its checked address."""

    __slots__ = ("channel", "address")

    def __init__(self, channel: str, address: str | None) -> None:
        self.channel, self.address = channel, address

    @classmethod
    def checked(cls, channel: str, phone: str | None, email: str | None) -> Consent:
        from egovctl.notify.vocabulary import CONSENT_CHANNELS

        if channel not in CONSENT_CHANNELS:
            from egovctl.identity import shorten

            raise InvalidInput(
                _("unknown notification channel {channel}; use one of {choices}").format(
                    channel=repr(shorten(channel)), choices=", ".join(CONSENT_CHANNELS)
                )
            )
        if email and channel != "email":
            raise InvalidInput(_("--email is only used with --notify email"))
        return cls(channel, consent_address(channel, phone, email))

    def as_dict(self) -> dict[str, str | None]:
        return {"channel": self.channel, "to": self.address}
