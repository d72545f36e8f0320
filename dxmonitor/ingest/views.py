from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxmonitor.agencies.models import Agency, AgencyKind
from dxmonitor.core.access import secretariat_only
from dxmonitor.core.twins import respond
from dxmonitor.ingest import services
from dxmonitor.ingest.models import Decision, DraftIndicator, DraftTask, Extraction
from dxmonitor.ingest.reading import ReadError


def _read_error(error: ReadError) -> str:
    return error.message_en if get_language() == "en" else error.message_vi


@secretariat_only
def upload(request, format):
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file (TXT, DOCX or PDF).")
        else:
            try:
                extraction, created = services.ingest_upload(upload, request.user)
            except ReadError as exc:
                error = _read_error(exc)
            else:
                if not created:
                    messages.info(
                        request,
                        _("This notice was uploaded before (%(date)s); here is its review.")
                        % {"date": extraction.created_at.strftime("%d/%m/%Y")},
                    )
                return redirect("ingest-review", extraction.pk)
    extractions = Extraction.objects.select_related("document").order_by("-created_at")[:50]
    data = {"extractions": [_summary(e) for e in extractions]}
    status = 400 if error else 200
    if format == "json":
        return respond(request, format, "", {}, data)
    return render(request, "ingest/upload.html", {"extractions": extractions, "error": error}, status=status)


def _summary(extraction: Extraction) -> dict:
    return {
        "id": extraction.pk,
        "document": extraction.document.title,
        "date": extraction.document.date and extraction.document.date.isoformat(),
        "tasks": extraction.tasks.count(),
        "indicators": extraction.indicators.count(),
        "published_at": extraction.published_at and extraction.published_at.isoformat(),
    }


def _task_data(draft: DraftTask) -> dict:
    def agencies(qs):
        return [{"code": a.code, "name": a.name} for a in qs.all()]

    return {
        "id": draft.pk,
        "clause": draft.clause,
        "group": draft.group,
        "text": draft.text,
        "source": draft.source,
        "lead": agencies(draft.lead),
        "coordinating": agencies(draft.coordinating),
        "unmatched": draft.unmatched,
        "deadline": {"date": draft.deadline and draft.deadline.isoformat(), "text": draft.deadline_text},
        "decision": draft.decision,
        "edited": draft.edited,
        "task": draft.task_id,
    }


@secretariat_only
def review(request, extraction_id, format):
    extraction = get_object_or_404(Extraction.objects.select_related("document"), pk=extraction_id)
    tasks = extraction.tasks.prefetch_related("lead", "coordinating")
    indicators = extraction.indicators.prefetch_related("lead")
    data = {
        **_summary(extraction),
        "tasks": [_task_data(t) for t in tasks],
        "indicators": [
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "group": i.group,
                "unit": i.unit,
                "lead": [a.code for a in i.lead.all()],
                "targets": i.targets,
                "results": i.results,
                "decision": i.decision,
                "indicator": i.indicator_id,
            }
            for i in indicators
        ],
    }
    on = extraction.document.date
    known = Agency.objects.exclude(kind=AgencyKind.COMMUNE)
    context = {
        "extraction": extraction,
        "tasks": tasks,
        "indicators": indicators,
        "agencies": known.valid_on(on) if on else known,
        "counts": _counts(extraction),
    }
    return respond(request, format, "ingest/review.html", context, data)


def _counts(extraction):
    counts = dict.fromkeys(Decision.values, 0)
    for decision in extraction.tasks.values_list("decision", flat=True):
        counts[decision] += 1
    return counts


@secretariat_only
@require_POST
def edit_task(request, draft_id):
    draft = get_object_or_404(DraftTask.objects.select_related("extraction__document"), pk=draft_id)
    try:
        services.edit_draft_task(
            draft,
            request.user,
            text=request.POST.get("text", ""),
            lead=request.POST.get("lead", ""),
            coordinating=request.POST.get("coordinating", ""),
            deadline=request.POST.get("deadline", ""),
            deadline_text=request.POST.get("deadline_text", ""),
        )
        if request.POST.get("accept"):
            services.decide(draft, request.user, Decision.ACCEPTED)
        messages.success(request, _("Task %(clause)s saved.") % {"clause": draft.clause or draft.position})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{draft.clause or draft.position}: {message}")
    return redirect(f"{_review_url(draft.extraction_id)}#task-{draft.pk}")


def _review_url(extraction_id):
    from django.urls import reverse

    return reverse("ingest-review", args=[extraction_id])


@secretariat_only
@require_POST
def decide(request, kind, draft_id):
    model = DraftTask if kind == "task" else DraftIndicator
    draft = get_object_or_404(model, pk=draft_id)
    try:
        services.decide(draft, request.user, request.POST.get("decision", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{_review_url(draft.extraction_id)}#{kind}-{draft.pk}")


@secretariat_only
@require_POST
def accept_pending(request, extraction_id):
    extraction = get_object_or_404(Extraction, pk=extraction_id)
    count = services.accept_pending(extraction, request.user)
    messages.success(request, _("%(n)s items accepted.") % {"n": count})
    return redirect("ingest-review", extraction.pk)


@secretariat_only
@require_POST
def publish(request, extraction_id):
    extraction = get_object_or_404(Extraction, pk=extraction_id)
    try:
        counts = services.publish(extraction, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ingest-review", extraction.pk)
    messages.success(
        request,
        _(
            "Published %(tasks)s tasks, %(indicators)s indicators, %(targets)s targets and %(observations)s values."
        )
        % counts,
    )
    return redirect("ingest-review", extraction.pk)
