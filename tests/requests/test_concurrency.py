"""Several counters logging at the same moment never share or skip a registration number."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import Cli, python_argv

WORKERS = 4
PER_WORKER = 8

SCRIPT = """
import sys
from egovctl.db import Database
from egovctl.requests.service import Applicant, log_request
db = Database(sys.argv[1])
applicant = Applicant.checked("Warga Uji", "1906034507890001", None, None)
sys.stdin.readline()  # start together
for i in range({n}):
    log_request(db, "loket", "DUKCAPIL-KTP-EL", applicant, tz="Asia/Jakarta")
"""


def test_parallel_counters_get_numbers_one_to_n(catalogue: Cli, tmp_path: Path) -> None:
    script = tmp_path / "counter.py"
    script.write_text(SCRIPT.format(n=PER_WORKER), encoding="utf-8")
    procs = [
        subprocess.Popen(
            python_argv(str(script), catalogue.db_url),
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    for p in procs:  # all are loaded and waiting; release them at once
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        assert "locked" not in err
    rows = catalogue.ok("request", "list", "--limit", "1000", "--json").json()
    numbers = sorted(int(r["reg_no"].rsplit("-", 1)[1]) for r in rows)
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))
    catalogue.ok("audit", "verify")
