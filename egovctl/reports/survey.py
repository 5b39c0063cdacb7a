"""Recording answers to the community satisfaction survey (SKM), one by one or from a CSV file.

Every answer is nine scores 1-4 in the order U1..U9 of PermenPANRB 14/2017 (an unsur the
respondent left blank is stored as NULL and left out of that unsur's NRR; at least one must be
answered), for one procedure and one day (the office's calendar day, never in the future),
optionally tied to the request it was about. A CSV import is all or nothing: the whole file
is checked first, every bad row is reported by line number and column, and only a clean file
is written, in one transaction with one Core executemany and one audit record.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import N_, _, ngettext
from egovctl.reports.ikm import MAX_SCORE, MIN_SCORE, UNSUR
from egovctl.timeutil import EARLIEST_RECORD, local_date, local_iso, now_utc

if TYPE_CHECKING:
    from egovctl.db import Database

HEADER = ("date", "procedure", *(u.lower() for u in UNSUR))
MAX_REPORTED_ERRORS = 100


def _score(text: str) -> int:
    """A score written in ASCII digits (``int`` would also read ١ or ４ as numbers)."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


ALL_BLANK = N_("every score is blank; an answer needs at least one unsur answered")
BLANKS = ("", "-")  # how an unanswered unsur is written in --scores (a CSV cell: empty)


def parse_scores(text: str) -> list[int | None]:
    """``"4,3,3,4,4,3,4,4,3"`` as nine integers (checked by ``check_scores``); an empty item
    or ``-`` is an unsur left blank: ``"4,3,-,4,4,3,4,4,3"``."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    try:
        scores = [None if p in BLANKS else _score(p) for p in parts]
    except ValueError:
        raise InvalidInput(
            _(
                "--scores {text}: write nine whole numbers 1-4 separated by commas, in the "
                "order U1..U9, e.g. 4,3,3,4,4,3,4,4,3 (- for one left blank)"
            ).format(text=repr(text))
        ) from None
    return check_scores(scores)


def check_scores(scores: Sequence[int | None]) -> list[int | None]:
    if len(scores) != len(UNSUR):
        raise InvalidInput(
            ngettext(
                "the survey has {unsur} elements (U1..U9); got {n} score",
                "the survey has {unsur} elements (U1..U9); got {n} scores",
                len(scores),
            ).format(unsur=len(UNSUR), n=len(scores))
        )
    bad = [
        f"{u}={s}"
        for u, s in zip(UNSUR, scores, strict=True)
        if s is not None and not MIN_SCORE <= s <= MAX_SCORE
    ]
    if bad:
        raise InvalidInput(
            _("scores must be {low} to {high}; out of range: {bad}").format(
                low=MIN_SCORE, high=MAX_SCORE, bad=", ".join(bad)
            )
        )
    if all(s is None for s in scores):
        raise InvalidInput(_(ALL_BLANK))
    return list(scores)


def _check_day(day: date, today: date, what: str) -> None:
    if day > today:
        raise InvalidInput(
            _("{what} {day} lies in the future (today is {today})").format(
                what=what, day=day.isoformat(), today=today.isoformat()
            )
        )
    if day < EARLIEST_RECORD:
        raise InvalidInput(
            _("{what} {day} is before {year}; check the year").format(
                what=what, day=day.isoformat(), year=EARLIEST_RECORD.year
            )
        )


def record(
    db: Database,
    actor: str,
    procedure_code: str,
    scores: Sequence[int | None],
    *,
    tz: str,
    reg_no: str | None = None,
    day: date | None = None,
) -> dict[str, Any]:
    """Record one respondent's answers; returns the stored answer."""
    from sqlalchemy import insert, select
    from sqlmodel import col

    from egovctl.catalogue.queries import get_procedure
    from egovctl.models import ServiceRequest, SurveyResponse
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    scores = check_scores(scores)
    now = now_utc()
    today = local_date(now, tz)
    day = day or today
    _check_day(day, today, "--at")
    with db.write() as session:
        proc = get_procedure(session, procedure_code)
        authorize(session, actor, "survey.record", proc.agency_id)
        request_id = None
        if reg_no:
            req = session.execute(
                select(
                    col(ServiceRequest.id),
                    col(ServiceRequest.reg_no),
                    col(ServiceRequest.procedure_id),
                    col(ServiceRequest.received_date),
                ).where(col(ServiceRequest.reg_no) == reg_no.strip().upper())
            ).one_or_none()
            if req is None:
                raise NotFound(
                    _("no request with registration number '{reg_no}'").format(reg_no=reg_no)
                )
            if req.procedure_id != proc.id:
                from egovctl.models import Procedure

                other = session.get_one(Procedure, req.procedure_id)
                raise InvalidInput(
                    _(
                        "request {reg_no} is for {other}, not {code}; record the answer "
                        "under the request's own procedure"
                    ).format(reg_no=req.reg_no, other=other.code, code=proc.code)
                )
            if day < req.received_date:
                raise InvalidInput(
                    _("--at {day} is before request {reg_no} was received ({received})").format(
                        day=day.isoformat(),
                        reg_no=req.reg_no,
                        received=req.received_date.isoformat(),
                    )
                )
            answered = session.execute(
                select(col(SurveyResponse.day)).where(col(SurveyResponse.request_id) == req.id)
            ).first()
            if answered is not None:
                raise InvalidInput(
                    _(
                        "request {reg_no} already has survey answers (of {day}); "
                        "one respondent answers once"
                    ).format(reg_no=req.reg_no, day=answered.day.isoformat())
                )
            request_id, reg_no = req.id, req.reg_no
        values = {
            "day": day,
            "procedure_id": proc.id,
            "request_id": request_id,
            **{u.lower(): s for u, s in zip(UNSUR, scores, strict=True)},
            "recorded_at": now,
            "recorded_by": actor,
        }
        new_id = session.execute(
            insert(SurveyResponse).values(**values).returning(col(SurveyResponse.id))
        ).scalar_one()
        result = {
            "id": new_id,
            "date": day.isoformat(),
            "procedure": proc.code,
            "reg_no": reg_no,
            "scores": dict(zip(UNSUR, scores, strict=True)),
            "recorded_by": actor,
            "recorded_at": local_iso(now, tz),
        }
        audit.append(
            session,
            actor,
            "survey.record",
            f"survey:{new_id}",
            {"procedure": proc.code, "date": day.isoformat(), "reg_no": reg_no, "scores": scores},
            at=now,
        )
        return result


def _read_rows(path: Path) -> tuple[list[tuple[int, list[str]]], bytes]:
    """(line number, cells) of every non-blank row after the header, and the raw bytes."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(_("no file {path}").format(path=path)) from None
    except IsADirectoryError:
        raise InvalidInput(_("{path} is a directory; give a CSV file").format(path=path)) from None
    try:
        text = raw.decode("utf-8-sig")  # a spreadsheet's BOM is not part of the header
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            _("{path}: not UTF-8 text (byte {byte}); save it as 'CSV UTF-8'").format(
                path=path, byte=exc.start
            )
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidInput(
                _("{path} is empty; it needs the header {header} and one answer per line").format(
                    path=path, header=",".join(HEADER)
                )
            )
        _check_header(path, header)
        rows = []
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if any(c.strip() for c in cells):
                rows.append((start, cells))
    except csv.Error as exc:
        raise InvalidInput(
            _("{path}, line {line}: cannot read the CSV: {problem}").format(
                path=path, line=reader.line_num, problem=exc
            )
        ) from None
    if not rows:
        raise InvalidInput(_("{path} has a header but no answers").format(path=path))
    return rows, raw


def _check_header(path: Path, header: list[str]) -> None:
    found = tuple(h.strip().lower() for h in header)
    if found == HEADER:
        return
    expected = ",".join(HEADER)
    message = _("{path}, line 1: the header must be exactly {expected}").format(
        path=path, expected=expected
    )
    if len(header) == 1 and ";" in header[0]:
        raise InvalidInput(
            message,
            details=[_("the columns are separated by ';'; save the file as CSV with commas")],
        )
    problems = []
    for i, name in enumerate(HEADER):
        got = found[i] if i < len(found) else None
        if got is None:
            problems.append(_("column {n} should be '{name}', missing").format(n=i + 1, name=name))
        elif got != name:
            problems.append(
                _("column {n} should be '{name}', found '{found}'").format(
                    n=i + 1, name=name, found=header[i].strip()
                )
            )
    if len(found) > len(HEADER):
        extra = header[len(HEADER) :]
        problems.append(
            ngettext(
                "unexpected extra column {columns}",
                "unexpected extra columns {columns}",
                len(extra),
            ).format(columns=", ".join(f"'{h.strip()}'" for h in extra))
        )
    raise InvalidInput(message, details=problems)


def import_csv(
    db: Database, actor: str, path: str | Path, *, tz: str, again: bool = False
) -> dict[str, Any]:
    """Import a CSV file of answers (header ``date,procedure,u1,...,u9``), all or nothing.

    A file whose exact content was imported before is refused unless ``again``: importing
    it twice would count every respondent twice.
    """
    from sqlalchemy import insert, select
    from sqlmodel import col

    from egovctl.models import AuditRecord, Procedure, SurveyResponse
    from egovctl.reports.query import table
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    path = Path(path)
    rows, raw = _read_rows(path)
    digest = hashlib.sha256(raw).hexdigest()
    now = now_utc()
    today = local_date(now, tz)
    with db.write() as session:
        if not again:
            # Audit details are canonical JSON, so the digest appears exactly like this.
            earlier = session.execute(
                select(col(AuditRecord.at), col(AuditRecord.entity))
                .where(
                    col(AuditRecord.action) == "survey.import",
                    col(AuditRecord.details).contains(f'"sha256":"{digest}"'),
                )
                .order_by(col(AuditRecord.id))
            ).first()
            if earlier is not None:
                raise InvalidInput(
                    _(
                        "{path} was imported before ({name}, {at}); its answers are counted "
                        "already. Use --again to add them a second time"
                    ).format(
                        path=path,
                        name=earlier.entity.partition(":")[2],
                        at=local_iso(earlier.at, tz),
                    )
                )
        codes = {cells[1].strip().upper() for _line, cells in rows if len(cells) > 1}
        known: dict[str, int] = (
            {
                code: pid
                for code, pid in session.execute(
                    select(col(Procedure.code), col(Procedure.id)).where(
                        col(Procedure.code).in_(codes)
                    )
                )
                if pid is not None
            }
            if codes
            else {}
        )
        errors: list[str] = []
        bad_lines: set[int] = set()
        values: list[dict[str, Any]] = []
        for line, cells in rows:
            problems = _check_row(cells, known, today)
            if problems:
                errors.extend(
                    _("line {line}: {problem}").format(line=line, problem=p) for p in problems
                )
                bad_lines.add(line)
                continue
            day, code, scores = (
                date.fromisoformat(cells[0].strip()),
                cells[1].strip().upper(),
                [None if c.strip() in BLANKS else _score(c.strip()) for c in cells[2:]],
            )
            values.append(
                {
                    "day": day,
                    "procedure_id": known[code],
                    "request_id": None,
                    **{u.lower(): s for u, s in zip(UNSUR, scores, strict=True)},
                    "recorded_at": now,
                    "recorded_by": actor,
                    "_code": code,
                }
            )
        if errors:
            shown = errors[:MAX_REPORTED_ERRORS]
            if len(errors) > len(shown):
                shown.append(_("... and {n} more").format(n=len(errors) - len(shown)))
            raise InvalidInput(
                ngettext(
                    "{path}: {bad} bad row of {n}; nothing was imported",
                    "{path}: {bad} bad rows of {n}; nothing was imported",
                    len(bad_lines),
                ).format(path=path, bad=len(bad_lines), n=len(rows)),
                details=shown,
            )
        agency_ids = set(
            session.execute(
                select(col(Procedure.agency_id)).where(col(Procedure.id).in_(set(known.values())))
            ).scalars()
        )
        for agency_id in sorted(agency_ids):
            authorize(session, actor, "survey.record", agency_id)
        per_procedure: dict[str, int] = {}
        for v in values:
            code = v.pop("_code")
            per_procedure[code] = per_procedure.get(code, 0) + 1
        session.execute(insert(table(SurveyResponse)), values)  # one executemany
        days = [v["day"] for v in values]
        summary = {
            "file": str(path),
            "imported": len(values),
            "from": min(days).isoformat(),
            "to": max(days).isoformat(),
            "procedures": dict(sorted(per_procedure.items())),
            "blank_answers": sum(v[u.lower()] is None for v in values for u in UNSUR),
        }
        audit.append(
            session,
            actor,
            "survey.import",
            f"survey-import:{path.name}",
            {**summary, "sha256": digest},
            at=now,
        )
        return summary


def _check_row(cells: list[str], known: dict[str, int], today: date) -> list[str]:
    if len(cells) != len(HEADER):
        return [
            ngettext(
                "{n} column, expected {expected} ({header})",
                "{n} columns, expected {expected} ({header})",
                len(cells),
            ).format(n=len(cells), expected=len(HEADER), header=",".join(HEADER))
        ]
    problems = []
    text = cells[0].strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        problems.append(
            _("column date: '{text}' is not a date; write it as 2026-11-27").format(text=text)
        )
    else:
        if day > today:
            problems.append(_("column date: {text} lies in the future").format(text=text))
        elif day < EARLIEST_RECORD:
            problems.append(
                _("column date: {text} is before {year}; check the year").format(
                    text=text, year=EARLIEST_RECORD.year
                )
            )
    code = cells[1].strip().upper()
    if not code:
        problems.append(_("column procedure: empty; give a procedure code"))
    elif code not in known:
        problems.append(_("column procedure: no procedure '{code}'").format(code=cells[1].strip()))
    if all(cell.strip() in BLANKS for cell in cells[2:]):
        problems.append(_(ALL_BLANK))
    for name, cell in zip(HEADER[2:], cells[2:], strict=True):
        value = cell.strip()
        if value in BLANKS:  # left blank by the respondent: not counted for this unsur
            continue
        try:
            score = _score(value)
        except ValueError:
            problems.append(
                _("column {name}: '{value}' is not a score {low}-{high}").format(
                    name=name, value=value, low=MIN_SCORE, high=MAX_SCORE
                )
            )
            continue
        if not MIN_SCORE <= score <= MAX_SCORE:
            problems.append(
                _("column {name}: {score} is out of range {low}-{high}").format(
                    name=name, score=score, low=MIN_SCORE, high=MAX_SCORE
                )
            )
    return problems
