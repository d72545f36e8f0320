from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "dxmonitor.indicators"
    label = "indicators"
