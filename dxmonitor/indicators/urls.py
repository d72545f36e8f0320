from django.urls import path

from dxmonitor.core.twins import twin
from dxmonitor.indicators import round_views, views

urlpatterns = [
    *twin("indicators/", views.catalogue, "indicator-index"),
    *twin("indicators/classification/", views.classification, "indicator-classification"),
    *twin("indicators/<str:code>/", views.indicator_page, "indicator-detail"),
    path("indicators/<str:code>/chart.svg", views.chart_svg, name="indicator-chart"),
    path("vendor/vega.js", views.vega_script, name="vega-script"),
    *twin("rounds/", round_views.round_index, "round-index"),
    path("rounds/new/", round_views.round_create, name="round-create"),
    *twin("rounds/<int:round_id>/", round_views.round_page, "round-detail"),
    *twin("rounds/<int:round_id>/form/", round_views.round_form, "round-form"),
    path("rounds/<int:round_id>/template.xlsx", round_views.round_template, name="round-template"),
    path("rounds/<int:round_id>/upload/", round_views.round_upload, name="round-upload"),
    path("rounds/<int:round_id>/review/", round_views.round_review, name="round-review"),
    path(
        "observations/<int:observation_id>/<str:step>/",
        round_views.observation_step,
        name="observation-step",
    ),
]
