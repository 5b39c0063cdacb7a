"""Answers to the community satisfaction survey (SKM, PermenPANRB 14/2017)."""

from datetime import date, datetime

from sqlalchemy import Column
from sqlmodel import Field

import egovctl.models.catalogue  # noqa: F401  (tables its foreign keys point at)
import egovctl.models.request  # noqa: F401  (tables its foreign keys point at)
from egovctl.models.base import AwareDateTime, Entity


class SurveyResponse(Entity, table=True):
    __tablename__ = "survey_response"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    request_id: int | None = Field(default=None, foreign_key="service_request.id")
    # One score 1-4 per unsur; None when the respondent left it blank (the NRR of an unsur
    # divides by those who answered it).
    u1: int | None = None
    u2: int | None = None
    u3: int | None = None
    u4: int | None = None
    u5: int | None = None
    u6: int | None = None
    u7: int | None = None
    u8: int | None = None
    u9: int | None = None
    recorded_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    recorded_by: str = Field(max_length=64)
