"""`mawa names suggest`: the commonest spellings in the registry that the name table lacks."""

import csv

from django.core.management.base import BaseCommand

from mawa.namekeys.suggest import closest, proposal, unlisted
from mawa.registry.models import Person

CELL_FIELDS = [f"{part}_name_{script}" for part in Person.NAME_PARTS for script in ("ar", "lat")]


class Command(BaseCommand):
    help = (
        "suggest: list the most frequent name spellings in the registry that the name table "
        "does not list, each with its closest listed names and a proposed table row. Nothing "
        "is added: an administrator reviews the rows and adds them to the MAWA_NAME_TABLE file "
        "(then runs `mawa reindex`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["suggest"])
        parser.add_argument("--limit", type=int, default=30, help="spellings to list")
        parser.add_argument("--min-count", type=int, default=2, help="ignore rarer spellings")
        parser.add_argument(
            "--csv", dest="as_csv", action="store_true", help="write CSV rows to stdout"
        )

    def handle(self, *args, action: str, limit: int, min_count: int, as_csv: bool, **options):
        cells = (
            value
            for row in Person.objects.filter(merged_into=None)
            .values_list(*CELL_FIELDS)
            .iterator(chunk_size=5000)
            for value in row
        )
        counts = unlisted(cells)
        common = [(s, n) for s, n in counts.most_common() if n >= min_count][: max(limit, 0)]
        if as_csv:
            self._csv(common)
            return
        if not common:
            self.stdout.write(f"Every spelling met at least {min_count} times is in the table.")
            return
        for spelling, number in common:
            near = closest(spelling)
            names = ", ".join(f"{c.label} {c.score:.2f}" for c in near) or "no listed name near"
            self.stdout.write(f"{number:>7}  {spelling:<24} closest: {names}")
            if near:
                self.stdout.write(f"         proposed row: {proposal(spelling, near[0])}")

    def _csv(self, common) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["spelling", "count", "closest", "score", "proposed_row"])
        for spelling, number in common:
            near = closest(spelling)
            best = near[0] if near else None
            if best is None:
                writer.writerow([spelling, number, "", "", ""])
            else:
                writer.writerow(
                    [spelling, number, best.label, best.score, proposal(spelling, best)]
                )
