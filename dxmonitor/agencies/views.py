import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dxmonitor.accounts import policy
from dxmonitor.agencies import services
from dxmonitor.agencies.api import AgencyOut, MemberOut, agency_detail, agency_list
from dxmonitor.agencies.models import Agency, AgencyKind
from dxmonitor.core.access import signed_in
from dxmonitor.core.twins import respond

PAGE_SIZE = 100


def _date_param(request, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return timezone.localdate()


@signed_in
def agency_index(request, format):
    on = _date_param(request, "on")
    kind = request.GET.get("kind", "")
    kind = kind if kind in AgencyKind.values else ""
    q = request.GET.get("q", "").strip()
    page = Paginator(agency_list(on, kind, q), PAGE_SIZE).get_page(request.GET.get("page"))
    data = {
        "on": on.isoformat(),
        "kind": kind or None,
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "agencies": [AgencyOut.from_orm(a).model_dump(mode="json") for a in page],
    }
    context = {"page": page, "on": on, "kind": kind, "q": q, "kinds": AgencyKind.choices}
    return respond(request, format, "agencies/index.html", context, data)


@signed_in
def agency_page(request, code, format):
    agency = get_object_or_404(Agency.objects.select_related("parent"), code=code)
    data = agency_detail(agency)
    today = timezone.localdate()
    context = {
        "agency": agency,
        "detail": data,
        "today_successors": [] if agency.is_valid_on(today) else services.successors(agency, today),
        "children_count": agency.children.count(),
        "children": agency.children.order_by("name")[:50],
        "can_see_members": policy.view_agency_data(request.user, agency),
    }
    return respond(request, format, "agencies/detail.html", context, data)


@signed_in
def agency_members(request, code, format):
    agency = get_object_or_404(Agency, code=code)
    if not policy.view_agency_data(request.user, agency):
        raise PermissionDenied
    members = agency.users.filter(is_active=True).order_by("username")
    data = {"agency": agency.code, "members": [MemberOut.from_orm(u).model_dump() for u in members]}
    return respond(request, format, "agencies/members.html", {"agency": agency, "members": members}, data)
