"""The benchmark's own databases: SQLite under bench/results/registry/, PostgreSQL `mawa_bench`.

Neither is ever the developer's database. Scaled-down runs (`--people N`) get their own file and
database (`mawa_bench_N`), so a quick run never throws away the million-person build.
"""

import contextlib
import os
from dataclasses import dataclass
from urllib.parse import urlparse, urlunparse

from regbench.common import FULL_PEOPLE, RESULTS

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/mawa_bench"


@dataclass
class Target:
    label: str  # "sqlite" or "postgresql"
    url: str  # DATABASE_URL for the worker

    @property
    def is_postgres(self) -> bool:
        return self.label == "postgresql"


def sqlite_target(people: int) -> Target:
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if people == FULL_PEOPLE else f"-{people}"
    return Target("sqlite", f"sqlite:///{RESULTS / f'registry{suffix}.sqlite3'}")


def postgres_target(base_url: str, people: int) -> Target:
    parts = urlparse(base_url)
    name = parts.path.lstrip("/") or "mawa_bench"
    if people != FULL_PEOPLE:
        name = f"{name}_{people}"
    return Target("postgresql", urlunparse(parts._replace(path=f"/{name}")))


def _maintenance_conninfo(url: str) -> tuple[dict, str]:
    parts = urlparse(url)
    info = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "dbname": "postgres",
        "connect_timeout": 3,
    }
    if parts.password:
        info["password"] = parts.password
    return info, parts.path.lstrip("/")


def postgres_reachable(url: str) -> str | None:
    """None when the server answers (creating the database if needed), else the reason."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency of Mawa
        return str(exc)
    info, name = _maintenance_conninfo(url)
    try:
        with psycopg.connect(**info, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
    return None


def recreate(target: Target) -> None:
    """Start from an empty database: delete the SQLite file, or drop and create the database."""
    if target.is_postgres:
        import psycopg

        info, name = _maintenance_conninfo(target.url)
        with psycopg.connect(**info, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return
    path = urlparse(target.url).path
    path = path[1:] if path.startswith("//") else path
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)
