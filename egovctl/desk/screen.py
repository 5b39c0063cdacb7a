"""What the desk shows: the request's timeline in a Rich panel (its due date coloured by
urgency), lists of requests, the words it knows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egovctl.i18n import _

if TYPE_CHECKING:
    from egovctl.requests.shapes import RequestDetail, RequestRow


class Screen:
    """Output of one desk session: stdout through Rich, problems as ``error:`` lines on
    stderr."""

    def __init__(self, console: Any = None, err: Any = None) -> None:
        from rich.console import Console

        self.out = console or Console(highlight=False, markup=False, emoji=False)
        self.err = err or Console(stderr=True, highlight=False, markup=False, emoji=False)

    def line(self, text: str, style: str | None = None) -> None:
        self.out.print(text, style=style, soft_wrap=True)

    def error(self, lines: list[str]) -> None:
        first, *rest = lines
        self.err.print(f"error: {first}", style="red", soft_wrap=True)
        for more in rest:
            self.err.print(f"  {more}", soft_wrap=True)

    def request(self, data: RequestDetail) -> None:
        from egovctl.commands._views import request_timeline

        self.out.print(request_timeline(data))

    def rows(self, rows: list[RequestRow], tz: str, empty: str) -> None:
        from egovctl.commands._views import request_table

        if not rows:
            self.line(empty)
            return
        import typer

        for text in request_table(rows, self.out.width, tz=tz):
            typer.echo(text, color=self.out.is_terminal or None)

    def help(self) -> None:
        from rich.table import Table

        from egovctl.desk.words import WORDS

        table = Table(show_header=False, show_edge=False, box=None, padding=(0, 2, 0, 0))
        table.add_column(style="bold")
        table.add_column()
        table.add_row(
            _("REGISTRATION NUMBER"), _("show that request (type it, or scan the receipt)")
        )
        for english, indonesian, what in WORDS:
            table.add_row(f"{english} | {indonesian}", _(what))
        self.out.print(table)
