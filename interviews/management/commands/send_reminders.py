"""`manage.py send_reminders`: run the reminder checks now (idempotent: safe to run any time)."""

from django.core.management.base import BaseCommand

from interviews.reminders import run_reminders


class Command(BaseCommand):
    help = (
        "Email the reminders due now: interview feedback missing after 48 h, shortlists "
        "unanswered by the client, freelancers' availability to confirm. Nothing is sent twice."
    )

    def handle(self, *args, **options):
        for check, sent in run_reminders().items():
            self.stdout.write(f"{check}: {sent}")
