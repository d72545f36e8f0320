"""National figures from approved agency values, their status against the targets, the year's
classification, and who has reported in a round. Reads only, apart from the computed national rows.

How a national figure picks its source, for a period:
1. an aggregate formula (ratio, share of agencies, sum, mean) with approved agency values: computed
   from them, by the definition in force for the period;
2. otherwise the nation's own approved value, most trusted source first: reported (by the lead agency),
   computed from events, imported from a document, estimated, forecast.
"""

import datetime
import math

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dxmonitor.agencies.models import CENTRAL_KINDS, Agency, AgencyKind
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.indicators import assessment, formulas
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation, ReportingRound, Target
from dxmonitor.indicators.services import SOURCE_ORDER, as_period, definition_for, in_force, period_fields

State = Observation.State
Source = Observation.Source
# Group → agency kinds, for the share-of-agencies formula's "groups" parameter.
GROUP_KINDS = {
    formulas.CENTRAL: tuple(CENTRAL_KINDS),
    formulas.PROVINCE: (AgencyKind.PROVINCE,),
    formulas.COMMUNE: (AgencyKind.COMMUNE,),
    formulas.ENTERPRISE: (AgencyKind.ENTERPRISE,),
}
DEFAULT_GROUPS = (formulas.CENTRAL, formulas.PROVINCE)


def agency_group(kind: str) -> str:
    """The group an agency is counted in: "central" (bộ, ngành), "province" (địa phương), …"""
    for group, kinds in GROUP_KINDS.items():
        if kind in kinds:
            return group
    return formulas.OTHER


def _formula(definition: IndicatorDefinition | None) -> str:
    return definition.formula if definition else formulas.VALUE


def _approved(indicator_ids, periods=None):
    """The values agencies reported and had approved; the nation's own excluded."""
    # The nation by its id, not its kind: no join with agencies over millions of rows.
    rows = Observation.objects.filter(
        indicator_id__in=indicator_ids, state=State.APPROVED, source=Source.REPORTED
    ).exclude(agency_id=_nation().pk)
    return rows.filter(period__in=periods) if periods is not None else rows


def _agency_values(indicator_ids, periods=None) -> dict[tuple[int, str], list[formulas.AgencyValue]]:
    """Each approved agency value, per (indicator id, period code): what a share of agencies counts.

    Only what a share reads (the agency, its group, done and when); the agencies' codes and kinds are
    looked up once each rather than joined to every row.
    """
    rows = list(
        _approved(indicator_ids, periods)
        .order_by()
        .values_list("indicator_id", "period", "agency_id", "done", "done_on")
    )
    agencies = {
        pk: (code, agency_group(kind))
        for pk, code, kind in Agency.objects.filter(pk__in={row[2] for row in rows}).values_list(
            "pk", "code", "kind"
        )
    }
    found: dict[tuple[int, str], list[formulas.AgencyValue]] = {}
    for ind, period, agency_id, done, done_on in rows:
        code, group = agencies[agency_id]
        found.setdefault((ind, period), []).append(
            formulas.AgencyValue(code, group, done=done, done_on=done_on)
        )
    return found


def _agency_totals(indicator_ids, periods=None) -> dict[tuple[int, str], formulas.Totals]:
    """The approved agency values added up in the database, per (indicator id, period code).

    The same totals as formulas.totals makes of the values one by one, without reading every row:
    national scale is tens of agencies × hundreds of indicators × months.
    """
    pair = Q(numerator__isnull=False, denominator__gt=0)
    rows = (
        _approved(indicator_ids, periods)
        .order_by()
        .values("indicator_id", "period")
        .annotate(
            n=Count("value"),
            total=Sum("value"),
            pairs=Count("id", filter=pair),
            num=Sum("numerator", filter=pair),
            den=Sum("denominator", filter=pair),
        )
    )
    return {
        (r["indicator_id"], r["period"]): formulas.Totals(
            r["n"], r["total"] or 0.0, r["pairs"], r["num"] or 0.0, r["den"] or 0.0
        )
        for r in rows
    }


def _inputs(indicator_ids, definitions: dict[int, list], periods=None):
    """(totals, values) for the indicators: totals where a definition sums, values where one counts agencies."""
    summing = [i for i in indicator_ids if any(d.formula in _OF_TOTALS for d in definitions.get(i, []))]
    counting = [
        i
        for i in indicator_ids
        if any(d.formula == formulas.SHARE_OF_AGENCIES for d in definitions.get(i, []))
    ]
    return (
        _agency_totals(summing, periods) if summing else {},
        _agency_values(counting, periods) if counting else {},
    )


_OF_TOTALS = (formulas.RATIO, formulas.SUM, formulas.MEAN)


def _groups(definition) -> tuple[str, ...]:
    return tuple((definition.params.get("groups") if definition else None) or DEFAULT_GROUPS)


def required_agencies(indicator: Indicator, period, definition=None) -> dict[str, list[str]]:
    """Group → codes of the agencies a share-of-agencies indicator counts for a period.

    The agencies of the period's reporting rounds for the indicator when there are any; otherwise every
    agency of the formula's groups (default: ministries and sectors, provinces) that existed at the end
    of the period.
    """
    period = as_period(period)
    key = (indicator.pk, period.code)
    return _required_agencies({key: (period, definition)})[key]


def _required_agencies(wanted: dict[tuple[int, str], tuple]) -> dict[tuple[int, str], dict[str, list[str]]]:
    """`required_agencies` for {(indicator id, period code): (Period, definition)}, in three queries.

    A share of agencies is recomputed for every indicator and month: the registry is read once, not
    once per figure.
    """
    rounds: dict[tuple[int, str], set[int]] = {}
    links = ReportingRound.indicators.through.objects.filter(
        indicator_id__in={i for i, _c in wanted}, reportinground__period__in={c for _i, c in wanted}
    ).values_list("indicator_id", "reportinground__period", "reportinground_id")
    for indicator_id, code, round_id in links:
        if (indicator_id, code) in wanted:
            rounds.setdefault((indicator_id, code), set()).add(round_id)
    members: dict[int, set[int]] = {}
    if rounds:
        for round_id, agency_id in ReportingRound.agencies.through.objects.filter(
            reportinground_id__in=set().union(*rounds.values())
        ).values_list("reportinground_id", "agency_id"):
            members.setdefault(round_id, set()).add(agency_id)
    kinds = {
        kind
        for key, (_p, definition) in wanted.items()
        if key not in rounds
        for group in _groups(definition)
        for kind in GROUP_KINDS.get(group, ())
    }
    agencies = list(
        Agency.objects.filter(Q(kind__in=kinds) | Q(pk__in=set().union(*members.values())))
        .order_by("kind", "name")
        .values_list("pk", "code", "kind", "valid_from", "valid_to")
    )
    found, by_day = {}, {}
    for key, (period, definition) in wanted.items():
        groups = _groups(definition)
        if key in rounds:
            chosen = set().union(*(members.get(r, set()) for r in rounds[key]))
            found[key] = _by_group([a for a in agencies if a[0] in chosen], groups)
            continue
        if (period.end, groups) not in by_day:
            day, of_kinds = period.end, {k for g in groups for k in GROUP_KINDS.get(g, ())}
            existing = [
                a
                for a in agencies
                if a[2] in of_kinds and (a[3] is None or a[3] <= day) and (a[4] is None or day <= a[4])
            ]
            by_day[period.end, groups] = _by_group(existing, groups)
        found[key] = {group: list(codes) for group, codes in by_day[period.end, groups].items()}
    return found


def _by_group(agencies, groups) -> dict[str, list[str]]:
    required: dict[str, list[str]] = {}
    for _pk, code, kind, *_valid in agencies:
        group = agency_group(kind)
        if group in groups:
            required.setdefault(group, []).append(code)
    return required


def _compute(indicator, period: Period, definition, totals, values, required=None) -> formulas.Figure | None:
    """The figure by the definition's formula; `required` as required_agencies gives it, or None to look up."""
    formula = _formula(definition)
    if formula in _OF_TOTALS and totals is not None:
        return formulas.from_totals(formula, totals, unit=indicator.unit)
    if formula == formulas.SHARE_OF_AGENCIES and values:
        if required is None:
            required = required_agencies(indicator, period, definition)
        return formulas.national(formula, values, required=required, by=period.end)
    return None


def _required_for(values: dict, definitions: dict) -> dict[tuple[int, str], dict[str, list[str]]]:
    """The agencies required for each (indicator id, period code) with agency values to count."""
    wanted = {}
    for indicator_id, code in values:
        period = Period.parse(code)
        definition = in_force(definitions.get(indicator_id, []), period)
        if _formula(definition) == formulas.SHARE_OF_AGENCIES:
            wanted[indicator_id, code] = (period, definition)
    return _required_agencies(wanted) if wanted else {}


def _shares(figure: formulas.Figure) -> list[dict]:
    return [
        {
            "group": s.group,
            "label": formulas.GROUP_LABELS.get(s.group, (s.group, s.group))[0],
            "label_en": formulas.GROUP_LABELS.get(s.group, (s.group, s.group))[1],
            "done": s.done,
            "required": s.required,
            "share": s.share,
        }
        for s in figure.shares
    ]


def _empty(indicator: Indicator, period: Period, definition) -> dict:
    return {
        "indicator": indicator.code,
        "period": period.code,
        "formula": _formula(definition),
        "definition_version": definition.version if definition else None,
        "value": None,
        "numerator": None,
        "denominator": None,
        "shares": [],
        "text": "",
        "text_en": "",
        "done": None,
        "done_on": None,
        "source": None,
        "note": "",
        "agencies": 0,
        "observation_id": None,
        "document_id": None,
    }


def _figure(indicator, period: Period, definition, totals, values, stored: dict, required=None) -> dict:
    result = _empty(indicator, period, definition)
    formula = result["formula"]
    figure = _compute(indicator, period, definition, totals, values, required)
    if figure is not None and figure.value is not None:
        return result | {
            "value": figure.value,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "shares": _shares(figure),
            "text": figure.text("vi"),
            "text_en": figure.text("en"),
            "source": Source.COMPUTED,
            "agencies": len(values) if formula == formulas.SHARE_OF_AGENCIES else figure.agencies,
        }
    if formula in formulas.AGGREGATES:
        # A computed row of an aggregate is only ever a copy of the agencies' figure; without them it is stale.
        stored = {k: v for k, v in stored.items() if k != Source.COMPUTED}
    row = next((stored[s] for s in SOURCE_ORDER if s in stored), None)
    if row is None:
        return result
    return result | {
        "value": row.value,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "text": row.text,
        "text_en": row.text,
        "done": row.done,
        "done_on": row.done_on,
        "source": row.source,
        "note": row.note,
        "observation_id": row.pk,
        "document_id": row.document_id,
    }


def _figures(indicators: list[Indicator], codes: list[str] | None) -> dict[tuple[int, str], dict]:
    """Figures per (indicator id, period code), read in a few queries whatever the number of indicators.

    Without codes: every period with a national target, a national value or approved agency values.
    """
    by_id = {i.pk: i for i in indicators}
    ids = list(by_id)
    definitions = _definitions_by_indicator(ids)
    totals, values = _inputs(ids, definitions, codes)
    rows = Observation.objects.filter(
        indicator_id__in=ids, agency__kind=AgencyKind.NATION, state=State.APPROVED
    )
    if codes is not None:
        rows = rows.filter(period__in=codes)
    stored: dict[tuple[int, str], dict[str, Observation]] = {}
    for row in rows:
        stored.setdefault((row.indicator_id, row.period), {})[row.source] = row
    if codes is None:
        targets = Target.objects.filter(indicator_id__in=ids, agency__kind=AgencyKind.NATION)
        keys = {*totals, *values, *stored, *targets.values_list("indicator_id", "period")}
    else:
        keys = {(i, c) for i in by_id for c in codes}
    required = _required_for(values, definitions)
    found = {}
    for indicator_id, code in keys:
        period, key = Period.parse(code), (indicator_id, code)
        definition = in_force(definitions.get(indicator_id, []), period)
        found[key] = _figure(
            by_id[indicator_id],
            period,
            definition,
            totals.get(key),
            values.get(key, []),
            stored.get(key, {}),
            required.get(key),
        )
    _carry_notes(found)
    return found


def _carry_notes(found: dict) -> None:
    """A figure made from agency values carries their note when they all say the same (e.g. "Số liệu
    ước tính", or that the data are synthetic): values keep their notes wherever they are shown."""
    made = {key for key, f in found.items() if f["source"] == Source.COMPUTED and not f["note"]}
    if not made:
        return
    # Only the indicators and periods whose figure has no note of its own.
    rows = (
        _approved({i for i, _p in made}, {p for _i, p in made})
        .order_by()
        .values("indicator_id", "period")
        .annotate(notes=Count("note", distinct=True), some=Max("note"), blank=Count("id", filter=Q(note="")))
        .filter(notes=1, blank=0)
    )
    for row in rows:
        key = (row["indicator_id"], row["period"])
        if key in made:
            found[key]["note"] = row["some"]


def national_figures(indicator: Indicator, periods=None) -> list[dict]:
    """The nation's figures of an indicator for the periods given (Periods or codes), in period order.

    Without periods: every period with a national target, a national value or approved agency values.
    Each figure is a dict as `national_figure` returns.
    """
    codes = None if periods is None else [as_period(p).code for p in periods]
    found = _figures([indicator], codes)
    return sorted(found.values(), key=lambda f: Period.parse(f["period"]))


def national_figure(indicator: Indicator, period) -> dict:
    """The nation's figure for an indicator and period, with where it came from.

    Returns a dict: indicator, period, formula, definition_version, value, numerator, denominator,
    shares (per group: done of required), text (the wording, e.g. "06/30 bộ, ngành; 29/63 địa phương"),
    text_en, done, done_on, source (None when there is no figure), note, agencies (how many agency
    values it counts), observation_id and document_id (of a stored value).
    """
    return national_figures(indicator, [period])[0]


# Stored national figures: what open data, pages and reports read without recomputing.


def _nation() -> Agency:
    return Agency.objects.get(code=NATION_CODE)


_FIGURE_FIELDS = ("value", "numerator", "denominator", "text", "definition_id")


def _stored(nation: Agency, indicator_ids, periods=None) -> dict[tuple[int, str], dict]:
    """The computed national rows' pk and figure fields, per (indicator id, period code).

    Values, not model instances: a recomputation compares thousands of rows and rewrites few.
    """
    rows = Observation.objects.filter(agency=nation, source=Source.COMPUTED, indicator_id__in=indicator_ids)
    if periods is not None:
        rows = rows.filter(period__in=periods)
    return {
        (row["indicator_id"], row["period"]): row
        for row in rows.order_by().values("pk", "indicator_id", "period", *_FIGURE_FIELDS)
    }


def _same(row: dict, fields: dict) -> bool:
    # A database may add floats up in another order from one run to the next: the last bits differ.
    return all(
        math.isclose(old, new, rel_tol=1e-12, abs_tol=1e-12)
        if isinstance(old, float) and isinstance(new, float)
        else old == new
        for old, new in ((row[k], v) for k, v in fields.items())
    )


@transaction.atomic
def _save(figures: dict, definitions: dict, stale: list, existing: dict, nation: Agency) -> dict[str, int]:
    """Write computed national rows for figures {(indicator id, period): Figure}; delete the stale keys' rows.

    `existing` holds the stored rows as `_stored` reads them. Rows are written in bulk, each change audited.
    """
    now = timezone.now()
    reason = _("Computed from approved agency values")
    created, changes = [], {}
    for key, figure in figures.items():
        definition = definitions.get(key)
        fields = {
            "value": figure.value,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "text": figure.text("vi")[:300],
            "definition_id": definition.pk if definition else None,
        }
        row = existing.get(key)
        if row is None:
            indicator_id, code = key
            period = Period.parse(code)
            created.append(
                Observation(
                    indicator_id=indicator_id,
                    agency=nation,
                    source=Source.COMPUTED,
                    state=State.APPROVED,
                    approved_at=now,
                    **period_fields(period),
                    **fields,
                )
            )
        elif not _same(row, fields):
            changes[row["pk"]] = fields
    stale_pks = [existing[key]["pk"] for key in stale]
    # Whole rows only for what changes: the audit keeps them as they were.
    rows = Observation.objects.in_bulk([*changes, *stale_pks])
    changed, entries = [], []
    for pk, fields in changes.items():
        if pk not in rows:
            continue  # deleted meanwhile, by an approval's refresh: nothing to update
        row = rows[pk]
        before = audit.snapshot(row)
        for k, v in fields.items():
            setattr(row, k, v)
        row.version += 1
        row.modified_at = now
        changed.append(row)
        entries.append((row, AuditEntry.Action.UPDATE, before))
    Observation.objects.bulk_create(created, batch_size=1000)
    Observation.objects.bulk_update(changed, [*_FIGURE_FIELDS, "version", "modified_at"], batch_size=1000)
    entries += [(row, AuditEntry.Action.CREATE, None) for row in created]
    deleted = [rows[pk] for pk in stale_pks if pk in rows]
    entries += [(row, AuditEntry.Action.DELETE, audit.snapshot(row)) for row in deleted]
    content_type = ContentType.objects.get_for_model(Observation)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=content_type,
                object_id=str(row.pk),
                action=action,
                before=before,
                after=None if action == AuditEntry.Action.DELETE else audit.snapshot(row),
                reason=reason,
            )
            for row, action, before in entries
        ],
        batch_size=1000,
    )
    Observation.objects.filter(pk__in=[row.pk for row in deleted]).delete()
    return {"created": len(created), "updated": len(changed), "deleted": len(deleted)}


def refresh_national_figure(indicator: Indicator, period) -> dict[str, int]:
    """Rewrite the computed national row of one indicator and period after an approval or reopening."""
    period = as_period(period)
    definition = definition_for(indicator, period)
    if _formula(definition) not in formulas.AGGREGATES:
        return {"created": 0, "updated": 0, "deleted": 0}
    key, nation = (indicator.pk, period.code), _nation()
    totals, values = _inputs([indicator.pk], {indicator.pk: [definition]}, [period.code])
    figure = _compute(indicator, period, definition, totals.get(key), values.get(key, []))
    existing = _stored(nation, [indicator.pk], [period.code])
    if figure is not None and figure.value is not None:
        return _save({key: figure}, {key: definition}, [], existing, nation)
    return _save({}, {}, [key] if key in existing else [], existing, nation)


def _definitions_by_indicator(indicator_ids) -> dict[int, list[IndicatorDefinition]]:
    found: dict[int, list[IndicatorDefinition]] = {}
    for definition in IndicatorDefinition.objects.filter(indicator_id__in=indicator_ids).order_by("-version"):
        found.setdefault(definition.indicator_id, []).append(definition)
    return found


def recompute_national_figures(period=None) -> dict[str, int]:
    """Write the national figure (source "computed") of every aggregate indicator, for one period or all.

    Idempotent: a figure that did not change is not written again; one whose agency values are gone
    is deleted. Each change is audited. Returns counts: created, updated, deleted, unchanged.
    """
    period = as_period(period) if period is not None else None
    periods = [period.code] if period else None
    nation = _nation()
    # Only an aggregate definition makes a national figure from agency values: an indicator without one
    # has none to write, and its computed rows (from events) are not ours.
    indicator_ids = set(
        IndicatorDefinition.objects.filter(formula__in=formulas.AGGREGATES).values_list(
            "indicator_id", flat=True
        )
    )
    definitions = _definitions_by_indicator(indicator_ids)
    indicators = Indicator.objects.in_bulk(indicator_ids)
    all_totals, all_values = _inputs(indicator_ids, definitions, periods)
    required = _required_for(all_values, definitions)
    stored = _stored(nation, indicator_ids, periods)
    figures, used, stale = {}, {}, []
    for key in sorted({*all_totals, *all_values, *stored}):
        indicator_id, code = key
        p = Period.parse(code)
        definition = in_force(definitions.get(indicator_id, []), p)
        if _formula(definition) not in formulas.AGGREGATES:
            continue  # the events' own computed rows are theirs
        figure = _compute(
            indicators[indicator_id],
            p,
            definition,
            all_totals.get(key),
            all_values.get(key, []),
            required.get(key),
        )
        if figure is not None and figure.value is not None:
            figures[key], used[key] = figure, definition
        elif key in stored:
            stale.append(key)
    written = _save(figures, used, stale, stored, nation)
    return written | {"unchanged": len(figures) - written["created"] - written["updated"]}


# Against the targets


def national_target(indicator: Indicator, period) -> Target | None:
    """The national target of an indicator for exactly this period."""
    period = as_period(period)
    return Target.objects.filter(
        indicator=indicator, agency__kind=AgencyKind.NATION, period=period.code
    ).first()


def _status(target: Target | None, figure: dict, definition, as_of: datetime.date) -> str:
    if target is None:
        return assessment.NO_DATA
    params = definition.params if definition else {}
    return assessment.assess(
        target.comparator,
        target=target.value,
        target_date=target.value_date,
        value=figure["value"],
        done=figure["done"],
        done_on=figure["done_on"],
        as_of=as_of,
        tolerance=float(params.get("tolerance", assessment.DEFAULT_TOLERANCE)),
    )


def assess(indicator: Indicator, period, *, as_of: datetime.date | None = None) -> str:
    """ "achieved", "not_achieved" or "no_data" (no figure, or no national target) for the period."""
    period = as_period(period)
    return _status(
        national_target(indicator, period),
        national_figure(indicator, period),
        definition_for(indicator, period),
        as_of or timezone.localdate(),
    )


def _with_target(figure: dict, target: Target | None, definition, as_of: datetime.date) -> dict:
    return figure | {
        "target": target.value if target else None,
        "target_date": target.value_date if target else None,
        "target_text": target.text if target else "",
        "comparator": target.comparator if target else None,
        "target_document_id": target.document_id if target else None,
        "status": _status(target, figure, definition, as_of),
    }


def indicator_series(indicator: Indicator, *, as_of: datetime.date | None = None) -> list[dict]:
    """Each period's national figure with its national target and status: the indicator page's line.

    Rows are `national_figure` dicts plus target, target_date, target_text, comparator,
    target_document_id and status.
    """
    as_of = as_of or timezone.localdate()
    targets = {
        t.period: t for t in Target.objects.filter(indicator=indicator, agency__kind=AgencyKind.NATION)
    }
    definitions = list(indicator.definitions.order_by("-version"))
    return [
        _with_target(
            figure,
            targets.get(figure["period"]),
            in_force(definitions, Period.parse(figure["period"])),
            as_of,
        )
        for figure in national_figures(indicator)
    ]


_STATUS_ORDER = {s: i for i, s in enumerate(assessment.STATUSES)}


def classify(period, *, as_of: datetime.date | None = None) -> list[dict]:
    """Every indicator with a national target for the period, its figure and status against it.

    Rows, achieved first, then not achieved, then no data (catalogue order within): the
    `indicator_series` fields plus code, name, group, unit, lead (agency codes) and lead_names.
    """
    period = as_period(period)
    as_of = as_of or timezone.localdate()
    targets = list(
        Target.objects.filter(agency__kind=AgencyKind.NATION, period=period.code)
        .select_related("indicator")
        .prefetch_related("indicator__lead", "indicator__definitions")
    )
    figures = _figures([t.indicator for t in targets], [period.code])
    rows = []
    for target in targets:
        indicator = target.indicator
        lead = list(indicator.lead.all())
        definition = in_force(sorted(indicator.definitions.all(), key=lambda d: -d.version), period)
        rows.append(
            _with_target(figures[(indicator.pk, period.code)], target, definition, as_of)
            | {
                "code": indicator.code,
                "name": indicator.name,
                "group": indicator.group,
                "unit": indicator.unit,
                "lead": [a.code for a in lead],
                "lead_names": [a.name for a in lead],
            }
        )
    rows.sort(key=lambda r: (_STATUS_ORDER[r["status"]], r["group"], r["code"]))
    return rows


# Reporting completeness

REPORTED, LATE, MISSING = "reported", "late", "missing"


def completeness(round: ReportingRound, *, as_of: datetime.date | None = None) -> dict:
    """Who of a round's agencies has reported (every indicator submitted or approved), late, or not.

    An agency has reported when each of the round's indicators has its value submitted or approved; it
    is late when the last of those submissions came after the due date (in Vietnam's time zone). A
    returned value counts as not reported until it is submitted again.

    Returns a dict: round (id, title, period, due_date), as_of, due_passed, indicators (how many),
    agencies (code, name, kind, group, state, submitted, required, submitted_at), groups and total
    (required, reported, late, missing, reported_rate and on_time_rate in %).
    """
    return completeness_of([round], as_of=as_of)[round.pk]


def completeness_of(rounds, *, as_of: datetime.date | None = None) -> dict[int, dict]:
    """`completeness` of several rounds, by round id, in four queries whatever their number."""
    as_of = as_of or timezone.localdate()
    rounds = list(rounds)
    ids = [r.pk for r in rounds]
    indicators: dict[int, set[int]] = {pk: set() for pk in ids}
    for round_id, indicator_id in ReportingRound.indicators.through.objects.filter(
        reportinground_id__in=ids
    ).values_list("reportinground_id", "indicator_id"):
        indicators[round_id].add(indicator_id)
    members: dict[int, set[int]] = {pk: set() for pk in ids}
    for round_id, agency_id in ReportingRound.agencies.through.objects.filter(
        reportinground_id__in=ids
    ).values_list("reportinground_id", "agency_id"):
        members[round_id].add(agency_id)
    agencies = list(Agency.objects.filter(pk__in=set().union(*members.values())).order_by("kind", "name"))
    submitted: dict[tuple[str, int], dict[int, datetime.datetime | None]] = {}
    rows = Observation.objects.filter(
        indicator_id__in=set().union(*indicators.values()),
        agency__in=agencies,
        period__in={r.period for r in rounds},
        source=Source.REPORTED,
        state__in=(State.SUBMITTED, State.APPROVED),
    ).values_list("period", "agency_id", "indicator_id", "submitted_at")
    for period, agency_id, indicator_id, at in rows:
        submitted.setdefault((period, agency_id), {})[indicator_id] = at
    return {
        r.pk: _completeness(
            r, indicators[r.pk], [a for a in agencies if a.pk in members[r.pk]], submitted, as_of
        )
        for r in rounds
    }


def _completeness(round: ReportingRound, indicator_ids: set[int], agencies, submitted, as_of) -> dict:
    listed, groups = [], {}
    for agency in agencies:
        values = submitted.get((round.period, agency.pk), {})
        done = {i: at for i, at in values.items() if i in indicator_ids}
        last = max((at for at in done.values() if at), default=None)
        if len(done) < len(indicator_ids):
            state = MISSING
        elif last and timezone.localtime(last).date() > round.due_date:
            state = LATE
        else:
            state = REPORTED
        group = agency_group(agency.kind)
        listed.append(
            {
                "code": agency.code,
                "name": agency.name,
                "kind": agency.kind,
                "group": group,
                "state": state,
                "submitted": len(done),
                "required": len(indicator_ids),
                "submitted_at": last,
            }
        )
        groups.setdefault(group, []).append(state)
    order = {g: i for i, g in enumerate(formulas.GROUP_ORDER)}
    return {
        "round": {"id": round.pk, "title": round.title, "period": round.period, "due_date": round.due_date},
        "as_of": as_of,
        "due_passed": as_of > round.due_date,
        "indicators": len(indicator_ids),
        "agencies": listed,
        "groups": [
            _rates(g, states) for g, states in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))
        ],
        "total": _rates("total", [a["state"] for a in listed]),
    }


def _rates(group: str, states: list[str]) -> dict:
    required = len(states)
    reported, late = states.count(REPORTED), states.count(LATE)
    labels = formulas.GROUP_LABELS.get(group, (group, group))
    return {
        "group": group,
        "label": labels[0],
        "label_en": labels[1],
        "required": required,
        "reported": reported,
        "late": late,
        "missing": states.count(MISSING),
        "reported_rate": 100.0 * (reported + late) / required if required else None,
        "on_time_rate": 100.0 * reported / required if required else None,
    }
