"""Values the shell completes (docs/desk.md#shell-completion): procedure codes, agency codes,
registration numbers, staff usernames and report periods.

A completer runs inside the shell's Tab press, so it must answer in about the time Python
takes to start: it reads the database with the driver alone (``sqlite3`` for a file, no
SQLAlchemy ORM, no models), never creates or migrates a database, loads no template,
PDF or report code, and on any problem offers nothing rather than an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

# A shell shows at most a screenful; the newest open requests come first.
MAX_ITEMS = 50

Item = tuple[str, str]  # the value and what the shell may show beside it


class _Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...


def _root_params(ctx: Any) -> dict[str, Any]:
    root = ctx.find_root() if ctx is not None else None
    return dict(getattr(root, "params", None) or {})


def _db_url(ctx: Any) -> str | None:
    """The database the command would use (``--db``, ``EGOVCTL_DB``, the config file, the
    default), resolved as the command does; None when it cannot be told."""
    from egovctl.config import load_config

    params = _root_params(ctx)
    try:
        cfg = load_config(cli_db=params.get("db"), cli_config=params.get("config"))
    except Exception:
        return None
    return str(cfg.db_url.value)


@contextmanager
def _cursor(url: str) -> Iterator[_Cursor | None]:
    """A read-only cursor, with ``?`` placeholders on either database; None when there is no
    database to read (a missing file is never created)."""
    if url.startswith("sqlite:///"):
        import sqlite3
        from urllib.parse import quote

        path = url[len("sqlite:///") :]
        if not os.path.isfile(path):
            yield None
            return
        conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=2)
        try:
            yield conn.cursor()
        finally:
            conn.close()
        return
    from sqlalchemy import create_engine

    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as server:
            yield _PgCursor(server)
    finally:
        engine.dispose()


class _PgCursor:
    """``?`` placeholders on a SQLAlchemy connection, as on sqlite3."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        parts = sql.split("?")
        text = parts[0] + "".join(f"%s{rest}" for rest in parts[1:])
        return self.conn.exec_driver_sql(text, tuple(params))


def _query(ctx: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    url = _db_url(ctx)
    if url is None:
        return []
    try:
        with _cursor(url) as cur:
            if cur is None:
                return []
            return [tuple(row) for row in cur.execute(sql, params).fetchall()]
    except Exception:  # an older schema, a locked file, a server away: offer nothing
        return []


def _upper_prefix(incomplete: str) -> str:
    return incomplete.strip().upper()


def _as_typed(items: list[Item], incomplete: str) -> list[Item]:
    """Codes in the case the clerk types them: Typer keeps only values that start with what
    was typed, case and all, and egovctl takes codes and numbers in any case."""
    typed = incomplete.strip()
    if typed and typed == typed.lower() and typed != typed.upper():
        return [(value.lower(), help) for value, help in items]
    return items


def _range(prefix: str) -> tuple[str, str]:
    """Bounds that keep a text index usable for "starts with" (no LIKE)."""
    return prefix, prefix + "\uffff"


# -- the completers (Typer's ``autocompletion=``: ctx and what was typed so far) -----------


def procedure_codes(ctx: Any, incomplete: str) -> list[Item]:
    """Active procedure codes, their current names as descriptions."""
    low, high = _range(_upper_prefix(incomplete))
    rows = _query(
        ctx,
        "SELECT p.code, v.name FROM procedure p JOIN procedure_version v "
        "ON v.procedure_id = p.id AND v.version = p.current_version "
        "WHERE p.active AND p.code >= ? AND p.code < ? ORDER BY p.code LIMIT 200",
        (low, high),
    )
    return _as_typed([(code, name) for code, name in rows], incomplete)


def agency_codes(ctx: Any, incomplete: str) -> list[Item]:
    low, high = _range(_upper_prefix(incomplete))
    rows = _query(
        ctx,
        "SELECT code, name FROM agency WHERE code >= ? AND code < ? ORDER BY code LIMIT 200",
        (low, high),
    )
    return _as_typed([(code, name) for code, name in rows], incomplete)


def registration_numbers(ctx: Any, incomplete: str) -> list[Item]:
    """Registration numbers starting with what was typed: open requests first, then the
    others, each newest first, at most MAX_ITEMS. Both read the unique index of reg_no
    backwards (within an agency and year, a higher number is a newer request)."""
    from egovctl.requests.vocabulary import OPEN_STATUSES, status_word

    low, high = _range(_upper_prefix(incomplete))
    marks = ",".join("?" for _s in OPEN_STATUSES)
    base = "SELECT reg_no, status FROM service_request WHERE reg_no >= ? AND reg_no < ? AND "
    open_rows = _query(
        ctx,
        base + f"status IN ({marks}) ORDER BY reg_no DESC LIMIT ?",
        (low, high, *OPEN_STATUSES, MAX_ITEMS),
    )
    rows = open_rows
    if len(rows) < MAX_ITEMS:
        rows += _query(
            ctx,
            base + f"status NOT IN ({marks}) ORDER BY reg_no DESC LIMIT ?",
            (low, high, *OPEN_STATUSES, MAX_ITEMS - len(rows)),
        )
    return _as_typed([(reg_no, status_word(status)) for reg_no, status in rows], incomplete)


def staff_usernames(ctx: Any, incomplete: str) -> list[Item]:
    low, high = _range(incomplete.strip())
    rows = _query(
        ctx,
        "SELECT username, name FROM staff WHERE active AND username >= ? AND username < ? "
        "ORDER BY username LIMIT 200",
        (low, high),
    )
    return [(username, name) for username, name in rows]


def report_periods(ctx: Any, incomplete: str) -> list[Item]:
    """This year's and last year's periods, the most recent first: months, quarters,
    semesters, years (the forms of docs/reports.md)."""
    from egovctl.i18n import _
    from egovctl.timeutil import now_utc

    today = now_utc().date()
    items: list[Item] = []
    for year in (today.year, today.year - 1):
        last_month = today.month if year == today.year else 12
        items += [(f"{year}-{m:02d}", _("month")) for m in range(last_month, 0, -1)]
        items += [(f"{year}-Q{q}", _("quarter")) for q in range((last_month - 1) // 3 + 1, 0, -1)]
        items += [(f"{year}-S{s}", _("semester")) for s in range((last_month - 1) // 6 + 1, 0, -1)]
        items.append((str(year), _("year")))
    typed = incomplete.strip().upper()
    found = [(value, help) for value, help in items if value.upper().startswith(typed)]
    return _as_typed(found, incomplete)
