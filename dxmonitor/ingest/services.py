"""Reading a document into drafts, the review of each draft, and publishing what a person accepted."""

import datetime
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxmonitor.accounts import policy
from dxmonitor.agencies.models import Agency
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.agencies.services import find_agencies, matcher
from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.directives.models import Document, Session, Task, TaskAgency
from dxmonitor.directives.services import SAMPLES, sample_manifest, store_document, text_hash
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation, Target
from dxmonitor.indicators.services import find_indicator, group_from_text
from dxmonitor.ingest.extract import extract
from dxmonitor.ingest.models import Decision, DraftIndicator, DraftTask, Extraction
from dxmonitor.ingest.reading import read_document, too_large


def _check(actor):
    # The CLI and the demo act as the system (actor None); people must be the secretariat.
    if actor is not None and not policy.administer(actor):
        raise PermissionDenied


def ingest(data: bytes, filename: str, actor=None, **document_fields) -> tuple[Extraction, bool]:
    """Read a file, store the document and its extracted tasks and indicators as drafts.

    Args:
        data: the file's bytes (TXT, DOCX or PDF).
        filename: its name, which helps choose the reader.
        actor: the person uploading (the secretariat), or None for the system.
        document_fields: overrides of what the reader found (title, kind, date, session, is_sample).

    Returns:
        (extraction, created); created is False when the same text was ingested before.

    Raises:
        ReadError: the file cannot be read (its messages are in Vietnamese and English).
        PermissionDenied: the actor is not the secretariat.
    """
    _check(actor)
    text = read_document(data, filename, settings.MAX_UPLOAD_BYTES)
    existing = Document.objects.filter(sha256=text_hash(text), extraction__isnull=False).first()
    if existing:
        return existing.extraction, False
    started = time.perf_counter()
    # The database's registry, so names the secretariat added in the admin are known to the reader.
    output = extract(
        text, matcher=matcher(), document_date=document_fields.get("date"), kind=document_fields.get("kind")
    )
    seconds = time.perf_counter() - started
    meta = output.get("document") or {}
    fields = {
        "title": (meta.get("title") or filename)[:500],
        "kind": meta.get("kind") or Document.Kind.CONCLUSION,
        "date": _iso(meta.get("date")),
        "number": meta.get("number") or "",
        **document_fields,
    }
    with transaction.atomic():
        document, _created = store_document(text, file_name=filename, content=data, actor=actor, **fields)
        extraction = Extraction.objects.create(
            document=document, output=output, seconds=seconds, created_by=actor, modified_by=actor
        )
        _drafts(extraction, output)
    return extraction, True


def ingest_upload(upload, actor) -> tuple[Extraction, bool]:
    """`ingest` for a file uploaded through the web; its size is checked before it is read into memory."""
    _check(actor)
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise too_large(upload.size, settings.MAX_UPLOAD_BYTES)
    return ingest(upload.read(), upload.name, actor)


def _iso(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _agencies(items, by_code) -> tuple[list[Agency], list[str]]:
    found, missing = [], []
    for item in items or []:
        agency = by_code.get(item.get("code"))
        (found.append(agency) if agency else missing.append(item.get("name") or item.get("code")))
    return found, missing


def _drafts(extraction: Extraction, output: dict):
    codes = {
        a["code"]
        for t in output.get("tasks", []) + output.get("indicators", [])
        for key in ("lead", "coordinating")
        for a in t.get(key) or []
    }
    by_code = Agency.objects.in_bulk(codes, field_name="code")
    for position, item in enumerate(output.get("tasks", []), 1):
        lead, missing_lead = _agencies(item.get("lead"), by_code)
        coordinating, missing_coordinating = _agencies(item.get("coordinating"), by_code)
        deadline = item.get("deadline") or {}
        draft = DraftTask.objects.create(
            extraction=extraction,
            position=position,
            clause=(item.get("clause") or "")[:64],
            group=(item.get("group") or "")[:300],
            text=item.get("text") or "",
            source=item.get("source") or item.get("text") or "",
            deadline=_iso(deadline.get("date")),
            deadline_text=(deadline.get("text") or "")[:300],
            recurrence=deadline.get("recurrence") or "",
            product=item.get("product") or "",
            unmatched=missing_lead + missing_coordinating,
        )
        draft.lead.set(lead)
        draft.coordinating.set(coordinating)
    year = extraction.document.date.year if extraction.document.date else ""
    for position, item in enumerate(output.get("indicators", []), 1):
        lead, _missing = _agencies(item.get("lead"), by_code)
        draft = DraftIndicator.objects.create(
            extraction=extraction,
            position=position,
            code=_indicator_code(year, item, position),
            name=(item.get("name") or "")[:500],
            group=(item.get("group") or "")[:200],
            unit=(item.get("unit") or "")[:32],
            targets=item.get("targets") or [],
            results=item.get("results") or [],
        )
        draft.lead.set(lead)


def _indicator_code(year, item: dict, position: int) -> str:
    """A catalogue code for a row read from a document: its numbers restart in every table (TT 1, 2, …)."""
    parts = [str(year), item.get("table") or "", item.get("code") or f"n{position}"]
    return ".".join(p for p in parts if p)[:32]


def resolve_agencies(names: str, on: datetime.date | None) -> list[Agency]:
    """Agencies from a person's list of names or codes separated by ';', as valid on a date."""
    found = []
    for name in (part.strip() for part in names.split(";")):
        if not name:
            continue
        matches = list(Agency.objects.filter(code=name)) or find_agencies(name, on)
        if len(matches) != 1:
            raise ValidationError(
                _("“%(name)s” is not an agency in the registry (write its full name or code).")
                % {"name": name}
            )
        if matches[0] not in found:
            found.append(matches[0])
    return found


@transaction.atomic
def edit_draft_task(
    draft: DraftTask, actor, *, text: str, lead: str, coordinating: str, deadline: str, deadline_text: str
) -> DraftTask:
    """A person's correction of a draft task; agencies are given as names or codes separated by ';'."""
    _check(actor)
    if draft.task_id:
        raise ValidationError(_("This task is already published; change it on the task itself."))
    errors = {}
    on = draft.extraction.document.date
    text = text.strip()
    if not text:
        errors["text"] = _("The directive cannot be empty.")
    try:
        lead_agencies = resolve_agencies(lead, on)
        if not lead_agencies:
            errors["lead"] = _("A task needs at least one lead agency.")
    except ValidationError as error:
        errors["lead"] = error.messages[0]
    try:
        coordinating_agencies = resolve_agencies(coordinating, on)
    except ValidationError as error:
        errors["coordinating"] = error.messages[0]
    try:
        deadline_date = datetime.date.fromisoformat(deadline) if deadline.strip() else None
    except ValueError:
        errors["deadline"] = _(
            "Write the deadline as a date (YYYY-MM-DD), or leave it empty for recurring work."
        )
    if errors:
        raise ValidationError(errors)
    draft.text = text
    draft.deadline = deadline_date
    draft.deadline_text = deadline_text.strip()[:300]
    draft.edited = True
    if draft.decision == Decision.REJECTED:
        draft.decision = Decision.PENDING
    draft.save()
    draft.lead.set(lead_agencies)
    draft.coordinating.set(coordinating_agencies)
    return draft


def decide(draft, actor, decision: str):
    """Accept or reject one draft task or indicator."""
    _check(actor)
    if decision not in Decision.values:
        raise ValidationError(_("Unknown decision."))
    if getattr(draft, "task_id", None) or getattr(draft, "indicator_id", None):
        raise ValidationError(_("This item is already published."))
    draft.decision = decision
    draft.save(update_fields=["decision"])
    return draft


def accept_pending(extraction: Extraction, actor) -> int:
    """Accept every draft still to be reviewed that can be published; returns how many.

    A task the reader found no lead agency for stays to be reviewed: a person must name one.
    """
    _check(actor)
    pending = Decision.PENDING
    tasks = extraction.tasks.filter(decision=pending, lead__isnull=False).distinct()
    indicators = extraction.indicators.filter(decision=pending)
    return DraftTask.objects.filter(pk__in=list(tasks.values_list("pk", flat=True))).update(
        decision=Decision.ACCEPTED
    ) + indicators.update(decision=Decision.ACCEPTED)


def load_samples(publish_drafts: bool = True) -> list[tuple[Extraction, bool]]:
    """Read the shipped sample notices through the same path as an upload, and publish what was read."""
    results = []
    for row in sample_manifest():
        day = datetime.date.fromisoformat(row["date"])
        session, _created = Session.objects.get_or_create(
            title=row["session_title"],
            defaults={"date": day, "number": int(row["session_number"]) if row["session_number"] else None},
        )
        extraction, created = ingest(
            (SAMPLES / row["file"]).read_bytes(),
            row["file"],
            None,
            title=row["title"],
            kind=row["kind"],
            date=day,
            issuer=row["issuer"],
            signer=row["signer"],
            session=session,
            is_sample=True,
        )
        if publish_drafts and created:
            accept_pending(extraction, None)
            publish(extraction, None)
        results.append((extraction, created))
    return results


@transaction.atomic
def publish(extraction: Extraction, actor) -> dict[str, int]:
    """Turn accepted drafts into tasks, targets and observations (source: the document)."""
    _check(actor)
    extraction = Extraction.objects.select_for_update().get(pk=extraction.pk)
    document = extraction.document
    counts = {"tasks": 0, "indicators": 0, "targets": 0, "observations": 0}
    drafts = extraction.tasks.filter(decision=Decision.ACCEPTED, task__isnull=True).prefetch_related(
        "lead", "coordinating"
    )
    for draft in drafts:
        if not draft.lead.exists():
            raise ValidationError(
                _("Task %(clause)s has no lead agency; add one or reject it before publishing.")
                % {"clause": draft.clause or draft.position}
            )
        task = Task.objects.create(
            document=document,
            clause=draft.clause,
            group=draft.group,
            text=draft.text,
            source_passage=draft.source,
            deadline=draft.deadline,
            original_deadline=draft.deadline,
            deadline_text=draft.deadline_text,
            recurrence=draft.recurrence,
            product=draft.product,
            created_by=actor,
            modified_by=actor,
        )
        TaskAgency.objects.bulk_create(
            [TaskAgency(task=task, agency=a, role=TaskAgency.Role.LEAD) for a in draft.lead.all()]
            + [
                TaskAgency(task=task, agency=a, role=TaskAgency.Role.COORDINATING)
                for a in draft.coordinating.all()
            ]
        )
        audit.record(
            task,
            actor,
            AuditEntry.Action.CREATE,
            None,
            audit.snapshot(task),
            _("Published from the document"),
        )
        draft.task = task
        draft.save(update_fields=["task"])
        counts["tasks"] += 1
    nation = Agency.objects.get(code=NATION_CODE)
    for draft in extraction.indicators.filter(decision=Decision.ACCEPTED, indicator__isnull=True):
        _publish_indicator(draft, document, nation, actor, counts)
    now = timezone.now()
    extraction.published_at, extraction.published_by = now, actor
    extraction.save(update_fields=["published_at", "published_by"])
    document.state = Document.State.PUBLISHED
    document.save(update_fields=["state"])
    return counts


def _period(item: dict, document) -> Period:
    # A target stated in prose without a period is for the document's year.
    code = item.get("period") or (document.date and str(document.date.year))
    if not code:
        raise ValidationError(_("A target or value has no period: %(text)s") % {"text": item.get("text", "")})
    return Period.parse(str(code))


def _publish_indicator(draft: DraftIndicator, document, nation, actor, counts):
    indicator = find_indicator(draft.name)
    if indicator is None:
        indicator = Indicator.objects.create(
            code=draft.code,
            name=draft.name,
            group=group_from_text(draft.group),
            unit=draft.unit,
            source_document=document,
            created_by=actor,
            modified_by=actor,
        )
        indicator.lead.set(draft.lead.all())
        IndicatorDefinition.objects.create(indicator=indicator, version=1)
        counts["indicators"] += 1
    elif not indicator.lead.exists():
        # A notice's prose names an indicator without its lead; a later table's column gives it.
        indicator.lead.set(draft.lead.all())
    for item in draft.targets:
        period = _period(item, document)
        by_date = item.get("value") is None and item.get("date")
        target, _created = Target.objects.update_or_create(
            indicator=indicator,
            agency=nation,
            period=period.code,
            defaults={
                "period_kind": period.kind,
                "period_start": period.start,
                "period_end": period.end,
                "comparator": Target.Comparator.BY_DATE if by_date else item.get("comparator") or ">=",
                "value": item.get("value"),
                "value_date": _iso(item.get("date")),
                "text": (item.get("text") or "")[:300],
                "document": document,
                "modified_by": actor,
            },
        )
        audit.record(
            target, actor, AuditEntry.Action.CREATE, None, audit.snapshot(target), _("From the document")
        )
        counts["targets"] += 1
    for item in draft.results:
        period = _period(item, document)
        observation, _created = Observation.objects.update_or_create(
            indicator=indicator,
            agency=nation,
            period=period.code,
            source=Observation.Source.IMPORTED,
            defaults={
                "period_kind": period.kind,
                "period_start": period.start,
                "period_end": period.end,
                "value": item.get("value"),
                "text": (item.get("text") or "")[:300],
                "note": item.get("note") or "",
                "state": Observation.State.APPROVED,
                "approved_by": actor,
                "approved_at": timezone.now(),
                "entered_by": actor,
                "document": document,
                "modified_by": actor,
            },
        )
        audit.record(
            observation,
            actor,
            AuditEntry.Action.CREATE,
            None,
            audit.snapshot(observation),
            _("From the document"),
        )
        counts["observations"] += 1
    draft.indicator = indicator
    draft.save(update_fields=["indicator"])
