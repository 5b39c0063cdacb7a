"""SQLModel tables, one entity per module; importing this package registers them all."""

from egovctl.models.catalogue import Agency, Procedure, ProcedureVersion, Requirement, Step
from egovctl.models.request import CalendarDay, RegCounter, RequestEvent, ServiceRequest
from egovctl.models.staff import AuditHead, AuditRecord, Staff
from egovctl.models.survey import SurveyResponse

__all__ = [
    "Agency",
    "AuditHead",
    "AuditRecord",
    "CalendarDay",
    "Procedure",
    "ProcedureVersion",
    "RegCounter",
    "RequestEvent",
    "Requirement",
    "ServiceRequest",
    "Staff",
    "Step",
    "SurveyResponse",
]
