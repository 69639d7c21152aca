from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from report.loading import ReportDataError, load_report


class Command(BaseCommand):
    help = (
        "Load what is missing of the 'Travel South Over Cloud' report's data set (data/report/*.yaml). "
        "Safe to run again: rows edited since are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", type=Path, help="Folder holding vocabulary.yaml and the report file."
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also take the data set's new values for rows nobody edited since the last load.",
        )

    def handle(self, *args, data_dir=None, update=False, **options):
        try:
            summary = load_report(data_dir=data_dir, update=update)
        except (ReportDataError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 1:
            for line in summary.lines():
                self.stdout.write(line)
        created = sum(summary.created.values())
        updated = sum(summary.updated.values())
        unchanged = sum(summary.unchanged.values())
        for why in summary.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped: {why}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Report data loaded: {created} created, {updated} updated, {unchanged} unchanged, "
                f"{len(summary.skipped)} skipped."
            )
        )
