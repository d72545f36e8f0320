from django.urls import path

from dxmonitor.core.twins import twin
from dxmonitor.directives import views

urlpatterns = [
    *twin("documents/", views.document_index, "document-index"),
    *twin("documents/<int:document_id>/", views.document_page, "document-detail"),
    *twin("tasks/", views.task_index, "task-index"),
    *twin("tasks/<int:task_id>/", views.task_page, "task-detail"),
    *twin("scorecard/", views.scorecard_page, "scorecard"),
    path("tasks/<int:task_id>/reports/", views.report_create, name="report-create"),
    path("tasks/reports/<int:report_id>/review/", views.report_review, name="report-review"),
    path("tasks/<int:task_id>/extensions/", views.extension_create, name="extension-create"),
    path("tasks/extensions/<int:extension_id>/decide/", views.extension_decide, name="extension-decide"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence-file"),
]
