"""One Typer sub-app per noun. Thin wrappers: parse options, call one domain function, print.

``NOUNS`` lists them in the order ``egovctl --help`` shows them. The command line loads a noun's
module only when that noun is used, so ``egovctl request log`` does not import the code of
the other twelve, and ``egovctl --help`` imports none of them.
"""
# Commands avoid "from __future__ import annotations": Typer would have to eval every
# string annotation when it builds the command tree, which every run of egovctl pays.

from typing import Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from egovctl.i18n import N_


class Noun(NamedTuple):
    module: str  # in egovctl.commands
    help: str
    # A single command (``egovctl login USER``) rather than a group of them; its module's
    # ``app`` holds that one command.
    single: bool = False


NOUNS: dict[str, Noun] = {
    "procedure": Noun(
        "procedure", N_("Keep the catalogue of service procedures (standar pelayanan).")
    ),
    "agency": Noun("agency", N_("Browse the agencies (OPD).")),
    "request": Noun("request", N_("Log service requests and move them through their steps.")),
    "desk": Noun(
        "desk", N_("The counter's session: scan receipts, act with one word."), single=True
    ),
    "notify": Noun("notify", N_("Tell applicants by WhatsApp, SMS or e-mail: send, list, links.")),
    "complaint": Noun("complaint", N_("Record and answer complaints (pengaduan), with deadlines.")),
    "calendar": Noun("calendar", N_("Holidays, collective leave and local closures.")),
    "print": Noun("print", N_("Print receipts and notice-board documents (PDF or HTML).")),
    "login": Noun("login", N_("Log in for this shift: prove who you are once."), single=True),
    "logout": Noun("login", N_("End your login session."), single=True),
    "whoami": Noun("login", N_("Name the staff member acting now."), single=True),
    "staff": Noun("staff", N_("Manage staff members, their roles and passwords.")),
    "audit": Noun("audit", N_("Read and verify the audit log.")),
    "db": Noun("db", N_("Upgrade, back up, restore and check the database.")),
    "config": Noun("config", N_("Show the configuration.")),
    "report": Noun(
        "report", N_("Performance reports: summary, SLA, officers, satisfaction (IKM).")
    ),
    "survey": Noun("survey", N_("Record community satisfaction survey (SKM) answers for the IKM.")),
    "publish": Noun(
        "publish", N_("Publish public information: the catalogue as a static website.")
    ),
    "export": Noun("export", N_("Export the catalogue and requests for other systems.")),
    "document": Noun("document", N_("The register of printed documents (PDF).")),
    "verify": Noun(
        "verify", N_("Check a PDF against the document register and its signature."), single=True
    ),
}


# The commands that create a missing database (docs/configuration.md: a read command never
# does). These are the writers with something to do in an empty database; every other command
# refuses a missing file with a message naming them, so a mistyped --db cannot make the data
# look gone.
CREATES_DATABASE = frozenset(
    {
        "procedure import",
        "calendar add",
        "calendar import",
        "staff add",
        "db upgrade",
        "db restore",
        "db seed-demo",
    }
)


def load_noun(name: str) -> Any:
    """The Click command of a noun: its group, or the one command of a single noun."""
    import importlib

    noun = NOUNS[name]
    module = importlib.import_module(f"{__name__}.{noun.module}")
    if noun.single:
        command = typer.main.get_command(getattr(module, f"{name}_app"))
    else:
        command = typer.main.get_group(module.app)
    command.name = name
    return command


class NounGroup(TyperGroup):
    """A noun's group: its commands' one-line help is translated whole, then shortened (Click
    would shorten the English text first, and a cut sentence has no translation)."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        from inspect import cleandoc

        from egovctl.cli import help_text
        from egovctl.i18n import _

        commands = [
            (name, cmd)
            for name in self.list_commands(ctx)
            if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden
        ]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _cmd in commands)
        shown = [
            (name, TyperCommand(name, help=help_text(cleandoc(cmd.help or ""))))
            for name, cmd in commands
        ]
        rows = [(name, cmd.get_short_help_str(limit)) for name, cmd in shown]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)


def noun_app(name: str) -> typer.Typer:
    """The sub-app of one noun. Help is plain Click text: Typer's rich help would load Rich's
    modules on every ``--help``, a large part of its start-up (see bench/README.md)."""
    return typer.Typer(
        cls=NounGroup, help=NOUNS[name].help, no_args_is_help=True, rich_markup_mode=None
    )
