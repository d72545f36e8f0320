"""Indicators in the API: the catalogue, national figures, values, system-to-system push and approval."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from dxmonitor.accounts import policy
from dxmonitor.agencies.models import Agency, AgencyKind
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.indicators import assessment, figures, services
from dxmonitor.indicators.models import Indicator, Observation, ReportingRound

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    group: str
    unit: str
    direction: str
    frequency: str
    lead: list[str]
    formula: str | None

    @staticmethod
    def resolve_lead(indicator):
        return [a.code for a in indicator.lead.all()]

    @staticmethod
    def resolve_formula(indicator):
        latest = max(indicator.definitions.all(), key=lambda d: d.version, default=None)
        return latest.formula if latest else None


class DefinitionOut(Schema):
    version: int
    valid_from: datetime.date | None
    formula: str
    params: dict
    min_value: float | None
    max_value: float | None
    note: str


class TargetOut(Schema):
    period: str
    agency: str = Field(alias="agency.code")
    comparator: str
    value: float | None
    value_date: datetime.date | None
    text: str
    document_id: int | None
    version: int


class ShareOut(Schema):
    group: str
    label: str
    label_en: str
    done: int
    required: int
    share: float | None


class FigureOut(Schema):
    period: str
    formula: str
    definition_version: int | None
    value: float | None
    numerator: float | None
    denominator: float | None
    shares: list[ShareOut]
    text: str
    text_en: str
    done: bool | None
    done_on: datetime.date | None
    source: str | None
    note: str
    agencies: int
    document_id: int | None
    target: float | None
    target_date: datetime.date | None
    target_text: str
    comparator: str | None
    target_document_id: int | None
    status: str


class IndicatorDetailOut(IndicatorOut):
    description: str
    lead_names: list[str]
    definitions: list[DefinitionOut]
    targets: list[TargetOut]
    figures: list[FigureOut]

    @staticmethod
    def resolve_lead_names(indicator):
        return [a.name for a in indicator.lead.all()]

    @staticmethod
    def resolve_definitions(indicator):
        return sorted(indicator.definitions.all(), key=lambda d: d.version)

    @staticmethod
    def resolve_targets(indicator):
        return list(indicator.targets.select_related("agency"))

    @staticmethod
    def resolve_figures(indicator):
        return figures.indicator_series(indicator)


class ObservationOut(Schema):
    id: int
    indicator: str = Field(alias="indicator.code")
    agency: str = Field(alias="agency.code")
    agency_name: str = Field(alias="agency.name")
    period: str
    source: str
    state: str
    value: float | None
    numerator: float | None
    denominator: float | None
    done: bool | None
    done_on: datetime.date | None
    text: str
    note: str
    comment: str
    review_comment: str
    version: int
    entered_by: str | None = Field(None, alias="entered_by.username")
    approved_by: str | None = Field(None, alias="approved_by.username")
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    modified_at: datetime.datetime


def _indicators():
    return Indicator.objects.prefetch_related("lead", "definitions")


@router.get("/indicators", response=list[IndicatorOut], summary="The indicator catalogue")
@paginate(LimitOffsetPagination)
def list_indicators(request, group: str = ""):
    indicators = _indicators()
    return indicators.filter(group=group) if group else indicators


@router.get(
    "/indicators/{code}",
    response=IndicatorDetailOut,
    summary="One indicator: definitions, targets, and national figures with source, notes and status",
)
def get_indicator(request, code: str):
    return get_object_or_404(_indicators(), code=code)


def _observations():
    return Observation.objects.select_related("indicator", "agency", "entered_by", "approved_by")


@router.get(
    "/indicators/{code}/values",
    response=list[ObservationOut],
    summary="Values per agency and period; an agency sees its own in every state and the nation's approved",
)
@paginate(LimitOffsetPagination)
def list_values(request, code: str, period: str = "", agency: str = ""):
    user = request.auth
    indicator = get_object_or_404(Indicator, code=code)
    rows = (
        _observations()
        .filter(indicator=indicator)
        .order_by("period_start", "period", "agency__code", "source")
    )
    if period:
        rows = rows.filter(period=services.as_period(period).code)
    if agency:
        chosen = get_object_or_404(Agency, code=agency)
        if chosen.kind != AgencyKind.NATION and not policy.view_agency_data(user, chosen):
            raise PermissionDenied
        rows = rows.filter(agency=chosen)
    if not policy.sees_everything(user):
        nation = Q(agency__kind=AgencyKind.NATION)
        if not policy.report_value(user, indicator, Agency.objects.get(code=NATION_CODE)):
            nation &= Q(state=Observation.State.APPROVED)
        rows = rows.filter(nation | Q(agency_id=user.agency_id) if user.agency_id else nation)
    return rows


class ObservationIn(Schema):
    indicator: str
    agency: str
    period: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    done: bool | None = None
    done_on: datetime.date | None = None
    note: str = ""
    comment: str = ""
    expected_version: int | None = None
    round: int | None = None
    submit: bool = False


def _conflict(error: services.Conflict):
    return Status(409, {**error.both(), "version": error.current.version if error.current else None})


class ConflictOut(Schema):
    detail: str
    detail_en: str
    version: int | None


@router.post(
    "/observations",
    response={200: ObservationOut, 201: ObservationOut, 409: ConflictOut},
    summary="Push a value (token or session); an agency's token pushes for its own agency only",
)
def post_observation(request, payload: ObservationIn):
    indicator = get_object_or_404(Indicator, code=payload.indicator)
    agency = get_object_or_404(Agency, code=payload.agency)
    round_ = get_object_or_404(ReportingRound, pk=payload.round) if payload.round else None
    fields = payload.model_dump(exclude={"indicator", "agency", "period", "round", "submit"})
    try:
        with transaction.atomic():
            observation = services.record_observation(
                request.auth, indicator, agency, payload.period, round=round_, **fields
            )
            if payload.submit:
                observation = services.submit_observation(request.auth, observation)
    except services.Conflict as error:
        return _conflict(error)
    created = observation.version == (2 if payload.submit else 1)
    return Status(201 if created else 200, _observations().get(pk=observation.pk))


class StepIn(Schema):
    expected_version: int | None = None


class ReturnIn(StepIn):
    comment: str


class ReopenIn(StepIn):
    reason: str


def _step(request, observation_id: int, operation, **kwargs):
    observation = get_object_or_404(_observations(), pk=observation_id)
    try:
        operation(request.auth, observation, **kwargs)
    except services.Conflict as error:
        return _conflict(error)
    return _observations().get(pk=observation_id)


_STEP = {200: ObservationOut, 409: ConflictOut}


@router.post("/observations/{observation_id}/submit", response=_STEP, summary="Submit for approval")
def submit(request, observation_id: int, payload: StepIn):
    return _step(
        request, observation_id, services.submit_observation, expected_version=payload.expected_version
    )


@router.post(
    "/observations/{observation_id}/approve", response=_STEP, summary="Approve (the agency's approver)"
)
def approve(request, observation_id: int, payload: StepIn):
    return _step(
        request, observation_id, services.approve_observation, expected_version=payload.expected_version
    )


@router.post(
    "/observations/{observation_id}/return", response=_STEP, summary="Return to the reporter with a comment"
)
def return_(request, observation_id: int, payload: ReturnIn):
    return _step(
        request,
        observation_id,
        services.return_observation,
        comment=payload.comment,
        expected_version=payload.expected_version,
    )


@router.post(
    "/observations/{observation_id}/reopen", response=_STEP, summary="Reopen an approved value, with a reason"
)
def reopen(request, observation_id: int, payload: ReopenIn):
    return _step(
        request,
        observation_id,
        services.reopen_observation,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )


class RatesOut(Schema):
    group: str
    label: str
    label_en: str
    required: int
    reported: int
    late: int
    missing: int
    reported_rate: float | None
    on_time_rate: float | None


class RoundOut(Schema):
    id: int
    title: str
    period: str
    due_date: datetime.date


class AgencyStateOut(Schema):
    code: str
    name: str
    kind: str
    group: str
    state: str
    submitted: int
    required: int
    submitted_at: datetime.datetime | None


class CompletenessOut(Schema):
    round: RoundOut
    as_of: datetime.date
    due_passed: bool
    indicators: int
    agencies: list[AgencyStateOut]
    groups: list[RatesOut]
    total: RatesOut


@router.get(
    "/rounds/{round_id}/completeness",
    response=CompletenessOut,
    summary="Who has reported, who is late, who has not; rates per agency kind (an agency sees its own row)",
)
def get_completeness(request, round_id: int):
    round_ = get_object_or_404(ReportingRound, pk=round_id)
    data = figures.completeness(round_)
    user = request.auth
    if not policy.sees_everything(user):
        own = user.agency.code if user.agency_id else None
        data["agencies"] = [a for a in data["agencies"] if a["code"] == own]
    return data


class ClassifiedOut(FigureOut):
    code: str
    name: str
    group: str
    unit: str
    lead: list[str]
    lead_names: list[str]


class ClassificationOut(Schema):
    period: str
    counts: dict[str, int]
    indicators: list[ClassifiedOut]


@router.get(
    "/classification",
    response=ClassificationOut,
    summary="Indicators with a national target for the period: achieved, not achieved, no data",
)
def get_classification(request, period: str):
    period = services.as_period(period)
    rows = figures.classify(period)
    counts = {status: sum(r["status"] == status for r in rows) for status in assessment.STATUSES}
    return {"period": period.code, "counts": counts, "indicators": rows}
