from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "dxmonitor.ingest"
    label = "ingest"
