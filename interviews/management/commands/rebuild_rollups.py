"""Recompute the insights' rollups from the tables: after a bulk load, a data migration, or
to check them (`--check` says whether the stored rows were right, and changes nothing)."""

from django.core.management.base import BaseCommand, CommandError

from interviews import rollups


class Command(BaseCommand):
    help = "Recompute every rollup of the insights figures from the tables."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only compare the stored rows with the tables."
        )

    def handle(self, *args, check=False, **options):
        if check:
            wrong = rollups.differences()
            if wrong:
                raise CommandError(f"{len(wrong)} rollup rows differ from the tables.")
            self.stdout.write("The rollups match the tables.")
            return
        self.stdout.write(f"{rollups.rebuild()} rollup rows written.")
