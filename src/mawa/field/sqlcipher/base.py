"""Django's SQLite backend on SQLCipher: a field laptop's database encrypted at rest.

Why SQLCipher rather than encrypting chosen fields: a node's database holds names, household
numbers, card codes and who collected what, spread over many tables and indexes (and SQLite
writes fragments of all of them to its journal and free pages). Encrypting the whole file, pages
and WAL alike, with AES-256 leaves nothing readable on a lost laptop without the passphrase, and
lets every query, index and constraint work unchanged. `sqlcipher3-binary` ships SQLCipher
compiled in, so nothing else is installed on the laptop.

The key is derived from MAWA_NODE_PASSPHRASE by SQLCipher's own PBKDF2 (256,000 iterations) once
per connection; a node keeps its connections open (CONN_MAX_AGE), so this is paid rarely.
"""

import datetime
import decimal
import os
from collections.abc import Mapping
from itertools import tee

import sqlcipher3.dbapi2 as Database
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3 import base as sqlite_base
from django.db.backends.sqlite3._functions import register as register_functions
from django.utils.dateparse import parse_date, parse_datetime, parse_time

Database.register_converter("bool", b"1".__eq__)
Database.register_converter("date", sqlite_base.decoder(parse_date))
Database.register_converter("time", sqlite_base.decoder(parse_time))
Database.register_converter("datetime", sqlite_base.decoder(parse_datetime))
Database.register_converter("timestamp", sqlite_base.decoder(parse_datetime))
Database.register_adapter(decimal.Decimal, str)
Database.register_adapter(datetime.date, sqlite_base.adapt_date)
Database.register_adapter(datetime.datetime, sqlite_base.adapt_datetime)


class CipherCursorWrapper(Database.Cursor):
    """Django's SQLiteCursorWrapper (format/pyformat to qmark/named), on SQLCipher's cursor."""

    def execute(self, query, params=None):
        if params is None:
            return super().execute(query)
        param_names = list(params) if isinstance(params, Mapping) else None
        return super().execute(self.convert_query(query, param_names=param_names), params)

    def executemany(self, query, param_list):
        peekable, param_list = tee(iter(param_list))
        params = next(peekable, None)
        param_names = list(params) if params and isinstance(params, Mapping) else None
        return super().executemany(self.convert_query(query, param_names=param_names), param_list)

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return sqlite_base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")
        return query % {name: f":{name}" for name in param_names}


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    Database = Database

    def get_new_connection(self, conn_params):
        passphrase = os.environ.get("MAWA_NODE_PASSPHRASE", "")
        if not passphrase:
            raise ImproperlyConfigured(
                "This node's database is encrypted: set MAWA_NODE_PASSPHRASE to open it."
            )
        conn = Database.connect(**conn_params)
        conn.execute("PRAGMA key = '{}'".format(passphrase.replace("'", "''")))
        register_functions(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA legacy_alter_table = OFF")
        for init_command in self.init_commands:
            if init_command := init_command.strip():
                conn.execute(init_command)
        return conn

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CipherCursorWrapper)
