"""Request middleware: the user's chosen language, and the client address for the audit log."""

from django.utils import translation

from mawa.core.audit import client_address


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


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            client_address.reset(token)
