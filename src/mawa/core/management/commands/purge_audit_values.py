"""`mawa purge_audit_values --days N`: retention for the audit log's personal values.

Deletes the old and new values of changes, the words of searches and the names typed at failed
log-ins recorded more than N days ago (core.AuditValues). The log itself stays whole: who did
what to which record, when, with the changed field names and the hash of the values."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mawa.core.models import AuditValues


class Command(BaseCommand):
    help = "Delete the audit log's personal values older than --days (the log itself stays)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True)

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        cutoff = timezone.now() - dt.timedelta(days=days)
        deleted, _ = AuditValues.objects.filter(event__at__lt=cutoff).delete()
        self.stdout.write(f"{deleted} audit value rows older than {days} days deleted.")
