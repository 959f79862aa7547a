"""`mawa node …`: field nodes from the command line, at headquarters and on the laptop.

At headquarters: `package` (create a node and write its sealed package), `export --node NAME`
(a bundle for a node, to carry on a USB stick), `import FILE`, `revoke NAME`, `status`.
On the laptop: `init PACKAGE`, `sync [--every SECONDS]`, `export --out FILE`, `import FILE`,
`status`. The package passphrase comes from MAWA_PACKAGE_PASSPHRASE or is asked for (the
laptop database's own passphrase, with `sqlcipher:`, is MAWA_NODE_PASSPHRASE).
"""

import getpass
import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mawa.assistance.models import Cycle, StockLocation
from mawa.core.models import Site, User
from mawa.field import services, transport
from mawa.field.models import Node, PeerState, ThisDatabase


def _passphrase(confirm: bool = False) -> str:
    value = os.environ.get("MAWA_PACKAGE_PASSPHRASE")
    if value:
        return value
    value = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Passphrase again: ") != value:
        raise CommandError("The passphrases differ.")
    return value


class Command(BaseCommand):
    help = "Field nodes: package, init, sync, export, import, revoke, status."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        package = sub.add_parser("package", help="(headquarters) create a node and its package")
        package.add_argument("--name", required=True)
        package.add_argument("--sites", required=True, help="site codes, comma-separated")
        package.add_argument(
            "--roles",
            default="distribution",
            help="what the node does, comma-separated: distribution, office, ...",
        )
        package.add_argument("--cycles", default="", help="cycle names, comma-separated")
        package.add_argument("--points", default="", help="point names, comma-separated")
        package.add_argument("--users", required=True, help="usernames, comma-separated")
        package.add_argument("--url", default="", help="headquarters' address for HTTPS sync")
        package.add_argument("--out", required=True)
        init = sub.add_parser("init", help="(laptop) make this database the packaged node")
        init.add_argument("package")
        sync = sub.add_parser("sync", help="(laptop) sync with headquarters over HTTPS")
        sync.add_argument("--url", default=None)
        sync.add_argument("--every", type=int, default=0, help="keep syncing every N seconds")
        export = sub.add_parser("export", help="write a bundle to a file")
        export.add_argument("--out", required=True)
        export.add_argument("--node", default=None, help="(headquarters) the node it is for")
        imported = sub.add_parser("import", help="apply a bundle file")
        imported.add_argument("bundle")
        revoke = sub.add_parser("revoke", help="(headquarters) refuse a node from now on")
        revoke.add_argument("name")
        sub.add_parser("status", help="who this database is and what is waiting")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except services.SyncError as error:
            raise CommandError(str(error)) from error

    def do_package(self, *, name, roles, sites, cycles, points, users, url, out, **_):
        def pick(queryset, field, text):
            wanted = [part.strip() for part in text.split(",") if part.strip()]
            found = list(queryset.filter(**{f"{field}__in": wanted}))
            missing = set(wanted) - {str(getattr(obj, field)) for obj in found}
            if missing:
                raise CommandError(f"Not found: {', '.join(sorted(missing))}")
            return found

        admin = User.objects.filter(is_superuser=True).first()
        node = services.node_create(
            actor=admin,
            name=name,
            sites=pick(Site.objects, "code", sites),
            cycles=pick(Cycle.objects, "name", cycles),
            points=pick(StockLocation.objects, "name", points),
            users=pick(User.objects, "username", users),
            roles=[role.strip() for role in roles.split(",") if role.strip()],
        )
        blob = services.package_make(actor=admin, node=node, passphrase=_passphrase(True), url=url)
        services.file_write(out, blob)
        self.stdout.write(f"Package for node {node.name} written to {out} ({len(blob):,} bytes).")

    def do_init(self, *, package, **_):
        call_command("migrate", verbosity=0, interactive=False)
        me = services.node_init(Path(package).read_bytes(), _passphrase())
        self.stdout.write(f"This laptop is now node {me.name}.")

    def do_sync(self, *, url, every, **_):
        if every:
            transport.sync_forever(url, every, self.stdout.write)
        result = transport.sync_over_https(url)
        self.stdout.write(
            f"Synced in {result.rounds} round(s): {result.sent} events sent, "
            f"{result.received} received."
        )

    def do_export(self, *, out, node, **_):
        peer = None
        if node:
            peer = Node.objects.filter(name=node).values_list("pk", flat=True).first()
            if peer is None:
                raise CommandError(f"No node named {node}.")
        blob, count = services.bundle_make(peer)
        services.file_write(out, blob)
        self.stdout.write(f"{count} events written to {out}.")

    def do_import(self, *, bundle, **_):
        report = services.bundle_ingest(Path(bundle).read_bytes())
        self.stdout.write(
            f"{report.new} new events, {report.duplicates} already here; everything up to "
            f"number {report.received_upto} from this sender is here."
        )

    def do_revoke(self, *, name, **_):
        node = Node.objects.filter(name=name).first()
        if node is None:
            raise CommandError(f"No node named {name}.")
        admin = User.objects.filter(is_superuser=True).first()
        services.node_revoke(actor=admin, node=node)
        self.stdout.write(f"Node {name} is revoked.")

    def do_status(self, **_):
        me = ThisDatabase.objects.first()
        if me is None or me.kind == ThisDatabase.Kind.HEADQUARTERS:
            self.stdout.write("Headquarters.")
            for node in Node.objects.all():
                state = PeerState.objects.filter(peer=node.pk).first()
                received = state.received_upto if state else 0
                self.stdout.write(
                    f"  {node.name}: {node.get_status_display()}, events up to {received} "
                    f"received, last sync {node.last_sync_at or 'never'}"
                )
            return
        self.stdout.write(
            f"Node {me.name}: {transport.unacknowledged()} events not yet acknowledged "
            f"by headquarters."
        )
