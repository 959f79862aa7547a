"""`mawa feedback_purge`: clear what tickets keep past their category's retention (policy.py)."""

from django.core.management.base import BaseCommand

from mawa.feedback.services import tickets_purge


class Command(BaseCommand):
    help = "Clear text, answer, name, contact and household links of tickets past retention."

    def handle(self, *args, **options):
        cleared = tickets_purge()
        self.stdout.write(f"{cleared} tickets cleared.")
