"""Reading a password: from its environment variable (scripts, from a secret store) or
asked on a terminal without echo. Never from an option, which would land in the shell's
history and in ``ps``."""

import os
import sys

import typer

from egovctl.errors import InvalidInput
from egovctl.i18n import _


def read_password(variable: str, prompt: str, *, confirm: bool = False) -> str | None:
    """The password from ``variable`` or the terminal; None when there is neither."""
    value = os.environ.get(variable)
    if value:
        return value
    if not sys.stdin.isatty():
        return None
    while True:
        first = str(typer.prompt(prompt, hide_input=True))
        if not confirm:
            return first
        if first == str(typer.prompt(_("Repeat it"), hide_input=True)):
            return first
        typer.echo(_("The two entries differ; type the password again."), err=True)


def require_password(variable: str, prompt: str, *, confirm: bool = False) -> str:
    """As :func:`read_password`, but without either source it is an error naming both."""
    value = read_password(variable, prompt, confirm=confirm)
    if value is None:
        raise InvalidInput(
            _("no password given: run this on a terminal to be asked, or set {variable}").format(
                variable=variable
            )
        )
    return value
