"""Directive operations: storing documents, and listing tasks as the people allowed to see them may."""

import csv
import datetime
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxmonitor.accounts import policy
from dxmonitor.agencies.models import Agency
from dxmonitor.agencies.services import collectives_covering
from dxmonitor.directives.models import Document, Task, TaskAgency
from dxmonitor.directives.queries import status_bounds, with_status
from dxmonitor.directives.status import Status

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def text_hash(text: str) -> str:
    """The identity of a document's text: the same notice uploaded twice hashes the same."""
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def store_document(
    text: str,
    *,
    title: str,
    kind: str,
    date=None,
    number="",
    issuer="",
    signer="",
    session=None,
    file_name="",
    content: bytes | None = None,
    is_sample=False,
    actor=None,
) -> tuple[Document, bool]:
    """The document with this text, stored once; returns (document, created)."""
    digest = text_hash(text)
    existing = Document.objects.filter(sha256=digest).first()
    if existing:
        return existing, False
    document = Document(
        sha256=digest,
        text=unicodedata.normalize("NFC", text),
        title=title,
        kind=kind,
        date=date,
        number=number,
        issuer=issuer,
        signer=signer,
        session=session,
        original_name=file_name,
        is_sample=is_sample,
        created_by=actor,
        modified_by=actor,
    )
    if content is not None:
        document.file.save(Path(file_name).name or "document.txt", ContentFile(content), save=False)
    document.save()
    return document, True


def sample_manifest() -> list[dict]:
    """The five sample notices shipped with dxmonitor, oldest first."""
    with open(SAMPLES / "manifest.csv", encoding="utf-8", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: row["date"])


@dataclass
class TaskFilter:
    """What a task list is narrowed to; the list, its JSON twin, the API and the scorecards share it."""

    agency: Agency | None = None
    role: str = ""
    status: str = ""
    document_id: int | None = None
    session_id: int | None = None
    deadline_from: datetime.date | None = None
    deadline_to: datetime.date | None = None
    q: str = ""
    as_of: datetime.date = field(default_factory=timezone.localdate)
    sort: str = "deadline"
    # Also the tasks given to a collective that covers the agency ("Ủy ban nhân dân các tỉnh, thành phố").
    collectives: bool = False

    SORTS = {
        "deadline": ["deadline_as_of", "id"],
        "-deadline": ["-deadline_as_of", "-id"],
        "document": ["-document__date", "clause", "id"],
        "clause": ["clause", "id"],
        "status": ["status", "deadline_as_of", "id"],
    }

    @classmethod
    def from_params(cls, params) -> "TaskFilter":
        """A filter from query parameters; a bad value raises ValidationError naming the parameter."""
        errors = {}

        def day(name):
            value = (params.get(name) or "").strip()
            if not value:
                return None
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                errors[name] = _("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}

        def number(name):
            value = (params.get(name) or "").strip()
            if value and not value.isdigit():
                errors[name] = _("Not a number: %(value)s") % {"value": value}
                return None
            return int(value) if value else None

        agency = None
        if code := (params.get("agency") or "").strip():
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                errors["agency"] = _("No agency has the code %(code)s.") % {"code": code}
        role, status, sort = (params.get(k) or "" for k in ("role", "status", "sort"))
        if role and role not in TaskAgency.Role.values:
            errors["role"] = _("Unknown role: %(value)s") % {"value": role}
        if status and status not in Status.__members__.values():
            errors["status"] = _("Unknown status: %(value)s") % {"value": status}
        if sort and sort not in cls.SORTS:
            errors["sort"] = _("Unknown sort: %(value)s") % {"value": sort}
        result = cls(
            agency=agency,
            role=role,
            status=status,
            document_id=number("document"),
            session_id=number("session"),
            deadline_from=day("deadline_from"),
            deadline_to=day("deadline_to"),
            q=(params.get("q") or "").strip(),
            as_of=day("as_of") or timezone.localdate(),
            sort=sort or "deadline",
            collectives=(params.get("collectives") or "") in ("1", "true", "on"),
        )
        if errors:
            raise ValidationError(errors)
        return result


def _scope(user, wanted: Agency | None) -> Agency | None:
    """The agency a list is about: the one asked for if the user may see it, else the user's own."""
    if wanted is None and not policy.sees_everything(user):
        wanted = user.agency if user.is_authenticated else None
        if wanted is None:
            raise PermissionDenied
    if wanted is not None and not policy.view_agency_data(user, wanted):
        raise PermissionDenied
    return wanted


def task_list(user, filters: TaskFilter, *, with_status_filter: bool = True):
    """Tasks the user may see, narrowed by filters, annotated with their status as of filters.as_of."""
    agency = _scope(user, filters.agency)
    tasks = with_status(Task.objects.all(), filters.as_of)
    if agency is not None:
        ids = [agency.pk, *(collectives_covering(agency) if filters.collectives else [])]
        links = TaskAgency.objects.filter(agency_id__in=ids)
        if filters.role:
            links = links.filter(role=filters.role)
        tasks = tasks.filter(pk__in=links.values("task_id"))
    if filters.document_id:
        tasks = tasks.filter(document_id=filters.document_id)
    if filters.session_id:
        tasks = tasks.filter(document__session_id=filters.session_id)
    if filters.deadline_from:
        tasks = tasks.filter(deadline_as_of__gte=filters.deadline_from)
    if filters.deadline_to:
        tasks = tasks.filter(deadline_as_of__lte=filters.deadline_to)
    if filters.q:
        tasks = tasks.filter(text__icontains=filters.q)
    # A task assigned by a document dated after the as-of date did not exist yet.
    tasks = tasks.filter(Q(document__date__isnull=True) | Q(document__date__lte=filters.as_of))
    if with_status_filter and filters.status:
        tasks = tasks.filter(status_bounds(filters.status, filters.as_of), status=filters.status)
    return tasks.order_by(*TaskFilter.SORTS[filters.sort])
