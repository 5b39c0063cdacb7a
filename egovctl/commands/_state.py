"""What every command needs: the configuration, the database and the acting staff member."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from egovctl.config import Config
    from egovctl.db import Database


class AppState:
    def __init__(
        self, *, db: str | None, config: str | None, actor: str | None, debug: bool
    ) -> None:
        self._db_opt = db
        self._config_opt = config
        self._actor_opt = actor
        self.debug = debug
        self._db: Database | None = None

    @cached_property
    def config(self) -> Config:
        from egovctl.config import load_config

        cfg = load_config(cli_db=self._db_opt, cli_config=self._config_opt, cli_as=self._actor_opt)
        for warning in cfg.warnings:
            typer.echo(f"warning: {warning}", err=True)
        return cfg

    @property
    def actor(self) -> str:
        return str(self.config.actor.value)

    @property
    def timezone(self) -> str:
        return self.config.timezone

    def database(self, *, check: bool = True) -> Database:
        """The database, created at head when missing; an outdated one is refused."""
        if self._db is None:
            from egovctl.db import open_database

            self._db = open_database(str(self.config.db_url.value), check=check)
        return self._db

    def close(self) -> None:
        """Close the database connections the command opened."""
        if self._db is not None:
            self._db.dispose()
            self._db = None


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj
