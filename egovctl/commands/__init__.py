"""One Typer sub-app per noun. Thin wrappers: parse options, call one domain function, print."""
# Commands avoid "from __future__ import annotations": Typer would have to eval every
# string annotation when it builds the command tree, which every run of egovctl pays.

import typer


def noun_app(help: str) -> typer.Typer:
    """A sub-app for one noun. Help is plain Click text: Typer's rich help would load about
    70 ms of Rich modules on every ``--help``."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None)
