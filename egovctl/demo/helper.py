"""Making the rows of a large load in a second process, so that making them (pure Python)
overlaps with writing them (mostly SQLite)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.demo.history import History
from egovctl.errors import EgovError
from egovctl.i18n import _

if TYPE_CHECKING:
    from egovctl.demo.history import Outcome
    from egovctl.demo.load import Packed
    from egovctl.demo.plan import Setup

#: From this many, the rows are made in a helper process while this one writes.
PARALLEL_AT = 100_000


@contextmanager
def row_source(setup: Setup, n: int) -> Iterator[History | Helper]:
    """Where the rows come from: this process for small loads; for large ones a second
    process, so that making rows (pure Python) overlaps with writing them (mostly SQLite)."""
    import sys

    if n < PARALLEL_AT or (os.cpu_count() or 1) < 2 or not sys.executable:
        yield History(setup)
        return
    helper = Helper(setup)
    try:
        yield helper
    finally:
        helper.close()


class Helper:
    """Runs ``History`` in ``python -c`` and reads its packed batches from a pipe.

    Setup goes in pickled on stdin; each batch comes back as a frame (kind byte, length,
    marshal data), the last frame being the outcome. The pipe holds one batch, so the helper
    makes the next batch while this process writes the current one.
    """

    def __init__(self, setup: Setup) -> None:
        import subprocess
        import sys

        self.setup = setup
        self._outcome: Outcome | None = None
        # The helper must run this very egovctl, not one it might find in its working
        # directory (-P) or elsewhere on the path.
        here = str(Path(__file__).resolve().parent.parent.parent)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-P",
                "-c",
                f"import sys; sys.path.insert(0, {here!r}); "
                "from egovctl.demo.helper import helper_main; helper_main()",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def packed(self, n: int) -> Iterator[Packed]:
        import marshal
        import pickle

        assert self.proc.stdin is not None and self.proc.stdout is not None
        pickle.dump((self.setup, n), self.proc.stdin)
        self.proc.stdin.close()
        read = self.proc.stdout.read
        while True:
            head = read(9)
            size = int.from_bytes(head[1:], "little") if len(head) == 9 else -1
            blob = read(size) if size >= 0 else b""
            if len(blob) != size:
                raise self._failure()
            if head[:1] == b"E":
                self._outcome = marshal.loads(blob)
                return
            yield marshal.loads(blob)

    def outcome(self) -> Outcome:
        assert self._outcome is not None
        return self._outcome

    def _failure(self) -> EgovError:
        self.proc.wait()
        assert self.proc.stderr is not None
        lines = self.proc.stderr.read().decode(errors="replace").strip().splitlines()
        if not lines:
            return EgovError(
                _(
                    "the helper process that makes the demo data stopped (exit {code}) "
                    "without a message"
                ).format(code=self.proc.returncode)
            )
        return EgovError(
            _(
                "the helper process that makes the demo data stopped (exit {code}): {message}"
            ).format(code=self.proc.returncode, message=lines[-1])
        )

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def helper_main() -> None:
    """The helper process: make the history and write it to stdout in frames."""
    import gc
    import marshal
    import pickle
    import sys

    # Millions of tuples and no reference cycles: the collector would only walk them.
    gc.disable()
    setup, n = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    history = History(setup)

    def frame(kind: bytes, value: Any) -> None:
        blob = marshal.dumps(value)
        out.write(kind + len(blob).to_bytes(8, "little"))
        out.write(blob)

    for batch in history.packed(n):
        frame(b"B", batch)
    frame(b"E", history.outcome())
    out.flush()
