"""Reporting round pages: the rounds, a round's completeness, the secretariat opening one, the agency's
form and its Excel template, and the approver's queue. The work is the services'; each form row and each
Excel row is saved on its own, so one rejected value holds back nothing else.
"""

import datetime
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxmonitor.accounts import policy
from dxmonitor.agencies.models import CENTRAL_KINDS, Agency, AgencyKind
from dxmonitor.core.access import secretariat_only, signed_in
from dxmonitor.core.periods import Period
from dxmonitor.core.twins import respond
from dxmonitor.indicators import figures, services, validation
from dxmonitor.indicators.api import ObservationOut
from dxmonitor.indicators.messages import render_problems
from dxmonitor.indicators.models import Indicator, Observation, ReportingRound

State = Observation.State
Source = Observation.Source


# Reporting rounds


def _rounds_for(user):
    rounds = ReportingRound.objects.annotate(
        agency_count=Count("agencies", distinct=True), indicator_count=Count("indicators", distinct=True)
    )
    if policy.sees_everything(user):
        return rounds
    return rounds.filter(agencies=user.agency_id) if user.agency_id else rounds.none()


@signed_in
def round_index(request, format):
    rounds = list(_rounds_for(request.user).order_by("-due_date", "-pk")[:100])
    states = figures.completeness_of(rounds)
    rows = []
    for round_ in rounds:
        state = states[round_.pk]
        own = next(
            (a for a in state["agencies"] if a["code"] == getattr(request.user.agency, "code", None)), None
        )
        rows.append({"round": round_, "total": state["total"], "own": own})
    data = {
        "rounds": [
            {
                "id": r["round"].pk,
                "title": r["round"].title,
                "period": r["round"].period,
                "due_date": r["round"].due_date.isoformat(),
                "agencies": r["round"].agency_count,
                "indicators": r["round"].indicator_count,
                "reported_rate": r["total"]["reported_rate"],
                "on_time_rate": r["total"]["on_time_rate"],
                "own_state": r["own"]["state"] if r["own"] else None,
            }
            for r in rows
        ]
    }
    return respond(request, format, "indicators/rounds.html", {"rows": rows}, data)


AGENCY_SETS = {
    "provinces": (AgencyKind.PROVINCE,),
    "ministries": CENTRAL_KINDS,
}


@secretariat_only
def round_create(request):
    """The secretariat opens a round: its period, due date, indicators, and who must report."""
    indicators = Indicator.objects.order_by("group", "code")
    form = {"title": "", "period": "", "due_date": "", "indicators": [], "sets": ["provinces"], "codes": ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = {
            "title": request.POST.get("title", "").strip(),
            "period": request.POST.get("period", "").strip(),
            "due_date": request.POST.get("due_date", ""),
            "indicators": request.POST.getlist("indicators"),
            "sets": request.POST.getlist("sets"),
            "codes": request.POST.get("codes", ""),
        }
        try:
            round_ = _open_round(request.user, form)
        except ValidationError as error:
            errors = _by_field(error)
        else:
            messages.success(request, _("The round is open; the agencies can report."))
            return redirect("round-detail", round_.pk)
    context = {"indicators": indicators, "form": form, "errors": errors}
    return render(request, "indicators/round_new.html", context, status=400 if errors else 200)


def _open_round(user, form: dict) -> ReportingRound:
    errors = {}
    try:
        period = services.as_period(form["period"])
    except ValidationError:
        raise ValidationError(
            {"period": _("Give the period as 2026, 2026-H1, 2026-Q3 or 2026-09.")}
        ) from None
    try:
        due_date = datetime.date.fromisoformat(form["due_date"])
    except ValueError:
        raise ValidationError({"due_date": _("Give the due date.")}) from None
    # The agencies that exist at the end of the period: a round after 2025-07-01 asks the 34 provinces.
    kinds = [kind for name in form["sets"] for kind in AGENCY_SETS.get(name, ())]
    agencies = set(Agency.objects.valid_on(period.end).filter(kind__in=kinds)) if kinds else set()
    codes = [c.strip() for c in form["codes"].replace(",", ";").split(";") if c.strip()]
    found = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors["codes"] = [_("Unknown agency codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    agencies |= set(found.values())
    if errors:
        raise ValidationError(errors)
    chosen = Indicator.objects.filter(pk__in=[i for i in form["indicators"] if i.isdigit()])
    return services.open_round(
        user, title=form["title"], period=period, due_date=due_date, indicators=chosen, agencies=agencies
    )


def _visible_round(user, round_id) -> ReportingRound:
    round_ = get_object_or_404(ReportingRound, pk=round_id)
    if not policy.sees_everything(user) and not round_.agencies.filter(pk=user.agency_id).exists():
        raise Http404
    return round_


@signed_in
def round_page(request, round_id, format):
    round_ = _visible_round(request.user, round_id)
    data = figures.completeness(round_)
    if not policy.sees_everything(request.user):
        own = request.user.agency.code if request.user.agency_id else None
        data["agencies"] = [a for a in data["agencies"] if a["code"] == own]
    if format == "json":
        return JsonResponse(
            json.loads(json.dumps(data, default=str)), json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
    context = {
        "round": round_,
        "data": data,
        "indicators": round_.indicators.order_by("group", "code"),
        "sees_all": policy.sees_everything(request.user),
        "can_review": policy.approve_for_agency(request.user, request.user.agency),
    }
    return render(request, "indicators/round.html", context)


def _form_agency(request, round_: ReportingRound) -> Agency:
    """The agency whose form is shown: the user's own, or any of the round's for the secretariat."""
    code = request.GET.get("agency") or request.POST.get("agency")
    if code and policy.sees_everything(request.user):
        agency = get_object_or_404(Agency, code=code)
    elif code and request.user.agency_id and code != request.user.agency.code:
        raise PermissionDenied  # an agency reporting for another
    elif request.user.agency_id:
        agency = request.user.agency
    else:
        raise Http404
    if not round_.agencies.filter(pk=agency.pk).exists():
        raise Http404
    if not policy.view_agency_data(request.user, agency):
        raise PermissionDenied
    return agency


class FormRow:
    """One indicator of a round on the agency's form: what to enter, the stored value, typed input, errors."""

    FIELDS = ("value", "numerator", "denominator", "done", "done_on", "note", "comment")

    def __init__(self, indicator, agency, round_, observation, previous):
        self.indicator = indicator
        self.observation = observation
        self.previous = previous
        # The indicators come with their definitions prefetched (_form_rows): no query per row.
        self.rules, self.computed = services.entry_setup(indicator, agency, Period.parse(round_.period))
        self.errors: dict[str, list[str]] = {}
        self.status = ""
        self.input = self._stored()

    @property
    def prefix(self) -> str:
        return f"i{self.indicator.pk}"

    @property
    def editable(self) -> bool:
        return services.can_edit(self.computed, self.observation)

    @property
    def version(self) -> int:
        return self.observation.version if self.observation else 0

    def _stored(self) -> dict[str, str]:
        o = self.observation
        if o is None:
            return dict.fromkeys(self.FIELDS, "")
        number = {
            "value": o.value if self.rules.kind == validation.VALUE else None,
            "numerator": o.numerator,
            "denominator": o.denominator,
        }
        shown = {k: ("" if v is None else format(v, ".15g")) for k, v in number.items()}
        return shown | {
            "done": "" if o.done is None else ("yes" if o.done else "no"),
            "done_on": o.done_on.isoformat() if o.done_on else "",
            "note": o.note,
            "comment": o.comment,
        }

    def read(self, post) -> None:
        self.input = {f: post.get(f"{self.prefix}-{f}", "").strip() for f in self.FIELDS}

    @property
    def changed(self) -> bool:
        return self.input != self._stored()

    @property
    def empty(self) -> bool:
        return not any(self.input.values())

    def parsed(self) -> dict:
        """The typed input as the service's arguments; a ValidationError names each field not understood."""
        errors, parsed = {}, {}
        for name in ("value", "numerator", "denominator"):
            try:
                parsed[name] = validation.parse_number(self.input[name])
            except ValueError:
                problem = validation.Problem(name, "not_a_number", {"text": self.input[name]})
                errors.update(render_problems([problem], self.rules))
        done = self.input["done"]
        parsed["done"] = {"yes": True, "no": False}.get(done)
        try:
            parsed["done_on"] = (
                datetime.date.fromisoformat(self.input["done_on"]) if self.input["done_on"] else None
            )
        except ValueError:
            errors["done_on"] = [_("Give the date as dd/mm/yyyy.")]
        if errors:
            raise ValidationError(errors)
        return parsed | {"note": self.input["note"], "comment": self.input["comment"]}


def _form_rows(round_: ReportingRound, agency: Agency) -> list[FormRow]:
    indicators = list(round_.indicators.prefetch_related("definitions").order_by("group", "code"))
    stored = {
        o.indicator_id: o
        for o in Observation.objects.filter(
            indicator__in=indicators, agency=agency, period=round_.period, source=Source.REPORTED
        ).select_related("indicator", "agency", "entered_by", "approved_by")
    }
    previous = services.previous_values(indicators, agency, Period.parse(round_.period))
    return [FormRow(i, agency, round_, stored.get(i.pk), previous.get(i.pk)) for i in indicators]


def _save_row(user, row: FormRow, round_, agency, post) -> None:
    """Store one row of the form in its own transaction; errors stay on the row, nothing invalid is kept."""
    try:
        version = int(post.get(f"{row.prefix}-version") or 0)
    except ValueError:
        version = 0
    try:
        # record_observation is a transaction of its own: a rejected row leaves nothing behind.
        row.observation = services.record_observation(
            user,
            row.indicator,
            agency,
            round_.period,
            expected_version=version,
            round=round_,
            **row.parsed(),
        )
        row.status = "saved"
    except services.Conflict as error:
        row.errors = {"row": error.messages}
        row.status = "conflict"
    except ValidationError as error:
        row.errors = _by_field(error)
        row.status = "rejected"


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    """A service's errors by form field; those of no field are the row's."""
    if not hasattr(error, "error_dict"):
        return {"row": error.messages}
    found = dict(error.message_dict)
    if "__all__" in found:
        found["row"] = found.pop("__all__")
    return found


@signed_in
def round_form(request, round_id, format):
    round_ = _visible_round(request.user, round_id)
    agency = _form_agency(request, round_)
    rows = _form_rows(round_, agency)
    may_report = policy.report_for_agency(request.user, agency)
    status = 200
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        submit = request.POST.get("action") == "submit"
        for row in rows:
            row.read(request.POST)
            if row.editable and row.changed and not (row.empty and row.observation is None):
                _save_row(request.user, row, round_, agency, request.POST)
        rejected = [r for r in rows if r.errors]
        submitted = 0
        if submit:
            for row in rows:
                if row.observation and row.observation.state in services.EDITABLE and not row.errors:
                    try:
                        row.observation = services.submit_observation(request.user, row.observation)
                        submitted += 1
                    except ValidationError as error:
                        row.errors = _by_field(error)
                        rejected.append(row)
        saved = sum(1 for r in rows if r.status == "saved")
        if rejected:
            status = 400
            messages.error(
                request,
                _("%(n)d value(s) could not be saved: see the messages beside them. The rest was kept.")
                % {"n": len(rejected)},
            )
        if saved or submitted:
            messages.success(
                request,
                _("Saved %(saved)d value(s); submitted %(submitted)d for approval.")
                % {"saved": saved, "submitted": submitted},
            )
        if not rejected:
            return redirect(reverse("round-form", args=[round_.pk]) + f"?agency={agency.code}")
    if format == "json":
        data = {
            "round": {"id": round_.pk, "title": round_.title, "period": round_.period},
            "agency": agency.code,
            "values": [
                {
                    "indicator": r.indicator.code,
                    "kind": r.rules.kind,
                    "editable": r.editable,
                    "previous": r.previous,
                    "observation": ObservationOut.from_orm(r.observation).model_dump(mode="json")
                    if r.observation
                    else None,
                }
                for r in rows
            ],
        }
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    context = {
        "round": round_,
        "agency": agency,
        "rows": rows,
        "may_report": may_report,
        "open_rows": sum(1 for r in rows if r.editable),
    }
    return render(request, "indicators/round_form.html", context, status=status)


# Excel template


@signed_in
def round_template(request, round_id):
    from dxmonitor.indicators import excel

    round_ = _visible_round(request.user, round_id)
    agency = _form_agency(request, round_)
    content = excel.template(round_, agency)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"bao-cao-{round_.period}-{agency.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@signed_in
def round_upload(request, round_id):
    from dxmonitor.indicators import excel

    round_ = _visible_round(request.user, round_id)
    agency = _form_agency(request, round_)
    if not policy.report_for_agency(request.user, agency):
        raise PermissionDenied
    upload = request.FILES.get("file")
    back = reverse("round-form", args=[round_.pk]) + f"?agency={agency.code}"
    if upload is None:
        messages.error(request, _("Choose the Excel file to upload."))
        return redirect(back)
    try:
        result = excel.import_workbook(
            request.user, round_, agency, upload, submit=request.POST.get("action") == "submit"
        )
    except excel.ExcelError as error:
        return render(
            request,
            "indicators/upload_result.html",
            {"round": round_, "agency": agency, "error": error, "back": back},
            status=400,
        )
    status = 400 if result.problems else 200
    context = {"round": round_, "agency": agency, "result": result, "back": back}
    return render(request, "indicators/upload_result.html", context, status=status)


# The approver's queue


@signed_in
def round_review(request, round_id):
    round_ = _visible_round(request.user, round_id)
    rows = Observation.objects.filter(
        round=round_, source=Source.REPORTED, state__in=(State.SUBMITTED, State.APPROVED, State.RETURNED)
    )
    if not policy.approve_for_agency(request.user, request.user.agency):
        raise PermissionDenied
    if not policy.is_secretariat(request.user):
        rows = rows.filter(agency=request.user.agency_id)
    rows = rows.select_related("indicator", "agency", "entered_by", "approved_by").order_by(
        "state", "agency__name", "indicator__code"
    )
    context = {"round": round_, "rows": rows, "waiting": sum(1 for r in rows if r.state == State.SUBMITTED)}
    return render(request, "indicators/round_review.html", context)


_STEPS = {
    "submit": (services.submit_observation, None),
    "approve": (services.approve_observation, None),
    "return": (services.return_observation, "comment"),
    "reopen": (services.reopen_observation, "reason"),
}


@require_POST
@signed_in
def observation_step(request, observation_id, step):
    observation = get_object_or_404(
        Observation.objects.select_related("indicator", "agency"), pk=observation_id
    )
    if not policy.view_agency_data(request.user, observation.agency):
        raise Http404
    operation, text_field = _STEPS[step]
    kwargs = {}
    if text_field:
        kwargs[text_field] = request.POST.get(text_field, "")
    try:
        version = int(request.POST.get("version") or 0) or None
    except ValueError:
        version = None
    try:
        operation(request.user, observation, *kwargs.values(), expected_version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        done = {
            "submit": _("Submitted for approval."),
            "approve": _("Approved; the national figure is updated."),
            "return": _("Returned to the reporter with your comment."),
            "reopen": _("Reopened for correction; the reason is kept in the history."),
        }
        messages.success(request, f"{observation.indicator.code} · {observation.agency.name}: {done[step]}")
    back = request.POST.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("indicator-detail", args=[observation.indicator.code])
    return redirect(back)
