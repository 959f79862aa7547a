"""Headquarters and field nodes as separate SQLite databases in one test process.

`Places.use(name)` points Django's default connection at that place's file for the duration
of a `with` block; every place starts as a copy of one migrated template, so making one costs a
file copy, not a migration.
"""

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from mawa.field import synthetic
from mawa.field.services import forget_identity
from mawa.settings import database_from_url

_outer: list = []


@contextmanager
def connected_to(path: Path, scheme: str = "sqlite"):
    database = database_from_url(f"{scheme}:///{path}")
    # Durability against power loss is not what these tests are about; fsyncs only slow them.
    database["OPTIONS"]["init_command"] += " PRAGMA synchronous=OFF;"
    _outer.append(connections["default"])
    try:
        with synthetic.connected_to(database):
            yield
    finally:
        _outer.pop()


@contextmanager
def outside():
    """Back to the database the place was entered from (the test database), for a moment."""
    current = connections["default"]
    connections["default"] = _outer[-1]
    forget_identity()
    try:
        yield
    finally:
        connections["default"] = current
        forget_identity()


def migrated_template(directory: Path) -> Path:
    path = directory / "template.sqlite3"
    with connected_to(path):
        call_command("migrate", verbosity=0, interactive=False)
        with connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


class Places:
    def __init__(self, template: Path, directory: Path):
        self.template, self.directory = template, directory
        self.paths: dict[str, Path] = {}

    def add(self, name: str) -> Path:
        path = self.directory / f"{name}.sqlite3"
        shutil.copyfile(self.template, path)
        self.paths[name] = path
        return path

    @contextmanager
    def use(self, name: str):
        with connected_to(self.paths[name]):
            yield

    def integrity(self, name: str) -> str:
        with self.use(name), connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            return cursor.fetchone()[0]

    def copy(self, source: str, target: str) -> None:
        """A snapshot of one place as another (the connection to it is closed by now)."""
        path = self.directory / f"{target}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            origin = Path(f"{self.paths[source]}{suffix}")
            copy = Path(f"{path}{suffix}")
            if origin.exists():
                shutil.copyfile(origin, copy)
            elif copy.exists():
                copy.unlink()
        self.paths[target] = path


# Tests whose headquarters and nodes are all files made here do the same on either test run;
# they run in the SQLite pass only (tests/field/test_http.py puts headquarters on PostgreSQL).
files_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="headquarters and nodes are SQLite files here: run in the SQLite pass",
)
