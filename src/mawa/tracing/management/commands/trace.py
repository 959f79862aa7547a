"""`mawa trace REGISTRY.csv REQUESTS.csv --out CANDIDATES.csv [--top 5]` (see mawa.tracelink)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from mawa.tracelink import THRESHOLD, trace_csv


class Command(BaseCommand):
    help = (
        "Match tracing requests (request,given_name,father_name,grandfather_name,family_name,"
        "mother_name,sex,birth_year,governorate,seeker_given_name,seeker_father_name,"
        "seeker_grandfather_name,seeker_family_name,seeker_sex,relation) against a registry "
        "CSV (the header of `mawa dedup`) and write request,rank,id,score."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("registry")
        parser.add_argument("requests")
        parser.add_argument("--out", required=True)
        parser.add_argument("--top", type=int, default=5)
        parser.add_argument("--threshold", type=float, default=THRESHOLD)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, registry, requests, out, top, threshold, quiet, **options):
        if top < 1:
            raise CommandError("--top must be at least 1")

        def progress(fraction: float, stage: str) -> None:
            if not quiet:
                sys.stderr.write(f"\r{fraction:6.1%}  {stage[:60]:<60}")
                sys.stderr.flush()

        try:
            result = trace_csv(
                registry, requests, out, top=top, threshold=threshold, progress=progress
            )
        except OSError as error:
            raise CommandError(f"Cannot read or write the file: {error}") from error
        if not quiet:
            sys.stderr.write("\n")
        for label, line, message in result.malformed[:50]:
            self.stderr.write(f"{label} line {line}: {message}")
        if len(result.malformed) > 50:
            self.stderr.write(f"... and {len(result.malformed) - 50} more malformed lines")
        self.stdout.write(
            f"{result.registry} people, {result.requests} requests, "
            f"{result.with_candidates} with candidates ({result.rows} rows), "
            f"{len(result.malformed)} malformed lines skipped."
        )
