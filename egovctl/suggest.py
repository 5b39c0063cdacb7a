""" "Did you mean ...?": the closest known words to one that was mistyped.

One rule everywhere (case ignored, difflib's default similarity of 0.6), so a misspelt code,
key, category or command gets the same kind of hint wherever it is typed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6


def close_matches(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """Up to ``n`` choices most like ``word``, best first, spelt as in ``choices``."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    found = difflib.get_close_matches(word.casefold(), list(by_folded), n=n, cutoff=CUTOFF)
    return [by_folded[f] for f in found]


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one choice most like ``word``, or None when nothing is close enough."""
    found = close_matches(word, choices, n=1)
    return found[0] if found else None
