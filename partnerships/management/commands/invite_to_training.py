"""Invite everyone who asked for training workshops to one workshop (also an admin action)."""

from django.core.management.base import BaseCommand, CommandError

from partnerships.invitations.services import training_invitations_create
from partnerships.models import TrainingWorkshop


class Command(BaseCommand):
    help = "Invite to a training workshop everyone who answered that they want future training workshops."

    def add_arguments(self, parser):
        parser.add_argument("workshop_id", type=int, help="The workshop's id (see the admin).")

    def handle(self, *args, workshop_id: int, **options):
        workshop = TrainingWorkshop.objects.filter(pk=workshop_id).first()
        if workshop is None:
            raise CommandError(f"No training workshop with id {workshop_id}.")
        invited = training_invitations_create(workshop=workshop)
        self.stdout.write(f"{workshop}: {len(invited)} people invited.")
