"""A cursor whose statements PostgreSQL can prepare, for the few statements run on every scan.

Django's PostgreSQL backend binds parameters on the client (psycopg's ClientCursor): each
statement reaches the server as new text, to be parsed and planned again. The give's facts
SELECT takes about 0.7 ms to plan and 0.16 ms to run (EXPLAIN ANALYZE at 25,000 households),
so at a few hundred redemptions a second PostgreSQL would spend most of its CPU planning the
same few statements. A server-binding cursor lets psycopg prepare a statement once it has run
five times on a connection (psycopg's `prepare_threshold`) and run it by name from then on
(psycopg forgets them at a rollback, such as a lost race's, and counts again).

Only statements written for it come here: with server-side binding every parameter is typed
by the driver, and some SQL the ORM builds relies on literal interpolation (which is why
Django leaves it off by default). The cursor is Django's own wrapper around it, so execute
wrappers, query logging (assertNumQueries, DEBUG) and error translation (IntegrityError) hold.
Elsewhere (SQLite) this is `connection.cursor()`.

Behind a pooler in transaction mode (PgBouncer), prepared statements need PgBouncer ≥ 1.22
with `max_prepared_statements` set, or `?prepare_threshold=off` (README, "Serving").
"""

from django.db import connection

try:
    from django.db.backends.postgresql.base import ServerBindingCursor
except ImportError:  # pragma: no cover - psycopg 3 is a dependency; psycopg2 has no such cursor
    ServerBindingCursor = None


def prepared_cursor():
    """A Django cursor (use it in `with`) whose repeated statements PostgreSQL prepares."""
    if connection.vendor != "postgresql" or ServerBindingCursor is None:
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    # Django builds its cursors with the connection's cursor_factory (and registers the time
    # zone loader there); swapping the factory for one call keeps all of that.
    usual = raw.cursor_factory
    raw.cursor_factory = ServerBindingCursor
    try:
        return connection.cursor()
    finally:
        raw.cursor_factory = usual
