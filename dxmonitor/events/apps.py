from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "dxmonitor.events"
    label = "events"
