from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from dxmonitor.agencies.models import Agency, AgencyKind
from dxmonitor.directives.models import Document


def home(request):
    context = {}
    if request.user.is_authenticated:
        today = timezone.localdate()
        counts = dict(
            Agency.objects.valid_on(today)
            .values_list("kind")
            .annotate(n=Count("id"))
            .values_list("kind", "n")
        )
        context = {
            "today": today,
            "agency_counts": [
                (label, counts.get(kind, 0), kind) for kind, label in AgencyKind.choices if counts.get(kind)
            ],
            "documents": Document.objects.select_related("session")[:5],
            "document_count": Document.objects.count(),
        }
    return render(request, "core/home.html", context)
