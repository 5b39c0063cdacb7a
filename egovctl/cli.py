"""The egovctl command line: global options, the sub-commands, and the one error handler."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from egovctl import __version__
from egovctl.commands import NOUNS
from egovctl.commands._state import AppState
from egovctl.errors import EgovError
from egovctl.suggest import close_matches


def _debug_wanted(ctx: Any) -> bool:
    if os.environ.get("EGOVCTL_DEBUG", "") not in ("", "0"):
        return True
    obj = ctx.obj if ctx is not None else None
    return bool(getattr(obj, "debug", False))


def _fail(lines: list[str]) -> None:
    first, *rest = lines
    typer.echo(f"error: {first}", err=True)
    for line in rest:
        typer.echo(f"  {line}", err=True)


# The exit status of a command stopped with Ctrl-C, as shells report it (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _interrupted() -> NoReturn:
    _fail(["interrupted; nothing was changed by the unfinished command"])
    raise typer.Exit(EXIT_INTERRUPTED) from None


def _click() -> Any:
    """The Click that Typer runs on: recent releases vendor it as ``typer._click``."""
    module = getattr(typer, "_click", None)
    if module is None:  # older Typer releases use Click itself
        import click as module
    return module


def _click_flow_exceptions() -> tuple[type[BaseException], ...]:
    """Click's own control-flow exceptions (usage errors, exits), which Click handles."""
    found: list[type[BaseException]] = [typer.Exit, typer.Abort]
    exceptions = getattr(_click(), "exceptions", None)
    for name in ("ClickException", "Exit", "Abort"):
        cls = getattr(exceptions, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


CLICK_FLOW = _click_flow_exceptions()


class EgovGroup(TyperGroup):
    """The root command: loads each noun's commands when used, and turns every failure into
    ``error: ...`` on stderr and exit 1, in one place."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(NOUNS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = self.commands.get(cmd_name)
        noun = NOUNS.get(cmd_name)
        if cmd is None and noun is not None:
            module = importlib.import_module(f"egovctl.commands.{noun.module}")
            cmd = typer.main.get_group(module.app)
            cmd.name = cmd_name
            self.commands[cmd_name] = cmd
        return cmd

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The nouns' one-line help comes from NOUNS, so `egovctl --help` loads none of them.
        limit = formatter.width - 6 - max(map(len, NOUNS))
        rows = [
            (name, TyperCommand(name, help=noun.help).get_short_help_str(limit))
            for name, noun in NOUNS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except _click().exceptions.UsageError as exc:
            matches = close_matches(args[0], NOUNS, n=3) if args else []
            if matches and "Did you mean" not in exc.message:
                suggestions = ", ".join(repr(m) for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return self._invoke_and_close(ctx)
        except EgovError as exc:
            if _debug_wanted(ctx):
                raise
            _fail(exc.lines())
            raise typer.Exit(1) from None
        except CLICK_FLOW as exc:
            if isinstance(exc.__context__, KeyboardInterrupt):
                # Click turns Ctrl-C at a prompt into Abort ("Aborted!", exit 1).
                _interrupted()
            # Typer checks typed options with pydantic, whose messages start "Value error, ".
            if isinstance(exc, _click().exceptions.ClickException) and (
                "Value error, " in exc.message
            ):
                exc.message = exc.message.replace("Value error, ", "")
            raise
        except BrokenPipeError:
            # The reader went away (`egovctl ... | head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            _interrupted()
        except Exception as exc:  # a bug: still no traceback for the user
            if _debug_wanted(ctx):
                raise
            _fail(
                [
                    f"unexpected {type(exc).__name__}: {exc}",
                    "run again with --debug (or EGOVCTL_DEBUG=1) for the traceback",
                ]
            )
            raise typer.Exit(1) from None

    def _invoke_and_close(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        finally:
            if isinstance(ctx.obj, AppState):
                ctx.obj.close()


app = typer.Typer(
    cls=EgovGroup,
    name="egovctl",
    help="Administration toolkit for Indonesian regional government service units (OPD).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"egovctl {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file path or SQLAlchemy URL.", show_default=False),
    ] = None,
    config: Annotated[
        str | None, typer.Option("--config", help="Config file (TOML).", show_default=False)
    ] = None,
    as_: Annotated[
        str | None, typer.Option("--as", help="Acting staff member (username).", show_default=False)
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = None,
) -> None:
    """Administration toolkit for Indonesian regional government service units (OPD)."""
    ctx.obj = AppState(db=db, config=config, actor=as_, debug=debug)


def main() -> None:
    try:
        app(prog_name="egovctl")
    finally:
        # The command is over and its database closed; what remains is the interpreter's
        # shutdown, whose garbage collections would walk every object the imports made, a
        # sizeable part of a short command (bench/README.md, "Figures behind the code").
        # Frozen objects are still freed by reference counting and atexit handlers still
        # run; only cycles left over at exit go unexamined, which the OS reclaims anyway.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
