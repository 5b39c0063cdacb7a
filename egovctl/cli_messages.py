"""Click's and Typer's own words, in the language of the terminal.

Typer marks a few of its strings for gettext (section titles, "default", "required",
"Aborted!"); ``egovctl.i18n`` binds them to egovctl's catalogue, and they are listed here so
that ``pybabel extract`` keeps them in it. The Click that Typer vendors writes its messages as
plain f-strings ("Missing option '--nik'.", "No such command 'lgo'."), and Typer passes on
pydantic's ("Input should be greater than or equal to 1"): :func:`translate` recognises each
form and says it again in the chosen language, keeping the names and values as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from egovctl.i18n import N_, _

# Typer's own gettext strings: translated through the global gettext domain.
TYPER_MESSAGES = (
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    # The root's completion options (docs/desk.md#shell-completion), Typer's help texts.
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)

HELP_OPTION = N_("Show this message and exit.")
TRY_HELP = N_("Try '{command} {option}' for help.")

# (Click's or pydantic's English form, the message id that says it in the catalogue)
# ruff: noqa: E501  (one form a line reads best)
_FORMS: tuple[tuple[str, str], ...] = (
    (r"Missing option '(?P<name>[^']+)'\.", N_("Missing option '{name}'.")),
    (r"Missing argument '(?P<name>[^']+)'\.", N_("Missing argument '{name}'.")),
    (r"Missing parameter '(?P<name>[^']+)'\.", N_("Missing parameter '{name}'.")),
    (r"No such command '(?P<name>[^']*)'\.", N_("No such command '{name}'.")),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (r"\(Possible options: (?P<names>[^)]*)\)", N_("(Possible options: {names})")),
    (r"Did you mean (?P<names>.+?)\?", N_("Did you mean {names}?")),
    (r"Invalid value for (?P<name>'[^']*'(?: / '[^']*')*): ", N_("Invalid value for {name}: ")),
    (r"^Invalid value: ", N_("Invalid value: ")),
    (r"'(?P<value>[^']*)' is not one of (?P<choices>.+?)\.$", N_("'{value}' is not one of {choices}.")),
    (r"Option '(?P<name>[^']+)' requires an argument\.", N_("Option '{name}' requires an argument.")),
    (r"Option '(?P<name>[^']+)' does not take a value\.", N_("Option '{name}' does not take a value.")),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", N_("Got unexpected extra arguments ({args})")),
    (r"Value (?P<value>.+) is not a valid (?P<kind>\w+)\.", N_("Value {value} is not a valid {kind}.")),
    (r"Input should be greater than or equal to (?P<n>\S+)", N_("Input should be at least {n}")),
    (r"Input should be less than or equal to (?P<n>\S+)", N_("Input should be at most {n}")),
    (r"Input should be greater than (?P<n>\S+)", N_("Input should be greater than {n}")),
    (r"Input should be less than (?P<n>\S+)", N_("Input should be less than {n}")),
    (
        r"Input should be a valid integer, unable to parse string as an integer",
        N_("Input should be a whole number"),
    ),
    (r"Input should be a valid integer", N_("Input should be a whole number")),
    (r"^Missing command\.$", N_("Missing command.")),
)  # fmt: skip
_compiled: list[tuple[re.Pattern[str], str]] = []  # on first use: only errors need them


def _say_again(msgid: str) -> Callable[[re.Match[str]], str]:
    return lambda match: _(msgid).format(**match.groupdict())


def translate(message: str) -> str:
    """A message of Click's (or of pydantic's, through Typer) in the language of the terminal.

    Each known form is replaced where it occurs, so a composed message ("No such command
    'lgo'. Did you mean 'log'?") is translated piece by piece; anything unknown stays as it
    is (egovctl's own messages are translated where they are written).
    """
    # Typer passes pydantic's wording on for typed options; its prefix says nothing to a clerk.
    message = message.replace("Value error, ", "")
    if not _compiled:
        _compiled.extend((re.compile(pattern), msgid) for pattern, msgid in _FORMS)
    for pattern, msgid in _compiled:
        message = pattern.sub(_say_again(msgid), message)
    return message
