"""Checks beyond one document's schema: codes defined twice, unknown agencies (errors), and
procedures whose steps take longer than their service time (a warning).

The errors are checked on every document that names a usable code, valid or not, so that one
run reports them together with the schema errors instead of only after those are fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from egovctl.catalogue.schema import ProcedureDoc
from egovctl.catalogue.yaml_positions import Problem, lookup
from egovctl.i18n import N_, _
from egovctl.suggest import closest

if TYPE_CHECKING:
    from egovctl.catalogue.load import DocRef, SourceDoc

__all__ = ["check_agencies", "check_duplicates", "sla_warnings"]


def check_duplicates(refs: Sequence[DocRef]) -> list[Problem]:
    """A code defined twice in the import; the later definition is dropped (and reported)."""
    problems = []
    first: dict[tuple[str, str], DocRef] = {}
    for r in refs:
        if r.code is None:
            continue
        key = (r.kind, r.code)
        seen = first.get(key)
        if seen is None:
            first[key] = r
            continue
        line = lookup(seen.positions, "code")[0]
        problems.append(
            r.problem(
                "code",
                (
                    _(
                        "duplicate agency code {code}, first defined at {where}; give one of "
                        "them another code or remove it"
                    )
                    if r.kind == "agency"
                    else _(
                        "duplicate procedure code {code}, first defined at {where}; give one "
                        "of them another code or remove it"
                    )
                ).format(code=r.code, where=f"{seen.path}:{line}"),
            )
        )
        r.source = None
    return problems


def check_agencies(refs: Sequence[DocRef], known: Collection[str]) -> list[Problem]:
    """Procedures naming an agency that is neither in the database nor in the import."""
    # An agency document with a mistake elsewhere still defines its code: reporting its
    # procedures as well would send the administrator after the wrong problem.
    available = set(known)
    available.update(r.code for r in refs if r.kind == "agency" and r.code is not None)
    choices = sorted(available)
    tips: dict[str, str] = {}
    problems = []
    for r in refs:
        if r.kind != "procedure" or r.agency is None or r.agency in available:
            continue
        tip = tips.get(r.agency)
        if tip is None:
            close = closest(r.agency, choices)
            if close:
                tip = _("unknown agency {agency}; did you mean {close}?").format(
                    agency=repr(r.agency), close=repr(close)
                )
            elif choices:
                tip = _(
                    "unknown agency {agency}; it is neither in the database nor defined in "
                    "this import; see 'egovctl agency list', or add a 'kind: agency' document "
                    "for it"
                ).format(agency=repr(r.agency))
            else:
                tip = _(
                    "unknown agency {agency}; no agencies exist yet; add a 'kind: agency' "
                    "document for it"
                ).format(agency=repr(r.agency))
            tips[r.agency] = tip
        problems.append(r.problem("agency", tip))
    return problems


def sla_warnings(docs: Sequence[SourceDoc], say: Callable[[str], str] = _) -> list[Problem]:
    """Procedures whose steps add up to more working days than ``sla_days``.

    The printed service standard would then promise a time its own steps cannot keep. Only a
    warning: the author may mean steps that run side by side, and refusing the import would
    block a catalogue that worked before. ``say`` translates (``str`` keeps the English of
    the JSON).
    """
    warnings = []
    for source in docs:
        doc = source.doc
        if not isinstance(doc, ProcedureDoc):
            continue
        total = sum(step.days or 0 for step in doc.steps)
        if total > doc.sla_days:
            warnings.append(
                source.problem(
                    "sla_days",
                    say(
                        N_(
                            "the steps take {total} working days in total, more than sla_days "
                            "{sla_days}; raise sla_days to {total} or shorten the steps' days"
                        )
                    ).format(total=total, sla_days=doc.sla_days),
                )
            )
    return warnings
