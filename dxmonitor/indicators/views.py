"""Indicator pages: the catalogue, one indicator (chart, agencies, ranking, history) and the year's
classification. Every page with data has a JSON twin; the work is the services'. Reporting rounds and
their forms are in `round_views`.
"""

import datetime
import functools

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from dxmonitor.accounts import policy
from dxmonitor.agencies.models import Agency, AgencyKind
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.core.access import signed_in
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.core.twins import respond
from dxmonitor.events import services as events
from dxmonitor.indicators import assessment, charts, figures, formulas, services
from dxmonitor.indicators.api import FigureOut, IndicatorOut, ObservationOut
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation, Target

State = Observation.State
Source = Observation.Source


def _status_labels() -> dict[str, str]:
    # Rendered per request: the labels follow the reader's language.
    return {
        assessment.ACHIEVED: _("achieved"),
        assessment.NOT_ACHIEVED: _("not achieved"),
        assessment.NO_DATA: _("no data"),
    }


def _source_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in Source.choices}


def _figure_source(figure: dict) -> str:
    """Where a national figure came from, in words: agencies' values aggregated, or a stored value's source."""
    if figure.get("source") == Source.COMPUTED and figure.get("formula") in formulas.AGGREGATES:
        return _("Aggregated from the agencies' approved values")
    return _source_labels().get(figure.get("source") or "", "")


# The catalogue


@signed_in
def catalogue(request, format):
    indicators = Indicator.objects.prefetch_related("lead", "definitions").order_by("group", "code")
    group = request.GET.get("group", "")
    if group:
        indicators = indicators.filter(group=group)
    text = request.GET.get("q", "").strip()
    if text:
        indicators = indicators.filter(Q(name__icontains=text) | Q(code__icontains=text))
    indicators = list(indicators)
    latest = _latest_national(indicators)
    data = {
        "count": len(indicators),
        "indicators": [
            IndicatorOut.from_orm(i).model_dump(mode="json") | {"latest": latest.get(i.pk)}
            for i in indicators
        ],
    }
    rows = [{"indicator": i, "latest": latest.get(i.pk)} for i in indicators]
    context = {"rows": rows, "groups": Indicator.Group.choices, "group": group, "q": text}
    return respond(request, format, "indicators/catalogue.html", context, data)


def _latest_national(indicators) -> dict[int, dict]:
    """Each indicator's latest stored national value (approved), in one query."""
    nation = Agency.objects.get(code=NATION_CODE)
    rows = (
        Observation.objects.filter(indicator__in=indicators, agency=nation, state=State.APPROVED)
        .order_by("indicator_id", "-period_end", "period_kind")
        .values("indicator_id", "period", "value", "text", "source", "note")
    )
    found: dict[int, dict] = {}
    for row in rows:
        found.setdefault(row.pop("indicator_id"), row)
    return found


# One indicator


def _chart_rows(series: list[dict]) -> list[dict]:
    """The series in time order by the end of each period (a year after its fourth quarter), labelled."""
    english = translation.get_language() == "en"

    def label(code: str) -> str:
        period = Period.parse(code)
        return period.label_en if english else period.label_vi

    ordered = sorted(
        series, key=lambda f: (Period.parse(f["period"]).end, -Period.parse(f["period"]).start.toordinal())
    )
    return [f | {"period_label": label(f["period"])} for f in ordered]


def _chart_labels() -> dict[str, str]:
    return {
        "period": _("Period"),
        "value": _("National value"),
        "target": _("Target"),
        "status": _("Status"),
        "source": _("Source"),
        "note": _("Note"),
        **_status_labels(),
        **_source_labels(),
    }


def _visible_values(user, indicator: Indicator):
    """The agency values the user may read: everything for the secretariat and leaders, else their own."""
    rows = Observation.objects.filter(indicator=indicator).exclude(agency__kind=AgencyKind.NATION)
    return policy.scope_by_agency(user, rows).select_related(
        "agency", "entered_by", "approved_by", "modified_by"
    )


def _ranking(indicator: Indicator, rows: list[Observation]) -> list[dict]:
    """Approved values of one period, best first by the indicator's direction; milestones by date."""
    approved = [r for r in rows if r.state == State.APPROVED]
    numeric = [r for r in approved if r.value is not None]
    if numeric:
        lower_better = indicator.direction == Indicator.Direction.LOWER
        numeric.sort(key=lambda r: (r.value if lower_better else -r.value, r.agency.name))
        return [{"rank": n, "observation": r} for n, r in enumerate(numeric, 1)]
    done = [r for r in approved if r.done]
    done.sort(key=lambda r: (r.done_on or datetime.date.max, r.agency.name))
    return [{"rank": n, "observation": r} for n, r in enumerate(done, 1)]


def _history(user, indicator: Indicator, limit: int = 15):
    """The latest changes to the indicator's values, targets and definitions that the user may read."""
    values = policy.scope_by_agency(user, Observation.objects.filter(indicator=indicator))
    if not policy.sees_everything(user):
        values = values | Observation.objects.filter(
            indicator=indicator, agency__kind=AgencyKind.NATION, state=State.APPROVED
        )
    kinds = ContentType.objects.get_for_models(Observation, Target, IndicatorDefinition)
    # The database matches audit rows to the indicator's rows (object ids are text): no id lists here.
    as_text = {"text_pk": Cast("pk", CharField())}
    ids = {
        Observation: values.annotate(**as_text).values("text_pk"),
        Target: indicator.targets.annotate(**as_text).values("text_pk"),
        IndicatorDefinition: indicator.definitions.annotate(**as_text).values("text_pk"),
    }
    query = Q(pk__in=[])
    for model, pks in ids.items():
        query |= Q(content_type=kinds[model], object_id__in=pks)
    entries = list(
        AuditEntry.objects.filter(query).select_related("actor", "content_type").order_by("-at")[:limit]
    )
    value_ids = [int(e.object_id) for e in entries if e.content_type_id == kinds[Observation].pk]
    of_value = {
        str(pk): f"{agency} · {period}"
        for pk, agency, period in Observation.objects.filter(pk__in=value_ids).values_list(
            "pk", "agency__name", "period"
        )
    }
    labels = {Observation: _("value"), Target: _("target"), IndicatorDefinition: _("definition")}
    by_type = {kinds[m].pk: labels[m] for m in labels}
    return [
        {
            "entry": e,
            "what": by_type.get(e.content_type_id, ""),
            "of": of_value.get(e.object_id, "") if e.content_type_id == kinds[Observation].pk else "",
            "changes": _changes(e),
        }
        for e in entries
    ]


_SHOWN_FIELDS = ("state", "value", "numerator", "denominator", "done", "done_on", "note", "comment")


def _field_labels() -> dict[str, str]:
    return {
        "state": _("State"),
        "value": _("Value"),
        "numerator": _("Numerator"),
        "denominator": _("Denominator"),
        "done": _("Done?"),
        "done_on": _("Date done"),
        "note": _("Note"),
        "comment": _("Comment"),
    }


def _shown(field: str, value):
    if field == "state" and value:
        return dict(State.choices).get(value, value)
    if field == "done" and value is not None:
        return _("Yes") if value else _("No")
    return value


def _changes(entry) -> list[tuple[str, object, object]]:
    """The fields a person cares about that the change set, as (label, before, after)."""
    before, after = entry.before or {}, entry.after or {}
    labels = _field_labels()
    if not before:
        fields = [f for f in _SHOWN_FIELDS if after.get(f) not in (None, "")]
    else:
        fields = [f for f in _SHOWN_FIELDS if before.get(f) != after.get(f)]
    return [
        (labels[f], _shown(f, before.get(f)) if before else None, _shown(f, after.get(f))) for f in fields
    ]


@signed_in
def indicator_page(request, code, format):
    indicator = get_object_or_404(Indicator.objects.prefetch_related("lead", "definitions"), code=code)
    series = figures.indicator_series(indicator)
    visible = _visible_values(request.user, indicator)
    periods = sorted(
        set(visible.order_by().values_list("period", flat=True).distinct()), key=Period.parse, reverse=True
    )
    chosen = request.GET.get("period") or (periods[0] if periods else "")
    if chosen and chosen not in periods:
        try:
            chosen = Period.parse(chosen).code
        except ValueError:
            chosen = periods[0] if periods else ""
    of_period = list(visible.filter(period=chosen).order_by("agency__name"))
    ranking = _ranking(indicator, of_period) if policy.sees_everything(request.user) else []
    ranks = {r["observation"].pk: r["rank"] for r in ranking}
    # Ranked values first, best first; then the rest (not approved, or no value) by agency name.
    of_period.sort(key=lambda v: (ranks.get(v.pk, len(ranks) + 1), v.agency.name))
    for value in of_period:
        value.rank = ranks.get(value.pk)
    reconciliation = events.reconciliation(request.user, indicator=indicator.code)
    if format == "json":
        data = IndicatorOut.from_orm(indicator).model_dump(mode="json") | {
            "description": indicator.description,
            "figures": [FigureOut(**f).model_dump(mode="json") for f in series],
            "period": chosen,
            "values": [ObservationOut.from_orm(v).model_dump(mode="json") for v in of_period],
            "ranking": [{"rank": r["rank"], "agency": r["observation"].agency.code} for r in ranking],
            "reconciliation": reconciliation,
        }
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    series = _chart_rows(series)
    spec = charts.series_spec(series, labels=_chart_labels(), unit=indicator.unit)
    for figure in series:
        figure["source_label"] = _figure_source(figure)
    definitions = sorted(indicator.definitions.all(), key=lambda d: -d.version)
    context = {
        "indicator": indicator,
        "series": series,
        "spec": spec,
        "definitions": definitions,
        "periods": periods,
        "period": chosen,
        "values": of_period,
        "ranking": ranking,
        "reconciliation": reconciliation,
        "flagged": sum(1 for r in reconciliation if r["flagged"]),
        "history": _history(request.user, indicator),
        "status_labels": _status_labels(),
        "source_labels": _source_labels(),
        "rounds": indicator.rounds.order_by("-due_date")[:5],
    }
    return render(request, "indicators/indicator.html", context)


@signed_in
def chart_svg(request, code):
    """The indicator's chart as SVG (the same spec as the page's), for reports and pages without script."""
    import vl_convert

    indicator = get_object_or_404(Indicator, code=code)
    spec = charts.series_spec(
        _chart_rows(figures.indicator_series(indicator)),
        labels=_chart_labels(),
        unit=indicator.unit,
        width=640,
    )
    response = HttpResponse(vl_convert.vegalite_to_svg(spec), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{indicator.code}.svg"'
    return response


@functools.cache
def _vega_bundle() -> str:
    import vl_convert

    return vl_convert.javascript_bundle()


@cache_control(max_age=86400, public=True)
def vega_script(request):
    """Vega, Vega-Lite and Vega-Embed in one script, from vl-convert: charts draw with no network."""
    return HttpResponse(_vega_bundle(), content_type="text/javascript; charset=utf-8")


# The year's classification


@signed_in
def classification(request, format):
    year = request.GET.get("period") or str(timezone.localdate().year - 1)
    try:
        period = services.as_period(year)
    except ValidationError as error:
        return _bad_request(request, format, error)
    rows = figures.classify(period)
    counts = {status: sum(r["status"] == status for r in rows) for status in assessment.STATUSES}
    data = {"period": period.code, "counts": counts, "indicators": rows}
    context = {"period": period, "rows": rows, "counts": counts, "status_labels": _status_labels()}
    return respond(request, format, "indicators/classification.html", context, data)


def _bad_request(request, format, error: ValidationError):
    messages_ = error.messages
    if format == "json":
        return JsonResponse({"detail": " ".join(messages_)}, status=400)
    return render(request, "indicators/bad_request.html", {"errors": messages_}, status=400)
