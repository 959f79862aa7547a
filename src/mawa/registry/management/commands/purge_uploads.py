"""`mawa purge_uploads`: delete import files never confirmed within a day (run it daily)."""

from django.core.management.base import BaseCommand

from mawa.registry import uploads


class Command(BaseCommand):
    help = "Delete uploaded import files (and their jobs) left unconfirmed for over a day."

    def handle(self, *args, **options):
        removed = uploads.purge()
        self.stdout.write(f"{removed} unconfirmed upload(s) deleted.")
