from django.conf import settings
from django.utils.translation import get_language_bidi

from mawa.core import nav
from mawa.core.roles import CAPABILITIES


def mawa(request):
    user = getattr(request, "user", None)
    caps = set()
    if user is not None and user.is_authenticated:
        # every capability the role holds, those apps granted in their `ready` included
        caps = {str(c) for c in CAPABILITIES.get(user.role, ()) if user.can(c)}
    return {
        "nav_links": [e for e in nav.LINKS if e.capability in caps],
        "dashboard_panels": [e for e in nav.PANELS if e.capability in caps],
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "caps": caps,
        "LANGUAGES": settings.LANGUAGES,
    }
