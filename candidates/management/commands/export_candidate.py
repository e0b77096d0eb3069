"""`manage.py export_candidate <id>`: print as JSON all that is held on a person (GDPR)."""

from django.core.management.base import BaseCommand, CommandError

from candidates import gdpr


class Command(BaseCommand):
    help = "Print as JSON all that is held on a freelance profile (access or portability request)."

    def add_arguments(self, parser):
        parser.add_argument("candidate_id", type=int)

    def handle(self, *args, candidate_id, **options):
        candidate = gdpr.export_queryset().filter(pk=candidate_id).first()
        if candidate is None:
            raise CommandError(f"No profile with id {candidate_id}.")
        self.stdout.write(gdpr.export_json([candidate]))
