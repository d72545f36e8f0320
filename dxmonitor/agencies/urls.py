from dxmonitor.agencies import views
from dxmonitor.core.twins import twin

urlpatterns = [
    *twin("agencies/", views.agency_index, "agency-index"),
    *twin("agencies/<str:code>/", views.agency_page, "agency-detail"),
    *twin("agencies/<str:code>/members/", views.agency_members, "agency-members"),
]
