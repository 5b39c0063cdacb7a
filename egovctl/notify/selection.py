"""Which of the numbered WhatsApp links the clerk sent
(docs/notify.md#without-a-gateway-egovctl-notify-links): ``all``, ``none``, or numbers and
ranges such as ``1-3,5`` (in Indonesian ``semua`` and ``tidak ada``; either language's words
are understood in both)."""

from __future__ import annotations

import re

from egovctl.errors import InvalidInput
from egovctl.i18n import _

ALL_WORDS = ("all", "semua")
NONE_WORDS = ("none", "tidak ada", "tidak")
_PART = re.compile(r"(\d+)(?:-(\d+))?")


def parse_sent(answer: str, count: int) -> list[int]:
    """The numbers (1 to ``count``, ascending, each once) the answer names; ``InvalidInput``
    naming what is wrong otherwise, so nothing is marked on a mistyped answer."""
    text = " ".join(answer.split()).lower()
    if text in ALL_WORDS:
        return list(range(1, count + 1))
    if text in NONE_WORDS:
        return []
    hint = _("give all, none, or numbers such as 1-3,5")
    if not text:
        raise InvalidInput(_("no answer: {hint}").format(hint=hint))
    chosen: set[int] = set()
    for part in re.split(r"[,\s]+", re.sub(r"\s*-\s*", "-", text).strip(", ")):
        match = _PART.fullmatch(part)
        if match is None:
            raise InvalidInput(
                _("'{part}' is not a number or a range; {hint}").format(part=part, hint=hint)
            )
        low = int(match[1])
        high = int(match[2]) if match[2] is not None else low
        if low > high:
            raise InvalidInput(
                _("'{part}': a range goes from the lower number up, as in {high}-{low}").format(
                    part=part, low=low, high=high
                )
            )
        for number in (low, high):
            if not 1 <= number <= count:
                raise InvalidInput(
                    _("there is no message {number}: the list goes from 1 to {count}").format(
                        number=number, count=count
                    )
                )
        chosen.update(range(low, high + 1))
    return sorted(chosen)
