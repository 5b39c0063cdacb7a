"""`egovctl report ikm`: the satisfaction index of a period, per procedure and agency.

The database adds up the answers (COUNT and SUM per unsur, grouped by procedure) and counts
the requests received for the procedures surveyed (the population of the sample check); the
arithmetic of the index and of the minimum sample is ``ikm.py``'s. Indexes used:
``survey_response.day``, and (received_date, procedure_id) on ``service_request``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput
from egovctl.i18n import _
from egovctl.reports.ikm import (
    EXACT_WEIGHT,
    UNSUR,
    UNSUR_NAMES,
    IkmResult,
    combine,
    compute,
    min_sample,
)
from egovctl.reports.periods import Period
from egovctl.reports.query import procedure_names, reading, sorted_rows, table

if TYPE_CHECKING:
    from egovctl.db import Database


BREAKDOWNS = ("procedure", "agency")


def ikm(
    db: Database,
    actor: str,
    period: Period,
    *,
    agency: str | None = None,
    procedure: str | None = None,
    weight: Fraction = EXACT_WEIGHT,
    population: int | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """The satisfaction index of the period: overall, per agency and per procedure (or only
    the breakdown ``by`` names), each with its sample check.

    The population is the number of requests received in the period for the procedures
    surveyed, unless the office gives its own (``[survey] population``): then only the
    overall index is checked, the breakdowns have no population of their own.
    """
    from sqlalchemy import func, select
    from sqlmodel import col

    from egovctl.models import Procedure, ServiceRequest, SurveyResponse

    if by is not None and by not in BREAKDOWNS:
        raise InvalidInput(_("--by {by}: write procedure or agency").format(by=repr(by)))
    s = table(SurveyResponse)
    r = table(ServiceRequest)
    with reading(db, actor, agency, procedure) as (session, scope):
        where = [s.c.day >= period.start, s.c.day <= period.end]
        if scope.procedure_id is not None:
            where.append(s.c.procedure_id == scope.procedure_id)
        if scope.agency_id is not None:
            where.append(
                s.c.procedure_id.in_(
                    select(col(Procedure.id)).where(col(Procedure.agency_id) == scope.agency_id)
                )
            )
        unsur_cols = [s.c[u.lower()] for u in UNSUR]
        # COUNT(column) counts the answers given, SUM adds them: a blank is neither.
        grouped = session.execute(
            select(
                s.c.procedure_id,
                func.count(),
                *(func.count(c) for c in unsur_cols),
                *(func.coalesce(func.sum(c), 0) for c in unsur_cols),
            )
            .where(*where)
            .group_by(s.c.procedure_id)
        ).all()
        n = len(UNSUR)
        per_proc = {
            g[0]: compute(
                g[1], [int(x) for x in g[2 + n :]], [int(x) for x in g[2 : 2 + n]], weight=weight
            )
            for g in grouped
        }
        users: dict[int, int] = dict.fromkeys(per_proc, 0)
        if per_proc:
            for pid, count in session.execute(
                select(r.c.procedure_id, func.count())
                .where(
                    r.c.received_date >= period.start,
                    r.c.received_date <= period.end,
                    r.c.procedure_id.in_(list(per_proc)),
                )
                .group_by(r.c.procedure_id)
            ):
                users[pid] = int(count)
        names = procedure_names(session, per_proc)
    own = population is None

    def row(result: IkmResult, people: int | None) -> dict[str, Any]:
        data = {**result.as_dict(), **sample(result, people)}
        for key in ("message", "weight"):
            data.pop(key, None)
        return data

    by_procedure = sorted_rows(
        {
            "procedure": names[pid]["procedure"],
            "procedure_name": names[pid]["procedure_name"],
            "agency": names[pid]["agency"],
            **row(res, users[pid] if own else None),
        }
        for pid, res in per_proc.items()
    )
    agencies: dict[str, list[int]] = {}
    for pid in per_proc:
        agencies.setdefault(names[pid]["agency"], []).append(pid)
    by_agency = [
        {
            "agency": code,
            "agency_name": names[pids[0]]["agency_name"],
            **row(
                combine([per_proc[p] for p in pids], weight=weight),
                sum(users[p] for p in pids) if own else None,
            ),
        }
        for code, pids in sorted(agencies.items())
    ]
    overall = combine(list(per_proc.values()), weight=weight)
    data: dict[str, Any] = {
        **overall.as_dict(),
        **sample(overall, sum(users.values()) if own else population),
        "population_source": "requests" if own else "config",
        "weakest": overall.weakest(),
        "period": period.as_dict(),
        "filters": scope.as_dict(),
        "by": by,
        "unsur": dict(UNSUR_NAMES),
    }
    if by in (None, "agency"):
        data["by_agency"] = by_agency
    if by in (None, "procedure"):
        data["by_procedure"] = by_procedure
    return data


def sample(result: IkmResult, population: int | None) -> dict[str, Any]:
    """The sample check of one index: Krejcie & Morgan's minimum for the population."""
    if population is None:
        return {"population": None, "min_respondents": None, "sample_ok": None}
    needed = min_sample(population)
    return {
        "population": population,
        "min_respondents": needed,
        "sample_ok": result.respondents > 0 and result.respondents >= needed,
    }
