"""Staff passwords: the length rule and the salted, slow hash they are kept as.

scrypt from hashlib (no extra dependency). The parameters are stored in each hash, so a
later release can raise them and still check the hashes it finds; bench/README.md has what
one check costs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from egovctl.errors import InvalidInput
from egovctl.i18n import _

MIN_LENGTH = 10
MAX_LENGTH = 1024  # a pasted file is a mistake, and scrypt would hash it all
# n=2**14, r=8: 16 MiB and about 70 ms per check on the office PCs we measure (bench/).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_MAXMEM = 64 * 1024 * 1024


def check_rules(password: str) -> str:
    """The password if it may be used, or InvalidInput saying why (never echoing it)."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            _("the password is too short: it needs at least {n} characters").format(n=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            _("the password is too long: at most {n} characters").format(n=MAX_LENGTH)
        )
    if password != password.strip():
        raise InvalidInput(_("the password begins or ends with a space; leave the spaces out"))
    return password


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash``: what the staff table stores."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches ``stored``. With nothing stored (or a hash of a form
    this release does not know) a dummy hash is still computed, so that the time taken does
    not tell whether a member has a password."""
    try:
        scheme, n, r, p, salt, digest = (stored or "").split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        params = int(n), int(r), int(p)
        salt_bytes, expected = _unb64(salt), _unb64(digest)
    except ValueError:
        _scrypt(password, b"\0" * 16, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        return False
    return hmac.compare_digest(_scrypt(password, salt_bytes, *params), expected)
