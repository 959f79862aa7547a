"""Request middleware: the user's chosen language, the client address for the audit log, the
idle session timeout, and the Content-Security-Policy."""

import ipaddress
import secrets
import time
from contextlib import suppress

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from mawa.core.audit import client_address, request_user


class UserLanguageMiddleware:
    """The language follows the user's saved choice, then the cookie and Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        saved = getattr(user, "language", "") if user and user.is_authenticated else ""
        if saved and translation.check_for_language(saved):
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
        return self.get_response(request)


def request_address(request) -> str | None:
    """The client's address: the connection's, or behind a reverse proxy (MAWA_BEHIND_PROXY)
    the one the proxy appended last to X-Forwarded-For (entries before it are the client's
    own word). Used by the audit log and by django-axes' lock-outs alike."""
    if settings.MAWA_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        with suppress(ValueError):
            return str(ipaddress.ip_address(last))
    return request.META.get("REMOTE_ADDR") or None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_address.set(request_address(request))
        user_token = request_user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            request_user.reset(user_token)
            client_address.reset(token)


class IdleSessionMiddleware:
    """Sessions end after SESSION_COOKIE_AGE idle seconds, renewed by use, but written at most
    once every REFRESH seconds: saving the session on every request (Django's
    SESSION_SAVE_EVERY_REQUEST) made each scan at a distribution point a second write
    transaction. The idle timeout is thus exact to within REFRESH."""

    REFRESH = 300
    KEY = "_mawa_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH:
                session[self.KEY] = now  # marks it modified: saved, expiry pushed back
        return response


class NulParameterMiddleware:
    """A NUL character in the query string is refused with a 400 before any view reads it: no
    database stores it (PostgreSQL raises, which was a 500) and no one types it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            if request.path.startswith("/api/"):
                detail = "A parameter holds a character that cannot be stored (NUL)."
                return JsonResponse({"detail": detail}, status=400)
            return HttpResponseBadRequest(_("The address holds a character Mawa cannot read."))
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every response: scripts only from Mawa's own static files
    or inline with this response's nonce (`<script nonce="{{ request.csp_nonce }}">`), so a
    script or event-handler attribute slipped into a page does not run; nothing framed,
    posted or fetched elsewhere.

    'unsafe-eval' stays while templates use htmx features that compile expressions
    (hx-on, trigger filters such as `change[...]`, `hx-vals='js:...'`); styles may be inline
    (a few `style=` attributes and htmx's indicator style)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}' 'unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        return response
