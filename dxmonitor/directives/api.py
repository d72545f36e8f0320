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
