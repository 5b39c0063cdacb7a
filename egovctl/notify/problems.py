"""Why a message did not go, in words (docs/notify.md#reading-the-outbox).

A problem is written on the message (its ``error`` column) in **English**, the record that
``notify list --json`` prints and that anyone reading the database sees, whatever language
the sender ran in; the terminal says it in its own language (docs/language.md). Every
problem is an ``i18n.Said`` made from one of the forms below, and :func:`say` reads a stored
English text back by its form (the way ``cli_messages`` reads Click's), so ``notify list``
can say it in Indonesian without a second column. What a server or a library said (an
HTTP body, a socket error, an SMTP reply) is quoted as it came; a text of no known form
(written by an older egovctl) is shown as stored.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from egovctl.i18n import N_, Said

# Where a message was going: a phrase inside the problems below.
GATEWAY = N_("{gateway} gateway {url}")
SMTP_SERVER = N_("SMTP server {host}:{port}")

# Temporary failures: retried, and once attempts run out, the first part of GAVE_UP.
NO_ANSWER = N_("{where} did not answer within {seconds} s")
UNREACHABLE = N_("cannot reach the {where}: {reason}")
HTTP_ANSWER = N_("{where} answered HTTP {status}: {body}")
HTTP_ANSWER_EMPTY = N_("{where} answered HTTP {status}")
NOT_JSON = N_("{where} answered something that is not JSON: {body}")
SMTP_ANSWER = N_("{where} answered {code} {text}")
SMTP_REFUSED = N_("{where} refused {address}: {code} {text}")
RETRIED = (
    NO_ANSWER,
    UNREACHABLE,
    HTTP_ANSWER,
    HTTP_ANSWER_EMPTY,
    NOT_JSON,
    SMTP_ANSWER,
    SMTP_REFUSED,
)

GAVE_UP = N_("{error}; gave up after {n} attempts")
# Permanent failures.
HTTP_REFUSED = N_("{where} refused the message (HTTP {status}): {body}")
HTTP_REFUSED_EMPTY = N_("{where} refused the message (HTTP {status})")
NOT_SENT = N_("{where} did not send it: {reason}")
NO_REASON = N_("no reason given")
CONSENT_WITHDRAWN = N_("consent withdrawn")
# A set-up that cannot work: the message is held back.
TOKEN_REFUSED = N_("{where} refused the token (HTTP {status}): check {variable}")
TOKEN_REFUSED_REASON = N_("{where} refused the token: {reason}")
LOGIN_REFUSED = N_("{where} refused the login of '{user}' ({code}): check {variable}")
TEMPLATE = N_("template problem: {problem}")
CHANNEL_STOPPED = N_("channel stopped")
NO_SMTP_HOST = N_("no SMTP server: set host in [notify.email] of the config file")
NO_SMTP_SENDER = N_("no sender address: set sender in [notify.email] of the config file")
NO_WA_GATEWAY = N_(
    "no WhatsApp gateway: set gateway and url in {section}, or send the messages by hand "
    "with 'egovctl notify links'"
)
NO_SMS_GATEWAY = N_("no SMS gateway: set gateway and url in {section}")
UNKNOWN_GATEWAY = N_("unknown gateway '{name}' in {section}; use one of {choices}")
NO_URL = N_("no url for the {gateway} gateway in {section}")
BAD_URL = N_("url '{url}' in {section} is not an http:// or https:// address")

# Every form a stored problem can take, the composed one first.
FORMS = (
    GAVE_UP,
    *RETRIED,
    HTTP_REFUSED,
    HTTP_REFUSED_EMPTY,
    NOT_SENT,
    CONSENT_WITHDRAWN,
    TOKEN_REFUSED,
    TOKEN_REFUSED_REASON,
    LOGIN_REFUSED,
    TEMPLATE,
    CHANNEL_STOPPED,
    NO_SMTP_HOST,
    NO_SMTP_SENDER,
    NO_WA_GATEWAY,
    NO_SMS_GATEWAY,
    UNKNOWN_GATEWAY,
    NO_URL,
    BAD_URL,
)
# Fields that are phrases of their own (said in the terminal's language too) ...
# (None: or any text, quoted as it came.)
NESTED: dict[str, tuple[str | None, ...]] = {
    "where": (GATEWAY, SMTP_SERVER),
    "error": RETRIED,
    "reason": (NO_REASON, None),
}
# ... and fields with a shape; any other field is text quoted as it came.
SHAPES = {
    "status": r"\d{3}",
    "code": r"\d{3}",
    "port": r"\d+",
    "n": r"\d+",
    "gateway": r"\S+",
    "seconds": r"\d+(?:\.\d+)?",
}
_FIELD = re.compile(r"\{(\w+)\}")


def said_as(local: str, english: str) -> Said:
    """A ``Said`` from its two forms as they are (a message from elsewhere, already said)."""
    said = str.__new__(Said, local)
    said.english = english
    return said


def quoted(text: str) -> Said:
    """Text that is the same in both languages (what a server answered)."""
    return said_as(text, text)


def seconds(value: float) -> Said:
    """A number of seconds as the terminal writes numbers (``0,5`` in Indonesian)."""
    from egovctl.formats import say_number

    english = format(value, "g")
    return said_as(say_number(float(english), len(english.partition(".")[2])), english)


def template_problem(render: Callable[[], object], problem: str) -> Said:
    """The problem of a template that failed with ``problem`` (in the terminal's language):
    its English record comes from rendering it once more in English (``render``); the
    renderer's messages are many, so they are not read back by form."""
    from egovctl import i18n
    from egovctl.errors import EgovError

    english = problem
    here = i18n.language()
    if here != "en":
        i18n.set_language("en")
        try:
            render()
        except EgovError as exc:
            english = exc.message
        finally:
            i18n.set_language(here)
    return Said(TEMPLATE, problem=said_as(problem, english))


@dataclass
class _Form:
    msgid: str
    pattern: str
    # (field, its group) or (field, [(group of one alternative, its form or None), ...])
    fields: list[tuple[str, str | list[tuple[str, _Form | None]]]]


def _build(msgid: str, groups: Iterator[int]) -> _Form:
    pattern: list[str] = []
    fields: list[tuple[str, str | list[tuple[str, _Form | None]]]] = []
    at = 0
    for match in _FIELD.finditer(msgid):
        pattern.append(re.escape(msgid[at : match.start()]))
        at = match.end()
        name = match[1]
        if name in NESTED:
            alternatives: list[tuple[str, _Form | None]] = []
            for sub in NESTED[name]:
                group = f"g{next(groups)}"
                alternatives.append((group, None if sub is None else _build(sub, groups)))
            texts = "|".join(
                f"(?P<{g}>{'.+?' if child is None else child.pattern})" for g, child in alternatives
            )
            pattern.append(f"(?:{texts})")
            fields.append((name, alternatives))
        else:
            group = f"g{next(groups)}"
            pattern.append(f"(?P<{group}>{SHAPES.get(name, '.+?')})")
            fields.append((name, group))
    pattern.append(re.escape(msgid[at:]))
    return _Form(msgid, "".join(pattern), fields)


_compiled: list[tuple[re.Pattern[str], _Form]] = []  # on first use: only listings need them


def _forms() -> list[tuple[re.Pattern[str], _Form]]:
    if not _compiled:
        groups = itertools.count()
        for msgid in FORMS:
            form = _build(msgid, groups)
            _compiled.append((re.compile(f"^{form.pattern}$", re.DOTALL), form))
    return _compiled


def _said(form: _Form, match: re.Match[str]) -> Said:
    values: dict[str, Any] = {}
    for name, spec in form.fields:
        if isinstance(spec, str):
            text = match.group(spec)
            values[name] = seconds(float(text)) if name == "seconds" else quoted(text)
            continue
        for group, child in spec:
            if match.group(group) is not None:
                values[name] = quoted(match.group(group)) if child is None else _said(child, match)
                break
    return Said(form.msgid, **values)


def say(stored: str | None, *, template_now: str | None = None) -> Said | None:
    """A stored problem (English) as a ``Said``: the terminal's words, the stored text for JSON.

    ``template_now`` is the template's problem as it is now, in the terminal's language (None
    when it renders): a held-back message then says why in that language too.
    """
    if stored is None:
        return None
    for pattern, form in _forms():
        match = pattern.match(stored)
        if match is None:
            continue
        said = _said(form, match)
        if form.msgid == TEMPLATE and template_now is not None:
            said = Said(TEMPLATE, problem=template_now)
        # JSON keeps the record exactly as stored.
        return said_as(str(said), stored)
    return quoted(stored)
