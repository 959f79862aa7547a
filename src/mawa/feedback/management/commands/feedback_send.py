"""`mawa feedback_send`: send the answers waiting in the outbox (MAWA_FEEDBACK_SMS_SENDER)."""

from django.core.management.base import BaseCommand

from mawa.feedback import senders


class Command(BaseCommand):
    help = "Send waiting SMS answers through the configured sender."

    def handle(self, *args, **options):
        if senders.configured() is None:
            self.stdout.write("No sender configured (MAWA_FEEDBACK_SMS_SENDER): nothing sent.")
            return
        self.stdout.write(f"{senders.deliver_waiting()} messages sent.")
