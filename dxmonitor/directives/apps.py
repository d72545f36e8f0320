from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "dxmonitor.directives"
    label = "directives"
