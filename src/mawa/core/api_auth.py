"""Bearer-token authentication for the JSON API (Authorization: Bearer <token>): the token's
SHA-256 is looked up, never the token itself."""

import datetime as dt
from functools import cache

from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer

from mawa.core.models import ApiToken, User
from mawa.core.prepared import prepared_cursor

USE_RECORDED_EVERY = dt.timedelta(minutes=5)


@cache
def _query(vendor: str):
    """The token and its user in one statement, built once per process and database kind, with
    the converters the ORM would apply to each user column (SQLite's datetimes and booleans)."""
    quote = connection.ops.quote_name
    fields = User._meta.concrete_fields
    token = ApiToken._meta
    used = token.get_field("last_used_at")
    sql = (
        f"SELECT t.{quote(token.pk.column)}, t.{quote(used.column)}, "
        + ", ".join(f"u.{quote(f.column)}" for f in fields)
        + f" FROM {quote(token.db_table)} t JOIN {quote(User._meta.db_table)} u"
        f" ON u.{quote(User._meta.pk.column)} = t.{quote(token.get_field('user').column)}"
        f" WHERE t.{quote(token.get_field('key').column)} = %s"
    )
    converters = []
    for f in (used, *fields):
        column = f.get_col(f.model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((column, found))
    return sql, [f.attname for f in fields], converters


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 64:
            return None
        sql, names, converters = _query(connection.vendor)
        with prepared_cursor() as cursor:
            cursor.execute(sql, [ApiToken.digest(token)])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row[1:])
        for i, (column, found) in enumerate(converters):
            for convert in found:
                values[i] = convert(values[i], column, connection)
        last_used_at = values[0]
        user = User.from_db(connection.alias, names, values[1:])
        if not user.is_active:
            return None
        now = timezone.now()
        # Written at most every five minutes: a scanner's token is used many times a second.
        if last_used_at is None or now - last_used_at > USE_RECORDED_EVERY:
            ApiToken.objects.filter(pk=row[0]).update(last_used_at=now)
        request.user = user
        return user
