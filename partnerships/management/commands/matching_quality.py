"""manage.py matching_quality: run the gold scenarios through the engine and print precision,
recall, share invitable and batch-vs-incremental agreement (partnerships/matching/quality.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.matching.quality import (
    SCENARIOS,
    VOCABULARY,
    ScenarioError,
    Vocabulary,
    evaluate,
    read_scenario,
    scenario_files,
    table,
)


class Command(BaseCommand):
    help = "Run the matching engine on the gold scenarios and print how well it did."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", type=Path, help=f"scenario files or folders (default: {SCENARIOS})"
        )
        parser.add_argument("--vocabulary", type=Path, default=VOCABULARY, help="themes and priority links")

    def handle(self, *args, paths, vocabulary, **options):
        files: list[Path] = []
        for path in paths or [SCENARIOS]:
            files.extend(scenario_files(path) if path.is_dir() else [path])
        if not files:
            raise CommandError("No scenario files found.")
        try:
            words = Vocabulary.read(vocabulary)
            figures = [evaluate(read_scenario(path, words)) for path in files]
        except (ScenarioError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(table(figures))
