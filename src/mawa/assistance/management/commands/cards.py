"""`mawa cards export --out cards.csv [--cycle ID]`: card codes for printers and integrations."""

import csv
import uuid

from django.core.management.base import BaseCommand, CommandError

from mawa.assistance.models import Cycle, RationCard


class Command(BaseCommand):
    help = "Export ration cards of the open cycles (or one cycle) as cycle,card,household."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write cycle,card,household")
        export.add_argument("--out", required=True)
        export.add_argument("--cycle")

    def handle(self, *args, action: str, out: str, cycle: str | None = None, **options):
        cycles = Cycle.objects.filter(status=Cycle.Status.OPEN)
        if cycle:
            cycles = Cycle.objects.filter(pk=cycle) if _is_uuid(cycle) else Cycle.objects.none()
            if not cycles.exists():
                raise CommandError(f"No cycle with id {cycle!r}.")
        rows = 0
        with open(out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["cycle", "card", "household"])
            for c in cycles:
                cards = RationCard.objects.filter(
                    programme=c.programme_id,
                    status=RationCard.Status.ACTIVE,
                    household__site__in=c.sites.all(),
                ).values_list("code", "household_id")
                for code, household in cards.iterator():
                    writer.writerow([c.pk, code, household])
                    rows += 1
        self.stdout.write(f"{rows} cards written to {out}.")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
