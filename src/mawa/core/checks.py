"""Refusing to serve with the development secret key.

The key signs sessions and CSRF tokens and keys the pseudonyms of exports: with the public
development key, anyone could forge a session. The servers' entry points (`mawa serve`,
mawa.wsgi, which runserver loads too) call `refuse_development_key` and stop when debug is off;
management commands, `make run` (debug on) and the tests are not servers and go on.
`mawa check --deploy` reports it as well."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_KEY_PREFIX = "insecure-development-key-"
MESSAGE = (
    "MAWA_SECRET_KEY is not set, and debug is off: Mawa will not serve with its public "
    "development key. Set MAWA_SECRET_KEY (or MAWA_SECRET_KEY_FILE) to a long random value, "
    "e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
)


def uses_development_key() -> bool:
    return str(settings.SECRET_KEY).startswith(DEVELOPMENT_KEY_PREFIX)


def refuse_development_key() -> None:
    if uses_development_key() and not settings.DEBUG:
        raise ImproperlyConfigured(MESSAGE)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    if uses_development_key() and not settings.DEBUG:
        return [Error(MESSAGE, id="mawa.E001")]
    return []
