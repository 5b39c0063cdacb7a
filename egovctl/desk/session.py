"""``egovctl desk``: one session for a whole shift at a counter (docs/desk.md).

Each line is a registration number (typed, or scanned from the receipt's QR code or barcode
by a scanner that types it and Enter), which shows that request, or an action word in
either language (``desk/words.py``) acting on the request last shown. Every action calls
the domain function its command calls (``requests.service``, ``requests.queries``,
``documents.printing``), so roles, audit records and the one transaction per change are the
same. A failed action, a database error or a lost connection prints an ``error:`` line and
the shift goes on; Ctrl-C cancels the question being asked, not the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.desk.prompts import Asker, complete_application
from egovctl.desk.screen import Screen
from egovctl.desk.words import ACTIONS, NEEDS_REASON, NEEDS_REQUEST, DeskAction, parse
from egovctl.errors import EgovError, InvalidInput
from egovctl.i18n import _

if TYPE_CHECKING:
    from egovctl.config import Config
    from egovctl.db import Database


class _Cancelled(Exception):
    """The clerk pressed Ctrl-C at a question, or left a needed answer empty."""


@dataclass
class Desk:
    db: Database
    actor: str
    config: Config
    asker: Asker
    screen: Screen
    agency: str | None = None
    output_dir: Path = field(default_factory=Path.cwd)
    current: str | None = None  # the registration number last shown
    shown_at: datetime | None = None  # when it was shown: a move is meant for that state
    failures: int = 0

    @property
    def tz(self) -> str:
        return self.config.timezone

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> int:
        """Serve until ``quit`` or the end of input; the number of failed actions."""
        if self.asker.interactive:
            self.screen.line(_("Desk ready: scan a receipt or type a word ('help' lists them)."))
        while True:
            try:
                line = self.asker.ask(self._prompt())
            except KeyboardInterrupt:
                continue  # Ctrl-C clears the line, the shift goes on
            except EOFError:
                break
            if not line:
                continue
            action, rest = parse(line)
            if action == "quit":
                break
            self.handle(action, rest)
        if self.asker.interactive:
            self.screen.line(_("Desk closed."))
        return self.failures

    def _prompt(self) -> str:
        return (self.current or _("desk")) + "> "

    def handle(self, action: DeskAction | None, rest: str) -> None:
        """One line's work; whatever fails is said and the desk goes on."""
        try:
            if action is None:
                self.show(rest)
            elif action in NEEDS_REQUEST and self.current is None:
                raise InvalidInput(
                    _("no request is shown; scan a receipt or type a registration number first")
                )
            elif action == "help":
                self.screen.help()
            elif action == "new":
                self.new()
            elif action == "find":
                self.find(rest)
            elif action == "due":
                self.due()
            elif action == "print":
                self.print_receipt()
            else:
                self.move(action, rest)
        except (_Cancelled, KeyboardInterrupt):
            self.screen.line(_("cancelled; nothing was changed"))
        except EOFError:
            self.failures += 1
            self.screen.error(
                [_("the input ended in the middle of '{word}'").format(word=action or rest)]
            )
        except EgovError as exc:
            self.failures += 1
            self.screen.error(exc.lines())
        except Exception as exc:  # a driver error outside the translated paths, a bug
            self.failures += 1
            self.screen.error(_describe(exc, self.db))

    # -- the actions ------------------------------------------------------------------------

    def show(self, text: str) -> None:
        from egovctl.requests.queries import show_request
        from egovctl.suggest import close_matches
        from egovctl.timeutil import now_utc

        word = text.split()[0] if text.split() else text
        if not any(ch.isdigit() for ch in text):
            # Not a number: a mistyped word, most likely.
            self.current = None
            hint = close_matches(word.casefold(), ACTIONS, n=1)
            if hint:
                raise InvalidInput(
                    _(
                        "unknown word '{word}'; did you mean '{hint}'? ('help' lists the words)"
                    ).format(word=word, hint=hint[0])
                )
            raise InvalidInput(
                _("unknown word '{word}'; scan a receipt, or type 'help' for the words").format(
                    word=word
                )
            )
        self.current = None  # a failed scan must not leave the previous request to act on
        data = show_request(self.db, text, tz=self.tz, actor=self.actor)
        self.current, self.shown_at = data["reg_no"], now_utc()
        self.screen.request(data)

    def _refresh(self) -> None:
        if self.current is not None:
            self.show(self.current)

    def move(self, action: DeskAction, rest: str) -> None:
        from egovctl.requests.service import transition

        assert self.current is not None
        note = rest or None
        delivered_to = None
        if action in NEEDS_REASON and not note:
            note = self.asker.ask(_("Reason: "))
            if not note:
                raise _Cancelled
        if action == "deliver":
            delivered_to, note = note, None
        data = transition(
            self.db,
            self.actor,
            self.current,
            action,  # type: ignore[arg-type]  # MOVES are the domain's actions
            tz=self.tz,
            note=note,
            delivered_to=delivered_to,
            began=self.shown_at,
        )
        self.current = data["reg_no"]
        self._refresh()

    def new(self) -> None:
        from egovctl.catalogue.queries import list_procedures
        from egovctl.requests.service import Applicant, log_request

        procedures = [(p["code"], p["name"]) for p in list_procedures(self.db, agency=self.agency)]
        app = complete_application(self.asker, procedures)
        applicant = Applicant.checked(app.name, app.nik, app.phone, None)

        def confirm(warnings: list[str]) -> bool:
            for warning in warnings:
                self.screen.err.print(f"warning: {warning}", soft_wrap=True)
            return self.asker.confirm(_("Log it anyway?"), default=False)

        data = log_request(
            self.db, self.actor, app.procedure, applicant, tz=self.tz, confirm=confirm
        )
        self.screen.line(
            _("{reg_no} logged: {procedure}").format(
                reg_no=data["reg_no"], procedure=data["procedure_name"]
            ),
            style="bold green",
        )
        self.current = data["reg_no"]
        self._refresh()
        if self.asker.confirm(_("Print the receipt?"), default=True):
            self.print_receipt()

    def print_receipt(self) -> None:
        from egovctl.documents.printing import receipt, renderer

        assert self.current is not None
        doc = receipt(self.db, self.actor, self.current, tz=self.tz)
        path = renderer(self.config).write(
            doc.template, doc.context, self.output_dir / doc.default_name, force=True
        )
        self.screen.line(_("receipt written to {path}").format(path=path))

    def find(self, text: str) -> None:
        from egovctl.requests.queries import RequestFilter, list_requests

        if not text:
            text = self.asker.ask(_("Find (name, NIK or registration number): "))
            if not text:
                raise _Cancelled
        rows = list_requests(
            self.db,
            self.actor,
            RequestFilter(search=text, agency=self.agency, limit=20),
            tz=self.tz,
        )
        if len(rows) == 1:
            self.show(rows[0]["reg_no"])
            return
        self.screen.rows(rows, self.tz, _("No request matches '{text}'.").format(text=text))

    def due(self) -> None:
        from egovctl.requests.queries import RequestFilter, list_requests

        rows = list_requests(
            self.db,
            self.actor,
            RequestFilter(due_within=0, agency=self.agency, limit=200),
            tz=self.tz,
        )
        self.screen.rows(rows, self.tz, _("Nothing is due today."))


def _describe(exc: Exception, db: Database) -> list[str]:
    """An unexpected failure as the lines of an error: a driver's error in words."""
    from sqlalchemy.exc import DBAPIError

    from egovctl.db_errors import explain

    if isinstance(exc, DBAPIError):
        return [explain(exc, db.describe()), _("nothing was changed; the desk goes on")]
    return [_("unexpected {name}: {detail}").format(name=type(exc).__name__, detail=exc)]


def open_desk(
    db: Database, actor: str, config: Config, *, agency: str | None, interactive: bool
) -> Desk:
    """A desk on this database for this clerk; ``--agency`` checked before the shift."""
    if agency is not None:
        from egovctl.catalogue.queries import get_agency

        with db.read() as session:
            agency = get_agency(session, agency).code
    return Desk(
        db=db,
        actor=actor,
        config=config,
        asker=Asker(interactive),
        screen=Screen(),
        agency=agency,
    )


def run_desk(desk: Desk) -> Any:
    return desk.run()
