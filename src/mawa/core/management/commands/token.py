"""`mawa token USERNAME`: issue a new API token for that user and print it, this once.

Only the token's SHA-256 is stored, so a token cannot be shown again: run the command again for
a new one (`--revoke` first removes the user's earlier tokens)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mawa.core.audit import audit_record
from mawa.core.models import ApiToken, AuditEvent, User


class Command(BaseCommand):
    help = "Issue a new API token for a user and print it (shown once; only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--revoke", action="store_true", help="remove the user's earlier tokens first"
        )

    @transaction.atomic
    def handle(self, *args, username: str, revoke: bool, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        if revoke:
            for old in user.api_tokens.all():
                audit_record(actor=None, action=AuditEvent.Action.DELETE, obj=old)
                old.delete()
        token, plain = ApiToken.issue(user)
        audit_record(actor=None, action=AuditEvent.Action.CREATE, obj=token)
        self.stdout.write(plain)
