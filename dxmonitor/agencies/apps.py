from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "dxmonitor.agencies"
    label = "agencies"
