"""Asking the clerk (docs/desk.md#prompts): the procedure by type-to-filter over its code and
name, the applicant's name and NIK asked again after a wrong answer that names what is wrong,
an optional phone, a summary to confirm, then the offer to print the receipt.

On a terminal the questions go through prompt_toolkit (editing, completion menus, Ctrl-C
cancels the question); without one (a script feeding ``egovctl desk``) the answers are read
line by line from stdin, silently.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from egovctl.errors import EgovError, InvalidInput
from egovctl.i18n import _

YES = ("y", "yes", "ya", "iya")
NO = ("n", "no", "t", "tidak", "tdk")

Tell = Callable[[str], None]


def _tell_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Asker:
    """One way of asking: prompt_toolkit on a terminal, lines of stdin otherwise."""

    def __init__(
        self, interactive: bool, stdin: IO[str] | None = None, tell: Tell = _tell_stderr
    ) -> None:
        self.interactive = interactive
        self.stdin = stdin if stdin is not None else sys.stdin
        self.tell = tell
        self._session: Any = None

    def ask(self, message: str, *, completer: Any = None, default: str = "") -> str:
        """One answer, stripped. EOFError at the end of input (or Ctrl-D), KeyboardInterrupt
        on Ctrl-C."""
        if not self.interactive:
            line = self.stdin.readline()
            if not line:
                raise EOFError
            return line.strip()
        from prompt_toolkit import PromptSession

        if self._session is None:
            self._session = PromptSession()
        answer = self._session.prompt(
            message,
            completer=completer,
            complete_while_typing=completer is not None,
            default=default,
        )
        return str(answer).strip()

    def confirm(self, message: str, *, default: bool) -> bool:
        hint = _("[Y/n]") if default else _("[y/N]")
        while True:
            answer = self.ask(f"{message} {hint} ").casefold()
            if not answer:
                return default
            if answer in YES:
                return True
            if answer in NO:
                return False
            self.tell(_("answer y (yes) or n (no)"))


def _procedure_completer(procedures: list[tuple[str, str]]) -> Any:
    from prompt_toolkit.completion import Completer, Completion

    class ProcedureCompleter(Completer):  # type: ignore[misc]
        def get_completions(self, document: Any, complete_event: Any) -> Iterator[Any]:
            typed = document.text_before_cursor
            for code, name in filter_procedures(procedures, typed):
                yield Completion(code, start_position=-len(typed), display_meta=name)

    return ProcedureCompleter()


def filter_procedures(procedures: Iterable[tuple[str, str]], typed: str) -> list[tuple[str, str]]:
    """The procedures whose code or name holds every word typed, any case and accents."""
    from egovctl.requests.search import fold_name

    words = fold_name(typed).split()
    return [
        (code, name)
        for code, name in procedures
        if all(word in fold_name(code) or word in fold_name(name) for word in words)
    ]


def choose_procedure(asker: Asker, procedures: list[tuple[str, str]]) -> str:
    """A procedure code, chosen by typing part of its code or name (Tab lists them)."""
    if not procedures:
        raise InvalidInput(
            _(
                "no active procedure to log for; "
                "import the catalogue with 'egovctl procedure import'"
            )
        )
    completer = _procedure_completer(procedures) if asker.interactive else None
    while True:
        typed = asker.ask(_("Procedure (part of its code or name): "), completer=completer)
        if not typed:
            continue
        exact = [code for code, _name in procedures if code == typed.upper()]
        if exact:
            return exact[0]
        found = filter_procedures(procedures, typed)
        if len(found) == 1:
            return found[0][0]
        if not found:
            asker.tell(_("no active procedure matches '{text}'").format(text=typed))
        else:
            codes = ", ".join(code for code, _name in found[:8])
            asker.tell(
                _("'{text}' matches {n} procedures ({codes}); type more of it").format(
                    text=typed, n=len(found), codes=codes
                )
            )


def _ask_checked(asker: Asker, message: str, check: Callable[[str], Any]) -> Any:
    """Ask until ``check`` accepts the answer; its refusal (naming what is wrong) is shown."""
    while True:
        answer = asker.ask(message)
        try:
            return check(answer)
        except EgovError as exc:
            for line in exc.lines():
                asker.tell(line)


def ask_name(asker: Asker) -> str:
    from egovctl.identity import clean_name

    message = _("Applicant's name (as on the KTP): ")
    return str(_ask_checked(asker, message, lambda v: clean_name(v, "name")))


def ask_nik(asker: Asker) -> str:
    from egovctl.identity import validate_nik

    return str(_ask_checked(asker, _("NIK (16 digits): "), validate_nik))


def ask_phone(asker: Asker) -> str | None:
    from egovctl.identity import normalize_phone

    def check(value: str) -> str | None:
        return normalize_phone(value) if value else None

    result = _ask_checked(asker, _("Phone (optional, Enter to skip): "), check)
    return None if result is None else str(result)


@dataclass
class Application:
    procedure: str
    name: str
    nik: str
    phone: str | None = None


def complete_application(
    asker: Asker,
    procedures: list[tuple[str, str]],
    *,
    procedure: str | None = None,
    name: str | None = None,
    nik: str | None = None,
    phone: str | None = None,
    ask_for_phone: bool = True,
) -> Application:
    """The values given, the missing ones asked for, then a summary to confirm. A "no"
    raises InvalidInput (nothing is logged)."""
    from egovctl.identity import validate_nik

    code = procedure or choose_procedure(asker, procedures)
    name = name or ask_name(asker)
    nik = validate_nik(nik) if nik else ask_nik(asker)
    if phone is None and ask_for_phone:
        phone = ask_phone(asker)
    elif phone:
        from egovctl.identity import normalize_phone

        phone = normalize_phone(phone)
    titles = dict(procedures)
    asker.tell(_("Procedure: {code} {name}").format(code=code, name=titles.get(code, "")).rstrip())
    asker.tell(_("Applicant: {name}, NIK {nik}").format(name=name, nik=nik))
    if phone:
        asker.tell(_("Phone: {phone}").format(phone=phone))
    if not asker.confirm(_("Log this application?"), default=True):
        raise InvalidInput(_("not logged: the application was not confirmed"))
    return Application(code, name, nik, phone)
