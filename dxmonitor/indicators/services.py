"""Indicator operations: the catalogue, targets, reporting rounds, and entering, submitting, approving,
returning and reopening values. Each operation asks the policy of the same name first; views, API,
Excel import, CLI and jobs all call these. National figures are in `figures`.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from dxmonitor.accounts import policy
from dxmonitor.agencies.matching import normalize
from dxmonitor.agencies.models import Agency, AgencyKind
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.core import audit
from dxmonitor.core.i18n import both
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.indicators import formulas, validation
from dxmonitor.indicators.messages import render_problems
from dxmonitor.indicators.models import (
    Indicator,
    IndicatorDefinition,
    Observation,
    ReportingRound,
    Target,
)

_GROUPS = {
    "du lieu so": Indicator.Group.DIGITAL_DATA,
    "chinh phu so": Indicator.Group.DIGITAL_GOVERNMENT,
    "kinh te so": Indicator.Group.DIGITAL_ECONOMY,
    "xa hoi so": Indicator.Group.DIGITAL_SOCIETY,
    "an toan an ninh mang": Indicator.Group.CYBERSECURITY,
    "an toan thong tin mang": Indicator.Group.CYBERSECURITY,
    "an ninh mang": Indicator.Group.CYBERSECURITY,
    "de an 06": Indicator.Group.PROJECT_06,
}
State = Observation.State
Source = Observation.Source
EDITABLE = (State.DRAFT, State.RETURNED)


def group_from_text(text: str) -> str:
    """The catalogue group of a heading such as "I. Dữ liệu số" or "Nhóm chỉ tiêu Chính phủ số"."""
    key = normalize(text)
    for words, group in _GROUPS.items():
        if words in key:
            return group
    return Indicator.Group.OTHER


# "từ 15 tuổi" and "từ 15 tuổi trở lên" say the same: the notices use both for one indicator.
_AND_OVER = re.compile(r"\btu (\d+) tuoi tro len\b")


def indicator_key(name: str) -> str:
    """The matching key of an indicator's name: marks, case, spacing and wording variants ignored."""
    return _AND_OVER.sub(r"tu \1 tuoi", normalize(name))


def find_indicator(name: str) -> Indicator | None:
    """The catalogue's indicator with this name, however it is spaced, cased or marked."""
    key = indicator_key(name)
    for indicator in Indicator.objects.only("id", "name"):
        if indicator_key(indicator.name) == key:
            return indicator
    return None


class Conflict(ValidationError):
    """Someone else saved the row after this person loaded it: reload rather than overwrite."""

    def __init__(self, current):
        self.current = current
        super().__init__(self._message(), code="conflict")

    def _message(self) -> str:
        current = self.current
        if current is None:
            return _("This value was removed by someone else; reload the page and check.")
        who = current.modified_by.display_name if current.modified_by else _("the system")
        at = formats.date_format(timezone.localtime(current.modified_at), "SHORT_DATETIME_FORMAT")
        return _(
            "Someone else (%(who)s) changed this value at %(at)s; reload the page and check it "
            "before saving again."
        ) % {"who": who, "at": at}

    def both(self) -> dict[str, str]:
        """The message in Vietnamese and in English, for the API."""
        return both(lazy(self._message, str)())


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def as_period(period) -> Period:
    """A Period from a Period or its code; a message for the "period" field otherwise."""
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(str(period))
    except ValueError:
        raise ValidationError(
            {
                "period": _("“%(code)s” is not a period: write 2023, 2023-H1, 2023-Q2 or 2023-06.")
                % {"code": period}
            }
        ) from None


def period_fields(period: Period) -> dict:
    """The model fields of a period: its code, kind, first and last day."""
    return {
        "period": period.code,
        "period_kind": period.kind,
        "period_start": period.start,
        "period_end": period.end,
    }


def is_nation(agency) -> bool:
    return agency.kind == AgencyKind.NATION


# Catalogue


def definition_for(indicator: Indicator, period) -> IndicatorDefinition | None:
    """The definition in force for a period: the newest version valid from the period's start or before.

    A version valid from a later date does not apply, so a changed formula never rewrites past figures.
    """
    return in_force(indicator.definitions.order_by("-version"), as_period(period))


def in_force(definitions, period: Period) -> IndicatorDefinition | None:
    """The first definition, of versions newest first, valid from the period's start or before."""
    return next((d for d in definitions if d.valid_from is None or d.valid_from <= period.start), None)


@transaction.atomic
def define_indicator(
    actor,
    indicator: Indicator,
    *,
    formula: str,
    valid_from: datetime.date | None = None,
    params: dict | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    note: str = "",
) -> IndicatorDefinition:
    """A new version of how an indicator's value forms, from a date on; earlier periods keep theirs.

    Args:
        actor: the secretariat, or None for the system (CLI, demo).
        indicator: the indicator.
        formula: one of IndicatorDefinition.Formula ("value", "ratio", "share_of_agencies", …).
        valid_from: the first day it applies (periods starting on or after it); None for always.
        params: formula parameters, e.g. {"groups": ["central", "province"]}, {"tolerance": 0.5},
            {"jump_points": 10}.
        min_value, max_value: bounds of an entered value, overriding the unit's (0–100 for %).
        note: why it changed.

    Raises:
        PermissionDenied: the actor is not the secretariat.
        ValidationError: a message per field; nothing is stored.
    """
    if actor is not None:
        _require(policy.define_indicator(actor))
    errors = {}
    if formula not in IndicatorDefinition.Formula.values:
        errors["formula"] = _("Choose one of the formulas: %(choices)s.") % {
            "choices": ", ".join(IndicatorDefinition.Formula.values)
        }
    if min_value is not None and max_value is not None and min_value > max_value:
        errors["max_value"] = _("The maximum is below the minimum; swap them or correct one.")
    latest = indicator.definitions.order_by("-version").first()
    if latest and latest.valid_from and (valid_from is None or valid_from < latest.valid_from):
        errors["valid_from"] = _(
            "Version %(version)d already applies from %(date)s; a new version must start on or after it."
        ) % {"version": latest.version, "date": formats.date_format(latest.valid_from, "SHORT_DATE_FORMAT")}
    if errors:
        raise ValidationError(errors)
    definition = IndicatorDefinition.objects.create(
        indicator=indicator,
        version=(latest.version if latest else 0) + 1,
        valid_from=valid_from,
        formula=formula,
        params=params or {},
        min_value=min_value,
        max_value=max_value,
        note=note.strip(),
    )
    audit.record(definition, actor, AuditEntry.Action.CREATE, None, audit.snapshot(definition), note.strip())
    return definition


# Targets


@transaction.atomic
def set_target(
    actor,
    indicator: Indicator,
    period,
    *,
    agency=None,
    comparator: str = Target.Comparator.AT_LEAST,
    value: float | None = None,
    value_date: datetime.date | None = None,
    text: str = "",
    document=None,
    expected_version: int | None = None,
) -> Target:
    """Set or correct a target for a period, national (agency None) or for one agency; audited.

    Args:
        actor: the secretariat, or None for the system (CLI, demo, publishing a document).
        indicator, period: what the target is for (a Period or its code).
        agency: the agency it is set for; the nation when None.
        comparator: ">=" (at least), "<=" (at most), "==" (exactly) or "by_date".
        value: the target value (numeric comparators); value_date: the deadline ("by_date").
        text: the document's own wording, e.g. "Trên 50%".
        document: the document that set it.
        expected_version: the version the person saw; a different current version is a Conflict.

    Raises:
        PermissionDenied: the actor is not the secretariat.
        Conflict: someone else changed the target meanwhile.
        ValidationError: a message per field; nothing is stored.
    """
    if actor is not None:
        _require(policy.set_target(actor))
    period = as_period(period)
    agency = agency or Agency.objects.get(code=NATION_CODE)
    errors = {}
    if comparator not in Target.Comparator.values:
        errors["comparator"] = _("Choose at least, at most, exactly or by a date.")
    elif comparator == Target.Comparator.BY_DATE:
        if value_date is None:
            errors["value_date"] = _("A target “by a date” needs the date.")
    elif value is None:
        errors["value"] = _("Enter the target value.")
    else:
        definition = definition_for(indicator, period)
        rules = validation.Rules(
            unit=indicator.unit,
            min_value=definition.min_value if definition else None,
            max_value=definition.max_value if definition else None,
        )
        problems = validation.check_numbers(validation.Entry(value=value)) or validation.check_range(
            validation.Entry(value=value), rules
        )
        errors.update(render_problems(problems, rules))
    if errors:
        raise ValidationError(errors)
    fields = {
        **period_fields(period),
        "comparator": comparator,
        "value": value if comparator != Target.Comparator.BY_DATE else None,
        "value_date": value_date,
        "text": text.strip()[:300],
        "document": document,
        "modified_by": actor,
    }
    target = Target.objects.filter(indicator=indicator, agency=agency, period=period.code).first()
    if target is None:
        target = Target.objects.create(indicator=indicator, agency=agency, created_by=actor, **fields)
        audit.record(target, actor, AuditEntry.Action.CREATE, None, audit.snapshot(target))
        return target
    version = target.version if expected_version is None else expected_version
    before = audit.snapshot(target)
    updated = Target.objects.filter(pk=target.pk, version=version).update(
        **fields, version=F("version") + 1, modified_at=timezone.now()
    )
    target.refresh_from_db()
    if not updated:
        raise Conflict(target)
    audit.record(target, actor, AuditEntry.Action.UPDATE, before, audit.snapshot(target))
    return target


# Reporting rounds


@transaction.atomic
def open_round(actor, *, title: str, period, due_date: datetime.date, indicators, agencies) -> ReportingRound:
    """A reporting round: the indicators the agencies must report for a period by a due date."""
    if actor is not None:
        _require(policy.administer(actor))
    period = as_period(period)
    indicators, agencies = list(indicators), list(agencies)
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the round a title, e.g. “Báo cáo năm 2023”.")
    if not indicators:
        errors["indicators"] = _("Choose at least one indicator to report.")
    if not agencies:
        errors["agencies"] = _("Choose the agencies that must report.")
    if due_date < period.start:
        errors["due_date"] = _("The due date is before the period starts; reports come after it.")
    if errors:
        raise ValidationError(errors)
    round_ = ReportingRound.objects.create(
        title=title.strip(), due_date=due_date, created_by=actor, modified_by=actor, **period_fields(period)
    )
    round_.indicators.set(indicators)
    round_.agencies.set(agencies)
    audit.record(round_, actor, AuditEntry.Action.CREATE, None, audit.snapshot(round_))
    return round_


# Entering values


def entry_rules(indicator: Indicator, agency, definition: IndicatorDefinition | None) -> validation.Rules:
    """What an agency enters for an indicator, and the bounds and jump size that apply."""
    formula = definition.formula if definition else formulas.VALUE
    params = definition.params if definition else {}
    if params.get("entry") in validation.KINDS:
        kind = params["entry"]
    elif formula == formulas.RATIO:
        kind = validation.RATIO
    elif formula == formulas.SHARE_OF_AGENCIES and not is_nation(agency):
        kind = validation.DONE
    elif not indicator.unit and indicator.targets.filter(comparator=Target.Comparator.BY_DATE).exists():
        # A milestone ("Trình ban hành Luật … Tháng 12/2023") is reported as done, with its date.
        kind = validation.DONE
    else:
        kind = validation.VALUE
    return validation.Rules(
        kind=kind,
        unit=indicator.unit,
        min_value=definition.min_value if definition else None,
        max_value=definition.max_value if definition else None,
        jump_points=float(params.get("jump_points", validation.JUMP_POINTS)),
        jump_relative=float(params.get("jump_relative", validation.JUMP_RELATIVE)),
    )


# The source a figure is taken from when several exist, most trusted first.
SOURCE_ORDER = (Source.REPORTED, Source.COMPUTED, Source.IMPORTED, Source.ESTIMATED, Source.FORECAST)


def previous_value(indicator: Indicator, agency, period: Period) -> float | None:
    """The agency's settled value (submitted or approved) for the previous period of the same kind."""
    return previous_values([indicator], agency, period).get(indicator.pk)


def previous_values(indicators, agency, period: Period) -> dict[int, float]:
    """previous_value of many indicators in one query: {indicator id: value} for those that have one."""
    found: dict[int, dict] = {}
    for indicator_id, source, value in Observation.objects.filter(
        indicator__in=indicators,
        agency=agency,
        period=period.previous().code,
        state__in=(State.SUBMITTED, State.APPROVED),
        value__isnull=False,
    ).values_list("indicator_id", "source", "value"):
        found.setdefault(indicator_id, {})[source] = value
    return {i: next(by[s] for s in SOURCE_ORDER if s in by) for i, by in found.items()}


def entry_setup(indicator: Indicator, agency, period: Period) -> tuple[validation.Rules, bool]:
    """An indicator's entry rules for an agency and period, and whether its value is computed rather
    than entered; reads the indicator's definitions as prefetched (no query when they are)."""
    definitions = sorted(indicator.definitions.all(), key=lambda d: -d.version)
    definition = in_force(definitions, period)
    computed = bool(definition and definition.formula == formulas.COMPUTED)
    return entry_rules(indicator, agency, definition), computed


def can_edit(computed: bool, observation: Observation | None) -> bool:
    """Whether an agency may still enter a value: not computed, and not yet submitted or approved."""
    return not computed and (observation is None or observation.state in EDITABLE)


def entry_fields(entry: validation.Entry, rules: validation.Rules) -> dict:
    """What an entry that passed its checks stores: its value; numerator and denominator for a ratio;
    done for a yes/no indicator (a date alone means done); the date it was done."""
    ratio, done = rules.kind == validation.RATIO, rules.kind == validation.DONE
    return {
        "value": validation.entry_value(entry, rules),
        "numerator": entry.numerator if ratio else None,
        "denominator": entry.denominator if ratio else None,
        "done": (True if entry.done is None else entry.done) if done else None,
        "done_on": entry.done_on,
    }


def check_entry(
    indicator: Indicator, agency, period, entry: validation.Entry
) -> tuple[validation.Rules, list[validation.Problem]]:
    """The rules for an entry and every problem with it (warnings included), without storing anything.

    Forms and the Excel import call this to show errors and warnings before saving; render the
    problems with `messages.render_problems(problems, rules)`.
    """
    period = as_period(period)
    rules = entry_rules(indicator, agency, definition_for(indicator, period))
    problems = validation.validate(
        entry,
        rules,
        today=timezone.localdate(),
        previous=previous_value(indicator, agency, period),
    )
    return rules, problems


def _check_agency(agency, period: Period) -> dict:
    if agency.kind == AgencyKind.COLLECTIVE:
        return {
            "agency": _("“%(agency)s” names a group of agencies; enter the value for each agency in it.")
            % {"agency": agency.name}
        }
    if (agency.valid_from and agency.valid_from > period.end) or (
        agency.valid_to and agency.valid_to < period.start
    ):
        return {
            "agency": _(
                "%(agency)s did not exist in %(period)s; enter the value for the agency that held the work then."
            )
            % {"agency": agency.name, "period": period.code}
        }
    return {}


def _check_round(round_, indicator, agency, period: Period) -> dict:
    errors = {}
    if round_.period != period.code:
        errors["round"] = _("The round “%(title)s” is for %(round)s, not %(period)s.") % {
            "title": round_.title,
            "round": round_.period,
            "period": period.code,
        }
    elif not round_.indicators.filter(pk=indicator.pk).exists():
        errors["round"] = _("This indicator is not reported in the round “%(title)s”.") % {
            "title": round_.title
        }
    elif not round_.agencies.filter(pk=agency.pk).exists():
        errors["round"] = _("%(agency)s is not among the agencies that report in “%(title)s”.") % {
            "agency": agency.name,
            "title": round_.title,
        }
    return errors


def _locked(state: str, action: str = "edit") -> ValidationError:
    messages = {
        State.SUBMITTED: _(
            "This value is submitted and waits for approval; ask the approver to return it if it needs a change."
        ),
        State.APPROVED: _(
            "This value is approved and locked; it changes only when an approver reopens it with a reason."
        ),
        State.DRAFT: _("This value is a draft: the reporter submits it first."),
        State.RETURNED: _(
            "This value was returned to the reporter; it must be corrected and submitted again."
        ),
    }
    return ValidationError(messages[state], code=f"{action}_{state}")


@transaction.atomic
def record_observation(
    actor,
    indicator: Indicator,
    agency,
    period,
    *,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    done: bool | None = None,
    done_on: datetime.date | None = None,
    note: str = "",
    comment: str = "",
    expected_version: int | None = None,
    round: ReportingRound | None = None,
) -> Observation:
    """Enter or correct an agency's value for a period (source "reported"); it stays a draft.

    Args:
        actor: a reporter or approver of the agency; for the nation, of the indicator's lead agency;
            or the secretariat.
        indicator, agency, period: what the value is for (period as a Period or its code).
        value: the value, for indicators reported as one number.
        numerator, denominator: the two counts, for ratio indicators (the value is computed).
        done, done_on: whether and when the agency did it, for share-of-agencies indicators and
            milestones; a date alone means done.
        note: the value's source note, e.g. "Số liệu theo dự báo".
        comment: the reporter's explanation; required when the value jumps against the previous period.
        expected_version: the version the person loaded (0 or None when there was no value yet); if the
            row changed since, Conflict.
        round: the reporting round the value is entered for, if any.

    Returns:
        The observation, in state draft.

    Raises:
        PermissionDenied: the actor does not act for this agency.
        Conflict: someone else changed the value after expected_version.
        ValidationError: a message per field (nothing is stored), or the value is submitted or
            approved and so locked.
    """
    period = as_period(period)
    _require(policy.report_value(actor, indicator, agency))
    definition = definition_for(indicator, period)
    if definition and definition.formula == formulas.COMPUTED:
        raise ValidationError(
            {
                "value": _(
                    "This indicator is computed from the records of public services; it is not entered by hand."
                )
            }
        )
    errors = _check_agency(agency, period)
    if round is not None:
        errors.update(_check_round(round, indicator, agency, period))
    entry = validation.Entry(value, numerator, denominator, done, done_on, comment.strip())
    rules, problems = check_entry(indicator, agency, period, entry)
    errors.update(render_problems(validation.outstanding(problems, entry.comment), rules))
    if errors:
        raise ValidationError(errors)
    fields = entry_fields(entry, rules) | {
        "note": note.strip(),
        "comment": entry.comment,
        "definition": definition,
        "entered_by": actor,
        "modified_by": actor,
    }
    if round is not None:
        fields["round"] = round
    key = {"indicator": indicator, "agency": agency, "source": Source.REPORTED}
    row = Observation.objects.filter(**key, period=period.code).select_related("modified_by").first()
    if row is None:
        if expected_version:
            raise Conflict(None)
        try:
            with transaction.atomic():
                row = Observation.objects.create(**key, **period_fields(period), **fields, created_by=actor)
        except IntegrityError:
            # Two first entries at once: the other one won.
            current = Observation.objects.filter(**key, period=period.code).select_related("modified_by")
            raise Conflict(current.first()) from None
        audit.record(row, actor, AuditEntry.Action.CREATE, None, audit.snapshot(row))
        return row
    if row.state not in EDITABLE:
        raise _locked(row.state)
    version = row.version if expected_version is None else expected_version
    before = audit.snapshot(row)
    updated = Observation.objects.filter(pk=row.pk, version=version, state__in=EDITABLE).update(
        **fields, state=State.DRAFT, version=F("version") + 1, modified_at=timezone.now()
    )
    row = Observation.objects.select_related("modified_by").get(pk=row.pk)
    if not updated:
        if row.state not in EDITABLE:
            raise _locked(row.state)
        raise Conflict(row)
    audit.record(row, actor, AuditEntry.Action.UPDATE, before, audit.snapshot(row))
    return row


# The workflow: draft → submitted → approved, or returned; approved → draft only by reopening.


def _transition(
    observation: Observation,
    actor,
    *,
    allowed: tuple,
    state: str,
    action: str,
    expected_version: int | None,
    reason: str = "",
    **fields,
) -> Observation:
    if observation.source != Source.REPORTED:
        raise ValidationError(
            _("Only values reported by agencies go through approval; this one is %(source)s.")
            % {"source": observation.get_source_display().lower()}
        )
    version = observation.version if expected_version is None else expected_version
    before = audit.snapshot(observation)
    updated = Observation.objects.filter(pk=observation.pk, version=version, state__in=allowed).update(
        state=state, version=F("version") + 1, modified_at=timezone.now(), modified_by=actor, **fields
    )
    current = Observation.objects.select_related("modified_by").get(pk=observation.pk)
    if not updated:
        if current.version != version:
            raise Conflict(current)
        raise _locked(current.state, action)
    audit.record(current, actor, AuditEntry.Action.UPDATE, before, audit.snapshot(current), reason)
    return current


@transaction.atomic
def submit_observation(
    actor, observation: Observation, *, expected_version: int | None = None
) -> Observation:
    """Send a draft or returned value to the agency's approver."""
    _require(policy.report_value(actor, observation.indicator, observation.agency))
    return _transition(
        observation,
        actor,
        allowed=EDITABLE,
        state=State.SUBMITTED,
        action="submit",
        expected_version=expected_version,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def approve_observation(
    actor, observation: Observation, *, expected_version: int | None = None
) -> Observation:
    """Approve a submitted value: it is locked and counts in the national figure."""
    from dxmonitor.indicators.figures import refresh_national_figure

    _require(policy.approve_value(actor, observation.indicator, observation.agency))
    observation = _transition(
        observation,
        actor,
        allowed=(State.SUBMITTED,),
        state=State.APPROVED,
        action="approve",
        expected_version=expected_version,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    refresh_national_figure(observation.indicator, observation.period)
    return observation


@transaction.atomic
def return_observation(
    actor, observation: Observation, comment: str, *, expected_version: int | None = None
) -> Observation:
    """Send a submitted value back to the reporter with a comment saying what to correct."""
    _require(policy.approve_value(actor, observation.indicator, observation.agency))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what to correct: the reporter sees this comment.")})
    return _transition(
        observation,
        actor,
        allowed=(State.SUBMITTED,),
        state=State.RETURNED,
        action="return",
        expected_version=expected_version,
        reason=comment,
        review_comment=comment,
    )


@transaction.atomic
def reopen_observation(
    actor, observation: Observation, reason: str, *, expected_version: int | None = None
) -> Observation:
    """Unlock an approved value for correction (back to draft); the reason is kept in its history."""
    from dxmonitor.indicators.figures import refresh_national_figure

    _require(policy.approve_value(actor, observation.indicator, observation.agency))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the approved value must change; it is kept in its history.")}
        )
    observation = _transition(
        observation,
        actor,
        allowed=(State.APPROVED,),
        state=State.DRAFT,
        action="reopen",
        expected_version=expected_version,
        reason=reason,
        approved_by=None,
        approved_at=None,
    )
    refresh_national_figure(observation.indicator, observation.period)
    return observation
