from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "dxmonitor.opendata"
    label = "opendata"
