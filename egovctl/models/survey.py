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
    u1: int
    u2: int
    u3: int
    u4: int
    u5: int
    u6: int
    u7: int
    u8: int
    u9: int
    recorded_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    recorded_by: str = Field(max_length=64)
