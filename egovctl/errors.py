"""The errors egovctl raises on purpose: every message is written for the user.

The CLI turns any ``EgovError`` into one ``error: ...`` line on stderr and exit code 1.
"""

from __future__ import annotations


class EgovError(Exception):
    """Base class: an operation was refused or failed; ``str(err)`` is the user's message."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def lines(self) -> list[str]:
        """The message followed by any detail lines (one per problem)."""
        return [self.message, *self.details]


class ConfigError(EgovError):
    """The configuration file or an option value is unusable."""


class NotFound(EgovError):
    """A named thing (procedure, agency, request, staff member, file) does not exist."""


class InvalidInput(EgovError):
    """Input (a file, a value) failed validation; ``details`` lists every problem."""


class InvalidTransition(EgovError):
    """A request cannot make the asked move from its current status."""


class PermissionDenied(EgovError):
    """The acting staff member may not do this."""


class DatabaseError(EgovError):
    """The database is unreachable, of an unknown schema or needs an upgrade."""


class SchemaOutdated(DatabaseError):
    """The database has an older schema; ``egovctl db upgrade`` migrates it."""


class AuditMismatch(EgovError):
    """The audit chain or a request's history does not verify."""
