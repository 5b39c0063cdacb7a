"""One source of "now": egovctl reads the clock through egovctl.timeutil, and tests pin it."""

from __future__ import annotations

import ast
import subprocess
from collections import Counter
from datetime import UTC, date, datetime

from tests.conftest import ROOT, Clock, python_argv

# Modules that still read the clock themselves, and how many times; each is to go through
# egovctl.timeutil (now_utc, now_local, today). The count may only go down.
NOT_YET_THROUGH_TIMEUTIL: dict[str, int] = {}


def clock_reads(tree: ast.AST) -> list[int]:
    """Lines calling datetime.now/utcnow/today, date.today or time.time(_ns)."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name in ("datetime", "date") and node.func.attr in ("now", "utcnow", "today")) or (
            name == "time" and node.func.attr in ("time", "time_ns")
        ):
            lines.append(node.lineno)
    return lines


def test_only_timeutil_reads_the_clock() -> None:
    found: Counter[str] = Counter()
    where: dict[str, list[int]] = {}
    for path in sorted((ROOT / "egovctl").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == "egovctl/timeutil.py" or "/migrations/versions/" in name:
            continue
        lines = clock_reads(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[name] = len(lines)
            where[name] = lines
    over = {
        f"{name}:{where[name]}": count
        for name, count in found.items()
        if count > NOT_YET_THROUGH_TIMEUTIL.get(name, 0)
    }
    assert not over, f"read the clock through egovctl.timeutil, not directly: {over}"


def test_the_clock_fixture_pins_now_here_and_in_children(clock: Clock) -> None:
    from egovctl.timeutil import now_utc, today

    clock.travel("2027-01-04T06:30+07:00")
    assert now_utc() == datetime(2027, 1, 3, 23, 30, tzinfo=UTC)
    assert today("Asia/Jakarta") == date(2027, 1, 4)  # office time, not UTC
    code = "from egovctl.timeutil import now_utc; print(now_utc().isoformat())"
    child = subprocess.run(
        python_argv("-c", code), capture_output=True, text=True, check=True, timeout=60
    )
    assert child.stdout.strip() == "2027-01-03T23:30:00+00:00"
    clock.shift(days=1)
    assert today("Asia/Jakarta") == date(2027, 1, 5)
