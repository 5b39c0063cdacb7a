"""Agencies (OPD) and procedures with their versions, requirements and steps."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from egovctl.models.base import AwareDateTime, Entity


class Agency(Entity, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=30, unique=True, index=True)
    name: str
    address: str | None = None
    phone: str | None = None
    head_name: str | None = None
    head_nip: str | None = None
    head_title: str | None = None
    hours: str | None = None  # service hours as canonical JSON (catalogue/hours.py)
    content_hash: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class Procedure(Entity, table=True):
    """A service procedure; its content lives in versions, the newest being current."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    current_version: int = 1
    active: bool = True
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    retired_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))


class ProcedureVersion(Entity, table=True):
    __tablename__ = "procedure_version"
    __table_args__ = (UniqueConstraint("procedure_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    version: int
    name: str
    category: str | None = None
    description: str | None = None
    sla_days: int
    fee: int
    fee_basis: str | None = None
    product: str
    complaints: str | None = None
    service_hours: str | None = None
    agency_id: int = Field(foreign_key="agency.id")
    legal_basis: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class Requirement(Entity, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="procedure_version.id", index=True)
    position: int
    name: str
    copies: int = 1
    optional: bool = False
    note: str | None = None


class Step(Entity, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="procedure_version.id", index=True)
    position: int
    name: str
    actor: str | None = None
    days: int | None = None
