"""One Typer sub-app per noun. Thin wrappers: parse options, call one domain function, print."""
# Commands avoid "from __future__ import annotations": Typer would have to eval every
# string annotation when it builds the command tree, which every run of egovctl pays.
