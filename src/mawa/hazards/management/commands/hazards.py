"""`mawa hazards import FILE.geojson`, `mawa hazards export --out FILE.geojson` and
`mawa hazards generate --buildings N --areas N` (seeded synthetic data for demos and tests),
`mawa hazards recount` (the map's low-zoom cluster counts, after changes made outside Mawa's
services, such as deletions in the admin)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mawa.hazards import cells, exchange, synthetic


class Command(BaseCommand):
    help = "Buildings and hazard areas as GeoJSON: import, export, generate."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imported = sub.add_parser(
            "import", help="import a GeoJSON FeatureCollection (all or nothing)"
        )
        imported.add_argument("file")
        exported = sub.add_parser("export", help="write every building and area as GeoJSON")
        exported.add_argument("--out", required=True)
        generate = sub.add_parser("generate", help="seeded synthetic buildings and areas")
        generate.add_argument("--buildings", type=int, default=2000)
        generate.add_argument("--areas", type=int, default=100)
        generate.add_argument("--seed", type=int, default=2016)
        sub.add_parser("recount", help="count the map's low-zoom clusters again")

    def handle(self, *args, action, **options):
        if action == "import":
            path = Path(options["file"])
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from error
            try:
                report = exchange.import_features(actor=None, data=data, label=path.name)
            except exchange.ImportFailed as failed:
                for error in failed.errors[:50]:
                    self.stderr.write(error)
                more = len(failed.errors) - 50
                if more > 0:
                    self.stderr.write(f"... and {more} more")
                raise CommandError(
                    f"Nothing imported: {len(failed.errors)} feature(s) with errors."
                ) from failed
            self.stdout.write(
                f"{report.created} created, {report.updated} updated, "
                f"{report.steps} status steps, {report.unchanged} unchanged."
            )
        elif action == "export":
            collection = exchange.export_features()
            Path(options["out"]).write_text(
                json.dumps(collection, ensure_ascii=False), encoding="utf-8"
            )
            self.stdout.write(
                f"{len(collection['features'])} features written to {options['out']}."
            )
        elif action == "recount":
            self.stdout.write(f"{cells.rebuild()} map cells counted.")
        else:
            made = synthetic.generate(
                buildings=options["buildings"], areas=options["areas"], seed=options["seed"]
            )
            self.stdout.write(f"{made['buildings']} buildings and {made['areas']} areas added.")
