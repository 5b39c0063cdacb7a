"""Helpers of the complaint tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cli


def record(cli: Cli, *extra: str, text: str = "Antrean terlalu lama", **kw: Any) -> dict:
    args = ["complaint", "record", "--text", text, "--json", *extra]
    if "--channel" not in extra:
        args += ["--channel", "langsung"]
    if not {"--agency", "--procedure", "--reg"} & set(extra):
        args += ["--agency", "DISDUKCAPIL"]
    if not {"--name", "--anonymous", "--contact"} & set(extra):
        args += ["--name", "Budi Santoso"]
    return cli.ok(*args, **kw).json()  # type: ignore[return-value]
