"""`mawa dedup INPUT.csv --out CLUSTERS.csv`: cluster a CSV of registrations (see mawa.linkage)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from mawa.linkage import dedup_csv


class Command(BaseCommand):
    help = (
        "Read id,given_name,father_name,grandfather_name,family_name,mother_name,sex,birth_date,"
        "governorate,id_number,phone and write id,cluster (one row for every input id)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("input")
        parser.add_argument("--out", required=True)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, input: str, out: str, quiet: bool, **options):
        def progress(fraction: float, stage: str) -> None:
            if not quiet:
                sys.stderr.write(f"\r{fraction:6.1%}  {stage[:60]:<60}")
                sys.stderr.flush()

        try:
            result = dedup_csv(input, out, progress=progress)
        except OSError as error:
            raise CommandError(f"Cannot read or write the file: {error}") from error
        if not quiet:
            sys.stderr.write("\n")
        for line, message in result.malformed[:50]:
            self.stderr.write(f"line {line}: {message}")
        if len(result.malformed) > 50:
            self.stderr.write(f"... and {len(result.malformed) - 50} more malformed lines")
        people = len(set(result.clusters.values()))
        self.stdout.write(
            f"{len(result.clusters)} records, {people} people, "
            f"{len(result.malformed)} malformed lines left as singletons."
        )
