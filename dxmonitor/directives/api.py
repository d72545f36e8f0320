"""Documents in the API; the same schemas serialise the JSON twins of the document pages."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from dxmonitor.directives.models import Document

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    date: datetime.date | None
    issuer: str
    signer: str
    state: str
    is_sample: bool
    session: str | None = Field(None, alias="session.title")


class DocumentDetailOut(DocumentOut):
    text: str


@router.get("/documents", response=list[DocumentOut], summary="Notices and reports, newest first")
@paginate(LimitOffsetPagination)
def list_documents(request):
    return Document.objects.select_related("session")


@router.get("/documents/{document_id}", response=DocumentDetailOut, summary="One document with its text")
def get_document(request, document_id: int):
    return get_object_or_404(Document.objects.select_related("session"), pk=document_id)


class TaskAgencyOut(Schema):
    code: str = Field(alias="agency.code")
    name: str = Field(alias="agency.name")
    role: str


class TaskOut(Schema):
    id: int
    document_id: int
    clause: str
    group: str
    text: str
    deadline: datetime.date | None
    deadline_text: str
    original_deadline: datetime.date | None
    recurrence: str
    completed_on: datetime.date | None
    agencies: list[TaskAgencyOut] = Field(alias="assignments")

    @staticmethod
    def resolve_agencies(task):
        return list(task.assignments.all())


@router.get("/tasks", response=list[TaskOut], summary="Tasks; an agency's token sees its own agency's only")
@paginate(LimitOffsetPagination)
def list_tasks(request, agency: str | None = None, role: str = "", document: int | None = None, q: str = ""):
    from dxmonitor.agencies.models import Agency
    from dxmonitor.directives.services import task_queryset

    chosen = get_object_or_404(Agency, code=agency) if agency else None
    return task_queryset(request.auth, agency=chosen, role=role, document_id=document, q=q)
