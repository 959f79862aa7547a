"""Bearer-token authentication for the JSON API (Authorization: Bearer <token>)."""

from django.utils import timezone
from ninja.security import HttpBearer

from mawa.core.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 64:
            return None
        found = ApiToken.objects.select_related("user").filter(key=token).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
