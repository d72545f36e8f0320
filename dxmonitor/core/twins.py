"""Every list and detail page has a JSON twin (`/x/` and `/x.json`): one view serves both."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path


def twin(route: str, view, name: str) -> list:
    """URL patterns for `route/` (HTML) and `route.json` (JSON), both served by view(format=…)."""
    base = route.rstrip("/")
    return [
        path(f"{base}/", view, {"format": "html"}, name=name),
        path(f"{base}.json", view, {"format": "json"}, name=f"{name}-json"),
    ]


def respond(request, format: str, template: str, context: dict, data):
    """The page, or its data as JSON with Vietnamese kept readable."""
    if format == "json":
        return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return render(request, template, context)
