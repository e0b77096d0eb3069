"""`manage.py reminder_clock`: enqueue the reminder task every REMINDER_CLOCK_SECONDS, forever.

Run as one long-lived process beside the task worker (the `clock` line of the Procfile), so no
cron is needed. It only enqueues: the worker runs the checks, with its retries. A second clock
by mistake costs nothing but duplicate runs, which send nothing twice (the checks are
idempotent).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from interviews.reminders import send_reminders


class Command(BaseCommand):
    help = "Enqueue the reminder checks now and then every REMINDER_CLOCK_SECONDS (default 1 h)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=None, help="Seconds between two runs.")
        parser.add_argument(
            "--ticks", type=int, default=None, help="Stop after this many runs (default: never)."
        )

    def handle(self, *args, interval, ticks, **options):
        interval = interval or settings.REMINDER_CLOCK_SECONDS
        done = 0
        while ticks is None or done < ticks:
            result = send_reminders.enqueue()
            self.stdout.write(f"send_reminders enqueued ({result.id})")
            done += 1
            if ticks is None or done < ticks:
                time.sleep(interval)
