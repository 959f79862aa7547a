"""Writing rows fast: plain tuples straight to the driver, or new model instances with
statements built once per process.

Django's `bulk_create` builds a model instance per row and prepares every value through the
field's machinery; for tens of thousands of rows that Python work, not the database, is the
cost. Here each column's preparer is chosen once (`get_db_prep_save` only where the driver
cannot take the Python value as it is) and rows go in by COPY on PostgreSQL or multi-row
INSERTs on SQLite, on the connection of the current transaction.
"""

import datetime as dt
import sqlite3
import uuid
from functools import cache, partial
from itertools import chain
from types import SimpleNamespace

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_save, pre_save

from mawa.core.prepared import prepared_cursor


def preparer(field, db):
    """What turns a value into the field's database value, or None when the driver takes the
    value as it is (text, integers)."""
    kind = field.get_internal_type()
    if kind in ("CharField", "TextField", "SlugField"):
        return str if field.choices else None  # a TextChoices member as its plain value
    target = field.target_field if field.is_relation else field
    target_kind = target.get_internal_type()
    if target_kind == "UUIDField":
        return _uuid_hex if db.vendor == "sqlite" else None  # psycopg takes UUID or text
    if target_kind in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
        return None
    if target_kind in ("PositiveSmallIntegerField", "PositiveIntegerField", "SmallIntegerField"):
        return None
    return last_one(partial(field.get_db_prep_save, connection=db))


def _uuid_hex(value) -> str:
    """Django's SQLite form of a UUID: 32 hex digits (our own ids, as UUID or canonical text)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    text = value.replace("-", "").lower()
    if len(text) != 32:
        raise ValueError(f"not a UUID: {value!r}")
    return text


def last_one(prepare):
    """`prepare`, remembering its last value (by identity) and result: columns repeat a value
    (the same timestamp, the same cycle) row after row."""
    last = [object(), None]

    def prepared(value):
        if value is not last[0]:
            last[:] = value, prepare(value)
        return last[1]

    return prepared


def ids_here(model, ids) -> set[str]:
    """Which of `ids` (text) already have a row of `model` here: what a sync skips."""
    return {str(pk) for pk in model.objects.filter(pk__in=ids).values_list("pk", flat=True)}


def max_params(db) -> int:
    if db.vendor == "sqlite":
        # SQLite 3.32+ takes 32,766 parameters a statement (Django assumes the old 999);
        # SQLCipher's driver cannot be asked, and is built on a recent SQLite.
        getlimit = getattr(db.connection, "getlimit", None)
        return getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit else 32766
    return db.features.max_query_params or 999


def insert_sql(db, table: str, columns: list[str], rows: int, mark: str = "%s") -> str:
    """INSERT INTO table (columns) VALUES (…), … for `rows` rows, `mark` standing for a value."""
    qn = db.ops.quote_name
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    names = ", ".join(qn(c) for c in columns)
    return f"INSERT INTO {qn(table)} ({names}) VALUES {', '.join([one] * rows)}"


def insert_prepared(db, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows whose values are already database values, on the driver's connection."""
    if not rows:
        return
    db.ensure_connection()
    raw = db.connection
    qn = db.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    if db.vendor == "postgresql":
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    per_statement = max(1, min(max_params(db) // len(columns), 5000))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = insert_sql(db, table, columns, len(chunk), mark="?")
        raw.execute(sql, list(chain.from_iterable(chunk)))


def rows_insert(model, fields: list[str], rows, db=None) -> int:
    """Insert `rows` (tuples of Python values, in the order of `fields`) into `model`'s table.

    Call inside a transaction; nothing is validated and no signal is sent, as with
    `bulk_create`, and no default is filled in: give every column that has no database default
    (blank strings included)."""
    db = db or connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
    concrete = [model._meta.get_field(name) for name in fields]
    prepare = [preparer(field, db) for field in concrete]
    rows = list(rows)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(concrete)
    prepared_columns = [
        column if convert is None else [None if v is None else convert(v) for v in column]
        for convert, column in zip(prepare, columns, strict=True)
    ]
    prepared = list(zip(*prepared_columns, strict=True))
    with db.wrap_database_errors:
        insert_prepared(db, model._meta.db_table, [f.column for f in concrete], prepared)
    return len(prepared)


class Row(SimpleNamespace):
    """A new row's values by attribute name (what `person_tokens` reads), with its `pk`: a
    model instance would cost more to build than the rest of the row's preparation."""


class NewRows:
    """New rows of one table, kept both as light objects (for `person_tokens`) and as plain
    tuples for the database: what `Model(**values)` then `bulk_create` would make, with the
    model's defaults, each value prepared by its field (`mawa.core.bulk.preparer`: UUIDs,
    dates, JSON, choices as plain text), but no query compiled per batch and no per-field work
    for plain text."""

    def __init__(self, model, db):
        self.model = model
        fields = model._meta.concrete_fields
        self.names = [f.attname for f in fields]
        self.known = set(self.names)
        self.relations = {f.name: f.attname for f in fields if f.is_relation}
        self.fresh = {
            f.attname: f.default for f in fields if f.has_default() and callable(f.default)
        }
        self.defaults = {f.attname: f.get_default() for f in fields if f.attname not in self.fresh}
        self.written = [i for i, f in enumerate(fields) if not isinstance(f, AutoFieldMixin)]
        self.columns = [fields[i].column for i in self.written]
        self.pk_name = model._meta.pk.attname
        prepare = [(j, preparer(fields[i], db)) for j, i in enumerate(self.written)]
        # created_at and updated_at are given the same stamp: prepare it once.
        stamps = [j for j, i in enumerate(self.written) if type(fields[i]) is models.DateTimeField]
        if stamps:
            same = last_one(stamp_preparer(db) or prepare[stamps[0]][1])
            prepare = [(j, same if j in stamps else p) for j, p in prepare]
        self.prepare = [(j, p) for j, p in prepare if p is not None]
        self.rows: list[tuple] = []

    def add(self, values: dict):
        if not self.known.issuperset(values):
            for name in values.keys() - self.known:
                if name not in self.relations:
                    raise TypeError(f"{self.model.__name__} has no field {name!r}")
                related = values.pop(name)
                values[self.relations[name]] = None if related is None else related.pk
        row = {**self.defaults, **values}
        for name, default in self.fresh.items():
            if name not in values:
                row[name] = default()
        ordered = [row[name] for name in self.names]
        obj = Row(pk=row[self.pk_name], **row)
        prepared = [ordered[i] for i in self.written]
        for j, prepare in self.prepare:
            if prepared[j] is not None:
                prepared[j] = prepare(prepared[j])
        self.rows.append(tuple(prepared))
        return obj

    def batch(self) -> tuple[str, list[str], list[tuple]]:
        """The rows added since the last batch, for the writer."""
        rows, self.rows = self.rows, []
        return self.model._meta.db_table, self.columns, rows


def stamp_preparer(db):
    """SQLite's text for an aware UTC timestamp (what `adapt_datetimefield_value` gives, without
    its checks: every row has two), or None to use the field's own preparation."""
    if db.vendor != "sqlite" or db.timezone != dt.UTC:
        return None
    slow = partial(models.DateTimeField().get_db_prep_save, connection=db)

    def prepared(value):
        if type(value) is dt.datetime and value.tzinfo is dt.UTC:
            return str(value.replace(tzinfo=None))
        return slow(value)

    return prepared


@cache
def _objects_insert_sql(model, vendor: str, rows: int) -> tuple[str, list]:
    fields = model._meta.concrete_fields
    columns = [f.column for f in fields]
    return insert_sql(connection, model._meta.db_table, columns, rows), fields


def objects_insert(*groups: list) -> None:
    """INSERT new model instances (each group: instances of one model) with statements whose
    text is built once per process: what `save(force_insert=True)` writes (each field's
    `pre_save` and `get_db_prep_save`), without compiling a query again on every call (the
    distribution point's give). On PostgreSQL the groups go in one statement (data-modifying
    WITH), prepared (mawa.core.prepared). The ORM's save when anyone listens to a model's
    pre_save or post_save, so those listeners are never skipped."""
    groups = [objs for objs in groups if objs]
    if any(
        pre_save.has_listeners(type(o[0])) or post_save.has_listeners(type(o[0])) for o in groups
    ):
        for objs in groups:
            for obj in objs:
                obj.save(force_insert=True)
        return
    statements = []
    for objs in groups:
        sql, fields = _objects_insert_sql(type(objs[0]), connection.vendor, len(objs))
        params = [f.get_db_prep_save(f.pre_save(o, True), connection) for o in objs for f in fields]
        statements.append((sql, params))
    with prepared_cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            head = ", ".join(f"w{i} AS ({sql})" for i, (sql, _p) in enumerate(statements[:-1]))
            cursor.execute(
                f"WITH {head} {statements[-1][0]}",
                [param for _sql, params in statements for param in params],
            )
        else:
            for sql, params in statements:
                cursor.execute(sql, params)
    for objs in groups:
        for obj in objs:
            obj._state.adding, obj._state.db = False, connection.alias
