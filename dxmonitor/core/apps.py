from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dxmonitor.core"
    label = "core"
