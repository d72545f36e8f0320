"""Directive operations: storing documents and their sessions."""

import csv
import hashlib
import unicodedata
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from dxmonitor.directives.models import Document

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


def task_queryset(user, *, agency=None, role: str = "", document_id=None, q: str = ""):
    """Tasks the user may see, filtered; an agency's staff see their own agency's tasks only."""
    from django.core.exceptions import PermissionDenied

    from dxmonitor.accounts import policy
    from dxmonitor.directives.models import Task, TaskAgency

    if agency is None and not policy.sees_everything(user):
        agency = user.agency if user.is_authenticated else None
        if agency is None:
            raise PermissionDenied
    if agency is not None and not policy.view_agency_data(user, agency):
        raise PermissionDenied
    tasks = Task.objects.select_related("document").prefetch_related("assignments__agency")
    if agency is not None:
        links = TaskAgency.objects.filter(
            agency=agency, **({"role": role} if role in TaskAgency.Role.values else {})
        )
        tasks = tasks.filter(pk__in=links.values("task_id"))
    if document_id:
        tasks = tasks.filter(document_id=document_id)
    if q:
        tasks = tasks.filter(text__icontains=q)
    return tasks.order_by("deadline", "document__date", "id")
