from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from dxmonitor.accounts import policy
from dxmonitor.core.access import signed_in
from dxmonitor.core.twins import respond
from dxmonitor.directives.api import DocumentDetailOut, DocumentOut
from dxmonitor.directives.models import Document


@signed_in
def document_index(request, format):
    page = Paginator(Document.objects.select_related("session"), 50).get_page(request.GET.get("page"))
    data = {
        "count": page.paginator.count,
        "documents": [DocumentOut.from_orm(d).model_dump(mode="json") for d in page],
    }
    return respond(request, format, "directives/documents.html", {"page": page}, data)


@signed_in
def document_page(request, document_id, format):
    document = get_object_or_404(Document.objects.select_related("session"), pk=document_id)
    data = DocumentDetailOut.from_orm(document).model_dump(mode="json")
    return respond(request, format, "directives/document.html", {"document": document}, data)


@signed_in
def task_index(request, format):
    from dxmonitor.agencies.models import Agency
    from dxmonitor.directives.api import TaskOut
    from dxmonitor.directives.services import task_queryset

    code = request.GET.get("agency", "")
    agency = get_object_or_404(Agency, code=code) if code else None
    role = request.GET.get("role", "")
    tasks = task_queryset(
        request.user,
        agency=agency,
        role=role,
        q=request.GET.get("q", "").strip(),
        document_id=request.GET.get("document") or None,
    )
    if agency is None and not policy.sees_everything(request.user):
        agency = request.user.agency
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    data = {
        "agency": agency and agency.code,
        "count": page.paginator.count,
        "tasks": [TaskOut.from_orm(t).model_dump(mode="json") for t in page],
    }
    return respond(
        request, format, "directives/tasks.html", {"page": page, "agency": agency, "role": role}, data
    )
