"""Public information: the service catalogue as a static website (docs/public.md).

``publish_site`` renders the active procedures with the Jinja templates under
``templates/site/`` (an office may override any of them, and the CSS and scripts, by name in
its own ``templates/site/``) into a folder of plain files that works opened from disk
(``file://``), from a kiosk (anjungan) or behind any web server, with no internet::

    index.html                 every agency and procedure, with a search box
    layanan/<CODE>.html        one procedure: the six published components of the standard
                               (PermenPANRB 15/2014) plus legal basis and service hours
    instansi/<AGENCY>.html     one agency: contact, head, maklumat pelayanan, its procedures
    status.html                (--status) look up a registration number
    site.<hash>.css, site.<hash>.js, status.<hash>.js, status-data.<hash>.js
    .egovctl-site              marker: this folder is egovctl's to replace

Assets carry a hash of their content in their name, so a browser or proxy never pairs a new
page with a stale script, and above all never shows yesterday's statuses. The search index
lives in the page itself (``data-search`` on each entry): browsers refuse ``fetch()`` of a
JSON file under ``file://``. The status data is a ``<script>`` that sets a global, for the
same reason.

Personal data never leaves the database: the status data holds only registration number,
status, procedure, and the dates of receipt, due and completion (what
``egovctl.public.snapshot`` reads). Re-publishing is atomic for readers
(``egovctl.public.outdir``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from egovctl.errors import NotFound
from egovctl.i18n import _
from egovctl.public.outdir import check_target, replace_dir
from egovctl.public.snapshot import PUBLIC_STATUS, PUBLIC_WINDOW_DAYS, public_snapshot

if TYPE_CHECKING:
    from egovctl.config import Config
    from egovctl.db import Database
    from egovctl.documents.render import Renderer
    from egovctl.public.snapshot import PublicRequest

Progress = Callable[[str, int, int], None]

_EPOCH = date(1970, 1, 1)


class SiteSummary(TypedDict):
    """What ``publish site`` wrote, as its ``--json`` prints it."""

    outdir: str
    index: str
    generated_at: str
    procedures: int
    agencies: int
    pages: int
    status: bool
    requests: NotRequired[int]  # with --status: the requests the look-up knows
    complaints: NotRequired[int]  # with --status: the complaints the look-up knows


def publish_site(
    db: Database,
    actor: str,
    config: Config,
    outdir: Path | str,
    *,
    status: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> SiteSummary:
    """Write the catalogue website into ``outdir`` (replacing a previous one atomically)."""
    from egovctl.documents.printing import renderer

    tick = progress or (lambda _phase, _done, _total: None)
    target = check_target(outdir, "site")
    now, agencies, procedures, requests = public_snapshot(
        db, actor, config.timezone, now, with_requests=status, verb="publish"
    )
    complaints: list[dict[str, Any]] = []
    if status:
        from egovctl.complaints.public import public_complaints

        with db.read() as session:
            complaints = public_complaints(session, config.timezone, now, PUBLIC_WINDOW_DAYS)
    rend = renderer(config)
    pages = 0

    def build(tmp: Path) -> None:
        nonlocal pages
        pages = _build_site(
            tmp,
            rend,
            config,
            agencies,
            procedures,
            requests if status else None,
            now,
            tick,
            complaints,
        )

    replace_dir(target, "site", build, now)
    summary: SiteSummary = {
        "outdir": str(target),
        "index": str(target / "index.html"),
        "generated_at": now.isoformat(timespec="seconds"),
        "procedures": len(procedures),
        "agencies": len(agencies),
        "pages": pages,
        "status": status,
    }
    if status:
        summary["requests"] = len(requests)
        summary["complaints"] = len(complaints)
    return summary


def _build_site(
    out: Path,
    rend: Renderer,
    config: Config,
    agencies: list[dict[str, Any]],
    procedures: list[dict[str, Any]],
    requests: list[PublicRequest] | None,
    now: datetime,
    tick: Progress,
    complaints: list[dict[str, Any]] | None = None,
) -> int:
    """Write the pages and assets into ``out``; the number of pages."""
    by_agency: dict[str, list[dict[str, Any]]] = {a["code"]: [] for a in agencies}
    agency_of = {a["code"]: a for a in agencies}
    for proc in procedures:
        proc["search"] = _search_text(proc, agency_of[proc["agency"]])
        by_agency[proc["agency"]].append(proc)
    for procs in by_agency.values():
        procs.sort(key=lambda p: (p["name"].casefold(), p["code"]))

    assets = {"css": _asset(out, rend, "site.css"), "js": _asset(out, rend, "site.js")}
    logo = _copy_logo(out, config)
    has_status = requests is not None
    if has_status:
        assets["status_js"] = _asset(out, rend, "status.js")
        data = status_data(requests or [], procedures, now, complaints)
        assets["status_data"] = _write_hashed(
            out,
            "status-data",
            ".js",
            (
                "/* Status permohonan untuk halaman status.html; dibuat oleh egovctl. */\n"
                f"window.EGOVCTL_STATUS = {json.dumps(data, separators=(',', ':'))};\n"
            ),
        )
    common = {"assets": assets, "site_logo": logo, "generated_at": now, "has_status": has_status}
    total = len(procedures) + len(agencies) + 1 + has_status
    done = 0

    def page(template: str, path: Path, root: str, **context: Any) -> None:
        nonlocal done
        html = rend.render_html(f"site/{template}", {**common, "root": root, **context})
        path.write_text(html, encoding="utf-8", newline="\n")
        done += 1
        tick(_("writing pages"), done, total)

    groups = [{"agency": a, "procedures": by_agency[a["code"]]} for a in agencies]
    page("index.html.j2", out / "index.html", "", groups=groups, total=len(procedures))
    (out / "layanan").mkdir()
    for proc in procedures:
        page(
            "procedure.html.j2",
            out / "layanan" / f"{proc['code']}.html",
            "../",
            procedure=proc,
            agency=agency_of[proc["agency"]],
        )
    (out / "instansi").mkdir()
    for agency in agencies:
        page(
            "agency.html.j2",
            out / "instansi" / f"{agency['code']}.html",
            "../",
            agency=agency,
            procedures=by_agency[agency["code"]],
        )
    if has_status:
        example = f"{agencies[0]['code'] if agencies else 'DISDUKCAPIL'}-{now.year}-000042"
        page(
            "status.html.j2",
            out / "status.html",
            "",
            window_days=PUBLIC_WINDOW_DAYS,
            example=example,
            count=len(requests or []),
        )
    return done


def _fold(text: str) -> str:
    """Lower case without accents, as the search script folds what is typed."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _search_text(proc: dict[str, Any], agency: dict[str, Any]) -> str:
    parts: Sequence[str | None] = (
        proc["name"],
        proc["code"],
        proc["code"].replace("-", " "),
        proc.get("category"),
        proc.get("product"),
        agency["name"],
        agency["code"],
    )
    return _fold(" ".join(" ".join(p.split()) for p in parts if p))


def status_data(
    requests: list[PublicRequest],
    procedures: list[dict[str, Any]],
    now: datetime,
    complaints: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The compact look-up table behind status.html.

    ``{"v": 1, "generated": ISO, "window_days": 90,
       "statuses": [[status, label, hint|null], ...],    # indexed by position
       "procedures": [[code, name, has_page 0|1], ...],  # indexed by position
       "requests": {prefix: {serial: [status, procedure, received, due, finished|null]}}}``

    A registration number ``DISDUKCAPIL-2026-000042`` is stored as prefix
    ``DISDUKCAPIL-2026`` and serial ``000042``; days are counted from 1970-01-01 (what
    JavaScript's ``Date`` takes in milliseconds, divided by 86 400 000). About 30 bytes per
    request: 100 000 open and recent requests make a 3 MB file.

    Complaint numbers (``ADU-...``) are looked up too, in ``complaint_statuses`` and
    ``complaints`` (``egovctl.complaints.public``): status and dates only.
    """
    status_index = {s: i for i, s in enumerate(PUBLIC_STATUS)}
    active = {p["code"] for p in procedures}
    proc_index: dict[str, int] = {}
    proc_list: list[list[Any]] = []
    table: dict[str, dict[str, list[Any]]] = {}
    for req in requests:
        code = req["procedure"]
        if code not in proc_index:
            proc_index[code] = len(proc_list)
            proc_list.append([code, req["procedure_name"], int(code in active)])
        prefix, _, serial = req["reg_no"].rpartition("-")
        finished = req["finished_date"]
        table.setdefault(prefix, {})[serial] = [
            status_index[req["status"]],
            proc_index[code],
            _day(req["received_date"]),
            _day(req["due_date"]),
            _day(finished) if finished else None,
        ]
    return {
        "v": 1,
        "generated": now.isoformat(timespec="seconds"),
        "window_days": PUBLIC_WINDOW_DAYS,
        "statuses": [[key, *words] for key, words in PUBLIC_STATUS.items()],
        "procedures": proc_list,
        "requests": table,
        **_complaint_data(complaints or []),
    }


def _complaint_data(complaints: list[dict[str, Any]]) -> dict[str, Any]:
    from egovctl.complaints.public import complaint_status_data

    data = complaint_status_data(complaints, _day)
    return {"complaint_statuses": data["statuses"], "complaints": data["complaints"]}


def _day(value: date) -> int:
    return (value - _EPOCH).days


def _asset_source(rend: Renderer, name: str) -> Path:
    for folder in (rend.office_dir, rend.bundled_dir):
        if folder is not None and (folder / "site" / name).is_file():
            return folder / "site" / name
    raise NotFound(
        _("site asset {name} not found in the templates directories").format(name=f"site/{name}")
    )


def _asset(out: Path, rend: Renderer, name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return _write_hashed(
        out, stem, dot + suffix, _asset_source(rend, name).read_text(encoding="utf-8")
    )


def _write_hashed(out: Path, stem: str, suffix: str, text: str) -> str:
    data = text.encode("utf-8")
    name = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
    (out / name).write_bytes(data)
    return name


def _copy_logo(out: Path, config: Config) -> str | None:
    logo = config.office.logo
    if not logo:
        return None
    path = Path(logo)
    if not path.is_file():
        raise NotFound(
            _("logo file {path} does not exist (config [office] logo)").format(path=path)
        )
    name = "logo" + path.suffix.lower()
    shutil.copyfile(path, out / name)
    return name
