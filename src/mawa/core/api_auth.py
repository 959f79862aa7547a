"""Bearer-token authentication for the JSON API (Authorization: Bearer <token>)."""

import datetime as dt

from django.utils import timezone
from ninja.security import HttpBearer

from mawa.core.models import ApiToken

USE_RECORDED_EVERY = dt.timedelta(minutes=5)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 64:
            return None
        found = ApiToken.objects.select_related("user").filter(key=token).first()
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        # Written at most every five minutes: a scanner's token is used many times a second.
        if found.last_used_at is None or now - found.last_used_at > USE_RECORDED_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
