from django.core.management.base import BaseCommand, CommandError

from cities.models import City
from partnerships.matching.explanations import describe_run_notes
from partnerships.matching.runs import city_proposals_refresh, matching_run_create, matching_run_execute

STAGES = {
    "loading": "loading",
    "candidates": "scoring cities",
    "selection": "choosing",
    "reasons": "explaining",
    "saving": "saving",
}


class ProgressBar:
    """A one-line progress bar on stderr, so that stdout stays clean for the result."""

    WIDTH = 30

    def __init__(self, stream, enabled: bool) -> None:
        self.stream = stream  # the command's stderr wrapper
        self.enabled = enabled

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        filled = int(self.WIDTH * done / total) if total else 0
        label = STAGES.get(stage, stage)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {label:<16}", ending=""
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("")


class Command(BaseCommand):
    help = (
        "Propose city-to-city partnerships: a matching run over all cities, or over one city's pairs "
        "with --city. Safe to run again: proposals awaiting review are rescored, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--city", metavar="SLUG", help="Recompute only this city's proposals.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, city=None, no_progress=False, **options):
        if city:
            target = City.objects.filter(slug=city).first()
            if target is None:
                raise CommandError(f"No city with the slug {city!r}.")
            run = city_proposals_refresh(city_id=target.pk, trigger="command")
        else:
            bar = ProgressBar(self.stderr, enabled=not no_progress and options["verbosity"] > 0)
            try:
                run = matching_run_execute(run=matching_run_create(trigger="command"), progress=bar)
            finally:
                bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Matching run #{run.pk} ({run.get_scope_display().lower()}): {run.created_count} new, "
                f"{run.updated_count} updated, {run.unchanged_count} unchanged, "
                f"{run.superseded_count} superseded."
            )
        )
        for line in describe_run_notes(run.notes, cap=run.settings_used.get("proposals_per_city")):
            self.stdout.write(f"  {line}")
