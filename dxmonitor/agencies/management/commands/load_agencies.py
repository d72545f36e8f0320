from django.core.management.base import BaseCommand

from dxmonitor.agencies.services import load_agencies


class Command(BaseCommand):
    help = (
        "Load or refresh the agency registry (central agencies, 63 and 34 provinces, communes, successions)."
    )

    def handle(self, *args, **options):
        counts = load_agencies()
        self.stdout.write(
            f"{counts['agencies']} agencies, {counts['successions']} succession links, "
            f"{counts['aliases_added']} new aliases"
        )
