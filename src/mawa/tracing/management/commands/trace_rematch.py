"""`mawa trace_rematch`: match every open tracing case again against the whole registry.

Registrations made through the pages re-match open cases by themselves (``receivers.py``);
run this after an import or after households arrive from field nodes, or from cron."""

from django.core.management.base import BaseCommand

from mawa.tracing.services import rematch_open_cases


class Command(BaseCommand):
    help = "Match every open tracing case again; prints how many new candidates were proposed."

    def handle(self, *args, **options):
        made = rematch_open_cases(actor=None)
        self.stdout.write(f"{made} new candidates proposed.")
