"""Public information: the service catalogue as a static website (SPEC §9).

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
status, procedure, and the dates of receipt, due and completion (see ``public_requests``).

Re-publishing is atomic for readers: the new site is written into a hidden sibling folder
and swapped in with two renames; a folder that exists and is not a previous egovctl output
(it has files but no marker) is refused rather than deleted. ``egovctl.public.open311`` shares
``public_catalogue``, ``public_requests`` and ``replace_dir``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import EgovError, InvalidInput, NotFound

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.config import Config
    from egovctl.db import Database

Progress = Callable[[str, int, int], None]

MARKER = ".egovctl-site"
KIND_LABELS = {
    "site": "website (egovctl publish site)",
    "open311": "Open311 export (egovctl export open311)",
}
# Requests shown publicly: every one not yet handed over or closed, and those delivered,
# rejected or cancelled within this many days (what Open311 servers list by default).
PUBLIC_WINDOW_DAYS = 90
# The due date is a calendar day; as a moment it is the end of that office day.
OFFICE_DAY_END = time(16, 0)

# Status as a citizen reads it: (label, what to do next or None).
PUBLIC_STATUS: dict[str, tuple[str, str | None]] = {
    "in_progress": ("Sedang diproses", None),
    "on_hold": (
        "Ditunda, menunggu kelengkapan dari pemohon",
        "Silakan hubungi loket pelayanan untuk melengkapi persyaratan. Jangka waktu "
        "penyelesaian berhenti selama permohonan ditunda.",
    ),
    "ready": (
        "Selesai, dokumen siap diambil",
        "Silakan ambil di loket pelayanan dengan membawa bukti pendaftaran.",
    ),
    "delivered": ("Sudah diserahkan", None),
    "rejected": ("Ditolak", "Silakan hubungi loket pelayanan untuk mengetahui alasannya."),
    "cancelled": ("Dibatalkan", None),
}
_EPOCH = date(1970, 1, 1)


# -- the catalogue and the requests, as the public may see them -------------------------------


def public_catalogue(session: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All agencies (by name) and the active procedures (by code) as plain dicts."""
    from sqlalchemy import select

    from egovctl.catalogue.queries import agency_dict, procedure_dict
    from egovctl.models import Agency, Procedure

    agencies = [
        agency_dict(a)
        for a in session.execute(select(Agency).order_by(Agency.name, Agency.code)).scalars()
    ]
    procedures = []
    for proc in session.execute(
        select(Procedure).where(Procedure.active).order_by(Procedure.code)
    ).scalars():
        data = procedure_dict(session, proc)
        data.pop("version_id")
        procedures.append(data)
    return agencies, procedures


def public_requests(session: Session, tz: str, now: datetime) -> list[dict[str, Any]]:
    """The requests the public may look up, newest received first, without personal data.

    Every request still in progress, on hold or ready for pickup, and those delivered,
    rejected or cancelled in the last ``PUBLIC_WINDOW_DAYS`` days. No name, NIK, phone,
    address, note or reason is read, so none can leak.
    """
    from sqlalchemy import and_, func, or_, select

    from egovctl.models import Agency, Procedure, ProcedureVersion, RequestEvent
    from egovctl.models import ServiceRequest as R
    from egovctl.timeutil import local_date, zone

    today = local_date(now, tz)
    cutoff = today - timedelta(days=PUBLIC_WINDOW_DAYS)
    cutoff_at = datetime.combine(cutoff, time(0), tzinfo=zone(tz)).astimezone(UTC)
    last_event = (
        select(func.max(RequestEvent.at))
        .where(RequestEvent.request_id == R.id)
        .correlate(R)
        .scalar_subquery()
    )
    query = (
        select(
            R.reg_no,
            R.status,
            R.received_at,
            R.received_date,
            R.due_date,
            R.ready_date,
            R.delivered_at,
            R.closed_date,
            R.updated_at,
            Procedure.code,
            ProcedureVersion.name,
            ProcedureVersion.sla_days,
            ProcedureVersion.fee,
            Agency.code,
            Agency.name,
            last_event,
        )
        .join(Procedure, Procedure.id == R.procedure_id)
        .join(ProcedureVersion, ProcedureVersion.id == R.version_id)
        .join(Agency, Agency.id == R.agency_id)
        .where(
            or_(
                R.status.in_(("in_progress", "on_hold", "ready")),
                and_(R.status == "delivered", R.delivered_at >= cutoff_at),
                and_(R.status.in_(("rejected", "cancelled")), R.closed_date >= cutoff),
            )
        )
        .order_by(R.received_at.desc(), R.id.desc())
    )
    rows = []
    for (
        reg_no,
        status,
        received_at,
        received_date,
        due,
        ready_date,
        delivered_at,
        closed_date,
        updated_at,
        code,
        name,
        sla_days,
        fee,
        agency,
        agency_name,
        last_at,
    ) in session.execute(query):
        finished = {
            "ready": ready_date,
            "rejected": closed_date,
            "cancelled": closed_date,
            "delivered": local_date(delivered_at, tz) if delivered_at else None,
        }.get(status)
        rows.append(
            {
                "reg_no": reg_no,
                "status": status,
                "procedure": code,
                "procedure_name": name,
                "sla_days": sla_days,
                "fee": fee,
                "agency": agency,
                "agency_name": agency_name,
                "received_at": received_at,
                "received_date": received_date,
                "due_date": due,
                "finished_date": finished,
                "updated_at": last_at or updated_at,
            }
        )
    return rows


def status_label(status: str) -> str:
    return PUBLIC_STATUS[status][0]


def due_moment(due: date, tz: str) -> datetime:
    """The due date as an aware moment: the end of that office day in the office's zone."""
    from egovctl.timeutil import zone

    return datetime.combine(due, OFFICE_DAY_END, tzinfo=zone(tz))


# -- replacing an output folder atomically -------------------------------------------------


def check_target(outdir: Path | str, kind: str) -> Path:
    """The folder to (re)write, refused if it holds anything egovctl did not put there."""
    given = Path(outdir).expanduser()
    # A symlinked document root keeps its link: the real folder behind it is swapped.
    path = given.resolve()
    if path.parent == path:
        raise InvalidInput(f"cannot publish to {given}: choose a folder, not the root")
    if path.exists() and not path.is_dir():
        raise InvalidInput(f"cannot publish to {given}: it is a file, not a folder")
    if path.is_dir():
        marker = path / MARKER
        if marker.is_file():
            found = _marker_kind(marker)
            if found != kind:
                raise InvalidInput(
                    f"{given} holds an egovctl {KIND_LABELS.get(found, found)}, not an "
                    f"{KIND_LABELS[kind]}; publish each into its own folder"
                )
        elif any(path.iterdir()):
            raise InvalidInput(
                f"{given} exists and was not made by egovctl (it has files but no {MARKER} "
                "file), so it is not replaced; choose a new or empty folder, or remove this "
                "one yourself"
            )
    if not path.parent.is_dir():
        raise NotFound(f"cannot publish to {given}: folder {path.parent} does not exist")
    return path


def _marker_kind(marker: Path) -> str:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        return str(data.get("kind", "site")) if isinstance(data, dict) else "site"
    except (OSError, ValueError):
        return "site"  # an unreadable marker is still ours: the name is egovctl's


def replace_dir(
    target: Path, kind: str, build: Callable[[Path], None], generated_at: datetime
) -> None:
    """Build the new folder beside ``target`` and swap it in; the old one is deleted.

    Readers see the old folder or the new one, never a half-written one: between the two
    renames the path is briefly absent, never partial. A failure leaves the old folder as it
    was and removes the half-built one.
    """
    from egovctl import __version__

    parent = target.parent
    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.new-"))
    except OSError as exc:
        raise EgovError(f"cannot write in {parent}: {exc.strerror}") from None
    old: Path | None = None
    try:
        build(tmp)
        (tmp / MARKER).write_text(
            json.dumps(
                {
                    "generator": "egovctl",
                    "version": __version__,
                    "kind": kind,
                    "generated_at": generated_at.isoformat(timespec="seconds"),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        # mkdtemp makes the folder private; a web server must be able to read it.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        check_target(target, kind)  # it may have changed while we were building
        try:
            if target.exists():
                old = parent / f".{target.name}.old-{uuid.uuid4().hex[:12]}"
                os.rename(target, old)
            try:
                os.rename(tmp, target)
            except OSError:
                if old is not None:
                    os.rename(old, target)
                    old = None
                raise
        except OSError as exc:
            raise EgovError(
                f"could not replace {target}: {exc.strerror or exc}; it is left "
                "as it was (is another publish running?)"
            ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def public_snapshot(
    db: Database, actor: str, tz: str, now: datetime | None, *, with_requests: bool, verb: str
) -> tuple[datetime, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """What may be published, read in one transaction: (now in the office's zone, agencies,
    active procedures, recent requests without personal data, if asked for).

    Refuses an empty catalogue: publishing it would replace the public copy with nothing,
    which most likely means the wrong database.
    """
    from egovctl.staff.access import authorize
    from egovctl.timeutil import now_utc, zone

    now = (now or now_utc()).astimezone(zone(tz))
    with db.read() as session:
        authorize(session, actor, "publish")  # in the same snapshot as what it publishes
        agencies, procedures = public_catalogue(session)
        requests = public_requests(session, tz, now) if with_requests else []
    if not procedures:
        raise NotFound(
            f"no active procedures to {verb}; import the catalogue first (egovctl procedure import)"
        )
    return now, agencies, procedures, requests


# -- the website -----------------------------------------------------------------------------


def publish_site(
    db: Database,
    actor: str,
    config: Config,
    outdir: Path | str,
    *,
    status: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
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
    result: dict[str, Any] = {}

    def build(tmp: Path) -> None:
        result.update(
            _build_site(
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
        )

    replace_dir(target, "site", build, now)
    return {
        "outdir": str(target),
        "index": str(target / "index.html"),
        "generated_at": now.isoformat(timespec="seconds"),
        **result,
    }


def _build_site(
    out: Path,
    rend: Any,
    config: Config,
    agencies: list[dict[str, Any]],
    procedures: list[dict[str, Any]],
    requests: list[dict[str, Any]] | None,
    now: datetime,
    tick: Progress,
    complaints: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
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
        tick("writing pages", done, total)

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
    out_info = {
        "procedures": len(procedures),
        "agencies": len(agencies),
        "pages": done,
        "status": has_status,
    }
    if has_status:
        out_info["requests"] = len(requests or [])
        out_info["complaints"] = len(complaints or [])
    return out_info


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
    requests: list[dict[str, Any]],
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


def _asset_source(rend: Any, name: str) -> Path:
    for folder in (rend.office_dir, rend.bundled_dir):
        if folder is not None and (folder / "site" / name).is_file():
            return folder / "site" / name
    raise NotFound(f"site asset site/{name} not found in the templates directories")


def _asset(out: Path, rend: Any, name: str) -> str:
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
        raise NotFound(f"logo file {path} does not exist (config [office] logo)")
    name = "logo" + path.suffix.lower()
    shutil.copyfile(path, out / name)
    return name
