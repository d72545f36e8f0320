from django.contrib import admin
from django.urls import include, path

from dxmonitor.api import api
from dxmonitor.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dxmonitor.core.urls")),
    path("", include("dxmonitor.accounts.urls")),
    path("", include("dxmonitor.agencies.urls")),
    path("", include("dxmonitor.directives.urls")),
    path("", include("dxmonitor.ingest.urls")),
    path("", include("dxmonitor.indicators.urls")),
]
