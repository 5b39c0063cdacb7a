"""One Typer sub-app per noun. Thin wrappers: parse options, call one domain function, print.

``NOUNS`` lists them in the order ``egovctl --help`` shows them. The command line loads a noun's
module only when that noun is used, so ``egovctl request log`` does not import the code of
the other twelve, and ``egovctl --help`` imports none of them.
"""
# Commands avoid "from __future__ import annotations": Typer would have to eval every
# string annotation when it builds the command tree, which every run of egovctl pays.

from typing import NamedTuple

import typer

from egovctl.i18n import N_


class Noun(NamedTuple):
    module: str  # in egovctl.commands
    help: str


NOUNS: dict[str, Noun] = {
    "procedure": Noun(
        "procedure", N_("Keep the catalogue of service procedures (standar pelayanan).")
    ),
    "agency": Noun("agency", N_("Browse the agencies (OPD).")),
    "request": Noun("request", N_("Log service requests and move them through their steps.")),
    "complaint": Noun("complaint", N_("Record and answer complaints (pengaduan), with deadlines.")),
    "calendar": Noun("calendar", N_("Holidays, collective leave and local closures.")),
    "print": Noun("print", N_("Print receipts and notice-board documents (PDF or HTML).")),
    "staff": Noun("staff", N_("Manage staff members and their roles.")),
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


def noun_app(name: str) -> typer.Typer:
    """The sub-app of one noun. Help is plain Click text: Typer's rich help would load Rich's
    modules on every ``--help``, a large part of its start-up (see bench/README.md)."""
    return typer.Typer(help=NOUNS[name].help, no_args_is_help=True, rich_markup_mode=None)
