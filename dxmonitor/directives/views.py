from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

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
