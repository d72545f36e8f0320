"""Events in the API: systems push dossier records; figures and the reconciliation are read back."""

import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Body, Router, Schema, Status

from dxmonitor.core.i18n import both
from dxmonitor.events import services
from dxmonitor.events.ingest import RefusedFile

router = Router(tags=["events"])


class BatchOut(Schema):
    batch: str
    rows: int
    accepted: int
    new: int
    replaced: int
    older: int
    already_stored: int
    duplicates: int
    quarantined: int
    months: list[int]


class ReconciliationOut(Schema):
    indicator: str
    reported_indicator: str
    agency: str
    agency_name: str
    month: str
    reported: float
    computed: float
    gap_pp: float
    flagged: bool


@router.post(
    "/events/dossiers",
    response={200: BatchOut, 400: dict},
    summary="Push a batch of dossier records (docs/events-schema.md); upserted, bad rows quarantined",
)
def push_dossiers(request, records: Body[list[dict[str, Any]]]):
    """Only the secretariat's tokens may push for now (policy.administer); a dedicated role is to come."""
    try:
        outcome = services.push_dossiers(request.auth, records)
    except RefusedFile as error:
        return Status(400, both(str(error)))
    return Status(200, outcome.as_dict())


@router.get(
    "/events/figures",
    response={200: list[dict[str, Any]], 400: dict},
    summary="Computed figures per agency and month (map: period or current)",
)
def figures(request, month: str | None = None, level: str | None = None, map: str = "period"):
    try:
        return services.figures(month, level, map)
    except ValueError:
        return Status(400, both(_("Give a month as YYYY-MM, such as 2025-07.")))


@router.get(
    "/events/reconciliation",
    response=list[ReconciliationOut],
    summary="Self-reported beside computed values, gaps in percentage points, flagged beyond the threshold",
)
def reconciliation(request, indicator: str | None = None, month: str | None = None, flagged: bool = False):
    return services.reconciliation(request.auth, indicator, month, flagged=flagged)


@router.get("/events/reconciliation.csv", summary="The reconciliation as CSV")
def reconciliation_csv(
    request, indicator: str | None = None, month: str | None = None, flagged: bool = False
):
    rows = services.reconciliation(request.auth, indicator, month, flagged=flagged)
    buffer = io.StringIO()
    services.write_reconciliation_csv(rows, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reconciliation.csv"'
    return response
