"""`manage.py anonymise_candidate <id>`: erase a person, keep the anonymous history (GDPR)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from candidates import gdpr
from candidates.models import Candidate


class Command(BaseCommand):
    help = (
        "Anonymise a freelance profile: wipe identity, contact details, notes and the CV file, "
        "keep skills, rates and the anonymous history. Cannot be undone."
    )

    def add_arguments(self, parser):
        parser.add_argument("candidate_id", type=int)
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, candidate_id, interactive, **options):
        candidate = Candidate.objects.filter(pk=candidate_id).first()
        if candidate is None:
            raise CommandError(f"No profile with id {candidate_id}.")
        if interactive and not confirmed(f"Anonymise {candidate.full_name} (#{candidate.pk})?"):
            raise CommandError("Nothing changed.")
        try:
            gdpr.anonymise_candidate(candidate=candidate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Profile #{candidate.pk} anonymised.")


def confirmed(question):
    answer = input(f"{question} This cannot be undone. Type 'yes' to continue: ")
    return answer.strip().lower() == "yes"
