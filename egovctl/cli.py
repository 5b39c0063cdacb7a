"""The egovctl command line: global options, the sub-commands, and the one error handler."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from egovctl import __version__
from egovctl.commands import (
    agency,
    audit,
    calendar,
    config_cmd,
    db_cmd,
    export,
    print_,
    procedure,
    publish,
    report,
    request,
    staff,
    survey,
)
from egovctl.commands._state import AppState
from egovctl.errors import EgovError


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


def _click_flow_exceptions() -> tuple[type[BaseException], ...]:
    """Click's own control-flow exceptions (usage errors, exits), which Click handles.

    Recent Typer releases vendor Click as ``typer._click``; older ones use ``click``.
    """
    found: list[type[BaseException]] = [typer.Exit, typer.Abort]
    module = getattr(typer, "_click", None)
    if module is None:  # older Typer releases use Click itself
        import click as module
    exceptions = getattr(module, "exceptions", None)
    for name in ("ClickException", "Exit", "Abort"):
        cls = getattr(exceptions, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


CLICK_FLOW = _click_flow_exceptions()


class EgovGroup(TyperGroup):
    """Turns every failure into ``error: ...`` on stderr and exit 1, in one place."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except EgovError as exc:
            if _debug_wanted(ctx):
                raise
            _fail(exc.lines())
            raise typer.Exit(1) from None
        except CLICK_FLOW:
            raise
        except BrokenPipeError:
            # The reader went away (`egovctl ... | head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            _fail(["interrupted; nothing was changed by the unfinished command"])
            raise typer.Exit(1) from None
        except Exception as exc:  # a bug: still no traceback for the user
            if _debug_wanted(ctx):
                raise
            _fail([f"unexpected {type(exc).__name__}: {exc}",
                   "run again with --debug (or EGOVCTL_DEBUG=1) for the traceback"])
            raise typer.Exit(1) from None


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
    db: Annotated[str | None, typer.Option("--db", help="Database file path or SQLAlchemy URL.",
                                           show_default=False)] = None,
    config: Annotated[str | None, typer.Option("--config", help="Config file (TOML).",
                                               show_default=False)] = None,
    as_: Annotated[str | None, typer.Option("--as", help="Acting staff member (username).",
                                            show_default=False)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True,
                                                 help="Show the version and exit.")] = None,
) -> None:
    """Administration toolkit for Indonesian regional government service units (OPD)."""
    ctx.obj = AppState(db=db, config=config, actor=as_, debug=debug)


app.add_typer(procedure.app, name="procedure")
app.add_typer(agency.app, name="agency")
app.add_typer(request.app, name="request")
app.add_typer(calendar.app, name="calendar")
app.add_typer(print_.app, name="print")
app.add_typer(staff.app, name="staff")
app.add_typer(audit.app, name="audit")
app.add_typer(db_cmd.app, name="db")
app.add_typer(config_cmd.app, name="config")
app.add_typer(report.app, name="report")
app.add_typer(survey.app, name="survey")
app.add_typer(publish.app, name="publish")
app.add_typer(export.app, name="export")


def main() -> None:
    app(prog_name="egovctl")


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
