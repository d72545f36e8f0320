from dxmonitor.core.twins import twin
from dxmonitor.directives import views

urlpatterns = [
    *twin("documents/", views.document_index, "document-index"),
    *twin("documents/<int:document_id>/", views.document_page, "document-detail"),
    *twin("tasks/", views.task_index, "task-index"),
]
