from django.conf import settings
from django.utils.translation import get_language_bidi

from mawa.core.roles import Capability


def mawa(request):
    user = getattr(request, "user", None)
    caps = set()
    if user is not None and user.is_authenticated:
        caps = {c.value for c in Capability if user.can(c)}
    return {
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "caps": caps,
        "LANGUAGES": settings.LANGUAGES,
    }
