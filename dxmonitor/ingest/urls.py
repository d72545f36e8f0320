from django.urls import path

from dxmonitor.core.twins import twin
from dxmonitor.ingest import views

urlpatterns = [
    *twin("ingest/", views.upload, "ingest-upload"),
    *twin("ingest/<int:extraction_id>/", views.review, "ingest-review"),
    path("ingest/tasks/<int:draft_id>/edit/", views.edit_task, name="ingest-edit-task"),
    path("ingest/<str:kind>/<int:draft_id>/decide/", views.decide, name="ingest-decide"),
    path("ingest/<int:extraction_id>/accept-pending/", views.accept_pending, name="ingest-accept-pending"),
    path("ingest/<int:extraction_id>/publish/", views.publish, name="ingest-publish"),
]
