"""The one place that decides who may do what. Views, API, CLI and jobs ask here, never on their own.

Rules, in words:
- the secretariat administers everything; leaders read everything and change nothing;
- an agency reporter enters data and progress for their own agency only; an agency approver also
  approves for their own agency; neither sees another agency's protected data;
- the anonymous public reads published open data only.
Each check has the name of the operation it guards.
"""

from django.db.models import QuerySet

from dxmonitor.accounts.models import AGENCY_ROLES, Role
from dxmonitor.agencies.models import AgencyKind


def is_secretariat(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.role == Role.SECRETARIAT or user.is_superuser)
    )


def sees_everything(user) -> bool:
    """Secretariat and leaders read every agency's data."""
    return is_secretariat(user) or bool(user.is_authenticated and user.is_active and user.role == Role.LEADER)


def belongs_to(user, agency) -> bool:
    """The user acts for this agency (reporter or approver of it)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in AGENCY_ROLES
        and agency is not None
        and user.agency_id == agency.pk
    )


def view_registry(user) -> bool:
    """Agency names, kinds and successions: reference data for every signed-in user."""
    return bool(user.is_authenticated and user.is_active)


def view_agency_data(user, agency) -> bool:
    """An agency's protected data: its people, tasks, values and scorecard edits."""
    return sees_everything(user) or belongs_to(user, agency)


def report_for_agency(user, agency) -> bool:
    """Enter values or progress on behalf of an agency."""
    return is_secretariat(user) or belongs_to(user, agency)


def approve_for_agency(user, agency) -> bool:
    """Approve or return an agency's submitted values."""
    return is_secretariat(user) or (belongs_to(user, agency) and user.role == Role.APPROVER)


def _leads_indicator(user, indicator) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in AGENCY_ROLES
        and user.agency_id
        and indicator.lead.filter(pk=user.agency_id).exists()
    )


def report_value(user, indicator, agency) -> bool:
    """Enter an indicator value: an agency's own, or the nation's by the indicator's lead agency."""
    if agency is not None and agency.kind == AgencyKind.NATION:
        return is_secretariat(user) or _leads_indicator(user, indicator)
    return report_for_agency(user, agency)


def approve_value(user, indicator, agency) -> bool:
    """Approve, return or reopen a value: the agency's approver, or the lead's approver for the nation."""
    if agency is not None and agency.kind == AgencyKind.NATION:
        return is_secretariat(user) or (_leads_indicator(user, indicator) and user.role == Role.APPROVER)
    return approve_for_agency(user, agency)


def set_target(user) -> bool:
    """Targets come from the committee's documents: the secretariat sets and corrects them."""
    return is_secretariat(user)


def define_indicator(user) -> bool:
    """The catalogue and how each indicator's value forms: the secretariat."""
    return is_secretariat(user)


def administer(user) -> bool:
    """The Django admin, loading notices, publishing, managing accounts."""
    return is_secretariat(user)


def manage_token(user, token) -> bool:
    """A person manages their own API tokens; the secretariat may revoke anyone's."""
    return is_secretariat(user) or bool(user.is_authenticated and token.user_id == user.pk)


def scope_by_agency(user, queryset: QuerySet, field: str = "agency") -> QuerySet:
    """Rows of a queryset the user may read, by the agency the rows belong to."""
    if sees_everything(user):
        return queryset
    if user.is_authenticated and user.role in AGENCY_ROLES and user.agency_id:
        return queryset.filter(**{field: user.agency_id})
    return queryset.none()


def _involved(user, task) -> bool:
    """The user's agency is assigned the task, itself or through a collective that covers it."""
    if not (user.is_authenticated and user.is_active and user.role in AGENCY_ROLES and user.agency_id):
        return False
    from dxmonitor.agencies.services import collectives_covering

    ids = {user.agency_id, *collectives_covering(user.agency)}
    return task.assignments.filter(agency_id__in=ids).exists()


def view_task(user, task) -> bool:
    """A task, its reports and its evidence: leaders, the secretariat, and the agencies assigned it."""
    return sees_everything(user) or _involved(user, task)


def report_on_task(user, task) -> bool:
    """File a progress report, evidence or an extension request: the agencies assigned the task."""
    return _involved(user, task)


def review_task(user) -> bool:
    """Confirm or return a completion, decide an extension: the secretariat."""
    return is_secretariat(user)
