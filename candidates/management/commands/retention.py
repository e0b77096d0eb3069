"""`manage.py retention [--months 24] [--anonymise]`: profiles kept past the retention period."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from candidates import gdpr
from candidates.management.commands.anonymise_candidate import confirmed


def profiles(count):
    return f"{count} profile" if count == 1 else f"{count} profiles"


class Command(BaseCommand):
    help = (
        "List the profiles with no sign of life (edit, availability, timeline) for N months; "
        "with --anonymise, anonymise those not in a process under way."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=gdpr.RETENTION_MONTHS)
        parser.add_argument("--anonymise", action="store_true")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (for scheduled runs).",
        )

    def handle(self, *args, months, anonymise, interactive, **options):
        if months < 1:
            raise CommandError("--months must be at least 1.")
        review = gdpr.retention_review(months=months)
        for profile, keeping in review:
            self.stdout.write(self._line(profile, keeping))
        erasable = [profile for profile, keeping in review if not keeping]
        self.stdout.write(
            f"{profiles(len(review))} without activity for {months} months, "
            f"{len(erasable)} without a process under way."
        )
        if not anonymise or not erasable:
            return
        if interactive and not confirmed(f"Anonymise {profiles(len(erasable))}?"):
            raise CommandError("Nothing changed.")
        done = sum(self._anonymise(profile) for profile in erasable)
        self.stdout.write(f"{profiles(done)} anonymised.")

    @staticmethod
    def _line(profile, keeping):
        line = f"#{profile.pk}\t{profile.full_name}\tlast updated {profile.updated_at:%Y-%m-%d}"
        if keeping:
            missions = ", ".join(sorted({entry.mission.reference for entry in keeping}))
            line += f"\tkept: process under way ({missions})"
        return line

    def _anonymise(self, profile):
        try:
            gdpr.anonymise_candidate(candidate=profile)
        except ValidationError as error:  # it changed since the review: report, go on
            self.stderr.write(f"#{profile.pk}: {' '.join(error.messages)}")
            return 0
        return 1
