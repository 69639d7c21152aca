"""Run the invitations beat job by hand: once, or every few seconds where no Celery beat runs."""

import time

from django.core.management.base import BaseCommand

from partnerships.invitations.dispatch import invitations_dispatch


class Command(BaseCommand):
    help = (
        "Send the invitations that are due, create reminders and survey invitations, expire unanswered "
        "ones and recover lost sends: the job Celery beat runs. Without REDIS_URL, sends happen in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running, once every SECONDS, until interrupted.",
        )

    def handle(self, *args, every: float | None = None, **options):
        while True:
            summary = invitations_dispatch()
            self.stdout.write(" ".join(f"{name}={count}" for name, count in summary.as_dict().items()))
            if not every:
                return
            time.sleep(every)
