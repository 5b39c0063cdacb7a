"""What every command needs: the configuration, the database and the acting staff member."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from egovctl.config import Config
    from egovctl.db import Database
    from egovctl.staff.sessions import Identity


class AppState:
    def __init__(
        self,
        *,
        db: str | None,
        config: str | None,
        actor: str | None,
        debug: bool,
        lang: str | None = None,
    ) -> None:
        self._db_opt = db
        self._config_opt = config
        self._actor_opt = actor
        self._lang_opt = lang
        self.debug = debug
        from egovctl.timeutil import now_utc

        # When the command began: a move recorded after it was not what the clerk saw.
        self.began = now_utc()
        self.command = ""  # "noun verb", set by state() when the command runs
        self._db: Database | None = None
        self._db_checked = True

    @cached_property
    def config(self) -> Config:
        from egovctl.config import load_config

        cfg = load_config(
            cli_db=self._db_opt,
            cli_config=self._config_opt,
            cli_as=self._actor_opt,
            cli_lang=self._lang_opt,
        )
        for warning in cfg.warnings:
            typer.echo(f"warning: {warning}", err=True)  # config.py words the warning
        return cfg

    @property
    def actor(self) -> str:
        """The acting member for the domain functions: proved, or ``Unproven``."""
        return self.identity.actor()

    @cached_property
    def identity(self) -> Identity:
        """Who is acting, proved by password or login session once the database needs it
        (staff/sessions.py); the password is asked only on a terminal."""
        import os
        import sys

        from egovctl.config import user_data_dir
        from egovctl.staff import sessions

        setting = self.config.actor
        claimed = str(setting.value) if setting.source in ("--as", "EGOVCTL_USER") else None
        db = self.database()
        if not self._db_checked and not _has_passwords(db):
            return sessions.Identity(str(setting.value), "single-user")

        def ask(user: str) -> str:
            from egovctl.i18n import _

            return str(typer.prompt(_("Password for {user}").format(user=user), hide_input=True))

        return sessions.resolve(
            db,
            claimed,
            str(setting.value),
            password=os.environ.get("EGOVCTL_PASSWORD") or None,
            ask=ask if sys.stdin.isatty() else None,
            data_dir=user_data_dir(),
            os_name=sessions.os_user(),
            tz=self.timezone,
        )

    @property
    def timezone(self) -> str:
        return self.config.timezone

    def database(self, *, check: bool = True) -> Database:
        """The database; an outdated one is refused. A missing one is created at head only
        for the commands in ``CREATES_DATABASE``, and is an error for every other."""
        if self._db is None:
            from egovctl.commands import CREATES_DATABASE
            from egovctl.db import open_database

            setting = self.config.db_url
            self._db_checked = check
            self._db = open_database(
                str(setting.value),
                check=check,
                create=self.command in CREATES_DATABASE,
                origin=_origin(setting.source),
            )
        return self._db

    def close(self) -> None:
        """Close the database connections the command opened."""
        if self._db is not None:
            self._db.dispose()
            self._db = None


def _has_passwords(db: Database) -> bool:
    """Whether the schema has passwords: ``db upgrade`` and ``db restore`` open a database
    of an older one, which has nothing to prove."""
    from egovctl.migrations import KNOWN_REVISIONS
    from egovctl.staff.sessions import PASSWORDS_REVISION

    path = db.sqlite_path
    if path is not None and not path.exists():
        return False  # restore into a new place: nobody to prove yet
    revision = db.current_revision()
    if revision is None:
        return False
    return revision not in KNOWN_REVISIONS or KNOWN_REVISIONS.index(
        revision
    ) >= KNOWN_REVISIONS.index(PASSWORDS_REVISION)


def _origin(source: str) -> str:
    """Where the database setting came from, as a message says it."""
    from egovctl.i18n import _

    if source == "--db":
        return _("given with --db")
    if source == "EGOVCTL_DB":
        return _("named by EGOVCTL_DB")
    if source.startswith("config file"):
        return _("named in the config file {path}").format(
            path=source.removeprefix("config file").strip()
        )
    return _("the default place")


def state(ctx: typer.Context) -> AppState:
    """The state of the running command, which it learns the command's name from."""
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    names = []
    node: Any = ctx  # Click types the parents as its own Context
    while node is not None and node.parent is not None:
        names.append(node.info_name or "")
        node = node.parent
    obj.command = " ".join(reversed(names))
    return obj
