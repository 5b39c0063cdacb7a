"""Database errors in words: what the driver says, turned into one line the user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from egovctl.errors import DatabaseError
from egovctl.i18n import _


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
            _("the database refused a value: {reason}; nothing was changed").format(
                reason=text[0] if text else _("invalid data")
            )
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
        return _("cannot log in to {where}: wrong password or user; check the URL").format(
            where=where
        )
    if "does not exist" in low and "database" in low:
        return _(
            "database {where} does not exist; create it first (createdb) or fix the URL"
        ).format(where=where)
    if (
        "connection refused" in low
        or "could not connect" in low
        or "timeout" in low
        or "no such host" in low
        or "name or service not known" in low
    ):
        return _(
            "cannot reach the database server at {where} ({reason}); "
            "is it running and is the URL right?"
        ).format(where=where, reason=text)
    if "database is locked" in low:
        return _("the database {where} is busy (locked by another counter); try again").format(
            where=where
        )
    if "readonly database" in low:  # SQLite: "attempt to write a readonly database"
        return _(
            "cannot change {where}: the file or its folder is read-only here; "
            "this command writes, so run it where the database can be written"
        ).format(where=where)
    if "unable to open database" in low:
        return _("cannot open the database file {where}; check the path and permissions").format(
            where=where
        )
    if "file is not a database" in low:
        return _("{where} is not a SQLite database; check the --db path").format(where=where)
    if "malformed" in low:
        return _(
            "the database {where} is damaged ({reason}); restore the latest backup "
            "with 'egovctl db restore FILE'"
        ).format(where=where, reason=text)
    return _("database error on {where}: {reason}").format(where=where, reason=text)
