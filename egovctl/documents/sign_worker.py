"""The signing worker (docs/signing.md): a second process that gets the key ready while this
one lays the page out.

Importing pyHanko and opening the key cost about as much as laying out a one-page receipt,
and a thread cannot overlap them (the GIL). So ``print ... --sign`` starts
``python -m egovctl.documents.sign_worker`` before rendering, sends it the ``[sign]`` settings
and the passphrase over its stdin (never its command line or environment), and renders;
meanwhile the worker checks the key with ``cryptography`` and answers at once (a refusal
reads exactly as before), then imports pyHanko and builds the signer. The PDF goes over the
pipe; the signed PDF, or a refusal (the error's kind and its message, already in the user's
language), comes back.

Each message is two big-endian 32-bit lengths, a JSON header, and a blob (the PDF, when there
is one). The worker reads until its stdin closes, so it ends with its parent however that
ends; the parent also ends it once answered, on any error, and on a timeout. It gets no open
file of the parent's (the database included) and no secret in its environment. When it cannot
be started, or breaks without answering, the document is signed in this process instead.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from egovctl.errors import ConfigError, EgovError, InvalidInput, NotFound

if TYPE_CHECKING:
    from collections.abc import Callable

    from egovctl.config import Sign
    from egovctl.documents.sign import Box, DocumentSigner, Signed

# The worker answers the key check as soon as its interpreter is up; the signature may wait
# on the external signer (120 s) and the timestamp server.
CHECK_TIMEOUT = 60
SIGN_TIMEOUT = 300
# Secrets and the database stay with the parent; the language and --debug go along.
KEEP = ("EGOVCTL_LANG", "EGOVCTL_DEBUG")
ERRORS: dict[str, type[EgovError]] = {
    "ConfigError": ConfigError,
    "InvalidInput": InvalidInput,
    "NotFound": NotFound,
}
started = 0  # workers started by this process (the tests look)


class Broken(Exception):
    """The worker is gone or talks nonsense: sign in this process instead."""


# -- the protocol ---------------------------------------------------------------------------


def encode(header: dict[str, Any], blob: bytes = b"") -> bytes:
    head = json.dumps(header).encode("utf-8")
    return struct.pack(">II", len(head), len(blob)) + head + blob


def decode_sizes(prefix: bytes) -> tuple[int, int]:
    head, blob = struct.unpack(">II", prefix)
    return head, blob


def _read(stream: IO[bytes], size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def receive(stream: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    head, blob = decode_sizes(_read(stream, 8))
    return json.loads(_read(stream, head)), _read(stream, blob)


def error_message(exc: BaseException) -> dict[str, Any]:
    """An exception as the worker reports it; anything not egovctl's own is a failed
    signature, worded as signing in the parent words it."""
    from egovctl.documents.external_signer import SigningError
    from egovctl.i18n import _

    if isinstance(exc, EgovError):
        kind = type(exc).__name__
        if not isinstance(exc, SigningError) and kind not in ERRORS:
            kind = "EgovError"
        return {"error": kind, "message": exc.message, "details": exc.details}
    text = " ".join(str(exc).split()) or type(exc).__name__
    return {
        "error": "SigningError",
        "message": _("signing failed: {reason}").format(reason=text),
        "details": [],
    }


def raise_error(header: dict[str, Any]) -> None:
    from egovctl.documents.external_signer import SigningError

    kinds: dict[str, type[EgovError]] = {**ERRORS, "SigningError": SigningError}
    cls = kinds.get(str(header["error"]), EgovError)
    raise cls(str(header["message"]), details=[str(d) for d in header.get("details", [])])


def settings_message(settings: Sign) -> dict[str, Any]:
    return {
        "key": str(settings.key) if settings.key else None,
        "cert": str(settings.cert) if settings.cert else None,
        "chain": [str(p) for p in settings.chain],
        "passphrase_env": settings.passphrase_env,
        "command": settings.command,
        "name": settings.name,
        "title": settings.title,
        "verify_url": settings.verify_url,
        "tsa_url": settings.tsa_url,
        "trust": [str(p) for p in settings.trust],
    }


def settings_from(message: dict[str, Any]) -> Sign:
    from pathlib import Path

    from egovctl.config import Sign

    def path(value: Any) -> Path | None:
        return Path(value) if value else None

    return Sign(
        key=path(message["key"]),
        cert=path(message["cert"]),
        chain=[Path(p) for p in message["chain"]],
        passphrase_env=message["passphrase_env"],
        command=message["command"],
        name=message["name"],
        title=message["title"],
        verify_url=message["verify_url"],
        tsa_url=message["tsa_url"],
        trust=[Path(p) for p in message["trust"]],
    )


# -- the parent's side ----------------------------------------------------------------------


def start_signer(
    settings: Sign, *, passphrase: Callable[[], str | None] | None, now: datetime
) -> WorkerSigner | DocumentSigner:
    """A signer for ``print --sign``: the worker when it can be started, else the key loaded
    here. The passphrase is asked for here, before anything starts."""
    from egovctl.documents.sign import key_passphrase, load_signer

    secret = key_passphrase(settings, passphrase)
    try:
        return WorkerSigner(settings, secret, now)
    except Broken:
        return load_signer(settings, secret=secret, now=now)


def worker_env(settings: Sign) -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if (not name.startswith("EGOVCTL_") or name in KEEP) and name != settings.passphrase_env
    }


class WorkerSigner:
    """The parent's handle on a signing worker: the same ``stamp_name``, ``sign`` and
    ``close`` as a :class:`~egovctl.documents.sign.DocumentSigner`."""

    def __init__(self, settings: Sign, secret: str | None, now: datetime) -> None:
        global started
        from egovctl.i18n import language

        self.settings = settings
        self._secret = secret
        self._now = now
        self._common_name: str | None = None  # the worker's answer: the key is good
        self._name: str | None = None  # the certificate's name, read here
        self._local: DocumentSigner | None = None
        if os.name != "posix" or not sys.executable or getattr(sys, "frozen", False):
            # select() on pipes is POSIX's; a frozen egovctl has no interpreter to start.
            raise Broken
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-P", "-m", "egovctl.documents.sign_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=None if os.environ.get("EGOVCTL_DEBUG", "") not in ("", "0") else
                subprocess.DEVNULL,
                env=worker_env(settings),
                close_fds=True,
            )  # fmt: skip
        except OSError:
            raise Broken from None
        started += 1
        self._buffer = b""
        request = {
            "lang": language(),
            "now": now.isoformat(),
            "settings": settings_message(settings),
            "passphrase": secret,
        }
        try:
            self._send(encode(request))
        except Broken:
            self.close()
            raise

    @property
    def pid(self) -> int:
        return self._proc.pid

    @property
    def stamp_name(self) -> str:
        """``[sign] name``, or the certificate's name: read here with ``cryptography``
        (about 0.1 s) rather than waiting for the worker's interpreter to start and say it."""
        from egovctl.documents.sign import check_key

        if self.settings.name:
            return self.settings.name
        if self._local is not None:
            return self._local.stamp_name
        if self._name is None:
            try:
                self._name = check_key(self.settings, self._secret, self._now).common_name
            except BaseException:
                self.close()
                raise
        return self._name

    def sign(self, pdf: bytes, *, doc_id: str, box: Box | None, place: str | None) -> Signed:
        from egovctl.documents.sign import Signed

        if self._local is not None:
            return self._local.sign(pdf, doc_id=doc_id, box=box, place=place)
        try:
            self._checked()
            request = {
                "doc_id": doc_id,
                "box": [box.x1, box.y1, box.x2, box.y2] if box is not None else None,
                "place": place,
            }
            self._send(encode(request, pdf))
            header, data = self._receive(SIGN_TIMEOUT)
        except Broken:
            return self._fallback().sign(pdf, doc_id=doc_id, box=box, place=place)
        finally:
            self.close()
        if "error" in header:
            raise_error(header)
        try:
            return Signed(
                data,
                str(header["signer"]),
                datetime.fromisoformat(header["signed_at"]),
                bool(header["timestamped"]),
                str(header["level"]),
                tuple(str(w) for w in header.get("warnings", [])),
            )
        except (KeyError, TypeError, ValueError):
            return self._fallback().sign(pdf, doc_id=doc_id, box=box, place=place)

    def poll(self) -> None:
        """Raise the worker's refusal of the key if it has come already (so that a wrong
        passphrase costs no layout); never waits."""
        import select

        if self._common_name is not None or self._local is not None:
            return
        assert self._proc.stdout is not None
        if self._buffer or select.select([self._proc.stdout.fileno()], [], [], 0)[0]:
            try:
                self._checked()
            except Broken:
                self._fallback()

    def close(self) -> None:
        """End the worker (it holds nothing worth waiting for) and reap it."""
        proc = self._proc
        if proc.poll() is None:
            proc.kill()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:  # what was left to write to a worker that is gone
                    pass
        proc.wait()

    # -- talking to the worker --------------------------------------------------------------

    def _checked(self) -> None:
        """Wait for the worker's verdict on the key; a refusal is raised as it was made."""
        if self._common_name is not None:
            return
        try:
            header, _blob = self._receive(CHECK_TIMEOUT)
        except EgovError:
            self.close()
            raise
        if "error" in header:
            self.close()
            raise_error(header)
        self._common_name = str(header["common_name"])

    def _fallback(self) -> DocumentSigner:
        from egovctl.documents.sign import load_signer

        self.close()
        if self._local is None:
            self._local = load_signer(self.settings, secret=self._secret, now=self._now)
        return self._local

    def _send(self, data: bytes) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(data)
            self._proc.stdin.flush()
        except (OSError, ValueError):
            raise Broken from None

    def _receive(self, timeout: float) -> tuple[dict[str, Any], bytes]:
        try:
            head, blob = decode_sizes(self._read(8, timeout))
            header = json.loads(self._read(head, timeout))
            data = self._read(blob, timeout)
        except (OSError, ValueError, struct.error):
            raise Broken from None
        if not isinstance(header, dict):
            raise Broken
        return header, data

    def _read(self, size: int, timeout: float) -> bytes:
        import select

        from egovctl.documents.external_signer import SigningError
        from egovctl.i18n import _

        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while len(self._buffer) < size:
            left = deadline - time.monotonic()
            ready, _w, _x = select.select([fd], [], [], max(left, 0))
            if not ready:
                self.close()
                raise SigningError(
                    _("the signing process gave no answer within {seconds} s").format(
                        seconds=round(timeout)
                    )
                )
            chunk = os.read(fd, max(size - len(self._buffer), 65536))
            if not chunk:
                raise Broken
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


# -- the worker's side ----------------------------------------------------------------------


def main() -> int:
    """Serve one parent: check the key, get pyHanko ready, sign what comes, until EOF."""
    # The protocol owns the real stdout; a stray print (a library's) goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    source = sys.stdin.buffer
    try:
        request, _blob = receive(source)
    except (EOFError, ValueError, struct.error):
        return 0
    from egovctl.documents.sign import Box, build_signer, check_key
    from egovctl.i18n import set_language

    set_language(request["lang"])
    settings = settings_from(request["settings"])
    try:
        checked = check_key(settings, request["passphrase"], datetime.fromisoformat(request["now"]))
    except Exception as exc:
        return _answer(out, error_message(exc))
    if _answer(out, {"common_name": checked.common_name}):
        return 0
    failure: dict[str, Any] | None = None
    try:
        signer = build_signer(checked)
        _warm_up(signer)
    except Exception as exc:
        failure = error_message(exc)
    while True:
        try:
            request, pdf = receive(source)
        except (EOFError, ValueError, struct.error):
            return 0
        if failure is not None:
            answer, data = failure, b""
        else:
            try:
                box = Box(*request["box"]) if request["box"] else None
                signed = signer.sign(pdf, doc_id=request["doc_id"], box=box, place=request["place"])
            except Exception as exc:
                answer, data = error_message(exc), b""
            else:
                answer = {
                    "signer": signed.signer,
                    "signed_at": signed.signed_at.isoformat(),
                    "timestamped": signed.timestamped,
                    "level": signed.level,
                    "warnings": list(signed.warnings),
                }
                data = signed.data
        if _answer(out, answer, data):
            return 0


def _answer(out: IO[bytes], header: dict[str, Any], blob: bytes = b"") -> int:
    """Send; 1 when the parent is gone (then the worker just ends)."""
    try:
        out.write(encode(header, blob))
        out.flush()
    except OSError:
        return 1
    return 0


def _warm_up(signer: DocumentSigner) -> None:
    """While the parent renders, sign a blank page once (never with the timestamp server nor
    the external signer): what pyHanko loads or builds on its first signature and its first
    check is then ready for the real one."""
    import dataclasses
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    from egovctl.documents.sign import Box, DocumentSigner

    if signer.settings.tsa_url:
        import pyhanko.sign.timestamps.requests_client  # noqa: F401
    if signer.is_external:
        import pyhanko.pdf_utils.reader  # noqa: F401
        import pyhanko.sign.validation  # noqa: F401

        return
    writer = PdfFileWriter()
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (0, 0, 420, 595)]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
        }
    )
    writer.insert_page(page)
    blank = BytesIO()
    writer.write(blank)
    alone = dataclasses.replace(signer.settings, tsa_url=None)
    DocumentSigner(alone, signer.cert, signer.pyhanko_signer, None, 0).sign(
        blank.getvalue(), doc_id="warm-up", box=Box(250, 40, 400, 120), place=None
    )


if __name__ == "__main__":
    sys.exit(main())
