from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "dxmonitor.analytics"
    label = "analytics"
