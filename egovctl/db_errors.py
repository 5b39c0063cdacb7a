"""Database errors in words: what the driver says, turned into one line the user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from egovctl.errors import DatabaseError


@contextmanager
def translating(where: str) -> Iterator[None]:
    """Driver errors as one-line ``DatabaseError``s naming the database (``where``)."""
    from sqlalchemy.exc import DatabaseError as DriverDatabaseError
    from sqlalchemy.exc import DataError, OperationalError

    try:
        yield
    except OperationalError as exc:
        raise DatabaseError(explain(exc, where)) from exc
    except DataError as exc:
        # A value the checks before it let through (PostgreSQL: "value too long for type
        # character varying(64)"): one line, without the statement and its parameters.
        text = str(getattr(exc, "orig", exc)).strip().splitlines()
        raise DatabaseError(
            f"the database refused a value: {text[0] if text else 'invalid data'}; "
            "nothing was changed"
        ) from exc
    except DriverDatabaseError as exc:
        # Raised by the driver for a file that is not (or no longer) a database.
        low = str(getattr(exc, "orig", exc)).lower()
        if "not a database" in low or "malformed" in low:
            raise DatabaseError(explain(exc, where)) from exc
        raise


def explain(exc: Exception, where: str) -> str:
    """What went wrong with the database ``where``, said for the person at the counter."""
    text = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    low = text.lower()
    if "password authentication failed" in low or ("role" in low and "does not exist" in low):
        return f"cannot log in to {where}: wrong password or user; check the URL"
    if "does not exist" in low and "database" in low:
        return f"database {where} does not exist; create it first (createdb) or fix the URL"
    if (
        "connection refused" in low
        or "could not connect" in low
        or "timeout" in low
        or "no such host" in low
        or "name or service not known" in low
    ):
        return (
            f"cannot reach the database server at {where} ({text}); "
            "is it running and is the URL right?"
        )
    if "database is locked" in low:
        return f"the database {where} is busy (locked by another counter); try again"
    if "readonly database" in low:  # SQLite: "attempt to write a readonly database"
        return (
            f"cannot change {where}: the file or its folder is read-only here; "
            "this command writes, so run it where the database can be written"
        )
    if "unable to open database" in low:
        return f"cannot open the database file {where}; check the path and permissions"
    if "file is not a database" in low:
        return f"{where} is not a SQLite database; check the --db path"
    if "malformed" in low:
        return (
            f"the database {where} is damaged ({text}); restore the latest backup "
            "with 'egovctl db restore FILE'"
        )
    return f"database error on {where}: {text}"
