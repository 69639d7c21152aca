"""Load the report's data set (data/report/*.yaml) into the database, idempotently.

Every record is found by its natural key (a slug, a webinar number, an agenda position) and written
only when a value differs, so a second run writes nothing and reports every row as unchanged.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from .common import LoadSummary, ReportDataError
from .loader import ReportLoader

# libyaml's parser when PyYAML was built with it (the wheels are): the same data, ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
VOCABULARY_FILE = "vocabulary.yaml"
REPORT_FILE = "travel-south-over-cloud.yaml"

__all__ = ["LoadSummary", "ReportDataError", "load_report", "read_report_data"]


def read_report_data(data_dir: Path | None = None) -> tuple[dict, dict]:
    data_dir = Path(data_dir or settings.REPORT_DATA_DIR)
    with open(data_dir / VOCABULARY_FILE, encoding="utf-8") as vocabulary_file:
        vocabulary = yaml.load(vocabulary_file, Loader=SAFE_LOADER)
    with open(data_dir / REPORT_FILE, encoding="utf-8") as report_file:
        report = yaml.load(report_file, Loader=SAFE_LOADER)
    return vocabulary, report


def load_report(*, data_dir: Path | None = None) -> LoadSummary:
    """Load the vocabularies and the report. All or nothing: any error rolls the whole load back."""
    vocabulary, report = read_report_data(data_dir)
    loader = ReportLoader()
    with transaction.atomic():
        loader.load_vocabulary(vocabulary)
        loader.load_report(report)
    return loader.summary
