"""`mawa serve [ADDRESS:PORT]`: Mawa behind a production HTTP server, with its static files.

Django's `runserver` is for development (it says so itself). Headquarters' API answers a few
hundred scans a second from distribution points, and a camp office laptop serves the phones on
its Wi-Fi; both need a real server. This one runs granian (an HTTP server written in Rust with a
WSGI interface; wheels for Linux, macOS and Windows, nothing to compile): worker processes with
a few threads each, connections kept alive (a scanner's requests reuse one connection), and the
collected static files served at STATIC_URL without a Python request. bench/assistance measures
the API through it.

TLS: at headquarters a reverse proxy in front that passes the Host header and sets
X-Forwarded-Proto and X-Forwarded-For (then MAWA_BEHIND_PROXY=1 and MAWA_ALLOWED_HOSTS), or
--ssl-cert and --ssl-key here. Static files are cached by browsers for STATIC_MAX_AGE only: their
names carry no content hash, so an upgrade reaches every browser within ten minutes.
"""

import ipaddress
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels

from mawa.core.checks import MESSAGE as DEVELOPMENT_KEY
from mawa.core.checks import uses_development_key

ADDRESS = re.compile(r"^(?:(?P<host>[\w.:-]+|\[[0-9a-fA-F:]+\]):)?(?P<port>\d{1,5})$")
STATIC_MAX_AGE = 600


def default_workers() -> int:
    """One process per core and one more, so a core is never idle while another process waits
    on the database (measured in bench/assistance: docs/benchmarks.md)."""
    return (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Serve Mawa with a production HTTP server (granian), static files included."

    def add_arguments(self, parser):
        parser.add_argument(
            "address", nargs="?", default="127.0.0.1:8000", help="[HOST:]PORT (127.0.0.1:8000)"
        )
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--threads", type=int, default=2, help="threads per worker for requests (2)"
        )
        parser.add_argument("--ssl-cert", type=Path)
        parser.add_argument("--ssl-key", type=Path)
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="serve STATIC_ROOT as it is (collected already)",
        )

    def handle(self, *args, address, workers, threads, ssl_cert, ssl_key, **options):
        found = ADDRESS.match(address)
        if found is None or not 0 < int(found["port"]) < 65536:
            raise CommandError(f"{address!r} is not [HOST:]PORT, e.g. 0.0.0.0:8000.")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        if bool(ssl_cert) != bool(ssl_key):
            raise CommandError("--ssl-cert and --ssl-key go together.")
        host = (found["host"] or "127.0.0.1").strip("[]")
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise CommandError(
                f"{host!r} is not an IP address: give one, e.g. 127.0.0.1 or 0.0.0.0 (all)."
            ) from None
        if uses_development_key() and not settings.DEBUG:
            raise CommandError(DEVELOPMENT_KEY)
        self.check_migrations()  # a warning, as runserver gives
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()  # nothing open is inherited by the workers
        self.stdout.write(
            f"Mawa on http{'s' if ssl_cert else ''}://{address}: {workers} workers × "
            f"{threads} threads (granian); Ctrl-C stops."
        )
        self.stdout.flush()
        Granian(
            "mawa.wsgi:application",
            address=host,
            port=int(found["port"]),
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            backlog=2048,
            log_level=LogLevels.warning,
            ssl_cert=ssl_cert,
            ssl_key=ssl_key,
            static_path_route=["/" + settings.STATIC_URL.strip("/")],
            static_path_mount=[Path(settings.STATIC_ROOT)],
            static_path_expires=STATIC_MAX_AGE,
            respawn_failed_workers=True,
        ).serve()
