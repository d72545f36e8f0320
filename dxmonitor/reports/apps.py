from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dxmonitor.reports"
    label = "reports"
