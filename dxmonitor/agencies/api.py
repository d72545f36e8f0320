"""Agencies in the API; the same schemas serialise the JSON twins of the agency pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from dxmonitor.accounts import policy
from dxmonitor.agencies import services
from dxmonitor.agencies.models import Agency, AgencyKind

router = Router(tags=["agencies"])


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    name_en: str
    kind: AgencyKind
    admin_code: str
    parent_code: str | None = Field(None, alias="parent.code")
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class SuccessionOut(Schema):
    kind: str
    effective_date: datetime.date
    note: str
    agency: AgencyOut


class AgencyDetailOut(Schema):
    agency: AgencyOut
    aliases: list[str]
    successors: list[SuccessionOut]
    predecessors: list[SuccessionOut]


class MemberOut(Schema):
    username: str
    full_name: str = Field(alias="display_name")
    role: str


def agency_detail(agency: Agency) -> dict:
    """The agency with its names and succession links, as AgencyDetailOut reads it."""
    links_out = agency.successions.select_related("successor__parent")
    links_in = agency.predecessions.select_related("predecessor__parent")
    return AgencyDetailOut.model_validate(
        {
            "agency": agency,
            "aliases": sorted(agency.aliases.values_list("alias", flat=True)),
            "successors": [_link(link, link.successor) for link in links_out],
            "predecessors": [_link(link, link.predecessor) for link in links_in],
        }
    ).model_dump(mode="json")


def _link(link, other) -> dict:
    return {"kind": link.kind, "effective_date": link.effective_date, "note": link.note, "agency": other}


def agency_list(on: datetime.date | None, kind: str | None, q: str | None):
    """Agencies valid on a date (today by default), of a kind, whose name contains q."""
    qs = services.agencies_on(on or timezone.localdate(), kind or None)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs


@router.get("/agencies", response=list[AgencyOut], summary="Agencies valid on a date")
@paginate(LimitOffsetPagination)
def list_agencies(
    request, on: datetime.date | None = None, kind: AgencyKind | None = None, q: str | None = None
):
    return agency_list(on, kind, q)


@router.get("/agencies/{code}", response=AgencyDetailOut, summary="One agency with its succession links")
def get_agency(request, code: str):
    return agency_detail(get_object_or_404(Agency, code=code))


@router.get("/agencies/{code}/successors", response=list[AgencyOut], summary="Where an agency's work went")
def get_successors(request, code: str, on: datetime.date):
    return services.successors(get_object_or_404(Agency, code=code), on)


@router.get("/agencies/{code}/members", response=list[MemberOut], summary="People who act for the agency")
def get_members(request, code: str):
    agency = get_object_or_404(Agency, code=code)
    if not policy.view_agency_data(request.auth, agency):
        raise PermissionDenied
    return agency.users.filter(is_active=True).order_by("username")
