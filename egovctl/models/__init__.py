"""SQLModel tables, one entity per module.

Names are loaded on first use (``from egovctl.models import Staff`` imports only the module
that defines it, and the modules its foreign keys point at): defining a table costs a few
milliseconds, and most commands touch only a few of the 20. ``load_all()`` registers every
table, for whatever needs the whole schema (migrations, schema comparison).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from egovctl.models.audit import AuditHead, AuditRecord
    from egovctl.models.calendar import CalendarDay
    from egovctl.models.catalogue import Agency, Procedure, ProcedureVersion, Requirement, Step
    from egovctl.models.complaint import Complaint, ComplaintCounter, ComplaintEvent
    from egovctl.models.document import RegisteredDocument
    from egovctl.models.notify import NotifyConsent, NotifyMessage
    from egovctl.models.request import RegCounter, RegHighWater, RequestEvent, ServiceRequest
    from egovctl.models.staff import Staff, StaffSession
    from egovctl.models.survey import SurveyResponse

_MODULE_OF = {
    "Agency": "catalogue",
    "Procedure": "catalogue",
    "ProcedureVersion": "catalogue",
    "Requirement": "catalogue",
    "Step": "catalogue",
    "CalendarDay": "calendar",
    "Complaint": "complaint",
    "ComplaintCounter": "complaint",
    "ComplaintEvent": "complaint",
    "RegisteredDocument": "document",
    "NotifyConsent": "notify",
    "NotifyMessage": "notify",
    "RegCounter": "request",
    "RegHighWater": "request",
    "RequestEvent": "request",
    "ServiceRequest": "request",
    "AuditHead": "audit",
    "AuditRecord": "audit",
    "Staff": "staff",
    "StaffSession": "staff",
    "SurveyResponse": "survey",
}

__all__ = [
    "Agency",
    "AuditHead",
    "AuditRecord",
    "CalendarDay",
    "Complaint",
    "ComplaintCounter",
    "ComplaintEvent",
    "NotifyConsent",
    "NotifyMessage",
    "Procedure",
    "ProcedureVersion",
    "RegCounter",
    "RegHighWater",
    "RegisteredDocument",
    "RequestEvent",
    "Requirement",
    "ServiceRequest",
    "Staff",
    "StaffSession",
    "Step",
    "SurveyResponse",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def load_all() -> None:
    """Define every table, so that ``SQLModel.metadata`` holds the whole schema."""
    for module in sorted(set(_MODULE_OF.values())):
        importlib.import_module(f"{__name__}.{module}")
