"""`mawa token USERNAME`: print that user's API token, creating it if needed."""

import secrets

from django.core.management.base import BaseCommand, CommandError

from mawa.core.audit import audit_record
from mawa.core.models import ApiToken, AuditEvent, User


class Command(BaseCommand):
    help = "Print a user's API token (created when the user has none)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        token = user.api_tokens.order_by("created_at").first()
        if token is None:
            token = ApiToken.objects.create(user=user, key=secrets.token_urlsafe(32))
            audit_record(actor=None, action=AuditEvent.Action.CREATE, obj=token)
        self.stdout.write(token.key)
