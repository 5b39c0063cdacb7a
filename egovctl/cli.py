"""The egovctl command line: global options, the sub-commands, and the one error handler."""

from __future__ import annotations

import gc
import os
import re
import sys
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from egovctl import __version__
from egovctl.commands import NOUNS
from egovctl.commands._state import AppState
from egovctl.errors import EgovError
from egovctl.i18n import N_, Language, _
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
    _fail([_("interrupted; nothing was changed by the unfinished command")])
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

# Global options that take a value: the words after them are not the command.
_VALUED_GLOBALS = ("--db", "--config", "--as", "--lang")
# A help line's closing notes added by Typer ("  [default: 100]"), translated on their own.
_HELP_NOTES = re.compile(r"^(?P<text>.*?)(?P<notes>\s+\[[^\]]*\])$", re.S)
_DEFAULT_NOTE = re.compile(r"\bdefault: (?P<default>[^;\]]*)")
USAGE = N_("Usage:")


def _global_option(args: list[str], name: str) -> str | None:
    """The value of a global option before the command (``--lang en``, ``--lang=en``)."""
    i = 0
    while i < len(args):
        word = args[i]
        if not word.startswith("-") or word == "--":
            return None  # the command: what follows is its own
        if word == name:
            return args[i + 1] if i + 1 < len(args) else None
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
        i += 2 if word in _VALUED_GLOBALS else 1
    return None


def _no_config_file(args: list[str]) -> bool:
    """True when no config file can apply, found without loading the config module (every
    command, ``--help`` too, chooses its language, and most offices have no config file)."""
    if _global_option(args, "--config") or os.environ.get("EGOVCTL_CONFIG"):
        return False
    if os.path.isfile("egovctl.toml"):
        return False
    if not sys.platform.startswith("linux"):
        return False  # platformdirs knows where other systems keep it: ask config.py
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return not os.path.isfile(os.path.join(base, "egovctl", "egovctl.toml"))


def _choose_language(args: list[str]) -> str | None:
    """Speak the chosen language from here on; a wrong EGOVCTL_LANG is returned as a problem
    (a wrong --lang is left for Click to report as the usage error it is)."""
    from egovctl.i18n import LANGUAGES, set_language

    problem = None
    lang = _global_option(args, "--lang")
    quick = lang if lang is not None else os.environ.get("EGOVCTL_LANG") or None
    if quick in LANGUAGES or (quick is None and _no_config_file(args)):
        set_language(quick or "id")  # type: ignore[arg-type]
        return None
    from egovctl.config import language_setting

    try:
        setting = language_setting(lang, _global_option(args, "--config"))
    except ValueError:
        try:
            setting = language_setting(None, _global_option(args, "--config"), env={})
        except Exception:
            setting = None
        if lang is None:  # EGOVCTL_LANG: said again once the fallback language is chosen
            set_language(setting.value if setting is not None else "id")
            try:
                language_setting(None, None)
            except ValueError as again:
                problem = str(again)
    except EgovError:  # an unreadable config file: the command itself reports it
        setting = None
    set_language(setting.value if setting is not None else "id")
    return problem


def help_text(text: str) -> str:
    """A help text (a command's docstring, an option's help) in the language of the terminal."""
    if not text:
        return text
    said = _(text)
    if said is not text:
        return said
    parts = _HELP_NOTES.match(text)
    if parts is not None:
        notes = _DEFAULT_NOTE.sub(
            lambda m: _("default: {default}").format(default=m["default"]), parts["notes"]
        )
        notes = notes.replace("required]", _("required") + "]")
        return _(parts["text"]) + notes
    return said


class EgovFormatter(_click().HelpFormatter):  # type: ignore[misc]
    """Click's help layout with its words (and the help texts) in the terminal's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(USAGE) + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))

    def write_text(self, text: str) -> None:
        super().write_text(help_text(text))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, help_text(text)) for term, text in rows], col_max, col_spacing)


def _show(exc: Any) -> None:
    """Click's usage error display, in the terminal's language (``Error:`` stays as it is)."""
    from egovctl.cli_messages import TRY_HELP, translate

    exceptions = _click().exceptions
    if isinstance(exc, exceptions.NoArgsIsHelpError):
        exc.show()
        return
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, exceptions.UsageError) and ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            option = ctx.help_option_names[0]
            hint = _(TRY_HELP).format(command=ctx.command_path, option=option) + "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", err=True, color=ctx.color)
    typer.echo(f"Error: {translate(exc.format_message())}", err=True)


class EgovGroup(TyperGroup):
    """The root command: loads each noun's commands when used, and turns every failure into
    ``error: ...`` on stderr and exit 1, in one place."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Choose the language before Click parses or prints anything, then run the command
        and show Click's own errors in that language."""
        click = _click()
        args = list(sys.argv[1:] if args is None else args)
        problem = _choose_language(args)
        click.Context.formatter_class = EgovFormatter
        try:
            if problem is not None:
                raise click.exceptions.UsageError(problem)
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.ClickException as exc:
            if not standalone_mode:
                raise
            _show(exc)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv

    def list_commands(self, ctx: Any) -> list[str]:
        return list(NOUNS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = self.commands.get(cmd_name)
        noun = NOUNS.get(cmd_name)
        if cmd is None and noun is not None:
            from egovctl.commands import load_noun

            cmd = self.commands[cmd_name] = load_noun(cmd_name)
        return cmd

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The nouns' one-line help comes from NOUNS, so `egovctl --help` loads none of them.
        limit = formatter.width - 6 - max(map(len, NOUNS))
        rows = [
            (name, TyperCommand(name, help=help_text(noun.help)).get_short_help_str(limit))
            for name, noun in NOUNS.items()
        ]
        with formatter.section(_("Commands")):
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
                    _("unexpected {name}: {detail}").format(name=type(exc).__name__, detail=exc),
                    _("run again with --debug (or EGOVCTL_DEBUG=1) for the traceback"),
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
    help=N_("Administration toolkit for Indonesian regional government service units (OPD)."),
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
        typer.Option("--db", help=N_("Database file path or SQLAlchemy URL."), show_default=False),
    ] = None,
    config: Annotated[
        str | None, typer.Option("--config", help=N_("Config file (TOML)."), show_default=False)
    ] = None,
    as_: Annotated[
        str | None,
        typer.Option("--as", help=N_("Acting staff member (username)."), show_default=False),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option("--lang", help=N_("Language of the terminal: id or en."), show_default=False),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help=N_("Show tracebacks on errors."))] = False,
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=N_("Show the version and exit.")
        ),
    ] = None,
) -> None:
    # The root's help is the Typer app's (help=N_(...) above), translated where it is shown.
    ctx.obj = AppState(db=db, config=config, actor=as_, debug=debug, lang=lang)


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
